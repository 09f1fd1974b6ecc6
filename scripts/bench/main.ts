/**
 * `npm run bench`: Pattern Lens against its peers and its own targets, in one run. The CLI over the
 * real-world corpus (scripts/corpus.ts) against ESLint, oxlint, Biome and the bare TypeScript parse;
 * the bundled server over LSP (keystrokes, hovers, code actions, cold start, the type-aware phase,
 * memory); the client's activation; the .vsix. Writes docs/BENCHMARKS.md and its two charts.
 *
 *   npm run bench [-- --runs N]   N interleaved runs per corpus tool, the fastest kept, and N runs of the
 *                                 editor figures, each figure's median kept (default 3)
 *   npm run bench -- --smoke      a quick check that the bench works: a tenth of the corpus, no peers,
 *                                 nothing written; never fails on a slow figure
 *   npm run bench -- --report     writes the documents again from the last full run's figures
 *                                 (.cache/bench/results.json), after a change to the notes or charts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as ts from 'typescript';
import { corpus } from '../corpus';
import { corpusRuns } from './corpusRuns';
import { editorLatenciesMedian } from './editor';
import { median } from './measure';
import { missedNotes } from './missed';
import { installPeers, peerVersion } from './peers';
import { CODE_CACHE_DIR_NAME } from '../../server/src/startup/loadBundle';
import { cliChart, markdown, met, show, targets, targetsChart, type Activation, type BenchResults } from './report';

const ROOT = path.join(__dirname, '..', '..');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, smoke: { type: 'boolean', default: false }, report: { type: 'boolean', default: false } },
});
/** The last full run's figures, so `--report` can write the documents again without measuring. */
const CODE_CACHE_DIR = path.join(ROOT, 'dist', CODE_CACHE_DIR_NAME);
const RESULTS_FILE = path.join(ROOT, '.cache', 'bench', 'results.json');
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs ${values.runs}: give a whole number, 1 or more`);
const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  if (values.report) {
    if (!fs.existsSync(RESULTS_FILE)) throw new Error(`${path.relative(ROOT, RESULTS_FILE)} is missing: run npm run bench first`);
    return report(JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as BenchResults);
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('dist/ is missing: npm run bench builds it first (npm run package)');
  const packages = corpus();
  const allFiles = packages.flatMap((p) => p.files);
  const files = values.smoke ? allFiles.filter((_, i) => i % 10 === 0) : allFiles;
  const corpusSize = { packages: packages.map((p) => p.spec), ...sizeOf(files) };
  log(`corpus: ${corpusSize.files} files, ${corpusSize.lines} lines, ${corpusSize.megabytes.toFixed(1)} MB`);

  if (values.smoke) {
    log('the CLI over a tenth of the corpus:');
    corpusRuns(files, 1, log, (id) => id === 'floor' || id.startsWith('cli'));
    log('the server over LSP:');
    await editorLatenciesMedian(ROOT, 1, log);
    return;
  }

  installPeers(log);
  // Each bundle's first start below runs without a code cache, as the first start after an install does.
  fs.rmSync(CODE_CACHE_DIR, { recursive: true, force: true });
  const loadAtStart = os.loadavg()[0]!;
  log(`the corpus, ${runs} runs per tool:`);
  const tools = corpusRuns(files, runs, log);
  log('the server over LSP:');
  const editor = await editorLatenciesMedian(ROOT, runs, log);
  const activate = () => JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'activation.cjs')], { encoding: 'utf8' })) as Activation;
  const firstActivation = activate();
  const activations = Array.from({ length: 5 }, activate);
  const activation = activations.find((a) => a.totalMs === median(activations.map((b) => b.totalMs)))!;
  log(`  client activation: ${activation.totalMs.toFixed(1)} ms (the first, before its code cache existed: ${firstActivation.totalMs.toFixed(1)} ms)`);
  const vsixBytes = fs.statSync(path.join(ROOT, 'pattern-lens.vsix')).size;

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    runs,
    machine: {
      CPU: `${os.cpus()[0]?.model ?? 'unknown'}, ${os.availableParallelism()} cores`,
      Memory: `${(os.totalmem() / 1024 ** 3).toFixed(0)} GB`,
      OS: `${osName()}, Linux ${os.release()}`,
      Node: process.version,
      // Other processes on the machine slow every figure; this says how busy it was.
      'Load average (1 min) at start / end': `${loadAtStart.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)}`,
    },
    versions: {
      'Pattern Lens': (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      TypeScript: ts.version,
      ESLint: peerVersion('eslint'),
      '@typescript-eslint/parser': peerVersion('@typescript-eslint/parser'),
      'eslint-plugin-unicorn': peerVersion('eslint-plugin-unicorn'),
      oxlint: peerVersion('oxlint'),
      Biome: peerVersion('@biomejs/biome'),
    },
    corpus: corpusSize,
    tools,
    floorLoopMs: tools.find((t) => t.id === 'floor')!.loopMs!,
    editor,
    activation,
    firstActivation,
    vsixBytes,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results));
  report(results);
}

/** Writes docs/BENCHMARKS.md and its charts, and says which targets were met. */
function report(results: BenchResults): void {
  const notes = missedNotes(results);
  fs.writeFileSync(path.join(ROOT, 'docs', 'BENCHMARKS.md'), markdown(results, notes));
  fs.writeFileSync(path.join(ROOT, 'docs', 'benchmarks-cli.svg'), cliChart(results));
  fs.writeFileSync(path.join(ROOT, 'docs', 'benchmarks-targets.svg'), targetsChart(results));
  log('\ntargets:');
  for (const t of targets(results, notes)) {
    log(`  ${met(t) ? 'met   ' : 'MISSED'} ${t.figure}: ${show(t.measured, t.unit)} (${'max' in t.bound ? `at most ${show(t.bound.max, t.unit)}` : `at least ${show(t.bound.min, t.unit)}`})`);
  }
  log('wrote docs/BENCHMARKS.md, docs/benchmarks-cli.svg, docs/benchmarks-targets.svg');
}

/** The files' count, lines and size; their texts are not kept, so the bench client's heap stays small. */
function sizeOf(files: readonly string[]): { files: number; lines: number; megabytes: number } {
  let lines = 0;
  let bytes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    bytes += Buffer.byteLength(text);
  }
  return { files: files.length, lines, megabytes: bytes / 1024 ** 2 };
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
