import { PATTERNS } from './patterns';
import type { Category, DocLink, Prose, PythonCounterpart, SnippetDefinition } from './patterns/types';

/**
 * One catalog entry as the cheat sheet, the generated docs and the README show it: the prose of a
 * pattern file without its detector. Plain data, written to `media/catalog.json` at build time.
 */
export interface CatalogEntry extends Prose {
  readonly id: string;
  readonly kind: 'pattern';
  readonly category: Category;
  readonly python: PythonCounterpart;
  readonly example: string;
  readonly links: readonly DocLink[];
  readonly snippets: readonly SnippetDefinition[];
}

export function catalogEntries(): CatalogEntry[] {
  return PATTERNS.map((pattern) => ({
    id: pattern.id,
    kind: pattern.kind,
    category: pattern.category,
    ...pattern.prose,
    python: pattern.python,
    example: pattern.example,
    links: pattern.links,
    snippets: pattern.snippets ?? [],
  }));
}
