import { PATTERNS_BY_ID } from '../patterns';
import type { Finding, PatternDefinition, Span } from '../patterns/types';
import { findingsAt } from './analyze';
import { COMMANDS, commandUri } from './commands';
import type { Settings } from './settings';

export interface PatternHover {
  /** Markdown. Only our own prose: no text of the document is ever placed in it. */
  readonly markdown: string;
  /** The syntax the hover belongs to (the smallest span of the findings shown). */
  readonly span: Span;
}

/**
 * The hover at `offset`: every distinct pattern whose syntax is under the cursor, innermost first,
 * minus muted ones. Undefined where no pattern is, so plain code never gets a hover.
 */
export function hoverAt(
  analysis: { findings: readonly Finding[] },
  offset: number,
  settings: Settings,
): PatternHover | undefined {
  if (!settings.hover.enabled) return undefined;
  const muted = new Set(settings.patterns.muted);
  const hits = findingsAt(analysis, offset)
    .filter((finding) => !muted.has(finding.id))
    .map((finding) => ({ finding, span: spanUnder(finding, offset) }))
    .sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start));
  const patterns: PatternDefinition[] = [];
  for (const { finding } of hits) {
    const pattern = PATTERNS_BY_ID.get(finding.id);
    if (pattern && !patterns.includes(pattern)) patterns.push(pattern);
  }
  if (patterns.length === 0) return undefined;
  return {
    markdown: patterns.map((pattern) => patternMarkdown(pattern, settings.hover.verbosity)).join('\n\n---\n\n'),
    span: hits[0]!.span,
  };
}

export function patternMarkdown(pattern: PatternDefinition, verbosity: Settings['hover']['verbosity']): string {
  const { prose, python } = pattern;
  const parts = [`**${prose.title}**`, prose.summary];
  if (verbosity === 'full') {
    parts.push(
      prose.what,
      [`**When to use it.** ${prose.when}`, `**When not to.** ${prose.whenNot}`, `**Pitfall.** ${prose.pitfall}`].join('\n\n'),
      `**In Python:** ${python.name}\n\n\`\`\`python\n${python.example}\n\`\`\`\n\n${python.note}`,
    );
  } else {
    parts.push(`**In Python:** ${python.name}`);
  }
  const links = [
    `[Open in cheat sheet](${commandUri(COMMANDS.openCheatSheet, pattern.id)})`,
    `[Mute this pattern](${commandUri(COMMANDS.mutePattern, pattern.id)} "Stop showing this hover; undo with 'Pattern Lens: Reset Muted Patterns'")`,
    ...pattern.links.slice(0, 1).map((link) => `[${link.title}](${link.url})`),
  ];
  parts.push(links.join(' · '));
  return parts.join('\n\n');
}

function spanUnder(finding: Finding, offset: number): Span {
  const spans = [finding.span, ...(finding.alsoHoverOn ?? [])];
  return spans.find((span) => span.start <= offset && offset < span.end) ?? finding.span;
}
