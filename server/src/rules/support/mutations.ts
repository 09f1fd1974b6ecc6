import * as ts from 'typescript';
import { isAccess, isAssignmentOperator, skipOuterExpressions } from '../../syntax/expressions';

/** Changes made to objects through access chains: assignments, `delete`, `++`, mutating method calls. */

/** Methods that change the array they are called on. */
export const MUTATING_ARRAY_METHODS: ReadonlySet<string> = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);

/** Methods that change the array, `Map`, `Set` (or `WeakMap`/`WeakSet`) they are called on. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([...MUTATING_ARRAY_METHODS, 'set', 'add', 'delete', 'clear']);
/** The names of the calls in which `mutatedTarget` finds a mutation (for `Listeners.calls`). */
export const MUTATING_CALL_NAMES: readonly string[] = [...MUTATING_METHODS, 'assign'];

/**
 * A change made to an object through an access chain: `object` is the expression of the object that
 * changes (`a.b` in `a.b.c = 1`, `a.b.push(x)`, `delete a.b.c`, `a.b.c++`, `Object.assign(a.b, x)`),
 * `property` the access set or deleted (undefined for method calls and `Object.assign`). `rebinds` is set
 * when the variable itself is assigned (`a = ...`, `a++`), `object` then being the identifier.
 */
export interface Mutation {
  readonly node: ts.Expression;
  readonly object: ts.Expression;
  readonly property?: ts.PropertyAccessExpression | ts.ElementAccessExpression;
  readonly method?: string;
  readonly rebinds: boolean;
}

/**
 * The changed object's expression of a possible mutation node, before any allocation; `describeMutation`
 * gives the whole description. Undefined when `node` changes nothing through an access chain.
 */
export function mutatedTarget(node: ts.Node): ts.Expression | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.BinaryExpression: {
      const { left, operatorToken } = node as ts.BinaryExpression;
      if (!isAssignmentOperator(operatorToken.kind)) return undefined;
      return skipOuterExpressions(left);
    }
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression: {
      const { operator, operand } = node as ts.PrefixUnaryExpression;
      if (operator !== ts.SyntaxKind.PlusPlusToken && operator !== ts.SyntaxKind.MinusMinusToken) return undefined;
      return skipOuterExpressions(operand);
    }
    case ts.SyntaxKind.DeleteExpression:
      return skipOuterExpressions((node as ts.DeleteExpression).expression);
    case ts.SyntaxKind.CallExpression: {
      const { expression, arguments: args } = node as ts.CallExpression;
      if (expression.kind !== ts.SyntaxKind.PropertyAccessExpression) return undefined;
      const callee = expression as ts.PropertyAccessExpression;
      const method = callee.name.text;
      if (MUTATING_METHODS.has(method)) return callee.expression;
      if (
        method === 'assign' &&
        callee.expression.kind === ts.SyntaxKind.Identifier &&
        (callee.expression as ts.Identifier).text === 'Object' &&
        args.length >= 2
      ) {
        return skipOuterExpressions(args[0]!);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The full description of the mutation `node` makes (see `Mutation`), or undefined. */
export function describeMutation(node: ts.Node): Mutation | undefined {
  const target = mutatedTarget(node);
  if (!target) return undefined;
  if (node.kind === ts.SyntaxKind.CallExpression) {
    const callee = (node as ts.CallExpression).expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    return { node: node as ts.Expression, object: skipOuterExpressions(target), method: MUTATING_METHODS.has(method) ? method : 'Object.assign', rebinds: false };
  }
  if (target.kind === ts.SyntaxKind.Identifier) return { node: node as ts.Expression, object: target, rebinds: true };
  if (!isAccess(target)) return undefined;
  return { node: node as ts.Expression, object: skipOuterExpressions(target.expression), property: target, rebinds: false };
}

/** Whether `node` is written to: the target of `=`/`+=`/..., of `++`/`--`, or of `delete`. */
export function isWriteTarget(node: ts.Node, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  if (ts.isBinaryExpression(parent)) return parent.left === node && isAssignmentOperator(parent.operatorToken.kind);
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return ts.isDeleteExpression(parent);
}
