/**
 * The messages between the cheat-sheet page (media/cheatsheet.js) and the extension host, the
 * catalog data the page shows, and their validators. Everything that crosses the webview boundary
 * is checked on arrival: a message that does not have exactly the expected shape is dropped.
 *
 * No `vscode` import here, so the tests can load it directly.
 */

/** Catalog ids, category and kind names: lowercase words joined by single dashes. */
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const LIMITS = {
  id: 80,
  /** A title, a file label, a snippet prefix or description. */
  short: 300,
  /** One prose field (summary, what, when, ...). */
  prose: 4_000,
  /** A TypeScript or Python example. */
  code: 20_000,
  url: 2_048,
  links: 20,
  snippets: 20,
  snippetLines: 200,
  snippetLine: 1_000,
  entries: 2_000,
  /** Pattern occurrences listed for one file. */
  occurrences: 5_000,
} as const;

// ---------------------------------------------------------------------------------------------
// Catalog data as the page receives it

export interface SheetLink {
  readonly title: string;
  readonly url: string;
}

export interface SheetSnippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: readonly string[];
}

export interface SheetPython {
  readonly name: string;
  readonly example: string;
  readonly note: string;
}

/** What a gotcha entry adds: the rule behind it. */
export interface SheetRule {
  /** `error`, `warning`, `info` or `hint`. */
  readonly defaultSeverity: string;
  readonly incorrect: readonly string[];
  readonly correct: readonly string[];
  readonly fixes: readonly { readonly title: string; readonly safe: boolean }[];
  readonly requiresTypes: boolean;
}

/**
 * One catalog entry (pattern or gotcha). `kind` and `category` are open sets so new kinds of entry
 * need no change here; the prose fields other than title and summary are optional for the same reason.
 */
export interface SheetEntry {
  readonly id: string;
  readonly kind: string;
  readonly category: string;
  readonly title: string;
  readonly summary: string;
  readonly what?: string;
  readonly when?: string;
  readonly whenNot?: string;
  readonly pitfall?: string;
  readonly example?: string;
  readonly python?: SheetPython;
  readonly links: readonly SheetLink[];
  readonly snippets: readonly SheetSnippet[];
  /** Gotchas: the rule's severity, examples and fixes. */
  readonly rule?: SheetRule;
}

export interface ParsedCatalog {
  readonly entries: SheetEntry[];
  /** One line per entry that was left out, and why. */
  readonly problems: string[];
}

const PROSE_FIELDS = ['what', 'when', 'whenNot', 'pitfall'] as const;

/** Validates `media/catalog.json` (already JSON-parsed). Malformed entries are left out and reported. */
export function parseCatalog(raw: unknown): ParsedCatalog {
  const entries: SheetEntry[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { entries, problems: ['the catalog is not an array'] };
  const seen = new Set<string>();
  raw.slice(0, LIMITS.entries).forEach((item, index) => {
    try {
      const entry = parseEntry(item, problems);
      if (seen.has(entry.id)) throw new Invalid(`duplicate id "${entry.id}"`);
      seen.add(entry.id);
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      problems.push(`entry ${index}: ${error.message}`);
    }
  });
  if (raw.length > LIMITS.entries) problems.push(`only the first ${LIMITS.entries} entries are shown`);
  return { entries, problems };
}

class Invalid extends Error {}

function parseEntry(item: unknown, problems: string[]): SheetEntry {
  if (!isRecord(item)) throw new Invalid('not an object');
  const id = need(item, 'id', (v) => idString(v));
  const where = `"${id}"`;
  const field = <T>(key: string, check: (v: unknown) => T | undefined): T => need(item, key, check, where);
  const optional = <T>(key: string, check: (v: unknown) => T | undefined): T | undefined =>
    item[key] === undefined ? undefined : field(key, check);
  const entry: {
    -readonly [K in keyof SheetEntry]: SheetEntry[K];
  } = {
    id,
    kind: field('kind', idString),
    category: field('category', idString),
    title: field('title', (v) => text(v, LIMITS.short)),
    summary: field('summary', (v) => text(v, LIMITS.prose)),
    links: optional('links', (v) => parseLinks(v, (url) => problems.push(`${where}: dropped link ${JSON.stringify(url)} (https only)`))) ?? [],
    snippets: optional('snippets', (v) => list(v, LIMITS.snippets, parseSnippet)) ?? [],
  };
  for (const key of PROSE_FIELDS) {
    const value = optional(key, (v) => text(v, LIMITS.prose));
    if (value) entry[key] = value;
  }
  const example = optional('example', (v) => text(v, LIMITS.code));
  if (example) entry.example = example;
  const python = optional('python', parsePython);
  if (python) entry.python = python;
  const rule = optional('rule', parseRule);
  if (rule) entry.rule = rule;
  return entry;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

function parseRule(value: unknown): SheetRule | undefined {
  if (!isRecord(value)) return undefined;
  const defaultSeverity = typeof value.defaultSeverity === 'string' && SEVERITIES.has(value.defaultSeverity) ? value.defaultSeverity : undefined;
  const code = (v: unknown) => text(v, LIMITS.code);
  const incorrect = list(value.incorrect, LIMITS.snippets, code);
  const correct = list(value.correct, LIMITS.snippets, code);
  const fixes = list(value.fixes, LIMITS.snippets, (fix) => {
    if (!isRecord(fix) || typeof fix.safe !== 'boolean') return undefined;
    const title = text(fix.title, LIMITS.short);
    return title ? { title, safe: fix.safe } : undefined;
  });
  const requiresTypes = value.requiresTypes === undefined ? false : value.requiresTypes;
  if (!defaultSeverity || !incorrect || !correct || !fixes || typeof requiresTypes !== 'boolean') return undefined;
  return { defaultSeverity, incorrect, correct, fixes, requiresTypes };
}

function parsePython(value: unknown): SheetPython | undefined {
  if (!isRecord(value)) return undefined;
  const name = text(value.name, LIMITS.short);
  const example = text(value.example, LIMITS.code);
  const note = text(value.note, LIMITS.prose);
  if (name === undefined || example === undefined || note === undefined) return undefined;
  return { name, example, note };
}

/** Links: the list must be well formed, but a link whose URL is not https is dropped (and reported), not the entry. */
function parseLinks(value: unknown, dropped: (url: unknown) => void): SheetLink[] | undefined {
  const links = list(value, LIMITS.links, (link) =>
    isRecord(link) && text(link.title, LIMITS.short) && typeof link.url === 'string' ? link : undefined,
  );
  if (!links) return undefined;
  const valid: SheetLink[] = [];
  for (const link of links) {
    const url = httpsUrl(link.url);
    if (url) valid.push({ title: link.title as string, url });
    else dropped(link.url);
  }
  return valid;
}

function parseSnippet(value: unknown): SheetSnippet | undefined {
  if (!isRecord(value)) return undefined;
  const prefix = text(value.prefix, LIMITS.short);
  const description = text(value.description, LIMITS.short) ?? '';
  const body = list(value.body, LIMITS.snippetLines, (line) =>
    typeof line === 'string' && line.length <= LIMITS.snippetLine ? line : undefined,
  );
  if (!prefix || !body || body.length === 0) return undefined;
  return { prefix, description, body };
}

function need<T>(record: Record<string, unknown>, key: string, check: (v: unknown) => T | undefined, where = ''): T {
  const value = check(record[key]);
  if (value === undefined) throw new Invalid(`${where ? `${where}: ` : ''}missing or invalid "${key}"`);
  return value;
}

/**
 * A markdown link target the page may render as a link: an absolute `https:` URL without
 * credentials or whitespace. Anything else is shown as plain text and never opened.
 */
export function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > LIMITS.url || /[\s<>"'`\\]/.test(value)) return undefined;
  if (!value.startsWith('https://')) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return undefined;
  } catch {
    return undefined;
  }
  return value;
}

/** `[text](url)` links in a prose string, as the page's markdown renderer finds them. */
export const MARKDOWN_LINK = /\[([^\]\n]+)\]\(([^()\s]+)\)/g;

// ---------------------------------------------------------------------------------------------
// What the extension knows about the catalog it posted

export interface CatalogIndex {
  readonly entries: ReadonlyMap<string, SheetEntry>;
  /** Every URL the page may ask to open: the entries' links and https links inside their prose. */
  readonly urls: ReadonlySet<string>;
}

export function indexCatalog(entries: readonly SheetEntry[]): CatalogIndex {
  const urls = new Set<string>();
  for (const entry of entries) {
    for (const link of entry.links) urls.add(link.url);
    const prose = [entry.summary, ...PROSE_FIELDS.map((key) => entry[key]), entry.python?.name, entry.python?.note];
    for (const text of prose) {
      for (const match of (text ?? '').matchAll(MARKDOWN_LINK)) {
        const url = httpsUrl(match[2]);
        if (url) urls.add(url);
      }
    }
  }
  return { entries: new Map(entries.map((entry) => [entry.id, entry])), urls };
}

export const EMPTY_INDEX: CatalogIndex = indexCatalog([]);

// ---------------------------------------------------------------------------------------------
// Page -> extension

export type PageMessage =
  /** The page has loaded (first load, reload after being hidden, or window reload): send it everything. */
  | { readonly type: 'ready' }
  /** Insert snippet `prefix` of entry `id` into the last active text editor. */
  | { readonly type: 'insertSnippet'; readonly id: string; readonly prefix: string }
  /** Open one of the catalog's https links in the browser. */
  | { readonly type: 'openLink'; readonly url: string }
  /** Reveal and select occurrence `index` of the "patterns in this file" list number `seq`. */
  | { readonly type: 'jumpToPattern'; readonly seq: number; readonly index: number };

/**
 * Validates a message from the page against the catalog the extension posted. Returns undefined
 * for anything that is not exactly one of the `PageMessage` shapes, names an id, snippet or URL
 * the catalog does not have, or carries extra properties.
 */
export function parsePageMessage(raw: unknown, catalog: CatalogIndex): PageMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return hasExactly(raw, ['type']) ? { type: 'ready' } : undefined;
    case 'insertSnippet': {
      if (!hasExactly(raw, ['type', 'id', 'prefix'])) return undefined;
      const id = idString(raw.id);
      const prefix = text(raw.prefix, LIMITS.short);
      if (!id || !prefix) return undefined;
      const entry = catalog.entries.get(id);
      if (!entry?.snippets.some((snippet) => snippet.prefix === prefix)) return undefined;
      return { type: 'insertSnippet', id, prefix };
    }
    case 'openLink': {
      if (!hasExactly(raw, ['type', 'url'])) return undefined;
      const url = httpsUrl(raw.url);
      return url && catalog.urls.has(url) ? { type: 'openLink', url } : undefined;
    }
    case 'jumpToPattern': {
      if (!hasExactly(raw, ['type', 'seq', 'index'])) return undefined;
      const seq = count(raw.seq, Number.MAX_SAFE_INTEGER);
      const index = count(raw.index, LIMITS.occurrences - 1);
      return seq === undefined || index === undefined ? undefined : { type: 'jumpToPattern', seq, index };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Extension -> page

export interface PatternItem {
  readonly id: string;
  /** Zero-based, as LSP and VS Code count; the page shows `line + 1`. */
  readonly line: number;
  readonly character: number;
}

export type PatternsState =
  /** `items` lists the file's patterns (possibly none). */
  | 'ok'
  /** No TypeScript or JavaScript editor is open. */
  | 'noEditor'
  /** The language server did not answer (not started, crashed, or failed). */
  | 'unavailable';

export type ExtensionMessage =
  | { readonly type: 'catalog'; readonly entries: readonly SheetEntry[]; readonly problem?: string }
  | { readonly type: 'showEntry'; readonly id: string }
  | {
      readonly type: 'patterns';
      readonly seq: number;
      readonly state: PatternsState;
      /** A label for the file (workspace-relative path), never its contents. */
      readonly file?: string;
      readonly items: readonly PatternItem[];
    };

/**
 * Validates a message from the extension as the page does (media/cheatsheet.js mirrors these
 * checks). The extension runs its own messages through it before posting, so a bug cannot send
 * the page something it would drop silently.
 */
export function parseExtensionMessage(raw: unknown): ExtensionMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'catalog': {
      if (!hasOnly(raw, ['type', 'entries', 'problem'])) return undefined;
      const { entries, problems } = parseCatalog(raw.entries);
      if (problems.length > 0) return undefined;
      if (raw.problem === undefined) return { type: 'catalog', entries };
      const problem = text(raw.problem, LIMITS.prose);
      return problem ? { type: 'catalog', entries, problem } : undefined;
    }
    case 'showEntry': {
      const id = idString(raw.id);
      return hasExactly(raw, ['type', 'id']) && id ? { type: 'showEntry', id } : undefined;
    }
    case 'patterns': {
      if (!hasOnly(raw, ['type', 'seq', 'state', 'file', 'items'])) return undefined;
      const seq = count(raw.seq, Number.MAX_SAFE_INTEGER);
      const state = raw.state === 'ok' || raw.state === 'noEditor' || raw.state === 'unavailable' ? raw.state : undefined;
      const file = raw.file === undefined ? '' : text(raw.file, LIMITS.short);
      const items = list(raw.items, LIMITS.occurrences, parsePatternItem);
      if (seq === undefined || !state || file === undefined || !items) return undefined;
      return file ? { type: 'patterns', seq, state, file, items } : { type: 'patterns', seq, state, items };
    }
    default:
      return undefined;
  }
}

function parsePatternItem(value: unknown): PatternItem | undefined {
  if (!isRecord(value) || !hasExactly(value, ['id', 'line', 'character'])) return undefined;
  const id = idString(value.id);
  const line = count(value.line, 10_000_000);
  const character = count(value.character, 10_000_000);
  return id && line !== undefined && character !== undefined ? { id, line, character } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Server -> extension: the `patternLens/patterns` answer

export interface LspPosition {
  readonly line: number;
  readonly character: number;
}

export interface Occurrence {
  readonly id: string;
  readonly start: LspPosition;
  readonly end: LspPosition;
}

/** Validates the language server's answer to `patternLens/patterns`; malformed items are dropped. */
export function parseOccurrences(raw: unknown): Occurrence[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const occurrences: Occurrence[] = [];
  for (const item of raw.slice(0, LIMITS.occurrences)) {
    if (!isRecord(item) || !isRecord(item.range)) continue;
    const id = idString(item.id);
    const start = position(item.range.start);
    const end = position(item.range.end);
    if (id && start && end) occurrences.push({ id, start, end });
  }
  return occurrences;
}

function position(value: unknown): LspPosition | undefined {
  if (!isRecord(value)) return undefined;
  const line = count(value.line, 10_000_000);
  const character = count(value.character, 10_000_000);
  return line === undefined || character === undefined ? undefined : { line, character };
}

// ---------------------------------------------------------------------------------------------
// The page's saved state (acquireVsCodeApi().setState), as the serializer receives it

export interface PageState {
  readonly search: string;
  readonly category: string;
  readonly kind: string;
  readonly selectedId?: string;
  readonly scrollY: number;
}

export function parsePageState(raw: unknown): PageState | undefined {
  if (!isRecord(raw)) return undefined;
  const search = raw.search === undefined ? '' : text(raw.search, LIMITS.short, true);
  const category = raw.category === undefined || raw.category === '' ? '' : idString(raw.category);
  const kind = raw.kind === undefined || raw.kind === '' ? '' : idString(raw.kind);
  const selectedId = raw.selectedId === undefined ? undefined : idString(raw.selectedId);
  const scrollY = raw.scrollY === undefined ? 0 : count(raw.scrollY, 100_000_000);
  if (search === undefined || category === undefined || kind === undefined || scrollY === undefined) return undefined;
  if (raw.selectedId !== undefined && selectedId === undefined) return undefined;
  return selectedId ? { search, category, kind, selectedId, scrollY } : { search, category, kind, scrollY };
}

/** The optional argument of `patternLens.openCheatSheet`: a catalog id, or nothing. */
export function parseOpenArgument(raw: unknown): string | undefined {
  return idString(raw);
}

// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasExactly(record: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(record);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(record, key));
}

function hasOnly(record: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(record).every((key) => keys.includes(key));
}

function idString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= LIMITS.id && ID_PATTERN.test(value) ? value : undefined;
}

/** A string of at most `max` characters; empty only when `allowEmpty`. */
function text(value: unknown, max: number, allowEmpty = false): string | undefined {
  if (typeof value !== 'string' || value.length > max || (!allowEmpty && value.trim() === '')) return undefined;
  return value;
}

function count(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max ? value : undefined;
}

function list<T>(value: unknown, max: number, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined;
  const items: T[] = [];
  for (const element of value) {
    const parsed = item(element);
    if (parsed === undefined) return undefined;
    items.push(parsed);
  }
  return items;
}
