import * as ts from 'typescript';
import type { Span } from './types';

/**
 * Helpers shared by the runtime patterns of group F (typed-array views, worker threads,
 * structuredClone, weak references): spans and names of `new X(...)` and method calls. Which of those
 * built-in globals a file shadows is told by `fileDeclares` (syntax/globals.ts).
 */

/** `new X` of a `new X(...)`: from the keyword to the end of the constructor expression. */
export function newSpan(node: ts.NewExpression, sourceFile: ts.SourceFile): Span {
  return { start: node.getStart(sourceFile), end: node.expression.end };
}

/** The name of `new Name(...)` when the constructor is a plain identifier. */
export function newCalleeName(node: ts.NewExpression): string | undefined {
  return ts.isIdentifier(node.expression) ? node.expression.text : undefined;
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
