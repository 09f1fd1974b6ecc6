// The pipeline's bug tracker: one instance of every gotcha Pattern Lens reports, each the way it
// turns up in real code. All of it type-checks, and nothing here is wrong until it runs: then each
// one computes the wrong thing, leaks, or fails far from its cause. The comment above each says how.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Connection } from './resources.js';
import type { Event } from './types.js';
// type-only-import-candidate: `Schema` is only used as a type (in `signatureOf`, at the end), yet
// without `type` this import is kept as written (verbatimModuleSyntax), so ./objects.js is loaded
// and run just for a type.
import { Schema } from './objects.js';

// loop-var-closure: `var` has one binding for the whole function, so by the time the timers fire
// every callback reads `i === attempts.length`: each logs the same number and `undefined`.
export function scheduleRetries(attempts: string[]): void {
  for (var i = 0; i < attempts.length; i++) {
    setTimeout(() => console.log(`retry ${i}: ${attempts[i]}`), 1_000 * i);
  }
}

// loose-equality: a port read from the environment is the string '80', and `==` converts it, so
// this is true for '80' and 80 alike (and for ' 80 ' too).
export function isDefaultPort(port: string | number): boolean {
  return port == 80;
}

// nan-comparison: NaN equals nothing, itself included, so no reading is ever reported missing.
// (TypeScript reports `=== NaN` itself (TS2845), but not `Number.NaN`.)
export function isMissingReading(reading: number): boolean {
  return reading === Number.NaN;
}

// fresh-literal-comparison: `new Date(0)` is a new object, never identical to `since`.
export function isFullRefresh(since: Date): boolean {
  return since === new Date(0);
}

interface JobConfig {
  name: string;
  schedule: { cron: string; timezone: string };
}

// shallow-copy-mutation: the spread copies only the top level; `copy.schedule` is the original's
// object, so the template every job starts from is changed too.
export function inTimezone(template: JobConfig, timezone: string): JobConfig {
  const copy = { ...template };
  copy.schedule.timezone = timezone;
  return copy;
}

// shared-fill-reference: `fill([])` puts one and the same array in every slot, so a row added to
// partition 0 shows up in every partition.
export function partitionRows(rows: string[], count: number): string[][] {
  const partitions: string[][] = new Array(count).fill([]);
  rows.forEach((row, index) => partitions[index % count]!.push(row));
  return partitions;
}

const DEFAULT_SINKS: string[] = ['stdout'];

// shared-mutable-default: every call that omits `sinks` pushes onto DEFAULT_SINKS itself, so
// sinks pile up from one job to the next.
export function sinksFor(job: string, sinks = DEFAULT_SINKS): string[] {
  sinks.push(`${job}.log`);
  return sinks;
}

// wrapper-loses-this: the wrapper calls `method(...args)`, so the decorated method runs with
// `this` undefined and `this.rows` throws a TypeError.
function traced<Args extends unknown[], Return>(method: (...args: Args) => Return, context: ClassMethodDecoratorContext) {
  return function (...args: Args): Return {
    console.debug(`-> ${String(context.name)}`);
    return method(...args);
  };
}

export class Loader {
  rows: string[] = [];

  @traced
  add(row: string): number {
    return this.rows.push(row);
  }
}

// undisposed-disposable: a Connection is Disposable, but nothing disposes this one; it stays open
// until the process exits.
export function tableExists(url: string, table: string): boolean {
  const connection = new Connection(url);
  return connection.query(`select 1 from ${table}`).length > 0;
}

interface Lease {
  readonly worker: string;
  release(): void;
}
declare function lease(queue: string): Lease;

// try-finally-using: if `release()` throws, its error replaces any error from the `try`, and the
// reader never learns why the job failed. `using` or a DisposableStack would keep both.
export function runLeased(queue: string, job: (worker: string) => void): void {
  const held = lease(queue);
  try {
    job(held.worker);
  } finally {
    held.release();
  }
}

const jobContext = new AsyncLocalStorage<{ jobId: string }>();

// als-enter-with: the store is switched and never switched back, so whatever runs after this in
// the same async context (the next job on this worker) still sees this job's id.
export function startJob(jobId: string, body: () => void): void {
  jobContext.enterWith({ jobId });
  body();
}

// als-in-function: a new storage on every call: code elsewhere reads `jobContext`, or a storage of
// its own, and never sees the attempt number set here.
export function withAttempt(attempt: number, body: () => void): void {
  const attemptContext = new AsyncLocalStorage<number>();
  attemptContext.run(attempt, body);
}

// buffer-slice: unlike `slice` on arrays, `Buffer#slice` returns a view, not a copy: unmasking the
// payload also rewrites `frame`, which the caller goes on to forward as received.
export function unmaskedPayload(frame: Buffer, mask: number): string {
  const payload = frame.slice(2);
  for (let i = 0; i < payload.length; i++) payload[i] ^= mask;
  return payload.toString('utf8');
}

// array-shift-queue: `shift()` moves every remaining item, so draining a long backlog this way
// takes time quadratic in its length.
export function drain(backlog: string[], handle: (job: string) => void): void {
  while (backlog.length > 0) {
    handle(backlog.shift()!);
  }
}

// includes-in-loop: `allowed.includes` scans the whole list for every row.
export function keepAllowed(rows: { table: string }[], allowedTables: string[]): { table: string }[] {
  const allowed = allowedTables.map((table) => table.toLowerCase());
  return rows.filter((row) => allowed.includes(row.table));
}

const schemaCache = new Map<string, string[]>();

// unbounded-memo-cache: one entry per table name ever seen, kept for the life of the process.
export function columnsOf(table: string): string[] {
  const cached = schemaCache.get(table);
  if (cached) return cached;
  const columns = table.split('_');
  schemaCache.set(table, columns);
  return columns;
}

// async-foreach: `forEach` drops the promises, so 'all uploaded' is logged before any upload ends
// and a failed upload is an unhandled rejection.
export async function uploadAll(files: string[], upload: (file: string) => Promise<void>): Promise<void> {
  files.forEach(async (file) => {
    await upload(file);
  });
  console.log('all uploaded');
}

// non-exhaustive-switch: no case for 'failed' and no default: failed runs get no icon, and adding
// a kind to Event will not stop this from compiling.
export function statusIcon(event: Event) {
  switch (event.kind) {
    case 'started':
      return '...';
    case 'finished':
      return 'ok';
  }
}

// type-only-import-candidate: see the import of `Schema` at the top.
export function signatureOf(schema: Schema): string {
  return schema.signature;
}
