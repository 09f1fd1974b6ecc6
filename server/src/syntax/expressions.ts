import * as ts from 'typescript';
import type { NodeListener } from '../patterns/types';

/**
 * Expressions read through what does not change their value (parentheses, type assertions, `!`),
 * operators, and access chains (`a.b[0].c`).
 */

// ── Outer expressions ──────────────────────────────────────────────────────────────────────────────

/** `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x`: wrappers that leave the value of `x` as it is. */
export function isOuterExpression(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
      return true;
    default:
      return false;
  }
}

/** The expression inside any number of the wrappers `isOuterExpression` accepts. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  while (isOuterExpression(expression)) expression = (expression as ts.ParenthesizedExpression).expression;
  return expression;
}

/**
 * The name a call calls, the key of `Listeners.calls`: `f` for `f()`, `x.f()`, `x?.f()`, `x['f']()` and
 * `(x.f as F)()`; `import` for `import(...)`; undefined for anything else (`f()()`, `x[key]()`).
 */
export function calledName(callee: ts.Expression): string | undefined {
  const expression = skipOuterExpressions(callee);
  switch (expression.kind) {
    case ts.SyntaxKind.Identifier:
      return (expression as ts.Identifier).text;
    case ts.SyntaxKind.PropertyAccessExpression:
      return (expression as ts.PropertyAccessExpression).name.text;
    case ts.SyntaxKind.ElementAccessExpression: {
      const argument = (expression as ts.ElementAccessExpression).argumentExpression;
      return ts.isStringLiteralLike(argument) ? argument.text : undefined;
    }
    case ts.SyntaxKind.ImportKeyword:
      return 'import';
    default:
      return undefined;
  }
}

/** `Listeners.calls` for one handler of the calls of several names. */
export function callsNamed(names: Iterable<string>, listener: NodeListener): { readonly [name: string]: NodeListener } {
  const calls: { [name: string]: NodeListener } = {};
  for (const name of names) calls[name] = listener;
  return calls;
}

/**
 * Like `skipOuterExpressions`, but stops at `as const`: a literal under `as const` is read-only, so it is
 * not a mutable container or copy (`[] as const`, `{ ...user } as const`).
 */
export function skipOuterExpressionsExceptAsConst(expression: ts.Expression): ts.Expression {
  while (isOuterExpression(expression) && !isAsConst(expression)) expression = (expression as ts.ParenthesizedExpression).expression;
  return expression;
}

function isAsConst(expression: ts.Expression): boolean {
  if (expression.kind !== ts.SyntaxKind.AsExpression) return false;
  const type = (expression as ts.AsExpression).type;
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const';
}

/** The expression inside parentheses only (for code whose type assertions matter, such as narrowing). */
export function skipParentheses(expression: ts.Expression): ts.Expression {
  while (expression.kind === ts.SyntaxKind.ParenthesizedExpression) expression = (expression as ts.ParenthesizedExpression).expression;
  return expression;
}

// ── Operators and literals ─────────────────────────────────────────────────────────────────────────

/** `=`, `+=`, `??=` and every other assignment operator. */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `===`, `!==`, `==`, `!=`. */
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

/** Whether `value` is the number literal `n` (`-1` as a prefix minus on `1`). */
export function isNumberLiteral(value: ts.Expression, n: number): boolean {
  const node = skipOuterExpressions(value);
  if (n < 0) {
    return (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(node.operand) &&
      Number(node.operand.text) === -n
    );
  }
  return ts.isNumericLiteral(node) && Number(node.text) === n;
}

// ── Access chains ──────────────────────────────────────────────────────────────────────────────────

export function isAccess(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return node.kind === ts.SyntaxKind.PropertyAccessExpression || node.kind === ts.SyntaxKind.ElementAccessExpression;
}

/**
 * The root of an access chain (`a` in `a.b[0].c`, through `!` and parentheses) when it is an identifier or
 * `this`, else undefined. Allocates nothing.
 */
export function chainRoot(node: ts.Expression): ts.Identifier | ts.ThisExpression | undefined {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.ParenthesizedExpression:
        current = (current as ts.PropertyAccessExpression).expression;
        continue;
      case ts.SyntaxKind.Identifier:
        // A missing identifier in broken code has no text.
        return (current as ts.Identifier).text === '' ? undefined : (current as ts.Identifier);
      case ts.SyntaxKind.ThisKeyword:
        return current as ts.ThisExpression;
      default:
        return undefined;
    }
  }
}

/**
 * The identifier a chain of property accesses starts from (`hooks` in `(hooks as any).AsyncLocalStorage`),
 * through every outer expression; undefined when an element access or anything else is on the way.
 */
export function propertyChainRoot(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

/** How many property or element accesses lead from the root to `node` (`a` 0, `a.b` 1, `a.b[0]` 2). */
export function chainDepth(node: ts.Expression): number {
  let depth = 0;
  let current = node;
  for (;;) {
    if (isAccess(current)) depth++;
    else if (current.kind !== ts.SyntaxKind.NonNullExpression && current.kind !== ts.SyntaxKind.ParenthesizedExpression) return depth;
    current = (current as ts.PropertyAccessExpression).expression;
  }
}

/** The access applied directly to the root of a chain of depth >= 1 (`a.b` in `a.b[0].c`). */
export function firstAccess(node: ts.Expression): ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined;
  let current = node;
  for (;;) {
    if (isAccess(current)) found = current;
    else if (current.kind !== ts.SyntaxKind.NonNullExpression && current.kind !== ts.SyntaxKind.ParenthesizedExpression) return found;
    current = (current as ts.PropertyAccessExpression).expression;
  }
}

/** The property an access names when it is known from syntax (`.b`, `['b']`, `[0]`), else undefined. */
export function accessKey(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (access.kind === ts.SyntaxKind.PropertyAccessExpression) return access.name.text;
  const argument = skipOuterExpressions(access.argumentExpression);
  if (ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument)) return argument.text;
  return undefined;
}

/** Whether two access chains are the same syntax (`this.save` and `this.save`), ignoring trivia. */
export function sameChain(a: ts.Expression, b: ts.Expression): boolean {
  a = skipOuterExpressions(a);
  b = skipOuterExpressions(b);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case ts.SyntaxKind.Identifier:
      return (a as ts.Identifier).text === (b as ts.Identifier).text;
    case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression:
      return (
        (a as ts.PropertyAccessExpression).name.text === (b as ts.PropertyAccessExpression).name.text &&
        sameChain((a as ts.PropertyAccessExpression).expression, (b as ts.PropertyAccessExpression).expression)
      );
    case ts.SyntaxKind.ElementAccessExpression: {
      const keyA = accessKey(a as ts.ElementAccessExpression);
      return (
        keyA !== undefined &&
        keyA === accessKey(b as ts.ElementAccessExpression) &&
        sameChain((a as ts.ElementAccessExpression).expression, (b as ts.ElementAccessExpression).expression)
      );
    }
    default:
      return false;
  }
}

/** `queue` for `queue`, `this.queue` for `this.queue` (and `this.#queue`), else undefined: a key to compare places by. */
export function referenceKey(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) {
    return `this.${value.name.text}`;
  }
  return undefined;
}
