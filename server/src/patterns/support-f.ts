import * as ts from 'typescript';
import type { Listeners, NodeListener, Span } from './types';

/**
 * Helpers shared by the runtime patterns of group F (typed-array views, worker threads,
 * structuredClone, weak references): spotting uses of built-in globals (`new DataView`,
 * `Atomics.add`, `structuredClone(...)`) while ignoring files that declare a binding of the same
 * name (a local `class WeakRef`, an imported `structuredClone` polyfill, a parameter named
 * `DataView`). The check is per file and by name: conservative, since one shadowing declaration
 * anywhere silences that global for the whole file.
 */

/** Nodes that declare a value binding through their `name`. */
const DECLARATION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
];

export interface ShadowTracker {
  /** Listeners to merge into the pattern's own: they record declarations of the watched names. */
  readonly listeners: Listeners;
  /** Whether the file declares a binding with this name. Only meaningful in `onWalkEnd`. */
  isShadowed(name: string): boolean;
}

/** Watches a file for declarations that shadow any of `names` (built-in globals). */
export function trackShadowing(names: ReadonlySet<string>): ShadowTracker {
  let shadowed: Set<string> | undefined;
  const record: NodeListener = (node) => {
    const name = (node as ts.NamedDeclaration).name;
    if (name && ts.isIdentifier(name) && names.has(name.text)) (shadowed ??= new Set()).add(name.text);
  };
  const listeners: { [kind: number]: NodeListener } = {};
  for (const kind of DECLARATION_KINDS) listeners[kind] = record;
  return {
    listeners: listeners as Listeners,
    isShadowed: (name) => shadowed?.has(name) ?? false,
  };
}

/**
 * Combines listener sets: where two listen to the same kind, both run, in the given order.
 * Called once per walk, never per node.
 */
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

/** `new X` of a `new X(...)`: from the keyword to the end of the constructor expression. */
export function newSpan(node: ts.NewExpression, sourceFile: ts.SourceFile): Span {
  return { start: node.getStart(sourceFile), end: node.expression.end };
}

/** The name of `new Name(...)` when the constructor is a plain identifier. */
export function newCalleeName(node: ts.NewExpression): string | undefined {
  return ts.isIdentifier(node.expression) ? node.expression.text : undefined;
}

const TRANSPARENT = new Set([
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.TypeAssertionExpression,
]);

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts, which do not change the value. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (TRANSPARENT.has(current.kind)) {
    current = (current as ts.ParenthesizedExpression).expression;
  }
  return current;
}

/** `x.name(...)` or `x?.name(...)`: the name node of a method call, or undefined. */
export function methodName(node: ts.CallExpression): ts.MemberName | undefined {
  return ts.isPropertyAccessExpression(node.expression) ? node.expression.name : undefined;
}

/** The key of `this.name` / `this.#name` (`#` kept), or undefined for anything else. */
export function thisPropertyKey(node: ts.Expression): string | undefined {
  return ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword
    ? node.name.text
    : undefined;
}
