import * as ts from 'typescript';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import type { DetectorContext, Listeners, NodeListener, Span } from './types';

/**
 * Helpers shared by the group-C patterns (generators, well-known symbols, Proxy, callable objects).
 * Everything here works on a tree parsed without parent pointers.
 */

export function findModifier(node: ts.Node, kind: ts.SyntaxKind): ts.Modifier | undefined {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.find((modifier) => modifier.kind === kind);
}

/** A `function*`, `async function*`, `*method()` or `async *method()` with a body (not an overload). */
export type GeneratorLike = (ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration) & {
  readonly asteriskToken: ts.AsteriskToken;
  readonly body: ts.Block;
};

export function asGenerator(node: ts.Node): GeneratorLike | undefined {
  if (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) &&
    node.asteriskToken !== undefined &&
    node.body !== undefined
  ) {
    return node as GeneratorLike;
  }
  return undefined;
}

/** `function` through `*` of a function generator, or `*` through the name of a generator method. */
export function generatorHeadSpan(sourceFile: ts.SourceFile, node: GeneratorLike, fromAsync: boolean): Span {
  const asyncKeyword = fromAsync ? findModifier(node, ts.SyntaxKind.AsyncKeyword) : undefined;
  if (ts.isMethodDeclaration(node)) {
    const start = asyncKeyword ? asyncKeyword.getStart(sourceFile) : node.asteriskToken.getStart(sourceFile);
    return { start, end: node.name.end };
  }
  if (asyncKeyword) return { start: asyncKeyword.getStart(sourceFile), end: node.asteriskToken.end };
  const afterModifiers = node.modifiers ? node.modifiers.end : node.pos;
  const keyword = tokenAt(sourceFile, afterModifiers);
  const start = keyword.kind === ts.SyntaxKind.FunctionKeyword ? keyword.start : node.asteriskToken.getStart(sourceFile);
  return { start, end: node.asteriskToken.end };
}

/** `yield`, or `yield*` through its asterisk. */
export function yieldKeywordSpan(sourceFile: ts.SourceFile, node: ts.YieldExpression): Span {
  const start = node.getStart(sourceFile);
  return { start, end: node.asteriskToken ? node.asteriskToken.end : start + 'yield'.length };
}

/**
 * The generator whose body directly contains `node` (a `yield`), looking up `ancestors` (nearest
 * last). Nested functions, arrows, accessors, constructors, static blocks and field initializers
 * are boundaries; a computed method name belongs to the enclosing scope, so the search goes on past it.
 */
export function owningGenerator(ancestors: readonly ts.Node[], node: ts.Node): GeneratorLike | undefined {
  let child: ts.Node = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const ancestor = ancestors[i]!;
    switch (ancestor.kind) {
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.Constructor: {
        const fn = ancestor as ts.FunctionLikeDeclaration;
        if (fn.name !== undefined && fn.name === child) break;
        if (fn.body !== undefined && fn.body === child) return asGenerator(fn);
        return undefined;
      }
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        return undefined;
      case ts.SyntaxKind.PropertyDeclaration:
        if ((ancestor as ts.PropertyDeclaration).initializer === child) return undefined;
        break;
    }
    child = ancestor;
  }
  return undefined;
}

/** `Global.member` where `Global` is a bare identifier, e.g. `Symbol.iterator`, `Reflect.get`. */
export function isGlobalMember(node: ts.Node, global: string): node is ts.PropertyAccessExpression & {
  readonly expression: ts.Identifier;
  readonly name: ts.Identifier;
} {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === global &&
    ts.isIdentifier(node.name)
  );
}

interface GeneratorRecord {
  readonly head: Span;
  readonly yields: Span[];
}

/**
 * Listeners that report each generator (sync ones, or async ones when `wantAsync`) on its head
 * (`function*`, `async function*`, `*name`, `async *name`), with every `yield` / `yield*` directly
 * in its body as `alsoHoverOn`. The yields are met after their generator, so reports wait for the
 * end of the walk. `extra` adds listeners of other kinds.
 */
export function generatorListeners(
  context: DetectorContext,
  wantAsync: boolean,
  extra?: { readonly [kind in ts.SyntaxKind]?: NodeListener },
): Listeners {
  let records: Map<ts.Node, GeneratorRecord> | undefined;
  const onFunction = (node: ts.Node): void => {
    const generator = asGenerator(node);
    if (!generator || hasModifier(generator, ts.SyntaxKind.AsyncKeyword) !== wantAsync) return;
    (records ??= new Map()).set(generator, { head: generatorHeadSpan(context.sourceFile, generator, wantAsync), yields: [] });
  };
  return {
    ...extra,
    [ts.SyntaxKind.FunctionDeclaration]: onFunction,
    [ts.SyntaxKind.FunctionExpression]: onFunction,
    [ts.SyntaxKind.MethodDeclaration]: onFunction,
    [ts.SyntaxKind.YieldExpression](node) {
      if (!records) return;
      const owner = owningGenerator(context.ancestors, node);
      const record = owner && records.get(owner);
      if (record) record.yields.push(yieldKeywordSpan(context.sourceFile, node as ts.YieldExpression));
    },
    onWalkEnd() {
      if (!records) return;
      for (const { head, yields } of records.values()) context.report(head, yields);
    },
  };
}
