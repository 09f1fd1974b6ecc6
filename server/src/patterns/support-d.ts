import * as ts from 'typescript';

/** Whether `node` carries a modifier of `kind` (`declare`, `abstract`, `static`, `readonly`...). */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}
