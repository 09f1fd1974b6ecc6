import type { Severity } from '../patterns/types';

export type HoverVerbosity = 'brief' | 'full';
export type RuleLevel = Severity | 'off';
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];

/** The `patternLens.*` settings the engine reads. */
export interface Settings {
  readonly hover: { readonly enabled: boolean; readonly verbosity: HoverVerbosity };
  readonly patterns: { readonly muted: readonly string[] };
  /** Per-rule level, overriding the project's config file and the rule's default. */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly typeAware: { readonly enabled: boolean };
  /** Where `wrap-with-decorator` puts shared decorators (a module path relative to the workspace), if set. */
  readonly refactors: { readonly decoratorsModule: string | undefined };
}

export const DEFAULT_SETTINGS: Settings = {
  hover: { enabled: true, verbosity: 'full' },
  patterns: { muted: [] },
  rules: {},
  typeAware: { enabled: true },
  refactors: { decoratorsModule: undefined },
};

/** Reads settings as a user or a client sent them: anything malformed falls back to the default. */
export function normalizeSettings(raw: unknown): Settings {
  const section = asRecord(raw);
  const hover = asRecord(section.hover);
  const patterns = asRecord(section.patterns);
  const typeAware = asRecord(section.typeAware);
  const refactors = asRecord(section.refactors);
  return {
    hover: {
      enabled: typeof hover.enabled === 'boolean' ? hover.enabled : DEFAULT_SETTINGS.hover.enabled,
      verbosity: hover.verbosity === 'brief' || hover.verbosity === 'full' ? hover.verbosity : DEFAULT_SETTINGS.hover.verbosity,
    },
    patterns: {
      muted: Array.isArray(patterns.muted) ? patterns.muted.filter((id): id is string => typeof id === 'string') : [],
    },
    rules: normalizeRuleLevels(section.rules),
    typeAware: {
      enabled: typeof typeAware.enabled === 'boolean' ? typeAware.enabled : DEFAULT_SETTINGS.typeAware.enabled,
    },
    refactors: {
      decoratorsModule: typeof refactors.decoratorsModule === 'string' && refactors.decoratorsModule.trim() !== '' ? refactors.decoratorsModule.trim() : undefined,
    },
  };
}

/** `{ "<id>": "off" | "hint" | "info" | "warning" | "error" }`, keeping only well-formed entries. */
export function normalizeRuleLevels(raw: unknown): Record<string, RuleLevel> {
  const levels: Record<string, RuleLevel> = {};
  for (const [id, level] of Object.entries(asRecord(raw))) {
    if (RULE_LEVELS.includes(level as RuleLevel)) levels[id] = level as RuleLevel;
  }
  return levels;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
