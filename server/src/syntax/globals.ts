import * as ts from 'typescript';
import type { Listeners, NodeListener } from '../patterns/types';

/**
 * Built-in globals a file may shadow (`NaN`, `Array`, `Buffer`, `structuredClone`...). The checks are per
 * file and by name: conservative, since one declaration of the name anywhere means the global is not assumed.
 */

/** Declarations that bind a value name through their `name`: what can shadow a global value. */
const VALUE_DECLARATION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
];

/** Declarations of type names only. */
const TYPE_DECLARATION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.TypeParameter,
];

export interface GlobalNames {
  /** Listeners that record declarations of the watched names; merge them into the detector's own. */
  readonly listeners: Listeners;
  /** Whether the file declares a value with this name anywhere. Complete only in `onWalkEnd`. */
  isShadowed(name: string): boolean;
}

/** Watches the walk for value declarations named like any of `names`. */
export function watchGlobals(names: ReadonlySet<string>): GlobalNames {
  let shadowed: Set<string> | undefined;
  const record: NodeListener = (node) => {
    const name = (node as ts.NamedDeclaration).name;
    if (name && ts.isIdentifier(name) && names.has(name.text)) (shadowed ??= new Set()).add(name.text);
  };
  const listeners: { [kind: number]: NodeListener } = {};
  for (const kind of VALUE_DECLARATION_KINDS) listeners[kind] = record;
  return { listeners: listeners as Listeners, isShadowed: (name) => shadowed?.has(name) ?? false };
}

/** Combines listener sets (a detector's own and `watchGlobals`'); where two listen to the same kind, both run in order. Called once per walk. */
export function mergeListeners(...parts: Listeners[]): Listeners {
  const merged: { [key: string]: NodeListener | (() => void) } = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      const next = (part as Record<string, NodeListener>)[key]!;
      const previous = merged[key] as NodeListener | undefined;
      merged[key] = previous
        ? (node: ts.Node) => {
            previous(node);
            next(node);
          }
        : next;
    }
  }
  return merged as Listeners;
}

/**
 * How many declarations anywhere in the file (imports and parameters included) have each of `names`, in one
 * scan, for decisions made once, in `onWalkEnd` or a fix. `types` counts interfaces, type aliases and type
 * parameters too, for names whose meaning as a type matters (`Buffer` in an annotation).
 */
export function countDeclarations(sourceFile: ts.SourceFile, names: ReadonlySet<string>, options: { readonly types?: boolean } = {}): Map<string, number> {
  const kinds = options.types ? [...VALUE_DECLARATION_KINDS, ...TYPE_DECLARATION_KINDS] : VALUE_DECLARATION_KINDS;
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (kinds.includes(node.kind)) {
      const name = (node as ts.NamedDeclaration).name;
      if (name && ts.isIdentifier(name) && names.has(name.text)) counts.set(name.text, (counts.get(name.text) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return counts;
}

/** Whether `sourceFile` declares a value named `name` anywhere. */
export function fileDeclares(sourceFile: ts.SourceFile, name: string): boolean {
  return countDeclarations(sourceFile, new Set([name])).has(name);
}
