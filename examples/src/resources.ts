// Resources the pipeline opens and must release, whatever happens.
import { AsyncLocalStorage } from 'node:async_hooks';

export class Connection implements Disposable {
  #open = true;

  constructor(readonly url: string) {}

  query(sql: string): string[] {
    if (!this.#open) throw new Error('connection closed');
    return [sql];
  }

  close(): void {
    this.#open = false;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

export class TempDirectory implements AsyncDisposable {
  constructor(readonly path: string) {}

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.resolve(this.path);
  }
}

export function countRows(url: string): number {
  using connection = new Connection(url);
  return connection.query('select count(*) from rows').length;
}

export async function stageFiles(path: string): Promise<string> {
  await using scratch = new TempDirectory(path);
  return scratch.path;
}

/** Several resources, one stack: released in reverse order, even if a later one fails to open. */
export function copyTable(fromUrl: string, toUrl: string): number {
  using stack = new DisposableStack();
  const source = stack.use(new Connection(fromUrl));
  const target = stack.use(new Connection(toUrl));
  stack.defer(() => console.debug('copy finished'));
  return target.query(source.query('select *').join(';')).length;
}

/** The older way, still everywhere: try/finally. */
export function legacyCount(url: string): number {
  const connection = new Connection(url);
  try {
    return connection.query('select 1').length;
  } finally {
    connection.close();
  }
}

interface RunContext {
  readonly runId: string;
}

const runContext = new AsyncLocalStorage<RunContext>();

export function currentRunId(): string | undefined {
  return runContext.getStore()?.runId;
}

export function inRun<T>(runId: string, body: () => T): T {
  return runContext.run({ runId }, body);
}
