import * as ts from 'typescript';
import { propertyChainRoot, skipOuterExpressions } from '../../syntax/expressions';
import { countDeclarations } from '../../syntax/globals';
import type { ModuleBindings } from './node-modules';

/** Node's `AsyncLocalStorage`, told from look-alikes by how the file reaches it. */

export const ASYNC_HOOKS: ReadonlySet<string> = new Set(['async_hooks']);
const ALS_CLASS = 'AsyncLocalStorage';
const ALS_PATH = `async_hooks#${ALS_CLASS}`;

/**
 * Whether `new <expression>()` may construct Node's `AsyncLocalStorage` (cheap, by shape: the class
 * name, an alias already imported, `x.AsyncLocalStorage`); `nodeAlsConstructions` decides at the walk's end.
 */
export function mayBeAlsConstructor(expression: ts.Expression, modules: ModuleBindings): boolean {
  const callee = skipOuterExpressions(expression);
  if (callee.kind === ts.SyntaxKind.Identifier) {
    return (callee as ts.Identifier).text === ALS_CLASS || (!modules.isEmpty && modules.pathOf(callee) === ALS_PATH);
  }
  return callee.kind === ts.SyntaxKind.PropertyAccessExpression && (callee as ts.PropertyAccessExpression).name.text === ALS_CLASS;
}

/**
 * The `new` expressions among `candidates` that construct Node's `AsyncLocalStorage`: the class reached
 * through an import or `require` of `node:async_hooks`, whose local name is declared nowhere else in
 * the file (so no inner declaration can shadow it).
 */
export function nodeAlsConstructions<T extends { readonly node: ts.NewExpression }>(
  sourceFile: ts.SourceFile,
  modules: ModuleBindings,
  candidates: readonly T[],
): T[] {
  if (modules.isEmpty && !candidates.some((c) => propertyChainRoot(c.node.expression) === undefined)) return [];
  const matching = candidates.filter((c) => modules.pathOf(c.node.expression) === ALS_PATH);
  if (matching.length === 0) return [];
  const roots = new Set<string>();
  for (const { node } of matching) {
    const root = propertyChainRoot(node.expression);
    if (root) roots.add(root.text);
  }
  const counts = roots.size > 0 ? countDeclarations(sourceFile, roots, { types: true }) : new Map<string, number>();
  return matching.filter(({ node }) => {
    const root = propertyChainRoot(node.expression);
    return !root || counts.get(root.text) === 1;
  });
}
