import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { PatternDefinition } from './types';

/** Method names whose call, in a `finally`, releases what the receiver holds. */
const RELEASE_METHODS: ReadonlySet<string> = new Set([
  'close',
  'closeSync',
  'dispose',
  'disposeAsync',
  'release',
  'releaseLock',
  'destroy',
  'end',
  'unlock',
  'disconnect',
  'return',
  'terminate',
  'quit',
  'kill',
  'free',
  'abort',
  'cancel',
  'unsubscribe',
  'off',
  'removeListener',
  'removeEventListener',
  'revokeObjectURL',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'rm',
  'rmSync',
  'rmdir',
  'rmdirSync',
  'unlink',
  'unlinkSync',
]);

/** Free functions that release a timer. */
const RELEASE_FUNCTIONS: ReadonlySet<string> = new Set(['clearTimeout', 'clearInterval', 'clearImmediate']);

const PROMISE_COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled']);

/** How deep into `if`/blocks/loops/nested `try` a release call may sit. */
const MAX_DEPTH = 4;

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (ts.isAwaitExpression(current) || ts.isVoidExpression(current)) current = current.expression;
    else if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else return current;
  }
}

function isDisposeSymbol(expression: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'Symbol' &&
    (expression.name.text === 'dispose' || expression.name.text === 'asyncDispose')
  );
}

/** `x.close()`, `x?.return?.()`, `clearTimeout(t)`, `x[Symbol.dispose]()`, `await Promise.all([a.close(), ...])`. */
function isReleaseCall(expression: ts.Expression, depth: number): boolean {
  const call = unwrap(expression);
  if (ts.isBinaryExpression(call)) {
    // `x && x.close()`
    const operator = call.operatorToken.kind;
    return (
      (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) &&
      isReleaseCall(call.right, depth)
    );
  }
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return RELEASE_FUNCTIONS.has(callee.text) && call.arguments.length > 0;
  if (ts.isElementAccessExpression(callee)) return isDisposeSymbol(callee.argumentExpression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return false;
  const method = callee.name.text;
  if (
    PROMISE_COMBINATORS.has(method) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Promise' &&
    depth < MAX_DEPTH
  ) {
    const list = call.arguments[0];
    return !!list && ts.isArrayLiteralExpression(list) && list.elements.some((element) => isReleaseCall(element, depth + 1));
  }
  return RELEASE_METHODS.has(method);
}

/** Whether `statement` releases a resource, possibly under a guard, a block, a loop or a nested `try`. */
function releases(statement: ts.Statement, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (statement.kind) {
    case ts.SyntaxKind.ExpressionStatement:
      return isReleaseCall((statement as ts.ExpressionStatement).expression, depth);
    case ts.SyntaxKind.Block:
      return (statement as ts.Block).statements.some((s) => releases(s, depth + 1));
    case ts.SyntaxKind.IfStatement: {
      const { thenStatement, elseStatement } = statement as ts.IfStatement;
      return releases(thenStatement, depth + 1) || (!!elseStatement && releases(elseStatement, depth + 1));
    }
    case ts.SyntaxKind.TryStatement:
      return (statement as ts.TryStatement).tryBlock.statements.some((s) => releases(s, depth + 1));
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.WhileStatement:
      return releases((statement as ts.IterationStatement).statement, depth + 1);
    default:
      return false;
  }
}

export const tryFinallyCleanup: PatternDefinition = {
  id: 'try-finally-cleanup',
  kind: 'pattern',
  category: 'resources',
  seeds: ['002', '003', '004'],
  prose: {
    title: '`try`/`finally` cleanup',
    summary:
      'A `finally` block that releases a resource (closes, disposes, unlocks, clears a timer), so the release happens whether the `try` block returns, breaks or throws.',
    what:
      'The `finally` block runs on every way out of the `try` (and `catch`): normal completion, `return`, `break`/`continue`, or an exception, which is rethrown afterwards. The cleanup is written at the end, far from where the resource was acquired, and nothing ties the two together: this is the pattern `using` and `DisposableStack` package up.',
    when:
      'Cleanup that is not an object with `[Symbol.dispose]` and is needed once (restore a setting, release a lock from an API you do not control), code that must run on runtimes or compilers without explicit resource management, or a `catch` that has to see the error before cleanup.',
    whenNot:
      'When the resource is (or can cheaply be made) `Disposable`: `using x = acquire()` keeps acquisition and release on one line and cannot forget the release on a new early `return`. With two or more resources, one `DisposableStack` releases them in reverse order and keeps going when one release throws, which a hand-written `finally` does not.',
    pitfall:
      'An exception thrown by the cleanup itself replaces the one coming out of the `try`, which is then lost, and it skips every later statement of the `finally` (so `a.close(); b.close();` leaks `b` if `a.close()` throws). A `return` inside `finally` also silently discards a pending exception.',
  },
  python: {
    name: 'try/finally inside `@contextmanager`',
    example: 'try: yield conn\nfinally: conn.close()',
    note:
      'In Python the `try`/`finally` around a `yield` becomes reusable as a `with` block via `@contextmanager`. TypeScript has no generator-based equivalent: the reusable form is an object with `[Symbol.dispose]`, or a `DisposableStack` with `defer`.',
  },
  example: `import { open } from 'node:fs/promises';

export async function countLines(path: string, signal: AbortSignal): Promise<number> {
  const file = await open(path, 'r');
  const timer = setTimeout(() => console.warn(\`still counting \${path}\`), 5_000);
  const onAbort = () => void file.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let lines = 0;
    for await (const _line of file.readLines()) lines++;
    return lines;
  } finally {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    await file.close();
  }
}
`,
  links: [
    { title: 'MDN: try...catch (the finally block)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/try...catch#the_finally_block' },
    { title: 'MDN: JavaScript resource management', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Resource_management' },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.TryStatement](node) {
        const statement = node as ts.TryStatement;
        const finallyBlock = statement.finallyBlock;
        if (!finallyBlock || !finallyBlock.statements.some((s) => releases(s, 0))) return;
        const keyword = tokenAt(context.sourceFile, (statement.catchClause ?? statement.tryBlock).end);
        if (keyword.kind !== ts.SyntaxKind.FinallyKeyword) return;
        context.report({ start: keyword.start, end: keyword.end });
      },
    };
  },
};
