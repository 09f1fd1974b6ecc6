/** Commands the client registers. Hover links may only use these (the client trusts nothing else). */
export const COMMANDS = {
  openCheatSheet: 'patternLens.openCheatSheet',
  mutePattern: 'patternLens.mutePattern',
  resetMutedPatterns: 'patternLens.resetMutedPatterns',
} as const;

export const HOVER_LINK_COMMANDS: readonly string[] = [COMMANDS.openCheatSheet, COMMANDS.mutePattern];

/** A markdown link target that runs `command` with `args`. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
