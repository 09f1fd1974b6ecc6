import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, HoverRequest, type Diagnostic, type Position } from 'vscode-languageserver-protocol/node';
import { PATTERNS_REQUEST, type PatternOccurrence } from '../../server/src/protocol';
import { PatternLensService } from '../../server/src/service';
import { CODE_CACHE_DIR_NAME } from '../../server/src/startup/loadBundle';
import { corpus } from '../corpus';
import { BenchClient, type Published } from './lsp';
import { median, percentile } from './measure';

/** The server's pause before the type-aware phase (server/src/server.ts), taken off its timings. */
const TYPE_AWARE_DELAY_MS = 400;
const TIMEOUT_MS = 180_000;
/** Hovers sent elsewhere before the measured ones, not counted: as many as are measured, so the code is compiled. */
const HOVER_WARM_UP = 1000;

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly count: number;
}

export interface SampleFile {
  readonly path: string;
  readonly lines: number;
  readonly kb: number;
}

export interface EditorResults {
  readonly tenK: SampleFile;
  readonly largest: SampleFile;
  /** With the code cache the first start wrote: the median of 3. */
  readonly coldStartMs: number;
  /** The first start, without a code cache. */
  readonly firstColdStartMs: number;
  readonly hover: Percentiles;
  /** The same hovers answered by the engine in this process: what the server itself spends on one. */
  readonly hoverInProcess: Percentiles;
  /** A hover sent as soon as an edit's diagnostics arrive: it also waits for the patterns' walk of the new version. */
  readonly hoverAfterEdit: Percentiles;
  readonly keystrokeTenK: Percentiles;
  readonly keystrokeLargest: Percentiles;
  /** The first keystroke of each file, before the warm-up: counted in neither row above. */
  readonly firstKeystroke: { readonly tenKMs: number; readonly largestMs: number };
  readonly codeActions: Percentiles;
  readonly typeAware: { readonly file: string; readonly coldMs: number; readonly warmMs: number; readonly rssBeforeMB: number; readonly rssAfterMB: number };
  readonly openFiles: { readonly count: number; readonly lines: number; readonly rssMB: number; readonly peakMB: number };
}

const uriOf = (file: string) => pathToFileURL(file).href;
const linesOf = (text: string) => text.split('\n');
const sampleFile = (file: string, root: string): SampleFile => {
  const text = fs.readFileSync(file, 'utf8');
  return { path: path.relative(root, file), lines: linesOf(text).length, kb: Buffer.byteLength(text) / 1024 };
};

function percentiles(samples: readonly number[]): Percentiles {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), count: samples.length };
}

/** A small seeded generator (mulberry32), so every run hovers and types at the same places. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`bench: no answer for ${what} in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Keystrokes typed first, on other lines, and not counted, as many as are measured: a file's first edits
 * are slow once (its first incremental reparse sets parent pointers on the whole tree, and the code of the
 * reparse, the walk and JSON-RPC is not compiled yet), which the first-keystroke figure reports on its own.
 */
const WARM_UP_PAIRS = 100;

interface Typing {
  /** The first keystroke of the file, before any warm-up. */
  readonly firstMs: number;
  readonly samples: number[];
  /** The document's version after the last keystroke. */
  readonly version: number;
}

/**
 * Keystrokes as an editor sends them (one incremental didChange each): a space typed at the end of a
 * line, then deleted, on lines spread over the file. Each latency runs from sending the change to
 * receiving the diagnostics published for that version.
 */
async function keystrokes(client: BenchClient, uri: string, text: string, pairs: number): Promise<Typing> {
  const lines = linesOf(text);
  let version = 1;
  const typeAndDelete = async (line: number): Promise<number[]> => {
    const end: Position = { line, character: lines[line]!.replace(/\r$/, '').length };
    const latencies: number[] = [];
    for (const change of [
      { range: { start: end, end }, text: ' ' },
      { range: { start: end, end: { line, character: end.character + 1 } }, text: '' },
    ]) {
      version++;
      const sent = performance.now();
      await client.change(uri, version, [change]);
      const published = await within(client.diagnostics(uri, version), `keystroke ${version}`);
      latencies.push(published.at - sent);
    }
    return latencies;
  };
  const spread = (i: number, count: number, shift: number) => Math.floor(((i + shift) * lines.length) / count);
  let firstMs: number | undefined;
  for (let i = 0; i < WARM_UP_PAIRS; i++) firstMs ??= (await typeAndDelete(spread(i, WARM_UP_PAIRS, 0.25)))[0];
  const samples: number[] = [];
  for (let i = 0; i < pairs; i++) samples.push(...(await typeAndDelete(spread(i, pairs, 0.5))));
  return { firstMs: firstMs!, samples, version };
}

export async function editorLatencies(files: readonly string[], root: string, log: (line: string) => void, maxFileSizeKB = 2048): Promise<EditorResults> {
  const sizes = files.map((file) => ({ file, bytes: fs.statSync(file).size }));
  const withLines = sizes.filter(({ bytes }) => bytes <= maxFileSizeKB * 1024).map(({ file, bytes }) => ({ file, bytes, lines: linesOf(fs.readFileSync(file, 'utf8')).length }));
  const tenKFile = withLines.reduce((best, f) => (Math.abs(f.lines - 10_000) < Math.abs(best.lines - 10_000) ? f : best)).file;
  const largestFile = withLines.reduce((best, f) => (f.lines > best.lines ? f : best)).file;
  const tenK = sampleFile(tenKFile, root);
  const largest = sampleFile(largestFile, root);
  const tenKText = fs.readFileSync(tenKFile, 'utf8');
  const tenKUri = uriOf(tenKFile);
  const syntacticOnly = { typeAware: { enabled: false } };

  // Cold start: from spawning the server to the first diagnostics of the 10k-line file. The first start has
  // no code cache, as after an install; it writes the cache the three after it read.
  fs.rmSync(path.join(root, 'dist', CODE_CACHE_DIR_NAME), { recursive: true, force: true });
  const coldStarts: number[] = [];
  for (let i = 0; i < 4; i++) {
    const client = await BenchClient.start(syntacticOnly);
    await client.open(tenKUri, tenKText);
    const published = await within(client.diagnostics(tenKUri, 1), 'cold start');
    coldStarts.push(published.at - client.spawnedAt);
    await client.stop();
  }
  const [firstColdStartMs, ...cachedColdStarts] = coldStarts as [number, ...number[]];
  const coldStartMs = median(cachedColdStarts);
  log(`  cold start to first diagnostics (${tenK.path}): ${coldStartMs.toFixed(0)} ms (the first, before its code cache existed: ${firstColdStartMs.toFixed(0)} ms)`);

  const client = await BenchClient.start(syntacticOnly);
  await client.open(tenKUri, tenKText);
  const first: Published = await within(client.diagnostics(tenKUri, 1), 'first diagnostics');

  // Hovers: on every pattern found (up to 500), and as many places picked at random.
  const patterns = await client.connection.sendRequest<PatternOccurrence[]>(PATTERNS_REQUEST, { uri: tenKUri });
  const lines = linesOf(tenKText);
  const next = random(6);
  const positions: Position[] = patterns.slice(0, 500).map((p) => p.range.start);
  for (let i = 0, count = positions.length; i < Math.max(count, 500); i++) {
    const line = Math.floor(next() * lines.length);
    positions.push({ line, character: Math.floor(next() * (lines[line]!.length + 1)) });
  }
  const hoverAt = (position: Position) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tenKUri }, position });
  // Not counted: hovers elsewhere first, so the figures are of a server whose hover code has been compiled.
  for (let i = 0; i < HOVER_WARM_UP; i++) {
    const line = Math.floor(next() * lines.length);
    await hoverAt({ line, character: Math.floor(next() * (lines[line]!.length + 1)) });
  }
  const hoverSamples: number[] = [];
  for (const position of positions) hoverSamples.push(await timed(() => hoverAt(position)));
  const hover = percentiles(hoverSamples);
  log(`  hover: p50 ${hover.p50.toFixed(2)} ms, p99 ${hover.p99.toFixed(2)} ms (${hover.count})`);

  // Code actions: the lightbulb's request on every diagnostic (up to 100), then at cursor positions.
  const requests: { range: { start: Position; end: Position }; diagnostics: Diagnostic[] }[] = first.params.diagnostics.slice(0, 100).map((d) => ({ range: d.range, diagnostics: [d] }));
  while (requests.length < 200) {
    const line = Math.floor(next() * lines.length);
    const at = { line, character: Math.floor(next() * (lines[line]!.length + 1)) };
    requests.push({ range: { start: at, end: at }, diagnostics: [] });
  }
  const actionSamples: number[] = [];
  for (const { range, diagnostics } of requests) {
    actionSamples.push(await timed(() => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: tenKUri }, range, context: { diagnostics } })));
  }
  const codeActions = percentiles(actionSamples);
  log(`  code actions: p50 ${codeActions.p50.toFixed(2)} ms, p95 ${codeActions.p95.toFixed(2)} ms (${codeActions.count})`);

  const typingTenK = await keystrokes(client, tenKUri, tenKText, 100);
  const keystrokeTenK = percentiles(typingTenK.samples);
  const afterEdit: number[] = [];
  let version = typingTenK.version;
  for (const pattern of patterns.slice(0, 50)) {
    const at = pattern.range.start;
    const lineStart = { line: at.line, character: 0 };
    // A space typed at the start of the pattern's line, then deleted: the hover goes where the pattern is.
    await client.change(tenKUri, ++version, [{ range: { start: lineStart, end: lineStart }, text: ' ' }]);
    await client.change(tenKUri, ++version, [{ range: { start: lineStart, end: { line: at.line, character: 1 } }, text: '' }]);
    await within(client.diagnostics(tenKUri, version), 'diagnostics before a hover');
    afterEdit.push(await timed(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tenKUri }, position: at })));
  }
  const hoverAfterEdit = percentiles(afterEdit);
  log(`  hover right after an edit: p50 ${hoverAfterEdit.p50.toFixed(2)} ms, p95 ${hoverAfterEdit.p95.toFixed(2)} ms`);
  log(`  keystroke to diagnostics, ${tenK.lines} lines: p50 ${keystrokeTenK.p50.toFixed(1)} ms, p95 ${keystrokeTenK.p95.toFixed(1)} ms`);
  const largestText = fs.readFileSync(largestFile, 'utf8');
  await client.open(uriOf(largestFile), largestText);
  await within(client.diagnostics(uriOf(largestFile), 1), 'largest file');
  const typingLargest = await keystrokes(client, uriOf(largestFile), largestText, 100);
  const keystrokeLargest = percentiles(typingLargest.samples);
  log(`  keystroke to diagnostics, ${largest.lines} lines: p50 ${keystrokeLargest.p50.toFixed(1)} ms, p95 ${keystrokeLargest.p95.toFixed(1)} ms`);
  await client.stop();

  // After the server's figures, so the engine's tree in this process is not the bench client's to collect meanwhile.
  const hoverInProcess = percentiles(hoversInProcess(tenKUri, tenKText, positions));
  log(`  hover in process: p50 ${hoverInProcess.p50.toFixed(3)} ms, p99 ${hoverInProcess.p99.toFixed(3)} ms`);

  // Memory: 200 corpus files, spread over the corpus, open at once (syntactic phase).
  const spread = withLines.filter((_, i) => i % Math.floor(withLines.length / 200) === 0).slice(0, 200);
  const memoryClient = await BenchClient.start(syntacticOnly);
  for (const { file } of spread) await memoryClient.open(uriOf(file), fs.readFileSync(file, 'utf8'));
  for (const { file } of spread) await within(memoryClient.diagnostics(uriOf(file), 1), `open ${file}`);
  const openFiles = { count: spread.length, lines: spread.reduce((n, f) => n + f.lines, 0), ...memoryClient.memory() };
  log(`  ${openFiles.count} files open (${openFiles.lines} lines): ${openFiles.rssMB.toFixed(0)} MB RSS (peak ${openFiles.peakMB.toFixed(0)} MB)`);
  await memoryClient.stop();

  const typeAware = await typeAwarePhase(files, root);
  log(`  type-aware phase (${typeAware.file}): first ${typeAware.coldMs.toFixed(0)} ms, after an edit ${typeAware.warmMs.toFixed(0)} ms, RSS ${typeAware.rssBeforeMB.toFixed(0)} -> ${typeAware.rssAfterMB.toFixed(0)} MB`);

  const firstKeystroke = { tenKMs: typingTenK.firstMs, largestMs: typingLargest.firstMs };
  log(`  first keystroke of a file: ${firstKeystroke.tenKMs.toFixed(1)} ms (${tenK.lines} lines), ${firstKeystroke.largestMs.toFixed(1)} ms (${largest.lines} lines)`);
  return { tenK, largest, coldStartMs, firstColdStartMs, hover, hoverInProcess, hoverAfterEdit, keystrokeTenK, keystrokeLargest, firstKeystroke, codeActions, typeAware, openFiles };
}

/** The same hovers answered by the engine in this process, twice: the second pass's latencies. */
function hoversInProcess(uri: string, text: string, positions: readonly Position[]): number[] {
  const service = new PatternLensService({});
  service.configure({ typeAware: { enabled: false } });
  service.open(uri, 'typescript', 1, text);
  const latencies: number[] = [];
  for (const position of [...positions, ...positions]) {
    const start = performance.now();
    service.hover(uri, position);
    latencies.push(performance.now() - start);
  }
  return latencies.slice(positions.length);
}

/**
 * The type-aware phase on a real tsconfig project, rxjs (its own tsconfig.json, sources and bundled
 * type declarations): the time from the syntactic publish to the type-aware publish, less the
 * server's pause before it; first when the language service is built, then after an edit.
 */
async function typeAwarePhase(files: readonly string[], root: string) {
  const file = files.find((f) => f.endsWith(path.join('rxjs_7.8.2', 'package', 'src', 'internal', 'Observable.ts')))!;
  const uri = uriOf(file);
  const text = fs.readFileSync(file, 'utf8');
  const client = await BenchClient.start({});
  const rssBeforeMB = client.memory().rssMB;
  await client.open(uri, text);
  const phase = async (version: number) => {
    const syntactic = await within(client.diagnostics(uri, version, 0), 'syntactic phase');
    const typed = await within(client.diagnostics(uri, version, 1), 'type-aware phase');
    return typed.at - syntactic.at - TYPE_AWARE_DELAY_MS;
  };
  const coldMs = await phase(1);
  const rssAfterMB = client.memory().rssMB;
  const end = { line: 0, character: linesOf(text)[0]!.length };
  await client.change(uri, 2, [{ range: { start: end, end }, text: ' ' }]);
  const warmMs = await phase(2);
  await client.stop();
  return { file: path.relative(root, file), coldMs, warmMs, rssBeforeMB, rssAfterMB };
}

/**
 * `editorLatencies` run `rounds` times, each in a fresh process with a fresh server; every figure is the
 * median of its rounds, so one busy moment of the machine does not decide a percentile.
 */
export async function editorLatenciesMedian(root: string, rounds: number, log: (line: string) => void): Promise<EditorResults> {
  const all: EditorResults[] = [];
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) log(`  round ${round} of ${rounds}:`);
    all.push(await editorLatenciesInOwnProcess(root));
  }
  return medianOf(all) as EditorResults;
}

/** The same shape as each of `values`, with every number the median of the numbers at its place. */
function medianOf(values: readonly unknown[]): unknown {
  const [first] = values;
  if (typeof first === 'number') return median(values as number[]);
  if (typeof first !== 'object' || first === null) return first;
  return Object.fromEntries(Object.keys(first).map((key) => [key, medianOf(values.map((value) => (value as Record<string, unknown>)[key]))]));
}

/**
 * `editorLatencies` in a Node process of its own, whose log lines are passed on: the bench client's
 * heap then holds nothing of the corpus runs before it, so its collector does not add to the latencies.
 */
async function editorLatenciesInOwnProcess(root: string): Promise<EditorResults> {
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-bench-')), 'editor.json');
  // process.execArgv holds the TypeScript loader this bench runs under.
  const child = spawn(process.execPath, [...process.execArgv, __filename, resultsFile, root], { stdio: ['ignore', 'inherit', 'inherit'] });
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (status !== 0) throw new Error(`the editor bench exited with ${status}`);
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as EditorResults;
  fs.rmSync(path.dirname(resultsFile), { recursive: true });
  return results;
}

if (require.main === module) {
  const [resultsFile, root] = process.argv.slice(2) as [string, string];
  void editorLatencies(corpus().flatMap((p) => p.files), root, (line) => console.log(line)).then((results) => fs.writeFileSync(resultsFile, JSON.stringify(results)));
}
