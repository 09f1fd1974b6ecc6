export type HoverVerbosity = 'brief' | 'full';

/** The `patternLens.*` settings the engine reads. */
export interface Settings {
  readonly hover: { readonly enabled: boolean; readonly verbosity: HoverVerbosity };
  readonly patterns: { readonly muted: readonly string[] };
}

export const DEFAULT_SETTINGS: Settings = {
  hover: { enabled: true, verbosity: 'full' },
  patterns: { muted: [] },
};

/** Reads settings as a user or a client sent them: anything malformed falls back to the default. */
export function normalizeSettings(raw: unknown): Settings {
  const section = asRecord(raw);
  const hover = asRecord(section.hover);
  const patterns = asRecord(section.patterns);
  return {
    hover: {
      enabled: typeof hover.enabled === 'boolean' ? hover.enabled : DEFAULT_SETTINGS.hover.enabled,
      verbosity: hover.verbosity === 'brief' || hover.verbosity === 'full' ? hover.verbosity : DEFAULT_SETTINGS.hover.verbosity,
    },
    patterns: {
      muted: Array.isArray(patterns.muted) ? patterns.muted.filter((id): id is string => typeof id === 'string') : [],
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
