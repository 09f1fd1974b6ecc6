import * as ts from 'typescript';
import type { Span } from '../patterns/types';

/**
 * The chain from the source file down to the innermost node that contains the whole span (trivia
 * excluded at the start). The selection may touch a node's edges: a cursor just after a name counts.
 */
export function pathContaining(sourceFile: ts.SourceFile, span: Span): ts.Node[] {
  const path: ts.Node[] = [sourceFile];
  for (let current: ts.Node = sourceFile; ; ) {
    const next: ts.Node | undefined = ts.forEachChild(current, (child) =>
      child.getStart(sourceFile) <= span.start && span.end <= child.end ? child : undefined,
    );
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

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
