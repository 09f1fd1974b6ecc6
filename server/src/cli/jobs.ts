import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { FileChecker, type FileOutcome, type RunSettings } from './checkFile';

/** Marks the data of our worker threads, so the bundle knows it was started as one. */
const JOB = 'patternLensJob';

interface JobData {
  readonly [JOB]: true;
  readonly files: readonly string[];
  readonly settings: RunSettings;
  /** Index of the next file nobody has taken yet, shared by every worker (the work queue). */
  readonly next: Int32Array;
}

type JobMessage = { readonly index: number; readonly outcome: FileOutcome } | { readonly done: true };

/**
 * Handles `files` on `jobs` worker threads, each taking the next file as it finishes one, so big files
 * do not leave a thread idle. The outcomes come back in the order of `files`, whichever thread ran them.
 * Every file runs on a worker (none on this thread), so where a file runs never changes its outcome.
 */
export async function runInWorkers(files: readonly string[], settings: RunSettings, jobs: number): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(files.length);
  const data: JobData = { [JOB]: true, files, settings, next: new Int32Array(new SharedArrayBuffer(4)) };
  const threads = Math.max(1, Math.min(jobs, files.length));
  await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(__filename, {
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
    }),
  );
  return outcomes;
}

function work({ files, settings, next }: JobData, port: NonNullable<typeof parentPort>): void {
  const checker = new FileChecker(settings);
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    port.postMessage({ index, outcome: checker.run(files[index]!) } satisfies JobMessage);
  }
  port.postMessage({ done: true } satisfies JobMessage);
}

if (!isMainThread && (workerData as Partial<JobData> | undefined)?.[JOB]) work(workerData as JobData, parentPort!);
