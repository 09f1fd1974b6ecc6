import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import type { Span } from './types';

/**
 * Shared syntax helpers of the group-E patterns (accessors, fields, class-level constructs).
 * Everything here is allocation-free on the paths that reject a node.
 */

/**
 * The span `get name` / `set name` of an accessor: from the `get`/`set` keyword (which is not a
 * node of its own; it follows the decorators and modifiers) to the end of the name.
 */
export function accessorHeadSpan(node: ts.AccessorDeclaration, sourceFile: ts.SourceFile): Span {
  const keyword = tokenAt(sourceFile, node.modifiers ? node.modifiers.end : node.pos);
  const nameEnd = node.name.end;
  return { start: keyword.start, end: nameEnd > keyword.end ? nameEnd : keyword.end };
}

/** The text of a member name that can be compared across declarations, or undefined (computed names). */
export function staticNameText(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  switch (name.kind) {
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.PrivateIdentifier:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.NumericLiteral:
      return name.text;
    default:
      return undefined;
  }
}

/**
 * For `R.name`, `R.#name` or `R['name']` where `isReceiver(R)`, the member's name; otherwise undefined.
 */
export function memberOf(expression: ts.Expression, isReceiver: (receiver: ts.Expression) => boolean): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node)) {
    return isReceiver(node.expression) ? node.name.text : undefined;
  }
  if (ts.isElementAccessExpression(node)) {
    const argument = node.argumentExpression;
    if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
      return isReceiver(node.expression) ? argument.text : undefined;
    }
  }
  return undefined;
}

/**
 * The member name of `this.x`, `this.#x`, `this['x']`, or, when `className` is given (static
 * members of class `C`), also of `C.x` / `C.#x`. Undefined for anything else.
 */
export function thisOrClassMember(expression: ts.Expression, className: string | undefined): string | undefined {
  const member = memberOf(expression, isThis);
  if (member !== undefined || className === undefined) return member;
  const bare = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(bare)) return undefined;
  const receiver = skipOuterExpressions(bare.expression);
  return ts.isIdentifier(receiver) && receiver.text === className ? bare.name.text : undefined;
}

/** The name of the class whose static member `member` is, when it is one; otherwise undefined. */
export function staticOwnerName(member: ts.HasModifiers, owner: ts.Node | undefined): string | undefined {
  return isClassLike(owner) && hasModifier(member, ts.SyntaxKind.StaticKeyword) ? owner.name?.text : undefined;
}

export const isThis = (expression: ts.Expression): boolean => skipOuterExpressions(expression).kind === ts.SyntaxKind.ThisKeyword;

export function isClassLike(node: ts.Node | undefined): node is ts.ClassLikeDeclaration {
  return node !== undefined && (node.kind === ts.SyntaxKind.ClassDeclaration || node.kind === ts.SyntaxKind.ClassExpression);
}

/** Whether `node` starts a new `this` (any function-like or class other than an arrow function). */
export function bindsThis(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.ClassStaticBlockDeclaration:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.SourceFile:
      return true;
    default:
      return false;
  }
}

/** `Object.<method>(...)` with a plain `Object` receiver (the callee), or undefined. */
export function objectStaticCallee(node: ts.CallExpression, methods: ReadonlySet<string>): ts.PropertyAccessExpression | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (!methods.has(callee.name.text)) return undefined;
  const receiver = callee.expression;
  return ts.isIdentifier(receiver) && receiver.text === 'Object' ? callee : undefined;
}
