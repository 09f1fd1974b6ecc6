import type * as ts from 'typescript';

/** Refactors find the selection's node with the same search as fixes. */
export { pathContaining } from '../edits/locate';

/** The nearest node of the path (innermost first) that `test` accepts, with its index in the path. */
export function nearest<T extends ts.Node>(path: readonly ts.Node[], test: (node: ts.Node) => node is T): { node: T; index: number } | undefined {
  for (let index = path.length - 1; index >= 0; index--) {
    const node = path[index]!;
    if (test(node)) return { node, index };
  }
  return undefined;
}

/** `a.b.c` >= `x.y.z` for plain numeric versions. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return false;
  const have = version.split(/[.-]/).map(Number);
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < want.length; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i]!;
  }
  return true;
}
