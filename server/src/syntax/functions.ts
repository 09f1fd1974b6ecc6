import * as ts from 'typescript';

/** Functions: which nodes are one, where their code stops, and what their body does with `this` and `await`. */

/** Functions, arrows, methods, accessors and constructors (with or without a body). */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/**
 * The function-likes and class static blocks: code that runs in an invocation of its own, with its own
 * `var`s, `return` and `await`, at another time than the code around it.
 */
export function isFunctionOrStaticBlock(node: ts.Node): boolean {
  return isFunctionLike(node) || node.kind === ts.SyntaxKind.ClassStaticBlockDeclaration;
}

/**
 * Where the code of the enclosing function stops: functions, static blocks, classes and field
 * initializers. A loop outside one does not repeat the code inside it, nor does an `await` inside it
 * suspend the enclosing function.
 */
export function isFunctionBoundary(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.PropertyDeclaration:
      return true;
    default:
      return isFunctionOrStaticBlock(node);
  }
}

/** Whether `node` uses its own `this`, `arguments`, `super` or `new.target` (not those of nested functions). */
export function usesOwnThis(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean | undefined => {
    switch (child.kind) {
      case ts.SyntaxKind.ThisKeyword:
      case ts.SyntaxKind.SuperKeyword:
        return true;
      case ts.SyntaxKind.Identifier:
        return (child as ts.Identifier).text === 'arguments' ? true : undefined;
      case ts.SyntaxKind.MetaProperty:
        return true;
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        return undefined;
      default:
        return ts.forEachChild(child, visit);
    }
  };
  return ts.forEachChild(node, visit) === true;
}

/**
 * Whether `node` (a function body, or code in one) contains an `await`, `for await` or `await using` of
 * its own, not one of a nested function.
 */
export function containsOwnAwait(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean => {
    if (isFunctionBoundary(child)) return false;
    if (ts.isAwaitExpression(child)) return true;
    if (ts.isForOfStatement(child) && child.awaitModifier) return true;
    if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) return true;
    return ts.forEachChild(child, visit) === true;
  };
  return visit(node);
}

/** The name of a function-like for messages: `handle`, `#start`, or undefined for an anonymous one. */
export function functionName(fn: ts.Node, parent: ts.Node | undefined): string | undefined {
  const name = (fn as ts.FunctionLikeDeclaration).name;
  if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name))) return name.text;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
