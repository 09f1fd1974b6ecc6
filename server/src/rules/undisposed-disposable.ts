import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, TextEdit } from '../patterns/types';
import { calledName, isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { isFunctionOrStaticBlock } from '../syntax/functions';
import { type DisposeMethods, disposeMethodsOf } from './support/dispose';
import { quote } from './support/messages';

/*
 * The rule. A `const` or `let` statement (not `using`, not exported, not in a `for` head) declares a
 * plain name whose initializer is `new X(...)` or a call (possibly awaited), and the variable's type
 * has `[Symbol.dispose]` or `[Symbol.asyncDispose]`. It is reported when no reference to the
 * variable in its scope (resolved with the checker, so shadowing is handled) does any of:
 *   - dispose it: `x[Symbol.dispose]`, `x[Symbol.asyncDispose]`, or a member named like a release
 *     (`dispose`, `close`, `destroy`, `end`, `release`, ... and `move`, which hands a stack's
 *     resources to a new owner), called or not;
 *   - hand it on: any use other than reading a member, comparing, testing its truthiness or `typeof`
 *     (so: returned, yielded, thrown, passed to any function or constructor, stored in a property, a
 *     collection, an array or object literal, assigned to another variable, re-exported, spread);
 *   - capture it in a nested function or class (which may run later, or dispose it);
 *   - start it on a life of its own (`listen`, `serve`, `start`, `run`, `watch`, `pipe`, `on`, ...) or
 *     hand its resource to what a method returns (`createReadStream`, ...).
 * Values whose type is an iterator (`next`: every generator and built-in iterator is Disposable under
 * lib esnext), an event-loop handle (`unref`: timers, servers, sockets, child processes), an event
 * emitter (`on` and `emit`: streams) or a function (mocks, disposer functions) are left alone: they are
 * normally meant to outlive the block, to close themselves, or to be released by a call. So are values
 * the initializer only borrows: calls named like lookups (`get...`, `find...`, `use`, `adopt`, ...),
 * methods returning `this`, methods of `this` or of another Disposable (`browser.newPage()`: the parent
 * releases what it made), and calls or `new` given `this` or another Disposable (the result may be
 * owned by it).
 */

/** Member names whose use counts as releasing the value (or handing its resources on). */
const RELEASING_MEMBERS: ReadonlySet<string> = new Set([
  'dispose',
  'disposeAsync',
  'asyncDispose',
  'close',
  'closeSync',
  'destroy',
  'release',
  'releaseLock',
  'end',
  'abort',
  'cancel',
  'disconnect',
  'terminate',
  'shutdown',
  'stop',
  'kill',
  'free',
  'unsubscribe',
  'unlock',
  'return',
  'move',
  'quit',
  'cleanup',
]);

/**
 * Member names whose use means the value is meant to live on (serving, running, listening), or hands
 * the resource to what the call returns (`fileHandle.createReadStream()` closes the handle when the
 * stream ends).
 */
const LONG_LIVED_MEMBERS: ReadonlySet<string> = new Set([
  'createReadStream',
  'createWriteStream',
  'readLines',
  'readableWebStream',
  'listen',
  'serve',
  'start',
  'run',
  'watch',
  'detach',
  'unref',
  'pipe',
  'on',
  'once',
  'addListener',
  'addEventListener',
  'subscribe',
  'resume',
]);

/** Calls that usually return a value owned elsewhere: exact names. */
const BORROWING_NAMES: ReadonlySet<string> = new Set(['use', 'adopt', 'deref', 'at', 'valueOf', 'current', 'instance']);
/** Calls that usually return a value owned elsewhere: `get`, `getConnection`, `find_one`, ... */
const BORROWING_PREFIX = /^(?:get|find|lookup|peek|select|resolve|require|inject)(?:$|[A-Z_])/;

interface Candidate {
  readonly name: ts.Identifier;
  readonly symbol: ts.Symbol;
  /** The node that bounds the variable's scope. */
  readonly scope: ts.Node;
  readonly message: string;
  readonly fixes: readonly string[];
}

/** `Symbol.dispose` / `Symbol.asyncDispose`. */
function isDisposeSymbol(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (node.kind !== ts.SyntaxKind.PropertyAccessExpression) return false;
  const access = node as ts.PropertyAccessExpression;
  return (
    access.expression.kind === ts.SyntaxKind.Identifier &&
    (access.expression as ts.Identifier).text === 'Symbol' &&
    (access.name.text === 'dispose' || access.name.text === 'asyncDispose')
  );
}

function isDisposable(methods: DisposeMethods): boolean {
  return methods.sync || methods.async;
}

/** Whether an argument list hands the callee `this` or another Disposable (the result may then be owned by it). */
function takesAnOwner(checker: ts.TypeChecker, args: ts.NodeArray<ts.Expression> | undefined): boolean {
  for (const arg of args ?? []) {
    const inner = skipOuterExpressions(arg.kind === ts.SyntaxKind.SpreadElement ? (arg as ts.SpreadElement).expression : arg);
    if (inner.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (isDisposable(disposeMethodsOf(checker, checker.getNonNullableType(checker.getTypeAtLocation(inner))))) return true;
  }
  return false;
}

/** Whether the initializer creates or acquires a value (rather than borrowing one). */
function acquires(checker: ts.TypeChecker, initializer: ts.Expression): boolean {
  let expression = skipOuterExpressions(initializer);
  if (expression.kind === ts.SyntaxKind.AwaitExpression) expression = skipOuterExpressions((expression as ts.AwaitExpression).expression);
  if (expression.kind === ts.SyntaxKind.NewExpression) return !takesAnOwner(checker, (expression as ts.NewExpression).arguments);
  if (expression.kind !== ts.SyntaxKind.CallExpression) return false;
  const call = expression as ts.CallExpression;
  const name = calledName(call.expression);
  if (name !== undefined && (BORROWING_NAMES.has(name) || BORROWING_PREFIX.test(name))) return false;
  // A resource made by another resource (`browser.newPage()`, `db.prepare()`) is released with it.
  const callee = skipOuterExpressions(call.expression);
  if (callee.kind === ts.SyntaxKind.PropertyAccessExpression || callee.kind === ts.SyntaxKind.ElementAccessExpression) {
    const receiver = skipOuterExpressions((callee as ts.PropertyAccessExpression).expression);
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (isDisposable(disposeMethodsOf(checker, checker.getNonNullableType(checker.getTypeAtLocation(receiver))))) return false;
  }
  // A fluent method returning `this` gives back its receiver, which someone else owns.
  const declaration = checker.getResolvedSignature(call)?.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (declaration?.type?.kind === ts.SyntaxKind.ThisType) return false;
  return !takesAnOwner(checker, call.arguments);
}

/**
 * Iterators, event-loop handles, event emitters and functions (mocks, disposer functions): normally meant
 * to outlive the block, to close themselves, or to be released by calling them.
 */
function isSelfManaged(checker: ts.TypeChecker, type: ts.Type): boolean {
  // Looked up one by one: no allocation of the whole property list.
  const hasProperty = (name: string): boolean => checker.getPropertyOfType(type, name) !== undefined;
  return (
    checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0 ||
    hasProperty('next') ||
    hasProperty('unref') ||
    (hasProperty('on') && hasProperty('emit'))
  );
}

type Use = 'reads' | 'releases' | 'escapes';

/**
 * What one reference does with the value. `path` holds the ancestors of `reference` up to the scope,
 * nearest last.
 */
function useOf(reference: ts.Identifier, path: readonly ts.Node[]): Use {
  let child: ts.Node = reference;
  let index = path.length - 1;
  while (index >= 0 && isOuterExpression(path[index]!)) child = path[index--]!;
  const parent = path[index];
  if (!parent) return 'escapes';
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = parent as ts.PropertyAccessExpression;
      if (access.expression !== child) return 'escapes';
      const member = access.name.text;
      if (RELEASING_MEMBERS.has(member)) return 'releases';
      return LONG_LIVED_MEMBERS.has(member) ? 'escapes' : 'reads';
    }
    case ts.SyntaxKind.ElementAccessExpression: {
      const access = parent as ts.ElementAccessExpression;
      if (access.expression !== child) return 'escapes';
      return isDisposeSymbol(access.argumentExpression) ? 'releases' : 'reads';
    }
    case ts.SyntaxKind.BinaryExpression: {
      const { operatorToken, left, right } = parent as ts.BinaryExpression;
      switch (operatorToken.kind) {
        case ts.SyntaxKind.EqualsEqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsEqualsToken:
        case ts.SyntaxKind.EqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsToken:
          return 'reads';
        case ts.SyntaxKind.InstanceOfKeyword:
        case ts.SyntaxKind.AmpersandAmpersandToken:
          return left === child ? 'reads' : 'escapes';
        case ts.SyntaxKind.InKeyword:
          return right === child ? 'reads' : 'escapes';
        default:
          return 'escapes';
      }
    }
    case ts.SyntaxKind.PrefixUnaryExpression:
      return (parent as ts.PrefixUnaryExpression).operator === ts.SyntaxKind.ExclamationToken ? 'reads' : 'escapes';
    case ts.SyntaxKind.TypeOfExpression:
    case ts.SyntaxKind.VoidExpression:
    case ts.SyntaxKind.ExpressionStatement:
      return 'reads';
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return (parent as ts.IfStatement).expression === child ? 'reads' : 'escapes';
    case ts.SyntaxKind.ConditionalExpression:
      return (parent as ts.ConditionalExpression).condition === child ? 'reads' : 'escapes';
    default:
      return 'escapes';
  }
}

/** Whether any reference to the candidate in its scope releases it, hands it on or captures it. */
function isReleasedOrHandedOn(checker: ts.TypeChecker, candidate: Candidate): boolean {
  const text = candidate.name.text;
  const path: ts.Node[] = [];
  let found = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (found) return;
    if (node.kind === ts.SyntaxKind.Identifier && node !== candidate.name && (node as ts.Identifier).text === text) {
      const parent = path[path.length - 1];
      // Positions whose identifier the checker resolves to something else, though they use the variable.
      if (parent && (parent.kind === ts.SyntaxKind.ShorthandPropertyAssignment || parent.kind === ts.SyntaxKind.ExportSpecifier)) {
        found = true;
        return;
      }
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol === candidate.symbol && (nested || useOf(node as ts.Identifier, path) !== 'reads')) found = true;
      return;
    }
    path.push(node);
    const inner = nested || (node !== candidate.scope && (isFunctionOrStaticBlock(node) || ts.isClassLike(node)));
    ts.forEachChild(node, (child) => visit(child, inner));
    path.pop();
  };
  visit(candidate.scope, false);
  return found;
}

/** A short name for the type in a message: `FileHandle` rather than `import("fs/promises").FileHandle`. */
function typeName(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string {
  const symbol = type.aliasSymbol ?? type.symbol;
  if (symbol && !symbol.name.startsWith('__')) return symbol.name;
  const text = checker.typeToString(type, at);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The nearest enclosing function-like node among the ancestors, if any. */
function enclosingFunction(ancestors: readonly ts.Node[]): ts.Node | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) if (isFunctionOrStaticBlock(ancestors[i]!)) return ancestors[i];
  return undefined;
}

function isAsyncFunction(node: ts.Node | undefined): boolean {
  const modifiers = node && (node as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return !!modifiers && modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Rewrites the `const` of the statement declaring the name at `span` into `keyword`. */
function replaceConst(sourceFile: ts.SourceFile, span: { start: number; end: number }, keyword: string): readonly TextEdit[] {
  const path = nodePathAt(sourceFile, span, (node) => node.kind === ts.SyntaxKind.Identifier);
  const list = path?.[path.length - 3];
  const statement = path?.[path.length - 4];
  if (!list || !statement || list.kind !== ts.SyntaxKind.VariableDeclarationList || statement.kind !== ts.SyntaxKind.VariableStatement) return [];
  const declarations = (list as ts.VariableDeclarationList).declarations;
  if ((list.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Const || declarations.length !== 1) return [];
  const start = list.getStart(sourceFile);
  if (sourceFile.text.slice(start, start + 5) !== 'const') return [];
  return new EditBuilder(sourceFile).replaceRange(start, start + 5, keyword).build();
}

export const undisposedDisposable: RuleDefinition = {
  id: 'undisposed-disposable',
  kind: 'gotcha',
  category: 'resources',
  seeds: ['003', '004'],
  defaultSeverity: 'warning',
  requiresTypes: true,
  prose: {
    title: 'Disposable value that is never disposed',
    summary:
      'A value whose type has `[Symbol.dispose]()` or `[Symbol.asyncDispose]()` is kept in a `const` or `let` and nothing ever disposes it or hands it to an owner.',
    what:
      'Declaring a Disposable with `const` instead of `using` releases nothing: its `[Symbol.dispose]()` (or `[Symbol.asyncDispose]()`) runs only if some code calls it. Without that call the file descriptor, socket, lock or subscription it holds stays open after the block ends, until the object happens to be garbage-collected or the process exits. Node\'s documentation, for one, asks you not to rely on garbage collection to close a `FileHandle`.',
    when:
      'Whenever a resource is opened for one piece of work: `await fs.promises.open(...)`, a database connection or transaction, a lock, a temporary directory, a `DisposableStack` collecting cleanups. It bites on the paths nobody tests, such as an early `return` or an exception, and in long-running servers where each leaked handle adds up.',
    whenNot:
      'The rule reports only a `const`/`let` initialized by `new` or a call, whose value never leaves the block: it is silent as soon as the value is disposed anywhere in scope (`x[Symbol.dispose]()`, `x.close()`, `x.dispose()`, `stack.move()`), returned, yielded, stored in a property or collection, passed to any function or constructor (ownership may move there, as with `stack.use(x)`), assigned elsewhere or captured by a closure. It leaves alone iterators and generators (Disposable under lib esnext), timers, servers, sockets, child processes and other event emitters, callable Disposables (mocks, disposer functions), values that are started (`listen`, `start`, `run`, `pipe`, `on`), and values borrowed or owned elsewhere: `get...()`, `find...()`, `stack.use(...)`, a method returning `this`, a resource made by another one (`browser.newPage()`, `db.prepare()`: the parent releases it), or a call given `this` or another Disposable.',
    pitfall:
      'The quick fix turns `const` into `using` (or `await using` in an async function when only `[Symbol.asyncDispose]` exists), so disposal happens when the block ends, also on `return` and `throw`. Check that nothing still needs the resource after that: a promise or iterator returned from a non-async function keeps using it after the block has disposed it. `using` needs TypeScript 5.2 or later; with `target: "esnext"` it is emitted as is, and not every engine runs it yet, while lower targets compile it to helpers that need `Symbol.dispose` at run time.',
  },
  python: {
    name: 'opening a resource outside `with`',
    example: "log = open('app.log', 'a')   # no with: nothing closes it when the work is done\nlog.write('started\\n')",
    note:
      'CPython closes a forgotten file as soon as nothing references it (reference counting), which hides the leak; JavaScript has no reference counting, so an undisposed handle lives until a garbage collection that may never come. `using` is the `with` statement: it disposes when the block ends.',
  },
  examples: {
    incorrect: [
      `class Lock {
  [Symbol.dispose]() {
    console.log('released');
  }
}

export function update(values: number[]) {
  const lock = new Lock();
  values.push(1);
}
`,
    ],
    correct: [
      `class Lock {
  [Symbol.dispose]() {
    console.log('released');
  }
}

export function update(values: number[]) {
  using lock = new Lock();
  values.push(1);
}
`,
      `class Lock {
  [Symbol.dispose]() {
    console.log('released');
  }
}

export function acquire(): Lock {
  const lock = new Lock();
  return lock;
}
`,
    ],
  },
  links: [
    { title: 'MDN: using', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/using' },
    { title: 'MDN: await using', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/await_using' },
    { title: 'TypeScript 5.2: using declarations and explicit resource management', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html' },
    { title: 'Node.js: class FileHandle', url: 'https://nodejs.org/api/fs.html#class-filehandle' },
  ],
  fixes: [
    {
      id: 'use-using',
      title: 'Declare it with `using`: it is disposed at the end of the block',
      safe: false,
      doChange: (sourceFile, span) => replaceConst(sourceFile, span, 'using'),
    },
    {
      id: 'use-await-using',
      title: 'Declare it with `await using`: it is disposed (and awaited) at the end of the block',
      safe: false,
      doChange: (sourceFile, span) => replaceConst(sourceFile, span, 'await using'),
    },
  ],
  create(context) {
    const { checker, sourceFile } = context;
    if (!checker || sourceFile.isDeclarationFile) return {};
    const candidates: Candidate[] = [];
    return {
      [ts.SyntaxKind.VariableStatement](node) {
        const statement = node as ts.VariableStatement;
        const list = statement.declarationList;
        const kind = list.flags & ts.NodeFlags.BlockScoped;
        if (kind !== ts.NodeFlags.Const && kind !== ts.NodeFlags.Let) return;
        if (statement.modifiers) {
          for (const modifier of statement.modifiers) {
            if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DeclareKeyword) return;
          }
        }
        const container = context.ancestors[context.ancestors.length - 1];
        if (!container) return;
        let scope: ts.Node | undefined;
        switch (container.kind) {
          case ts.SyntaxKind.Block:
          case ts.SyntaxKind.SourceFile:
          case ts.SyntaxKind.ModuleBlock:
            scope = container;
            break;
          case ts.SyntaxKind.CaseClause:
          case ts.SyntaxKind.DefaultClause:
            // A declaration in a case clause is scoped to the whole case block.
            scope = context.ancestors[context.ancestors.length - 2];
            break;
          default:
            return;
        }
        if (!scope) return;
        for (const declaration of list.declarations) {
          const { name, initializer } = declaration;
          if (name.kind !== ts.SyntaxKind.Identifier || !initializer) continue;
          const inner = skipOuterExpressions(initializer);
          const call = inner.kind === ts.SyntaxKind.AwaitExpression ? skipOuterExpressions((inner as ts.AwaitExpression).expression) : inner;
          if (call.kind !== ts.SyntaxKind.NewExpression && call.kind !== ts.SyntaxKind.CallExpression) continue;
          const type = checker.getNonNullableType(checker.getTypeAtLocation(name));
          if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) continue;
          const methods = disposeMethodsOf(checker, type);
          if (!isDisposable(methods) || isSelfManaged(checker, type) || !acquires(checker, initializer)) continue;
          const symbol = checker.getSymbolAtLocation(name);
          if (!symbol) continue;
          const fixes: string[] = [];
          if (kind === ts.NodeFlags.Const && list.declarations.length === 1) {
            const atTop = container.kind === ts.SyntaxKind.SourceFile;
            const inBlock = container.kind === ts.SyntaxKind.Block;
            if (methods.sync && (inBlock || (atTop && ts.isExternalModule(sourceFile)))) fixes.push('use-using');
            else if (!methods.sync && inBlock && isAsyncFunction(enclosingFunction(context.ancestors))) fixes.push('use-await-using');
          }
          const what = methods.sync ? 'a Disposable' : 'an AsyncDisposable';
          const method = methods.sync ? '[Symbol.dispose]()' : '[Symbol.asyncDispose]()';
          const shownType = typeName(checker, type, declaration);
          candidates.push({
            name,
            symbol,
            scope,
            fixes,
            message: `${quote(name, sourceFile)} holds ${what} (\`${shownType}\`) that is never disposed: nothing calls its \`${method}\`, so the resource it holds stays open after this scope ends, until garbage collection or process exit. Declare it with \`${methods.sync ? 'using' : 'await using'}\` or dispose it in a \`finally\`.`,
          });
        }
      },
      onWalkEnd() {
        for (const candidate of candidates) {
          if (isReleasedOrHandedOn(checker, candidate)) continue;
          context.report({ at: candidate.name, message: candidate.message, fixes: candidate.fixes });
        }
      },
    };
  },
};
