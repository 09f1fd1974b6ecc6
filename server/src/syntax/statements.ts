import * as ts from 'typescript';

/** Loops (which of their parts repeat) and statement lists (where a line can be inserted). */

export type LoopStatement = ts.ForStatement | ts.ForOfStatement | ts.ForInStatement | ts.WhileStatement | ts.DoStatement;

export function isLoopStatement(node: ts.Node): node is LoopStatement {
  switch (node.kind) {
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Whether `child`, a direct child of `loop`, runs on every iteration (not the initializer or the iterated expression). */
export function isRepeatedPart(loop: LoopStatement, child: ts.Node): boolean {
  switch (loop.kind) {
    case ts.SyntaxKind.ForStatement:
      return child === loop.condition || child === loop.incrementor || child === loop.statement;
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
      return child === loop.statement;
    default:
      return true;
  }
}

/** The condition a `while`, `do` or `for` loop tests before each iteration. */
export function loopCondition(loop: LoopStatement): ts.Expression | undefined {
  switch (loop.kind) {
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return loop.expression;
    case ts.SyntaxKind.ForStatement:
      return loop.condition;
    default:
      return undefined;
  }
}

/** Whether `node` sits directly in a list of statements (where a line can be inserted before it). */
export function isStatementListParent(node: ts.Node | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.ModuleBlock:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.DefaultClause:
      return true;
    default:
      return false;
  }
}

/** The statements of a statement-list parent. */
export function statementsOf(node: ts.Node): readonly ts.Statement[] {
  return isStatementListParent(node) ? (node as ts.Block).statements : [];
}
