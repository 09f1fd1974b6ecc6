import { PATTERNS } from './patterns';
import type { Category, DocLink, Prose, PythonCounterpart, Severity, SnippetDefinition } from './patterns/types';
import { RULES } from './rules';

/**
 * One catalog entry as the cheat sheet, the generated docs and the README show it: the prose of a
 * pattern or rule file without its detector. Plain data, written to `media/catalog.json` at build time.
 */
export interface CatalogEntry extends Prose {
  readonly id: string;
  readonly kind: 'pattern' | 'gotcha';
  readonly category: Category;
  readonly python: PythonCounterpart;
  /** A pattern's example; for a gotcha, its first incorrect example. */
  readonly example: string;
  readonly links: readonly DocLink[];
  readonly snippets: readonly SnippetDefinition[];
  /** Gotchas only. */
  readonly rule?: {
    readonly defaultSeverity: Severity;
    readonly incorrect: readonly string[];
    readonly correct: readonly string[];
    readonly fixes: readonly { readonly title: string; readonly safe: boolean }[];
    readonly requiresTypes: boolean;
  };
}

export function catalogEntries(): CatalogEntry[] {
  const patterns = PATTERNS.map(
    (pattern): CatalogEntry => ({
      id: pattern.id,
      kind: pattern.kind,
      category: pattern.category,
      ...pattern.prose,
      python: pattern.python,
      example: pattern.example,
      links: pattern.links,
      snippets: pattern.snippets ?? [],
    }),
  );
  const gotchas = RULES.map(
    (rule): CatalogEntry => ({
      id: rule.id,
      kind: rule.kind,
      category: rule.category,
      ...rule.prose,
      python: rule.python,
      example: rule.examples.incorrect[0]!,
      links: rule.links,
      snippets: [],
      rule: {
        defaultSeverity: rule.defaultSeverity,
        incorrect: rule.examples.incorrect,
        correct: rule.examples.correct,
        fixes: (rule.fixes ?? []).map(({ title, safe }) => ({ title, safe })),
        requiresTypes: rule.requiresTypes === true,
      },
    }),
  );
  return [...patterns, ...gotchas];
}
