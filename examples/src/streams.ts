// Lazy streams of records, and the protocols that make objects iterable.

export function* lines(text: string): Generator<string, void, undefined> {
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    yield text.slice(start, end);
    start = end + 1;
  }
  if (start < text.length) yield text.slice(start);
}

/** A running total that is sent numbers and yields the total so far. */
export function* runningTotal(): Generator<number, number, number> {
  let total = 0;
  while (true) {
    const amount: number = yield total;
    if (amount < 0) return total;
    total += amount;
  }
}

export function sumAll(amounts: readonly number[]): number {
  const totals = runningTotal();
  totals.next();
  for (const amount of amounts) totals.next(amount);
  return totals.return(0).value;
}

export async function* pages(count: number): AsyncGenerator<string[]> {
  for (let page = 0; page < count; page++) {
    yield await Promise.resolve([`row ${page}`]);
  }
}

export async function collect(count: number): Promise<string[]> {
  const rows: string[] = [];
  for await (const page of pages(count)) rows.push(...page);
  return rows;
}

export class Partition {
  constructor(private readonly days: readonly string[]) {}

  *[Symbol.iterator](): Iterator<string> {
    yield* this.days;
  }

  get [Symbol.toStringTag](): string {
    return 'Partition';
  }
}

/** A zero-copy window onto a record batch. */
export function header(batch: Uint8Array): Uint8Array {
  return batch.subarray(0, 16);
}

export function readLength(buffer: ArrayBuffer): number {
  return new DataView(buffer).getUint32(0, true);
}
