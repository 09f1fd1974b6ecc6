import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { isFunctionLike } from '../syntax/functions';
import { methodCallNames, type Owner, ownerOf } from '../syntax/owners';
import { ASYNC_HOOKS, mayBeAlsConstructor, nodeAlsConstructions } from './support/async-local-storage';
import { quote } from './support/messages';
import { ModuleBindings } from './support/node-modules';

/** `ts.SyntaxKind`, read once: each `ts.X` is a getter call on the module object. */
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

const ENTER_WITH: ReadonlySet<string> = new Set(['enterWith']);
const FIX_ID = 'rewrite-to-run';

/** What the rewrite to `run` needs: the statement, the block it opens, and how to call `run`. */
interface RunPlan {
  readonly call: ts.CallExpression;
  readonly callee: ts.PropertyAccessExpression;
  readonly statement: ts.ExpressionStatement;
  readonly block: ts.Block;
  /** `return ` when the rest of a function body returns values, `await ` when it awaits. */
  readonly prefix: '' | 'return ' | 'await ';
  readonly async: boolean;
}

/**
 * Whether the statements after `enterWith` can move into an arrow function unchanged: no `yield`,
 * no `var` or function declaration (hoisted: visible before the move), no `break`/`continue` leaving
 * them, and `return` only when they are the rest of a function body. Reports `return`/`await` use.
 */
function scanRest(rest: readonly ts.Statement[], isFunctionBody: boolean): { returns: boolean; awaits: boolean } | undefined {
  let returns = false;
  let awaits = false;
  let ok = true;
  const visit = (node: ts.Node, loopDepth: number, switchDepth: number): void => {
    if (!ok || isFunctionLike(node) || node.kind === K.ClassDeclaration || node.kind === K.ClassExpression) return;
    switch (node.kind) {
      case K.ReturnStatement:
        if (!isFunctionBody) ok = false;
        returns = true;
        break;
      case K.YieldExpression:
        ok = false;
        return;
      case K.AwaitExpression:
        awaits = true;
        break;
      case K.ForOfStatement:
        if ((node as ts.ForOfStatement).awaitModifier) awaits = true;
        break;
      case K.VariableDeclarationList: {
        const flags = node.flags & ts.NodeFlags.BlockScoped;
        if (flags === 0) ok = false; // `var`
        if (flags === ts.NodeFlags.AwaitUsing) awaits = true;
        break;
      }
      case K.BreakStatement:
      case K.ContinueStatement: {
        const jump = node as ts.BreakOrContinueStatement;
        const inside = node.kind === K.BreakStatement ? loopDepth + switchDepth : loopDepth;
        if (jump.label || inside === 0) ok = false;
        return;
      }
      default:
        break;
    }
    const kind = node.kind;
    const isLoop =
      kind === K.ForStatement || kind === K.ForOfStatement || kind === K.ForInStatement || kind === K.WhileStatement || kind === K.DoStatement;
    const isSwitch = kind === K.SwitchStatement;
    forEachChild(node, (child) => visit(child, loopDepth + (isLoop ? 1 : 0), switchDepth + (isSwitch ? 1 : 0)));
  };
  for (const statement of rest) {
    if (statement.kind === K.FunctionDeclaration) return undefined;
    visit(statement, 0, 0);
    if (!ok) return undefined;
  }
  return { returns, awaits };
}

/**
 * The rewrite of `storage.enterWith(value)` to `storage.run(value, () => { ...rest })`, when the
 * call is the first statement of a block (a function body, or a block in one) that has more
 * statements, and those can move into an arrow function without changing what they do.
 */
function runPlan(call: ts.CallExpression, ancestors: readonly ts.Node[]): RunPlan | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || call.questionDotToken) return undefined;
  if (call.arguments.length !== 1 || ts.isSpreadElement(call.arguments[0]!)) return undefined;
  const statement = ancestors[ancestors.length - 1];
  const block = ancestors[ancestors.length - 2];
  const owner = ancestors[ancestors.length - 3];
  if (!statement || !ts.isExpressionStatement(statement) || statement.expression !== call) return undefined;
  if (!block || !ts.isBlock(block) || block.statements[0] !== statement || block.statements.length < 2) return undefined;
  if (!owner) return undefined;
  const isFunctionBody = isFunctionLike(owner) && owner.body === block;
  if (isFunctionBody && (owner.kind === K.Constructor || (owner as ts.FunctionLikeDeclaration).asteriskToken)) return undefined;
  const scan = scanRest(block.statements.slice(1), isFunctionBody);
  if (!scan) return undefined;
  const prefix = scan.returns ? 'return ' : scan.awaits ? 'await ' : '';
  return { call, callee, statement, block, prefix, async: scan.awaits };
}

/** Offsets of the line starts in (from, to) that may take more indentation: not blank, not inside a multi-line literal. */
function lineStartsToIndent(sourceFile: ts.SourceFile, rest: readonly ts.Statement[], from: number, to: number): number[] {
  const text = sourceFile.text;
  const literals: { start: number; end: number }[] = [];
  const collect = (node: ts.Node): void => {
    if (
      node.kind === K.NoSubstitutionTemplateLiteral ||
      node.kind === K.TemplateExpression ||
      node.kind === K.StringLiteral ||
      node.kind === K.JsxText
    ) {
      literals.push({ start: node.getStart(sourceFile), end: node.end });
      return;
    }
    forEachChild(node, collect);
  };
  for (const statement of rest) collect(statement);
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 10 && ch !== 13) continue;
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    const lineStart = i + 1;
    if (lineStart >= to) break;
    let end = lineStart;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (end >= text.length || text[end] === '\n' || text[end] === '\r') continue;
    if (literals.some((literal) => literal.start < lineStart && lineStart < literal.end)) continue;
    starts.push(lineStart);
  }
  return starts;
}

export const alsEnterWith: RuleDefinition = {
  id: 'als-enter-with',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['001'],
  defaultSeverity: 'warning',
  prose: {
    title: '`AsyncLocalStorage#enterWith`',
    summary:
      '`storage.enterWith(value)` switches the current store with no end: unlike `run`, it does not restore the previous store when the function that called it returns.',
    what:
      'Node documents `enterWith` as entering the context "for the remainder of the current synchronous execution" and then keeping the store "through any following asynchronous calls". Everything that runs after the call in the same synchronous execution sees the value: the rest of the caller after your function returns, the next listeners of the same event, every timer and promise they start. A request context set this way can show up in work that belongs to another request.',
    when:
      'Middleware and event handlers that set a per-request store (`storage.enterWith({ requestId })`) and then call `next()` or return, expecting the store to apply only to what follows in that handler.',
    whenNot:
      'The rule reports only `enterWith` on a store this file creates with `new AsyncLocalStorage()` imported from `node:async_hooks` (a variable or a class field). It leaves alone an `enterWith` written inside a callback passed to `run` of the same store, where the surrounding `run` restores the previous store when it returns.',
    pitfall:
      'The quick fix wraps the rest of the block in `storage.run(value, () => { ... })`, which is only offered when the call opens a block and the following statements can move into an arrow function unchanged (no `yield`, no hoisted `var`/function, no `break` leaving them; `await` makes the arrow `async`). It is a behaviour change by design: code running after the block no longer sees the store, so check that nothing there relied on it.',
  },
  python: {
    name: '`ContextVar.set` without `reset(token)`',
    example: 'request_id.set(new_id)   # the token that would undo it is dropped\nhandle(request)          # new_id stays current for everything that runs after this in the context',
    note: 'A bare `ContextVar.set` is undone only by `reset(token)`, usually in a `finally` or a context manager. `enterWith` has no token at all: `run(store, fn)` is the set-and-reset pair in one call.',
  },
  examples: {
    incorrect: [
      `import { AsyncLocalStorage } from 'node:async_hooks';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function onRequest(requestId: string, next: () => void): void {
  requestContext.enterWith({ requestId });
  next();
}
`,
    ],
    correct: [
      `import { AsyncLocalStorage } from 'node:async_hooks';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function onRequest(requestId: string, next: () => void): void {
  requestContext.run({ requestId }, next);
}
`,
    ],
  },
  links: [
    { title: 'Node.js: asyncLocalStorage.enterWith(store)', url: 'https://nodejs.org/api/async_context.html#asynclocalstorageenterwithstore' },
    { title: 'Node.js: asyncLocalStorage.run(store, callback[, ...args])', url: 'https://nodejs.org/api/async_context.html#asynclocalstoragerunstore-callback-args' },
  ],
  fixes: [
    {
      id: FIX_ID,
      title: 'Rewrite to `run(value, () => { … })` around the rest of the block: code after the block no longer sees the store',
      safe: false,
      doChange(sourceFile, span) {
        const path = nodePathAt(sourceFile, span, (node) => ts.isPropertyAccessExpression(node) && node.name.text === 'enterWith');
        if (!path || path.length < 3) return [];
        const call = path[path.length - 2]!;
        if (!ts.isCallExpression(call)) return [];
        const plan = runPlan(call, path.slice(0, -2));
        if (!plan) return [];
        const builder = new EditBuilder(sourceFile);
        const { statement, block, callee, prefix } = plan;
        const rest = block.statements.slice(1);
        const last = rest[rest.length - 1]!;
        // `storage.enterWith(value);` -> `storage.run(value, () => {`: the name, then the `);` after the value.
        if (prefix) builder.insertAt(statement.getStart(sourceFile), prefix);
        builder.replaceNode(callee.name, 'run');
        builder.replaceRange(call.arguments[0]!.end, statement.end, `, ${plan.async ? 'async ' : ''}() => {`);

        const statementIndent = builder.indentationOf(statement);
        const blockIndent = builder.indentationOf(block);
        const unit =
          statementIndent.length > blockIndent.length && statementIndent.startsWith(blockIndent)
            ? statementIndent.slice(blockIndent.length)
            : statementIndent.includes('\t')
              ? '\t'
              : '  ';
        const comments = ts.getTrailingCommentRanges(builder.text, last.end);
        const closeAt = comments && comments.length > 0 ? comments[comments.length - 1]!.end : last.end;
        const multiLine = builder.text.slice(statement.getStart(sourceFile), closeAt).includes('\n');
        if (multiLine) {
          for (const lineStart of lineStartsToIndent(sourceFile, rest, statement.end, closeAt)) builder.insertAt(lineStart, unit);
          builder.insertAt(closeAt, `${builder.newLine}${statementIndent}});`);
        } else {
          builder.insertAt(closeAt, ' });');
        }
        return builder.build();
      },
    },
  ],
  create(context) {
    const modules = new ModuleBindings(ASYNC_HOOKS);
    let creations: { node: ts.NewExpression; owner: Owner | undefined }[] | undefined;
    let calls: { call: ts.CallExpression; callee: ts.PropertyAccessExpression; fixable: boolean }[] | undefined;

    /** Whether `call` sits in the arguments of `<same receiver>.run(...)`, whose end restores the store. */
    const insideOwnRun = (receiver: ts.Expression, call: ts.CallExpression): boolean => {
      let receiverText: string | undefined;
      const ancestors = context.ancestors;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const node = ancestors[i]!;
        if (!ts.isCallExpression(node) || call.pos < node.arguments.pos) continue;
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'run') continue;
        receiverText ??= receiver.getText(context.sourceFile);
        if (callee.expression.getText(context.sourceFile) === receiverText) return true;
      }
      return false;
    };

    return [modules.listeners, {
      [K.NewExpression](node) {
        const expression = node as ts.NewExpression;
        if (!mayBeAlsConstructor(expression.expression, modules)) return;
        (creations ??= []).push({ node: expression, owner: ownerOf(expression, context.ancestors) });
      },
      calls: {
        enterWith(node) {
          const call = node as ts.CallExpression;
          const callee = call.expression as ts.PropertyAccessExpression;
          if (callee.kind !== K.PropertyAccessExpression) return;
          if (insideOwnRun(callee.expression, call)) return;
          (calls ??= []).push({ call, callee, fixable: runPlan(call, context.ancestors) !== undefined });
        },
      },
      onWalkEnd() {
        if (!creations || !calls) return;
        const names = new Set<ts.Node>();
        for (const { owner } of nodeAlsConstructions(context.sourceFile, modules, creations)) {
          if (owner) for (const name of methodCallNames(owner, ENTER_WITH)) names.add(name);
        }
        for (const { call, callee, fixable } of calls) {
          if (!names.has(callee.name)) continue;
          context.report({
            at: callee,
            message: `${quote(call, context.sourceFile)} has no scope: the store stays set for the rest of the current synchronous execution (the caller after this returns, the next listeners of the same event) and in every async callback started from it. Use \`run(value, fn)\` so that it applies only inside \`fn\`.`,
            fixes: fixable ? [FIX_ID] : [],
          });
        }
      },
    }];
  },
};
