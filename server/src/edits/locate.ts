import * as ts from 'typescript';
import type { Span } from '../patterns/types';

/**
 * The chain of nodes from the source file down to the outermost node whose text is exactly `span`
 * (leading trivia excluded) and which `accept`s, or undefined if there is none. Fixes use it to find again, in
 * the tree of the same document version, the node a detector reported; the tree has no parent
 * pointers, so the chain is the way back up.
 */
export function nodePathAt(
  sourceFile: ts.SourceFile,
  span: Span,
  accept: (node: ts.Node) => boolean = () => true,
): ts.Node[] | undefined {
  const path: ts.Node[] = [sourceFile];
  let current: ts.Node = sourceFile;
  for (;;) {
    if (current !== sourceFile && current.getStart(sourceFile) === span.start && current.end === span.end && accept(current)) {
      return path;
    }
    const next: ts.Node | undefined = ts.forEachChild(current, (child) =>
      child.pos <= span.start && span.end <= child.end && child.getStart(sourceFile) <= span.start ? child : undefined,
    );
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
}

/**
 * The chain from the source file down to the innermost node that contains the whole span (leading trivia
 * excluded), for spans that are not exactly one node (`=== NaN`, `fill([])`, a selection). The span may
 * touch a node's edges: a cursor just after a name counts.
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
