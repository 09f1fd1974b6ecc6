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
  /** Files larger than this (UTF-8 bytes, in KB) are skipped with one message. */
  readonly maxFileSizeKB: number;
}

/**
 * 2 MB: on this project's reference machine (2 cores) a 2 MB file takes about 0.3 s to analyse the first time
 * and under 0.1 s after each edit; at 5 MB each keystroke costs over 0.25 s, and every hover waits behind it.
 * Hand-written sources are far smaller; what goes over is mostly bundles and generated code.
 */
export const DEFAULT_MAX_FILE_SIZE_KB = 2048;

export const DEFAULT_SETTINGS: Settings = {
  hover: { enabled: true, verbosity: 'full' },
  patterns: { muted: [] },
  rules: {},
  typeAware: { enabled: true },
  refactors: { decoratorsModule: undefined },
  maxFileSizeKB: DEFAULT_MAX_FILE_SIZE_KB,
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
    maxFileSizeKB: isPositive(section.maxFileSizeKB) ? section.maxFileSizeKB : DEFAULT_MAX_FILE_SIZE_KB,
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

/** Why a file of `bytes` bytes is not analysed under a limit of `maxKB` KB, or undefined when it is within it. */
export function fileTooLarge(bytes: number, maxKB: number): string | undefined {
  if (bytes <= maxKB * 1024) return undefined;
  return `it is ${Math.ceil(bytes / 1024).toLocaleString('en')} KB, over the limit of ${maxKB.toLocaleString('en')} KB`;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
