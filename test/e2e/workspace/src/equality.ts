// A gotcha: `==` converts types before comparing.

export function isOne(x: unknown): boolean {
  return x == 1;
}
