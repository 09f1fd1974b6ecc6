import * as ts from 'typescript';
import type { RuleDefinition } from '../patterns/types';
import { skipOuterExpressions } from '../syntax/expressions';
import { writesTo } from '../syntax/scopes';
import { tokenAt } from '../syntax/tokens';
import { quote } from './support/messages';

/** `ts.SyntaxKind`, read once: each `ts.X` is a getter call on the module object. */
const K = ts.SyntaxKind;

/** Methods whose call on the resource, in a `finally`, releases it. */
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
  'terminate',
  'quit',
  'free',
  'unsubscribe',
  'abort',
  'cancel',
  'kill',
]);

/** Methods that are asynchronous releases even without an `await` in front. */
const ASYNC_RELEASE_METHODS: ReadonlySet<string> = new Set(['disposeAsync']);

/** Functions whose argument is the resource they release: `clearTimeout(timer)`, `closeSync(fd)`. */
const RELEASE_FUNCTIONS: ReadonlySet<string> = new Set(['clearTimeout', 'clearInterval', 'clearImmediate', 'closeSync']);

interface Release {
  /** The released variable, as written in the release. */
  readonly resource: ts.Identifier;
  readonly call: ts.CallExpression;
  readonly async: boolean;
}

function isSymbolDispose(expression: ts.Expression): 'dispose' | 'asyncDispose' | undefined {
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== 'Symbol') return undefined;
  const name = expression.name.text;
  return name === 'dispose' || name === 'asyncDispose' ? name : undefined;
}

/** `x.close()`, `await x?.close()`, `void x.end()`, `clearTimeout(t)`, `fs.closeSync(fd)`, `x[Symbol.dispose]()`. */
function releaseCall(expression: ts.Expression): Release | undefined {
  let awaited = false;
  let current = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isAwaitExpression(current)) awaited = true;
    else if (!ts.isVoidExpression(current)) break;
    current = skipOuterExpressions((current as ts.AwaitExpression | ts.VoidExpression).expression);
  }
  if (!ts.isCallExpression(current)) return undefined;
  const call = current;
  const callee = skipOuterExpressions(call.expression);
  const onlyArgument = call.arguments.length === 1 ? skipOuterExpressions(call.arguments[0]!) : undefined;
  if (ts.isIdentifier(callee)) {
    return RELEASE_FUNCTIONS.has(callee.text) && onlyArgument && ts.isIdentifier(onlyArgument)
      ? { resource: onlyArgument, call, async: awaited }
      : undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipOuterExpressions(callee.expression);
    const method = callee.name.text;
    // `fs.closeSync(fd)`: the descriptor is the resource.
    if (method === 'closeSync' && onlyArgument && ts.isIdentifier(onlyArgument) && ts.isIdentifier(receiver)) {
      return { resource: onlyArgument, call, async: awaited };
    }
    return RELEASE_METHODS.has(method) && ts.isIdentifier(receiver)
      ? { resource: receiver, call, async: awaited || ASYNC_RELEASE_METHODS.has(method) }
      : undefined;
  }
  if (ts.isElementAccessExpression(callee)) {
    const receiver = skipOuterExpressions(callee.expression);
    const symbol = isSymbolDispose(callee.argumentExpression);
    return symbol && ts.isIdentifier(receiver) ? { resource: receiver, call, async: awaited || symbol === 'asyncDispose' } : undefined;
  }
  return undefined;
}

function isNullish(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  return node.kind === K.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** The variable a guard like `x`, `x != null`, `x !== undefined` tests, or undefined. */
function guardedName(condition: ts.Expression): string | undefined {
  const node = skipOuterExpressions(condition);
  if (ts.isIdentifier(node)) return node.text;
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  if (operator !== K.ExclamationEqualsToken && operator !== K.ExclamationEqualsEqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  const right = skipOuterExpressions(node.right);
  if (ts.isIdentifier(left) && isNullish(right)) return left.text;
  if (ts.isIdentifier(right) && isNullish(left)) return right.text;
  return undefined;
}

/** A statement that does nothing but release one resource, possibly behind a guard on that resource. */
function releaseStatement(statement: ts.Statement): Release | undefined {
  if (ts.isExpressionStatement(statement)) {
    const expression = skipOuterExpressions(statement.expression);
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === K.AmpersandAmpersandToken) {
      // `x && x.close()`
      const release = releaseCall(expression.right);
      return release && guardedName(expression.left) === release.resource.text ? release : undefined;
    }
    return releaseCall(expression);
  }
  if (ts.isIfStatement(statement) && !statement.elseStatement) {
    let body: ts.Statement = statement.thenStatement;
    if (ts.isBlock(body)) {
      if (body.statements.length !== 1) return undefined;
      body = body.statements[0]!;
    }
    if (!ts.isExpressionStatement(body)) return undefined;
    const release = releaseCall(body.expression);
    return release && guardedName(statement.expression) === release.resource.text ? release : undefined;
  }
  return undefined;
}

function isPlainLetOrConst(list: ts.VariableDeclarationList): boolean {
  const flags = list.flags & ts.NodeFlags.BlockScoped;
  return flags === ts.NodeFlags.Const || flags === ts.NodeFlags.Let;
}

/**
 * Whether `name` is acquired right around the `try`: declared by one of the `const`/`let` statements
 * just before it with a value and never reassigned in the `try`, or declared there by `let` without
 * a value and assigned once, by one of the assignments that open the `try` block.
 */
function isAcquiredAroundTry(name: string, declarations: ReadonlyMap<string, ts.VariableDeclaration>, tryBlock: ts.Block): boolean {
  const declaration = declarations.get(name);
  if (!declaration) return false;
  const writes = writesTo(tryBlock, name);
  if (declaration.initializer && !isNullish(declaration.initializer)) return writes.length === 0;
  if (writes.length !== 1 || writes[0]!.value === undefined) return false;
  for (const statement of tryBlock.statements) {
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = statement.expression;
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== K.EqualsToken) return false;
    if (!ts.isIdentifier(expression.left)) return false;
    if (expression.left.text === name) return true;
  }
  return false;
}

export const tryFinallyUsing: RuleDefinition = {
  id: 'try-finally-using',
  kind: 'gotcha',
  category: 'resources',
  seeds: ['003', '004'],
  defaultSeverity: 'hint',
  prose: {
    title: '`try`/`finally` that only releases resources',
    summary:
      'A `try`/`finally` whose `finally` does nothing but release values acquired just before the `try`: the job `using`, `await using` and `DisposableStack` do, with better error handling.',
    what:
      'When a statement in `finally` throws, its error replaces the one the `try` was throwing, which is lost, and the rest of the `finally` is skipped: with `a.close(); b.close();`, a failing `a.close()` leaves `b` open. A `using` declaration (or a `DisposableStack`) releases in reverse order, runs every release even when one fails, and when both the body and a release throw it throws a `SuppressedError` that keeps both errors.',
    when:
      'Code that acquires a connection, file, lock, reader or timer, uses it, and releases it in `finally`; most painful with two or more resources, or with a release that can fail (closing a socket, flushing a file).',
    whenNot:
      'The rule looks only at a `try` without `catch` whose `finally` consists solely of release calls (`x.close()`, `await x.end()`, `x?.release()`, `if (x) x.close()`, `clearTimeout(t)`, `fs.closeSync(fd)`, `x[Symbol.dispose]()`) on variables declared by the `const`/`let` statements right before the `try`, or assigned first thing in it. It leaves alone a `finally` that also does other work (restoring a flag, logging), releases of fields or parameters (the function does not own them), resources declared further away, and a `try` with a `catch` (which runs before the `finally` and may still use the resource, whereas `using` would already have released it).',
    pitfall:
      '`using` needs a value with `[Symbol.dispose]` (`await using`: `[Symbol.asyncDispose]`) and releases at the end of the enclosing block, not right after the old `try`: wrap the code in a block if more statements follow. For values that are not disposable, `stack.adopt(value, release)` or `stack.defer(() => clearTimeout(t))` on a `DisposableStack` does the same job. Both need TypeScript 5.2+ with `esnext.disposable` in `lib` and, where the runtime lacks them, a polyfill for `Symbol.dispose`/`DisposableStack`.',
  },
  python: {
    name: '`with` instead of a hand-written `try`/`finally`',
    example: 'try: dst.write(src.read())\nfinally: src.close(); dst.close()   # if src.close() raises, dst is never closed',
    note: '`using` and `await using` are TypeScript\'s `with` and `async with`, and `DisposableStack` is `contextlib.ExitStack`. Python keeps the first error as `__context__` of the second; JavaScript\'s `finally` loses it, `using` keeps it as `SuppressedError.suppressed`.',
  },
  examples: {
    incorrect: [
      `interface Connection {
  query(sql: string): Promise<unknown[]>;
  release(): void;
}
declare const pool: { connect(): Promise<Connection> };

export async function countUsers(): Promise<number> {
  const connection = await pool.connect();
  try {
    const rows = await connection.query('SELECT id FROM users');
    return rows.length;
  } finally {
    connection.release();
  }
}
`,
    ],
    correct: [
      `interface Connection extends Disposable {
  query(sql: string): Promise<unknown[]>;
}
declare const pool: { connect(): Promise<Connection> };

export async function countUsers(): Promise<number> {
  using connection = await pool.connect();
  const rows = await connection.query('SELECT id FROM users');
  return rows.length;
}
`,
      `export function whileBusy(state: { busy: boolean }, work: () => void): void {
  state.busy = true;
  try {
    work();
  } finally {
    state.busy = false;
  }
}
`,
    ],
  },
  links: [
    { title: 'MDN: using', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/using' },
    { title: 'MDN: DisposableStack', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/DisposableStack' },
    {
      title: 'MDN: try...catch (the finally block)',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/try...catch#the_finally_block',
    },
    {
      title: 'TypeScript 5.2: using declarations and explicit resource management',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html#using-declarations-and-explicit-resource-management',
    },
  ],
  create(context) {
    return {
      [K.TryStatement](node) {
        const statement = node as ts.TryStatement;
        const { tryBlock, catchClause, finallyBlock } = statement;
        if (!finallyBlock || catchClause || finallyBlock.statements.length === 0) return;
        const releases: Release[] = [];
        for (const s of finallyBlock.statements) {
          const release = releaseStatement(s);
          if (!release) return;
          releases.push(release);
        }

        // The `const`/`let` statements right before the `try`, in the same statement list.
        const container = context.ancestors[context.ancestors.length - 1];
        if (!container) return;
        const statements = (container as Partial<ts.Block>).statements;
        if (!statements) return;
        const index = statements.indexOf(statement);
        if (index <= 0) return;
        const declarations = new Map<string, ts.VariableDeclaration>();
        for (let i = index - 1; i >= 0; i--) {
          const previous = statements[i]!;
          if (!ts.isVariableStatement(previous) || !isPlainLetOrConst(previous.declarationList)) break;
          for (const declaration of previous.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name) && !declarations.has(declaration.name.text)) {
              declarations.set(declaration.name.text, declaration);
            }
          }
        }
        if (declarations.size === 0) return;
        for (const { resource } of releases) {
          if (!isAcquiredAroundTry(resource.text, declarations, tryBlock)) return;
        }

        const keyword = tokenAt(context.sourceFile, tryBlock.end);
        if (keyword.kind !== K.FinallyKeyword) return;
        const names: string[] = [];
        for (const { resource } of releases) {
          const name = quote(resource, context.sourceFile);
          if (!names.includes(name)) names.push(name);
        }
        const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
        const async = releases.some((release) => release.async);
        const using = async ? '`await using`' : '`using`';
        const stack = async ? 'an `AsyncDisposableStack`' : 'a `DisposableStack`';
        const message =
          releases.length === 1
            ? `This \`finally\` only releases ${listed}: if ${quote(releases[0]!.call, context.sourceFile)} throws, its error replaces any error thrown in the \`try\`. ${using} (for a disposable value) or ${stack} releases it at the end of the block and keeps both errors (\`SuppressedError\`).`
            : `This \`finally\` only releases ${listed}: if one release throws, its error replaces any error thrown in the \`try\` and the releases after it never run. ${using} (for disposable values) or ${stack} runs every release, in reverse order, and keeps every error (\`SuppressedError\`).`;
        context.report({ at: { start: keyword.start, end: keyword.end }, message });
      },
    };
  },
};
