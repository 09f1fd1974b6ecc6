// Decorators and wrappers used by the pipeline's assets.

export function logged<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  return function (this: This, ...args: Args): Return {
    console.debug(`-> ${String(context.name)}`);
    return method.call(this, ...args);
  };
}

export function timed<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  return function (this: This, ...args: Args): Return {
    const started = performance.now();
    try {
      return method.call(this, ...args);
    } finally {
      console.debug(`${String(context.name)} took ${(performance.now() - started).toFixed(1)} ms`);
    }
  };
}

/** A decorator factory: `@retry(3)` re-runs a failing async method. */
export function retry(times: number) {
  return function <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Promise<Return>,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<Return>>,
  ) {
    return async function (this: This, ...args: Args): Promise<Return> {
      let lastError: unknown;
      for (let attempt = 1; attempt <= times; attempt++) {
        try {
          return await method.call(this, ...args);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    };
  };
}

export const assetClasses: Function[] = [];

/** A class decorator: every asset class is recorded when it is defined. */
export function asset<Class extends abstract new (...args: never[]) => unknown>(
  value: Class,
  _context: ClassDecoratorContext<Class>,
): void {
  assetClasses.push(value);
}

@asset
export class DailyReport {
  constructor(private readonly day: string) {}

  @logged
  @timed
  render(): string {
    return `report for ${this.day}`;
  }

  @retry(3)
  async publish(): Promise<boolean> {
    return this.render().length > 0;
  }
}

/** A typed higher-order function: same parameters, same result, with retries. */
export function withRetry<A extends unknown[], R>(fn: (...args: A) => Promise<R>, times = 3): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(...args);
      } catch (error) {
        if (attempt >= times) throw error;
      }
    }
  };
}

export const fetchPartition = withRetry(async (name: string, day: string) => `${name}/${day}`);

const checksums = new Map<string, number>();

/** Memoized: the cache is consulted before computing. */
export function checksum(text: string): number {
  if (checksums.has(text)) return checksums.get(text)!;
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  checksums.set(text, hash);
  return hash;
}

function partitionKey(asset: string, day: string): string {
  return `${asset}:${day}`;
}

/** Partial application, twice: `bind` and a forwarding arrow. */
export const salesKey = partitionKey.bind(null, 'sales');
export const ordersKey = (day: string) => partitionKey('orders', day);
