import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { isFunctionOrStaticBlock } from '../syntax/functions';
import type { DetectorContext, Span } from './types';

/** Shared syntax helpers of group A (decorators and higher-order functions). */

/** The context types of Stage-3 decorators (lib.decorators.d.ts). */
export const DECORATOR_CONTEXT_TYPES: ReadonlySet<string> = new Set([
  'DecoratorContext',
  'ClassDecoratorContext',
  'ClassMethodDecoratorContext',
  'ClassGetterDecoratorContext',
  'ClassSetterDecoratorContext',
  'ClassFieldDecoratorContext',
  'ClassAccessorDecoratorContext',
]);

/** The decorator types of `experimentalDecorators` (lib.decorators.legacy.d.ts). */
export const LEGACY_DECORATOR_TYPES: ReadonlySet<string> = new Set([
  'ClassDecorator',
  'MethodDecorator',
  'PropertyDecorator',
  'ParameterDecorator',
]);

/** The identifier a type reference names (`Foo` in `Foo<T>` and in `ns.Foo`). */
export function typeReferenceName(node: ts.TypeReferenceNode): string {
  const name = node.typeName;
  return name.kind === ts.SyntaxKind.Identifier ? name.text : name.right.text;
}

/** Whether `type` (or any type nested in it) is a reference to one of `names`. */
export function typeMentions(type: ts.Node | undefined, names: ReadonlySet<string>): boolean {
  if (!type) return false;
  if (ts.isTypeReferenceNode(type) && names.has(typeReferenceName(type))) return true;
  return ts.forEachChild(type, (child) => (typeMentions(child, names) ? true : undefined)) === true;
}

/** Strips parentheses around a type. */
export function unwrapType(node: ts.TypeNode): ts.TypeNode {
  while (ts.isParenthesizedTypeNode(node)) node = node.type;
  return node;
}

/** Index in `ancestors` of the nearest enclosing function scope, or -1. */
export function enclosingFunctionIndex(ancestors: readonly ts.Node[]): number {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    if (isFunctionOrStaticBlock(ancestors[i]!)) return i;
  }
  return -1;
}

/**
 * The name to show for a function that is declared (`function f`), a method (`f() {}`), or a
 * function or arrow stored in a `const`/`let` (`const f = () => ...`): the identifier, or
 * undefined when there is none (anonymous default exports, computed names, destructuring).
 */
export function declaredFunctionName(fn: ts.Node, parent: ts.Node | undefined): ts.Identifier | ts.PrivateIdentifier | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.body ? fn.name : undefined;
  if (ts.isMethodDeclaration(fn)) {
    return fn.body && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name : undefined;
  }
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && parent && ts.isVariableDeclaration(parent)) {
    return ts.isIdentifier(parent.name) ? parent.name : undefined;
  }
  return undefined;
}

/** The function stored by `const f = <fn>` (through parentheses and `as`/`satisfies`). */
export function storedFunction(declaration: ts.VariableDeclaration): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (!declaration.initializer) return undefined;
  const value = skipOuterExpressions(declaration.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
}

/**
 * Calls `visit` with the expression of every `return` of `fn` itself (not of nested functions or
 * classes), and with the body of an arrow function with an expression body. Stops when `visit`
 * returns true, and returns whether it did.
 */
export function someReturnedExpression(
  fn: ts.FunctionLikeDeclaration,
  visit: (expression: ts.Expression) => boolean,
): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return visit(body);
  const scan = (node: ts.Node): boolean | undefined => {
    if (isFunctionOrStaticBlock(node) || ts.isClassLike(node)) return undefined;
    if (ts.isReturnStatement(node)) return node.expression && visit(node.expression) ? true : undefined;
    return ts.forEachChild(node, scan);
  };
  return ts.forEachChild(body, scan) === true;
}

/** The span of `node` when it fits on one line, else the span of `fallback`. */
export function oneLineSpan(context: DetectorContext, node: ts.Node, fallback: ts.Node): Span {
  const sourceFile = context.sourceFile;
  const start = node.getStart(sourceFile);
  const end = node.end;
  if (sourceFile.getLineAndCharacterOfPosition(start).line === sourceFile.getLineAndCharacterOfPosition(end).line) {
    return { start, end };
  }
  return { start: fallback.getStart(sourceFile), end: fallback.end };
}

/** The identifier a decorator is named by: `x` in `@x`, `@x()`, `@a.x`, `@a.x<T>(1)`, `@(x)`. */
export function decoratorName(decorator: ts.Decorator): string | undefined {
  let expression = skipOuterExpressions(decorator.expression);
  if (ts.isCallExpression(expression)) expression = skipOuterExpressions(expression.expression);
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) return expression.name.text;
  return undefined;
}
