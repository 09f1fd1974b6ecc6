import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { FileChecker, type FileOutcome, type RunSettings } from './checkFile';

/** Marks the data of our worker threads, so the bundle knows it was started as one. */
const JOB = 'patternLensJob';

interface JobData {
  readonly [JOB]: true;
  readonly files: readonly string[];
  readonly settings: RunSettings;
  /** Index of the next file nobody has taken yet, shared by every thread (the work queue). */
  readonly next: Int32Array;
}

type JobMessage = { readonly index: number; readonly outcome: FileOutcome } | { readonly done: true };

/**
 * Handles `files` on `jobs` threads, this one and `jobs - 1` workers, each taking the next file as it
 * finishes one, so big files do not leave a thread idle. This thread starts on the files while the workers
 * are still loading the engine, and no thread loads it without checking files. The outcomes come back in
 * the order of `files`, whichever thread ran them; every thread has the same stack size (below), so where
 * a file runs does not change its outcome.
 */
export async function runOnThreads(files: readonly string[], settings: RunSettings, jobs: number): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(files.length);
  const data: JobData = { [JOB]: true, files, settings, next: new Int32Array(new SharedArrayBuffer(4)) };
  const workers = Array.from({ length: Math.max(0, Math.min(jobs, files.length) - 1) }, () => {
    const worker = new Worker(workerScript(), {
      workerData: data,
      // About the stack the main thread has (V8's 984 KB, plus the 192 KB Node keeps in reserve on a
      // worker): how deeply nested a file may be before it is skipped does not depend on --jobs, beyond
      // the few percent of depth that the JIT's frame sizes already move it by.
      resourceLimits: { stackSizeMb: (984 + 192) / 1024 },
    });
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: JobMessage) => {
        if ('done' in message) resolve();
        else outcomes[message.index] = message.outcome;
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`a worker thread stopped (exit code ${code}) before finishing`)));
    });
  });
  work(data, (index, outcome) => (outcomes[index] = outcome));
  await Promise.all(workers);
  return outcomes;
}

/**
 * What the workers start from: the loader beside this bundle that this process was started with (dist/cli.js,
 * which compiles the bundle from its code cache), or else this bundle itself.
 */
function workerScript(): string {
  const entry = require.main?.filename;
  return entry !== undefined && path.dirname(entry) === __dirname ? entry : __filename;
}

/** Checks the next file nobody has taken yet, until none is left. */
function work({ files, settings, next }: JobData, report: (index: number, outcome: FileOutcome) => void): void {
  const checker = new FileChecker(settings);
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) report(index, checker.run(files[index]!));
}

if (!isMainThread && (workerData as Partial<JobData> | undefined)?.[JOB]) {
  const port = parentPort!;
  work(workerData as JobData, (index, outcome) => port.postMessage({ index, outcome } satisfies JobMessage));
  port.postMessage({ done: true } satisfies JobMessage);
}
