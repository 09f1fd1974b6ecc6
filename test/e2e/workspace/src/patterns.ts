// Several patterns, on known lines, for the cheat sheet's "Patterns in this file".

export function* counter(limit: number): Generator<number> {
  for (let i = 0; i < limit; i++) yield i;
}

export function first<T extends { id: string }>(items: readonly T[]): T | undefined {
  return items[0];
}

export type ElementOf<T> = T extends readonly (infer E)[] ? E : never;

export const cache = new Map<string, number>();

export function stack(): void {
  using disposer = new DisposableStack();
  disposer.defer(() => console.log('done'));
}
