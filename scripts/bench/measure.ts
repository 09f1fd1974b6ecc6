import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One run of a command, as GNU time saw it. */
export interface Run {
  readonly wallMs: number;
  /** User plus system time of the process and all its threads. */
  readonly cpuMs: number;
  /** Peak resident set size. */
  readonly rssMB: number;
  readonly status: number;
  readonly stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command under GNU time (Debian's `time` package), which reads the kernel's own accounting of
 * the child: wall clock, CPU of every thread, and peak RSS. Node cannot see a child's peak RSS.
 */
export function timeCommand(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Run {
  if (!fs.existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian's "time" package (bash scripts/apt-install.sh time, as npm run bench does)`);
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-bench-')), 'time');
  const result = spawnSync(GNU_TIME, ['-o', report, '-f', '%e %U %S %M', command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 1024 ** 3,
  });
  // GNU time prefixes its line with "Command exited with non-zero status N" when the command fails.
  const line = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!;
  fs.rmSync(path.dirname(report), { recursive: true });
  const [wall, user, system, rssKB] = line.split(' ').map(Number) as [number, number, number, number];
  return { wallMs: wall * 1000, cpuMs: (user + system) * 1000, rssMB: rssKB / 1024, status: result.status ?? -1, stdout: result.stdout };
}

/** The run with the shortest wall time. */
export function fastest(runs: readonly Run[]): Run {
  return runs.reduce((best, run) => (run.wallMs < best.wallMs ? run : best));
}

/** Nearest-rank percentile of a list of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}
