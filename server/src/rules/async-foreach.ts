import * as ts from 'typescript';
import { callsNamed } from '../syntax/expressions';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, TextEdit } from '../patterns/types';
import { containsOwnAwait, isFunctionBoundary } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { isLoopStatement } from '../syntax/statements';
import { arrayEvidenceOf } from './support/arrays';
import { quote } from './support/messages';

/** `items.forEach(async (x) => { ... })` or a discarded `items.map(async ...)`, as a statement. */
interface AsyncIteration {
  readonly call: ts.CallExpression;
  readonly callee: ts.PropertyAccessExpression;
  readonly method: 'forEach' | 'map';
  readonly callback: ts.ArrowFunction | ts.FunctionExpression;
  /** The statement the call makes up (with its `await`, if any); undefined when it is part of a larger expression. */
  readonly statement: ts.ExpressionStatement | undefined;
  /** `await items.forEach(...)`: awaiting `undefined`. */
  readonly awaited: boolean;
}

/**
 * The async iteration made by `call`, given the call's ancestors (nearest last): the statement the
 * call makes up, or an `await` and then that statement.
 */
function iterationAt(ancestors: readonly ts.Node[], call: ts.Node): AsyncIteration | undefined {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const callee = call.expression;
  const method = callee.name.text;
  if (method !== 'forEach' && method !== 'map') return undefined;
  const callback = call.arguments[0];
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  if (!hasModifier(callback, ts.SyntaxKind.AsyncKeyword)) return undefined;
  let index = ancestors.length - 1;
  let awaited = false;
  if (ancestors[index] && ts.isAwaitExpression(ancestors[index]!)) {
    // `await items.map(async ...)` awaits an array: as bad, but leave the rarer spelling to review.
    if (method !== 'forEach') return undefined;
    awaited = true;
    index--;
  }
  const parent = ancestors[index];
  if (!parent) return undefined;
  const direct = ts.isExpressionStatement(parent);
  if (!direct && (awaited || !isDiscarded(ancestors, index, call))) return undefined;
  if (!containsOwnAwait(callback.body)) return undefined;
  return { call, callee, method, callback, statement: direct ? parent : undefined, awaited };
}

/**
 * Whether the call's value is thrown away through `&&`, `||`, `??`, `,` or `?:` in an expression
 * statement (`ready && items.forEach(async ...)`, minified code's `a(), items.forEach(...)`).
 */
function isDiscarded(ancestors: readonly ts.Node[], from: number, call: ts.Node): boolean {
  let child: ts.Node = call;
  for (let i = from; i >= 0; i--) {
    const node = ancestors[i]!;
    if (ts.isExpressionStatement(node)) return true;
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      if (kind === ts.SyntaxKind.CommaToken && node.left === child) return true;
      const passes =
        kind === ts.SyntaxKind.CommaToken ||
        kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        kind === ts.SyntaxKind.BarBarToken ||
        kind === ts.SyntaxKind.QuestionQuestionToken;
      if (!passes || node.right !== child) return false;
    } else if (ts.isConditionalExpression(node)) {
      if (node.condition === child) return false;
    } else if (!ts.isParenthesizedExpression(node)) {
      return false;
    }
    child = node;
  }
  return false;
}

/** The nearest enclosing function, if it is `async` (so the fixes may `await`). */
function inAsyncFunction(ancestors: readonly ts.Node[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (isFunctionBoundary(node)) return hasModifier(node, ts.SyntaxKind.AsyncKeyword);
  }
  return false;
}

/** What both fixes need: an async function around it, and a receiver known to be an array (not a Map, a Set or a stream). */
function canRewrite(iteration: AsyncIteration, ancestors: readonly ts.Node[]): boolean {
  const { call, callee } = iteration;
  if (!iteration.statement) return false;
  if (callee.questionDotToken || call.questionDotToken || (callee.flags & ts.NodeFlags.OptionalChain) !== 0) return false;
  return inAsyncFunction(ancestors) && arrayEvidenceOf(callee.expression, ancestors) === 'array';
}

/**
 * The `return` statements a `for...of` body would turn into `continue`, or undefined when the body
 * cannot move: a `return` with a value, a `return` inside a nested loop (where `continue` would go
 * on with that loop), or a `var` (which would leak into the enclosing function). A `continue` inside a
 * `switch` goes on with the enclosing loop, as the `return` did.
 */
function bareReturns(body: ts.Block): ts.ReturnStatement[] | undefined {
  const returns: ts.ReturnStatement[] = [];
  let blocked = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (blocked || isFunctionBoundary(node)) return;
    if (ts.isReturnStatement(node)) {
      if (node.expression || nested) blocked = true;
      else returns.push(node);
      return;
    }
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      blocked = true;
      return;
    }
    const inner = nested || isLoopStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(body, (child) => visit(child, false));
  return blocked ? undefined : returns;
}

/** Whether `for (const <param> of <receiver>)` keeps its meaning: one plain parameter of an arrow, not used by the receiver. */
function forOfParameter(iteration: AsyncIteration): ts.Identifier | undefined {
  const { callback, call, callee } = iteration;
  if (!ts.isArrowFunction(callback) || call.arguments.length !== 1 || callback.parameters.length !== 1) return undefined;
  const [parameter] = callback.parameters;
  if (!parameter || parameter.dotDotDotToken || parameter.initializer || !ts.isIdentifier(parameter.name)) return undefined;
  const name = parameter.name.text;
  // `for (const item of item.children)` reads the loop variable before it exists.
  const mentions = (node: ts.Node): boolean => (ts.isIdentifier(node) && node.text === name) || ts.forEachChild(node, mentions) === true;
  return mentions(callee.expression) ? undefined : parameter.name;
}

function canLoop(iteration: AsyncIteration): boolean {
  if (!forOfParameter(iteration)) return false;
  const body = iteration.callback.body;
  return !ts.isBlock(body) || bareReturns(body) !== undefined;
}

function locate(sourceFile: ts.SourceFile, span: { start: number; end: number }) {
  const path = nodePathAt(sourceFile, span, (node) => ts.isIdentifier(node));
  if (!path || path.length < 4) return undefined;
  const callee = path[path.length - 2]!;
  const call = path[path.length - 3]!;
  if (!ts.isPropertyAccessExpression(callee) || callee.name !== path[path.length - 1]) return undefined;
  const ancestors = path.slice(0, -3);
  const iteration = iterationAt(ancestors, call);
  return iteration && canRewrite(iteration, ancestors) ? { iteration, ancestors } : undefined;
}

function toForOf(sourceFile: ts.SourceFile, span: { start: number; end: number }): readonly TextEdit[] {
  const found = locate(sourceFile, span);
  const statement = found?.iteration.statement;
  if (!found || !statement || !canLoop(found.iteration)) return [];
  const { callback, callee } = found.iteration;
  const parameter = forOfParameter(found.iteration)!;
  const builder = new EditBuilder(sourceFile);
  const head = `for (const ${parameter.text} of ${builder.textOf(callee.expression)}) `;
  const body = callback.body;
  const bodyStart = body.getStart(sourceFile);
  if (ts.isBlock(body)) {
    builder.replaceRange(statement.getStart(sourceFile), bodyStart, head);
    for (const ret of bareReturns(body)!) {
      const start = ret.getStart(sourceFile);
      builder.replaceRange(start, start + 'return'.length, 'continue');
    }
    builder.replaceRange(body.end, statement.end, '');
  } else {
    builder.replaceRange(statement.getStart(sourceFile), bodyStart, `${head}{ `);
    builder.replaceRange(body.end, statement.end, '; }');
  }
  return builder.build();
}

function toPromiseAll(sourceFile: ts.SourceFile, span: { start: number; end: number }): readonly TextEdit[] {
  const found = locate(sourceFile, span);
  if (!found) return [];
  const { call, callee, method, awaited } = found.iteration;
  const builder = new EditBuilder(sourceFile);
  builder.insertAt(call.getStart(sourceFile), awaited ? 'Promise.all(' : 'await Promise.all(');
  if (method === 'forEach') builder.replaceNode(callee.name, 'map');
  builder.insertAt(call.end, ')');
  return builder.build();
}

export const asyncForeach: RuleDefinition = {
  id: 'async-foreach',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['003', '004'],
  defaultSeverity: 'warning',
  prose: {
    title: '`async` callback passed to `forEach` (or to a discarded `map`)',
    summary: '`forEach` calls its callback and throws away what it returns, so with an `async` callback nothing waits for the promises it returns.',
    what:
      'Each call of the `async` callback runs until its first `await` and returns a pending promise; `forEach` drops it and moves on, then returns `undefined` (so `await items.forEach(...)` waits for nothing). The code after the loop runs before the work is done, the callbacks run concurrently rather than one after another, and an error thrown inside one becomes an unhandled rejection: no `try`/`catch` around the loop sees it, and by default Node.js raises it as an uncaught exception, which ends the process unless something handles it. A `map(async ...)` whose array of promises is discarded has the same problem.',
    when:
      'Saving, sending or deleting items one by one (`rows.forEach(async (row) => { await db.insert(row) })`) and then reporting success, closing a connection or exiting: the work is cut short or reported before it is done, and failures go unnoticed.',
    whenNot:
      'The rule needs an `async` callback that awaits something itself. It leaves alone a `forEach` whose result is used (returned, assigned or passed on, and `await`ed unless the receiver is known to be an array): a Node.js stream\'s `forEach` awaits its callback and returns a promise. A `map(async ...)` whose promises are kept (`const pending = items.map(async ...)`, `Promise.all(items.map(...))`) or discarded on purpose with `void` is left alone too.',
    pitfall:
      'The two rewrites differ: `for...of` with `await` runs the items one after another (slower, ordered, stops at the first error), `await Promise.all(items.map(async ...))` runs them together and rejects on the first failure while the others keep running (use `Promise.allSettled` to wait for every one). Both make the enclosing function wait, which changes its timing, and `for...of` also visits the holes of a sparse array and elements added during the loop, which `forEach` skips: neither is applied by "fix all". The fixes are offered only in an `async` function and on a value known to be an array (a `Map`\'s `forEach` passes `(value, key)`, and `for...of` over a Map yields `[key, value]` pairs).',
  },
  python: {
    name: 'coroutines started but never awaited (`asyncio.create_task` without `await`/`gather`)',
    example: 'for url in urls: asyncio.create_task(fetch(url))      # nothing waits; errors are only logged\nawait asyncio.gather(*(fetch(url) for url in urls))  # waits for all, raises the first error',
    note: 'Calling a coroutine function without `await` in Python does not even start it (you get a "never awaited" warning); a JavaScript `async` function starts at once and runs to its first `await`, so half the work happens and the rest finishes later, unobserved, like an un-awaited task.',
  },
  examples: {
    incorrect: [
      "async function save(name: string): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 10, name));\n}\n\nexport async function saveAll(names: string[]): Promise<void> {\n  names.forEach(async (name) => {\n    await save(name);\n  });\n  console.log('saved');\n}\n",
    ],
    correct: [
      "async function save(name: string): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 10, name));\n}\n\nexport async function saveAll(names: string[]): Promise<void> {\n  for (const name of names) {\n    await save(name);\n  }\n  console.log('saved');\n}\n",
      "async function save(name: string): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 10, name));\n}\n\nexport async function saveAll(names: string[]): Promise<void> {\n  await Promise.all(names.map(async (name) => {\n    await save(name);\n  }));\n  console.log('saved');\n}\n",
    ],
  },
  links: [
    { title: 'MDN: Array.prototype.forEach()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/forEach' },
    { title: 'MDN: Promise.all()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/all' },
    { title: 'Node.js: --unhandled-rejections', url: 'https://nodejs.org/api/cli.html#--unhandled-rejectionsmode' },
  ],
  fixes: [
    {
      id: 'for-of-await',
      title: 'Rewrite as `for...of` with `await`: items now run one after another, and the function waits for them and sees their errors',
      safe: false,
      doChange: toForOf,
    },
    {
      id: 'await-promise-all',
      title: 'Rewrite as `await Promise.all(....map(...))`: items still run concurrently, but the function now waits for all of them and rejects if one fails',
      safe: false,
      doChange: toPromiseAll,
    },
  ],
  create(context) {
    const { sourceFile } = context;
    return {
      calls: callsNamed(['forEach', 'map'], (node) => {
        const callee = (node as ts.CallExpression).expression;
        if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return;
        const iteration = iterationAt(context.ancestors, node);
        if (!iteration) return;
        const ancestors = context.ancestors;
        // `await items.forEach(...)` on something that may be a stream (whose forEach returns a promise): leave it.
        if (iteration.awaited && arrayEvidenceOf(iteration.callee.expression, ancestors) !== 'array') return;
        const fixes: string[] = [];
        if (canRewrite(iteration, ancestors)) {
          if (canLoop(iteration)) fixes.push('for-of-await');
          fixes.push('await-promise-all');
        }
        const what = quote(iteration.callee, sourceFile);
        context.report({
          at: iteration.callee.name,
          message:
            iteration.method === 'forEach'
              ? `${what} ignores the promises its \`async\` callback returns: the code after it runs before the callbacks finish, and an error in one becomes an unhandled rejection (by default it ends a Node.js process).`
              : `${what} returns the promises of its \`async\` callback and this statement discards them: nothing waits for the callbacks to finish, and an error in one becomes an unhandled rejection (by default it ends a Node.js process).`,
          fixes,
        });
      }),
    };
  },
};
