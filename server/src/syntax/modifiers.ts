import type * as ts from 'typescript';

/**
 * Whether `node` carries a modifier of `kind` (`export`, `declare`, `static`, `async`, ...). Reads the
 * modifiers as parsed, without allocating; nodes that cannot have modifiers have none.
 */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}
