// The type-level vocabulary of the pipeline.
import type { Connection } from './resources.js';
import { type Partition, lines } from './streams.js';

/** Anything that can load and store a value: a structural contract, like a Python Protocol. */
export interface Storage<T> {
  load(key: string): T | undefined;
  store(key: string, value: T): void;
}

export class MemoryStorage<T> implements Storage<T> {
  private readonly values = new Map<string, T>();
  load(key: string): T | undefined {
    return this.values.get(key);
  }
  store(key: string, value: T): void {
    this.values.set(key, value);
  }
}

export function firstKey<const K extends readonly string[]>(keys: K): K[0] {
  return keys[0];
}

export interface Result<T, E extends Error = Error> {
  readonly value?: T;
  readonly error?: E;
}

/** The value type a promise resolves to, the way `Awaited` does it one level deep. */
export type Resolved<P> = P extends Promise<infer V> ? V : P;
export type RowCount = Resolved<Promise<number>>;

export const defaults = {
  retries: 3,
  timeoutMs: 5_000,
} satisfies Record<string, number>;

export function parse(input: string): number;
export function parse(input: string[]): number[];
export function parse(input: string | string[]): number | number[] {
  return Array.isArray(input) ? input.map(Number) : Number(input);
}

export type Event =
  | { readonly kind: 'started'; readonly at: number }
  | { readonly kind: 'finished'; readonly at: number; readonly rows: number }
  | { readonly kind: 'failed'; readonly error: string };

export function describe(event: Event): string {
  switch (event.kind) {
    case 'started':
      return `started at ${event.at}`;
    case 'finished':
      return `${event.rows} rows at ${event.at}`;
    case 'failed':
      return `failed: ${event.error}`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function firstLine(text: string, _partition?: Partition, _connection?: Connection): string | undefined {
  return lines(text).next().value ?? undefined;
}
