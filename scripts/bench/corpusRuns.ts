import * as fs from 'node:fs';
import * as path from 'node:path';
import { fastest, timeCommand, type Run } from './measure';
import { PEERS_DIR } from './peers';

const ROOT = path.join(__dirname, '..', '..');

export interface ToolRun extends Run {
  readonly id: string;
  readonly label: string;
  readonly threads: string;
  /** Problems the tool reported over the corpus (a check that it did lint the files). */
  readonly problems: number;
  /** The parse floor's own loop, without starting Node and loading the compiler. */
  readonly loopMs?: number;
}

interface Tool {
  readonly id: string;
  readonly label: string;
  readonly threads: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly problems: (stdout: string) => number;
}

const peerBin = (...parts: string[]) => path.join(PEERS_DIR, 'node_modules', ...parts);

function tools(): Tool[] {
  const cli = ['dist/cli.js', 'check', '--no-type-aware', '--format', 'json', '--max-file-size-kb', '4096'];
  const cliProblems = (stdout: string) => (JSON.parse(stdout) as { files: { diagnostics: unknown[] }[] }).files.reduce((n, f) => n + f.diagnostics.length, 0);
  const eslint = [peerBin('eslint', 'bin', 'eslint.js'), '--config', path.join(PEERS_DIR, 'eslint.config.mjs'), '--format', 'json', '--no-warn-ignored'];
  const eslintProblems = (stdout: string) => (JSON.parse(stdout) as { messages: unknown[] }[]).reduce((n, f) => n + f.messages.length, 0);
  const oxlint = [peerBin('.bin', 'oxlint'), '--config', path.join(PEERS_DIR, 'oxlintrc.json'), '--format', 'json'];
  const oxlintProblems = (stdout: string) => (JSON.parse(stdout) as { diagnostics: unknown[] }).diagnostics.length;
  const biome = ['lint', `--config-path=${path.join(PEERS_DIR, 'biome.json')}`, '--reporter=json', '--max-diagnostics=none'];
  const biomeProblems = (stdout: string) => {
    const { summary } = JSON.parse(stdout) as { summary: { errors: number; warnings: number } };
    return summary.errors + summary.warnings;
  };
  const sarif = ['dist/cli.js', 'check', '--no-type-aware', '--format', 'sarif', '--max-file-size-kb', '4096'];
  const sarifProblems = (stdout: string) => (JSON.parse(stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results.length;
  // Two parse floors side by side, each over every file: how much a second core gives two Node processes here.
  const floorPair = `"${process.execPath}" scripts/bench/floor.cjs "$@" > /dev/null & "${process.execPath}" scripts/bench/floor.cjs "$@" > /dev/null; wait`;
  return [
    { id: 'floor', label: 'TypeScript parse floor', threads: '1', command: process.execPath, args: ['scripts/bench/floor.cjs'], problems: () => 0 },
    { id: 'floor-pair', label: 'Two parse floors side by side', threads: '2 processes', command: 'bash', args: ['-c', floorPair, 'floor-pair'], problems: () => 0 },
    { id: 'cli', label: 'Pattern Lens CLI', threads: '1', command: process.execPath, args: cli, problems: cliProblems },
    { id: 'cli-jobs', label: 'Pattern Lens CLI --jobs 2', threads: '2', command: process.execPath, args: [...cli, '--jobs', '2'], problems: cliProblems },
    { id: 'cli-sarif', label: 'Pattern Lens CLI, SARIF', threads: '1', command: process.execPath, args: sarif, problems: sarifProblems },
    { id: 'cli-sarif-jobs', label: 'Pattern Lens CLI, SARIF, --jobs 2', threads: '2', command: process.execPath, args: [...sarif, '--jobs', '2'], problems: sarifProblems },
    { id: 'eslint', label: 'ESLint + typescript-eslint', threads: '1', command: process.execPath, args: eslint, problems: eslintProblems },
    { id: 'eslint-jobs', label: 'ESLint --concurrency 2', threads: '2 workers', command: process.execPath, args: [...eslint, '--concurrency', '2'], problems: eslintProblems },
    { id: 'oxlint', label: 'oxlint --threads 1', threads: '1', command: oxlint[0]!, args: [...oxlint.slice(1), '--threads', '1'], problems: oxlintProblems },
    { id: 'oxlint-jobs', label: 'oxlint', threads: '2', command: oxlint[0]!, args: oxlint.slice(1), problems: oxlintProblems },
    // Biome sizes its thread pool with rayon, which reads RAYON_NUM_THREADS.
    { id: 'biome', label: 'Biome (RAYON_NUM_THREADS=1)', threads: '1', command: peerBin('.bin', 'biome'), args: biome, env: { ...process.env, RAYON_NUM_THREADS: '1' }, problems: biomeProblems },
    { id: 'biome-jobs', label: 'Biome', threads: '2', command: peerBin('.bin', 'biome'), args: biome, problems: biomeProblems },
  ];
}

/**
 * Every tool over the same corpus files, named on the command line, from the repository root. The runs
 * are interleaved, each round running every tool once (ESLint in the first three rounds only), so a busy
 * moment of the machine does not fall on one tool alone; the fastest run of each tool, the least
 * disturbed, is kept. The files are read once first, so every tool finds them in the page cache.
 */
export function corpusRuns(files: readonly string[], runs: number, log: (line: string) => void, only?: (id: string) => boolean): ToolRun[] {
  const relative = files.map((file) => path.relative(ROOT, file));
  for (const file of files) fs.readFileSync(file);
  const selected = tools().filter((tool) => !only || only(tool.id));
  const all = new Map<Tool, Run[]>(selected.map((tool) => [tool, []]));
  for (let round = 0; round < runs; round++) {
    for (const tool of selected) {
      if (tool.id.startsWith('eslint') && round >= 3) continue;
      const result = timeCommand(tool.command, [...tool.args, ...relative], { cwd: ROOT, env: tool.env });
      // Linters exit 1 when they report problems, which they do here; 2 and up is a failure.
      if (result.status < 0 || result.status > 1) throw new Error(`${tool.label} exited with ${result.status}`);
      all.get(tool)!.push(result);
    }
  }
  return selected.map((tool) => {
    const run = fastest(all.get(tool)!);
    const problems = tool.problems(run.stdout);
    log(`  ${tool.label.padEnd(30)} ${(run.wallMs / 1000).toFixed(2).padStart(7)} s wall ${(run.cpuMs / 1000).toFixed(2).padStart(7)} s CPU ${run.rssMB.toFixed(0).padStart(5)} MB  ${problems} problems`);
    const loopMs = tool.id === 'floor' ? (JSON.parse(run.stdout) as { loopMs: number }).loopMs : undefined;
    return { ...run, stdout: '', id: tool.id, label: tool.label, threads: tool.threads, problems, loopMs };
  });
}
