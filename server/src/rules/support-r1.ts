import * as ts from 'typescript';
import type { Listeners, NodeListener, Span } from '../patterns/types';

/**
 * Helpers shared by the rules of group R1 (loop-var-closure, nan-comparison,
 * fresh-literal-comparison, shared-fill-reference).
 */

// ── Expressions ────────────────────────────────────────────────────────────────────────────────────

/** `expr` without the parentheses, type assertions and `!` around it (none of them change the value). */
export function skipOuter(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

export function isEqualityOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

export function isNegatedEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

export function isStrictEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
}

// ── What TypeScript itself reports ─────────────────────────────────────────────────────────────────

type SourceFileWithDirective = ts.SourceFile & { readonly checkJsDirective?: ts.CheckJsDirective };

/**
 * How much TypeScript checks this file in an editor, judged from the file alone: TypeScript files are
 * checked unless they say `// @ts-nocheck`; JavaScript files get the full check only with `// @ts-check`,
 * and otherwise the short list of "plain JavaScript" errors. (A project's `checkJs` option cannot be seen
 * from here; the default, unset, is assumed.)
 */
export function typeScriptChecking(sourceFile: ts.SourceFile): 'none' | 'plain-js' | 'full' {
  // The parser records the last `// @ts-check` / `// @ts-nocheck` pragma of the file's header.
  const directive = (sourceFile as SourceFileWithDirective).checkJsDirective;
  if (directive && !directive.enabled) return 'none';
  if (!(sourceFile.flags & ts.NodeFlags.JavaScriptFile)) return 'full';
  return directive?.enabled ? 'full' : 'plain-js';
}

// ── Shadowed globals ───────────────────────────────────────────────────────────────────────────────

const BINDING_KINDS: readonly ts.SyntaxKind[] = [
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

export interface GlobalNames {
  /** Listeners that record declarations of the watched names; merge them into the rule's own. */
  readonly listeners: Listeners;
  /** Whether the file declares a binding with this name anywhere. Complete only in `onWalkEnd`. */
  isShadowed(name: string): boolean;
}

/**
 * Watches a file for bindings named like built-in globals (`NaN`, `Number`, `Array`, `Map`...).
 * Conservative and per file: one declaration of the name anywhere means the global is not assumed.
 */
export function watchGlobals(names: ReadonlySet<string>): GlobalNames {
  let shadowed: Set<string> | undefined;
  const record: NodeListener = (node) => {
    const name = (node as ts.NamedDeclaration).name;
    if (name && ts.isIdentifier(name) && names.has(name.text)) (shadowed ??= new Set()).add(name.text);
  };
  const listeners: { [kind: number]: NodeListener } = {};
  for (const kind of BINDING_KINDS) listeners[kind] = record;
  return { listeners: listeners as Listeners, isShadowed: (name) => shadowed?.has(name) ?? false };
}

/** How many bindings named `name` `sourceFile` declares (for decisions made once, in `onWalkEnd` or a fix). */
export function countBindings(sourceFile: ts.SourceFile, name: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (BINDING_KINDS.includes(node.kind)) {
      const bound = (node as ts.NamedDeclaration).name;
      if (bound && ts.isIdentifier(bound) && bound.text === name) count++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return count;
}

/** Whether `sourceFile` declares a binding named `name` anywhere. */
export function fileDeclares(sourceFile: ts.SourceFile, name: string): boolean {
  return countBindings(sourceFile, name) > 0;
}

/** Combines listener sets; where two listen to the same kind, both run in order. Called once per walk. */
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

// ── Finding a reported node again ──────────────────────────────────────────────────────────────────

/**
 * The chain from the source file down to the innermost node that contains all of `span` (leading trivia
 * excluded), for spans that are not exactly one node (`=== NaN`, `fill([])`, `var i`).
 */
export function pathContaining(sourceFile: ts.SourceFile, span: Span): ts.Node[] {
  const path: ts.Node[] = [sourceFile];
  let current: ts.Node = sourceFile;
  for (;;) {
    const next: ts.Node | undefined = ts.forEachChild(current, (child) =>
      child.getStart(sourceFile) <= span.start && span.end <= child.end ? child : undefined,
    );
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

/** A node's code on one line, for a suggestion in a message; undefined when too long to read there. */
export function shortText(node: ts.Node, sourceFile: ts.SourceFile, limit = 30): string | undefined {
  const text = node.getText(sourceFile);
  return text.length <= limit && !text.includes('\n') ? text : undefined;
}

/** `(text)` when `node` is an object literal that would otherwise read as a block after `=>`. */
export function asArrowBody(node: ts.Expression, text: string): string {
  return node.kind === ts.SyntaxKind.ObjectLiteralExpression ? `(${text})` : text;
}
