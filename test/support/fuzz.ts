/**
 * The fuzz suite's inputs and checks, shared by the CI-sized tests (test/fuzz-engine.test.ts,
 * test/fuzz-server.test.ts) and the long mode (`npm run fuzz`, scripts/fuzz.ts).
 *
 * An input is a seed file (examples/, test/fixtures/, and the real-world corpus in the long mode)
 * with a few mutations applied as the edits an editor would send: truncation at a token boundary,
 * a token deleted or duplicated, random bytes, unbalanced brackets, astral and combining characters,
 * other line endings, a byte order mark. Tokens come from the TypeScript scanner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import type { Position, Range } from 'vscode-languageserver-types';
import { languageOfFile } from '../../server/src/service/documents';

export const ROOT = path.join(__dirname, '..', '..');

const EXTENSIONS: Readonly<Record<string, string>> = { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' };

/**
 * Where fuzzed documents claim to live: beside the example project (they are never written there), so
 * that the project facts find its TypeScript and tsconfig, and the refactors are offered, not disabled.
 */
export function fuzzUri(name: string, languageId: string): string {
  return pathToFileURL(path.join(ROOT, 'examples', 'fuzz', `${name}${EXTENSIONS[languageId]}`)).href;
}

/** Fixed, so a CI failure replays anywhere; the long mode takes another with --seed. */
export const FUZZ_SEED = 20261122;

/** Every request must be answered (or cancelled) within this; generous for a 2-core machine under load. */
export const ANSWER_BOUND_MS = 5_000;

export interface Seed {
  readonly name: string;
  readonly languageId: string;
  readonly text: string;
}

/** The repository's own sources to mutate: examples/ and every fixture (no network needed). */
export function repositorySeeds(): Seed[] {
  const files = [path.join(ROOT, 'examples', 'src'), path.join(ROOT, 'test', 'fixtures')].flatMap((dir) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
  return seedsOf(files.sort());
}

export function seedsOf(files: readonly string[]): Seed[] {
  return files.flatMap((file) => {
    const languageId = languageOfFile(file);
    return languageId ? [{ name: path.relative(ROOT, file), languageId, text: fs.readFileSync(file, 'utf8') }] : [];
  });
}

// ── Mutations ─────────────────────────────────────────────────────────────────────────────────────

export type Mutation =
  | { readonly kind: 'truncate' | 'delete-token' | 'duplicate-token'; readonly at: number }
  /** Inserted before the token `at`: random bytes, brackets, astral or combining characters. */
  | { readonly kind: 'insert'; readonly at: number; readonly text: string; readonly what: string }
  | { readonly kind: 'line-endings'; readonly eol: '\r\n' | '\r' }
  | { readonly kind: 'bom' };

/** A replacement of `text.slice(start, end)`, as one LSP content change. */
export interface Step {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface FuzzInput {
  /** Index into the seed list (kept small so a failing input prints in a line). */
  readonly seed: number;
  /** Another language than the seed's now and then: TypeScript read as TSX, and so on. */
  readonly languageId: string | undefined;
  readonly mutations: readonly Mutation[];
  /** Where to ask for hovers and code actions: offsets modulo the text's length (plus a few outside it). */
  readonly queries: readonly number[];
  /** Cancel the first analysis after this many checks of its token. */
  readonly cancelAfter: number | undefined;
  /** Also run the type-aware phase (costly: one input in `typeAwareEvery`). */
  readonly typeAware: boolean;
  /** Which statement gets astral and combining characters before it, for the UTF-16 check. */
  readonly shiftAt: number;
}

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

/** Astral (surrogate pairs) and combining characters: a position counted in code points would be off. */
export const WIDE = ['😀', '𝒳', 'é', 'é', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '가', '\u{10FFFF}', '\u{20000}'];

const insertion: fc.Arbitrary<{ text: string; what: string }> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ text: Buffer.from(bytes).toString('latin1'), what: 'random bytes' })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ text: Buffer.from(bytes).toString('utf8'), what: 'random bytes as UTF-8' })),
  // Any UTF-16 code units, lone surrogates included.
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 16 }).map((units) => ({ text: String.fromCharCode(...units), what: 'random code units' })),
  fc.array(fc.constantFrom(...'(){}[]<>`\'"/'.split(''), '${', '*/', '/*', '</', '/>'), { minLength: 1, maxLength: 24 }).map((parts) => ({ text: parts.join(''), what: 'unbalanced brackets' })),
  fc.array(fc.constantFrom(...WIDE, ' ', 'x', '\n', '\r\n', '\r'), { minLength: 1, maxLength: 8 }).map((parts) => ({ text: parts.join(''), what: 'astral and combining characters' })),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((at): Mutation => ({ kind: 'truncate', at })) },
  { weight: 4, arbitrary: fc.nat().map((at): Mutation => ({ kind: 'delete-token', at })) },
  { weight: 3, arbitrary: fc.nat().map((at): Mutation => ({ kind: 'duplicate-token', at })) },
  { weight: 5, arbitrary: fc.tuple(fc.nat(), insertion).map(([at, { text, what }]): Mutation => ({ kind: 'insert', at, text, what })) },
  { weight: 1, arbitrary: fc.constantFrom<Mutation>({ kind: 'line-endings', eol: '\r\n' }, { kind: 'line-endings', eol: '\r' }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'bom' }) },
);

export function fuzzInput(seedCount: number, { typeAwareEvery = 4 } = {}): fc.Arbitrary<FuzzInput> {
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    languageId: fc.option(fc.constantFrom(...LANGUAGES), { freq: 8, nil: undefined }),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    queries: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    cancelAfter: fc.option(fc.nat({ max: 200 }), { freq: 3, nil: undefined }),
    typeAware: fc.nat({ max: typeAwareEvery - 1 }).map((n) => n === 0),
    shiftAt: fc.nat(),
  });
}

/** `[start, end]` of each token the TypeScript scanner finds (at most `limit`). */
export function tokens(text: string, languageId: string, limit = 200_000): [number, number][] {
  const jsx = languageId.endsWith('react');
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const found: [number, number][] = [];
  while (found.length < limit && scanner.scan() !== ts.SyntaxKind.EndOfFileToken) found.push([scanner.getTokenStart(), scanner.getTokenEnd()]);
  return found;
}

/** The edits that turn `text` into the mutated text, each relative to the text left by the ones before. */
export function stepsOf(text: string, languageId: string, mutations: readonly Mutation[]): { steps: Step[]; text: string } {
  const steps: Step[] = [];
  for (const m of mutations) {
    const step = stepOf(text, languageId, m);
    steps.push(step);
    text = text.slice(0, step.start) + step.text + text.slice(step.end);
  }
  return { steps, text };
}

function stepOf(text: string, languageId: string, m: Mutation): Step {
  if (m.kind === 'line-endings') return { start: 0, end: text.length, text: text.replace(/\r\n|\r|\n/g, m.eol) };
  if (m.kind === 'bom') return { start: 0, end: 0, text: '\uFEFF' };
  const found = tokens(text, languageId);
  if (found.length === 0) return m.kind === 'insert' ? { start: 0, end: 0, text: m.text } : { start: 0, end: text.length, text: '' };
  const [start, end] = found[m.at % found.length]!;
  switch (m.kind) {
    case 'truncate':
      return { start: end, end: text.length, text: '' };
    case 'delete-token':
      return { start, end, text: '' };
    case 'duplicate-token':
      return { start: end, end, text: text.slice(start, end) };
    case 'insert':
      return { start, end: start, text: m.text };
  }
}

export function describeInput(input: FuzzInput, seeds: readonly Seed[]): string {
  const seed = seeds[input.seed]!;
  const mutations = input.mutations.map((m) =>
    m.kind === 'insert' ? `${m.what} ${JSON.stringify(m.text)} at token ${m.at}` : m.kind === 'line-endings' ? `line endings ${JSON.stringify(m.eol)}` : 'at' in m ? `${m.kind} ${m.at}` : m.kind,
  );
  return `${seed.name}${input.languageId && input.languageId !== seed.languageId ? ` as ${input.languageId}` : ''}${mutations.length > 0 ? ` [${mutations.join(', ')}]` : ''}`;
}

// ── Inputs no mutation reaches ────────────────────────────────────────────────────────────────────

export interface SpecialInput {
  readonly name: string;
  readonly languageId: string;
  readonly text: string;
}

/** Deep nesting, a 5 MB file, a binary file, line endings, a BOM, astral characters everywhere. */
export function specialInputs(seeds: readonly Seed[]): SpecialInput[] {
  const DEPTH = 10_000;
  const nest = (open: string, inner: string, close: string) => open.repeat(DEPTH) + inner + close.repeat(DEPTH);
  const sample = seeds.find((s) => s.name.endsWith(path.join('examples', 'src', 'decorators.ts')))?.text ?? seeds[0]!.text;
  return [
    { name: '10k nested parentheses', languageId: 'typescript', text: `export const x = ${nest('(', '1', ')')};\n` },
    { name: '10k nested blocks', languageId: 'typescript', text: `function f() ${nest('{', 'return 1;', '}')}\n` },
    { name: '10k nested JSX elements', languageId: 'typescriptreact', text: `export const x = ${nest('<a>', 'x', '</a>')};\n` },
    { name: '10k nested arrays', languageId: 'javascript', text: `const x = ${nest('[', '', ']')};\n` },
    { name: '10k nested template literals', languageId: 'typescript', text: `const x = ${nest('`${', '1', '}`')};\n` },
    { name: '10k nested arrow functions', languageId: 'typescript', text: `const f = ${'(a) => '.repeat(DEPTH)}1;\n` },
    { name: '10k nested ifs', languageId: 'javascript', text: `${'if (a) '.repeat(DEPTH)}b();\n` },
    { name: '10k unclosed parentheses', languageId: 'typescript', text: `f${'('.repeat(DEPTH)}\n` },
    { name: '100k chained members', languageId: 'typescript', text: `a${'.b'.repeat(100_000)};\n` },
    { name: '100k additions', languageId: 'typescript', text: `const x = ${'1 + '.repeat(100_000)}1;\n` },
    { name: 'a 5 MB generated file', languageId: 'typescript', text: generated(5 * 1024 * 1024) },
    { name: 'a binary file (PNG) read as Latin-1', languageId: 'typescript', text: fs.readFileSync(path.join(ROOT, 'docs', 'images', 'hover.png')).toString('latin1') },
    { name: 'a binary file (PNG) read as UTF-8', languageId: 'javascript', text: fs.readFileSync(path.join(ROOT, 'docs', 'images', 'hover.png')).toString('utf8') },
    { name: 'CRLF line endings', languageId: 'typescript', text: sample.replace(/\n/g, '\r\n') },
    { name: 'lone CR line endings', languageId: 'typescript', text: sample.replace(/\n/g, '\r') },
    { name: 'mixed line endings', languageId: 'typescript', text: sample.split('\n').map((line, i) => line + ['\n', '\r\n', '\r'][i % 3]).join('') },
    { name: 'a byte order mark', languageId: 'typescript', text: `\uFEFF${sample}` },
    { name: 'astral and combining characters before every line', languageId: 'typescript', text: sample.split('\n').map((line, i) => `/*${WIDE[i % WIDE.length]}*/${line}`).join('\n') },
    { name: 'an empty file', languageId: 'typescript', text: '' },
    { name: 'only line breaks', languageId: 'typescript', text: '\r\n\r\r\n\n'.repeat(1000) },
    { name: 'a lone surrogate in an identifier', languageId: 'typescript', text: 'const a\uD800b = 1;\nclass C { @d m() {} }\n' },
  ];
}

/** Code as generators write it (models, guards, enums, a table), with a decorator and a `==` now and then. */
export function generated(bytes: number): string {
  const parts: string[] = ['// Generated file. Do not edit.\n'];
  for (let i = 0, size = 0; size < bytes; i++) {
    const part =
      `export interface Model${i} {\n  readonly id: number;\n  readonly name: string;\n  readonly tags: readonly string[];\n  readonly parent?: Model${Math.max(0, i - 1)};\n}\n` +
      `export const model${i}: Model${i} = { id: ${i}, name: 'model ${i}', tags: ['a', 'b'] };\n` +
      `export function isModel${i}(value: unknown): value is Model${i} {\n  return typeof value === 'object' && value !== null && 'id' in value;\n}\n` +
      `export enum Kind${i} { A = ${i}, B, C }\n` +
      (i % 100 === 0 ? `export class Service${i} {\n  @logged\n  run(a: unknown, b: unknown) {\n    return a == b;\n  }\n}\n` : '');
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

// ── Positions, counted independently of the engine ────────────────────────────────────────────────

/** Offsets where lines start: after `\r\n`, a lone `\r` or `\n`, as LSP counts them. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 13 || c === 10) starts.push(i + 1);
  }
  return starts;
}

/** The length of a line without its line break. */
function lineLength(text: string, starts: readonly number[], line: number): number {
  const start = starts[line]!;
  let end = line + 1 < starts.length ? starts[line + 1]! : text.length;
  if (end > start && text[end - 1] === '\n') end--;
  if (end > start && text[end - 1] === '\r') end--;
  return end - start;
}

/** The LSP position (UTF-16 code units) of an offset. */
export function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

/** The offset of a position, or undefined if the position is not in the text (or inside a line break). */
export function offsetAt(text: string, starts: readonly number[], position: Position): number | undefined {
  const { line, character } = position;
  if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || line >= starts.length || character < 0) return undefined;
  return character <= lineLength(text, starts, line) ? starts[line]! + character : undefined;
}

/** The offset a position stands for when it is outside the text: LSP clamps it to its line's end, or the text's. */
export function clampedOffset(text: string, starts: readonly number[], { line, character }: Position): number {
  if (line < 0) return 0;
  if (line >= starts.length) return text.length;
  return starts[line]! + Math.min(Math.max(character, 0), lineLength(text, starts, line));
}

/** The offsets of a range, or a description of what is wrong with it. */
export function spanOf(text: string, starts: readonly number[], range: Range): { start: number; end: number } | string {
  const start = offsetAt(text, starts, range.start);
  const end = offsetAt(text, starts, range.end);
  if (start === undefined || end === undefined) return `range ${JSON.stringify(range)} is outside the text or inside a line break`;
  if (start > end) return `range ${JSON.stringify(range)} ends before it starts`;
  return { start, end };
}

/** Where the queries of an input ask: offsets in the text, after wide characters, and a few positions outside it. */
export function queryPositions(text: string, starts: readonly number[], queries: readonly number[]): Position[] {
  const positions = queries.map((q) => positionAt(starts, q % (text.length + 1)));
  for (const wide of WIDE) {
    const at = text.indexOf(wide);
    if (at >= 0) positions.push(positionAt(starts, at + wide.length));
  }
  positions.push({ line: starts.length + 2, character: 0 }, { line: 0, character: 1_000_000 });
  return positions;
}

/**
 * LSP text edits applied to a text as an editor applies them (every position refers to the original
 * text), or what is wrong with them: a range outside the text, overlapping edits, a snippet edit.
 */
export function applyTextEdits(text: string, edits: readonly { range: Range; newText?: string }[]): string | string[] {
  const starts = lineStarts(text);
  const spans: { start: number; end: number; newText: string }[] = [];
  const problems: string[] = [];
  for (const { range, newText } of edits) {
    const span = spanOf(text, starts, range);
    if (typeof span === 'string') problems.push(`edit ${span}`);
    else if (typeof newText !== 'string') problems.push('a snippet edit where a plain one was expected');
    else spans.push({ ...span, newText });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) problems.push(`edits overlap at offset ${spans[i]!.start}`);
  }
  if (problems.length > 0) return problems;
  let result = '';
  let at = 0;
  for (const span of spans) {
    result += text.slice(at, span.start) + span.newText;
    at = span.end;
  }
  return result + text.slice(at);
}

/**
 * Statement starts, where `/*<wide>*\/ ` can be inserted without changing the meaning of the code. None
 * in code with syntax errors: the parser may have recovered with a statement inside what a rescan
 * reads as a string or template.
 */
export function statementStarts(text: string, languageId: string): number[] {
  const kind = { typescript: ts.ScriptKind.TS, typescriptreact: ts.ScriptKind.TSX, javascript: ts.ScriptKind.JS, javascriptreact: ts.ScriptKind.JSX }[languageId];
  const sourceFile = ts.createSourceFile('x', text, ts.ScriptTarget.Latest, false, kind);
  if ((sourceFile as ts.SourceFile & { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics.length > 0) return [];
  const starts: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node)) for (const statement of node.statements) starts.push(statement.getStart(sourceFile));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return starts;
}

/** Timings: the slowest request of a run. */
export class Slowest {
  ms = 0;
  what = '';

  note(ms: number, what: () => string): void {
    if (ms > this.ms) {
      this.ms = ms;
      this.what = what();
    }
  }
}
