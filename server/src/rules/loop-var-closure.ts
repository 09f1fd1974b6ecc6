import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { pathContaining } from '../edits/locate';
import type { RuleDefinition, Span } from '../patterns/types';
import { isAssignmentOperator, isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { containsOwnAwait, isFunctionLike } from '../syntax/functions';
import { boundIdentifiers, isBlockScopedList, isVarScope } from '../syntax/scopes';
import { isLoopStatement } from '../syntax/statements';
import { shortText } from './support/messages';

// ── Syntax helpers ─────────────────────────────────────────────────────────────────────────────────

type ForWithInitializer = ts.ForStatement | ts.ForInStatement | ts.ForOfStatement;

function isForWithInitializer(node: ts.Node): node is ForWithInitializer {
  return node.kind === ts.SyntaxKind.ForStatement || node.kind === ts.SyntaxKind.ForInStatement || node.kind === ts.SyntaxKind.ForOfStatement;
}

function isVarList(node: ts.Node): boolean {
  return ts.isVariableDeclarationList(node) && !isBlockScopedList(node);
}

function hasBindingDefaults(name: ts.BindingName): boolean {
  if (ts.isIdentifier(name)) return false;
  return name.elements.some((element) => !ts.isOmittedExpression(element) && (element.initializer !== undefined || hasBindingDefaults(element.name)));
}

/** Whether `name` is used as a value here: not a property name, a declared name, a label or a type. */
function isValueReference(id: ts.Identifier, parent: ts.Node): boolean {
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).expression === id;
    case ts.SyntaxKind.QualifiedName:
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
    case ts.SyntaxKind.MetaProperty:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.JsxOpeningElement:
    case ts.SyntaxKind.JsxSelfClosingElement:
    case ts.SyntaxKind.JsxClosingElement:
    case ts.SyntaxKind.JsxAttribute:
    case ts.SyntaxKind.JsxNamespacedName:
      return false;
    case ts.SyntaxKind.ExportSpecifier: {
      const specifier = parent as ts.ExportSpecifier;
      return (specifier.propertyName ?? specifier.name) === id;
    }
    case ts.SyntaxKind.PropertyAssignment:
      return (parent as ts.PropertyAssignment).initializer === id;
    case ts.SyntaxKind.BindingElement:
      return (parent as ts.BindingElement).initializer === id;
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.EnumMember:
      return (parent as ts.VariableDeclaration).initializer === id;
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodSignature:
      return (parent as ts.NamedDeclaration).name !== id;
    default:
      return true;
  }
}

function isWrite(id: ts.Identifier, parent: ts.Node): boolean {
  if (ts.isBinaryExpression(parent)) return parent.left === id && isAssignmentOperator(parent.operatorToken.kind);
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === id;
}

// ── Scopes ─────────────────────────────────────────────────────────────────────────────────────────

/** The `var` and function names hoisted to the top of a function body (not those of nested functions). */
function addHoisted(body: ts.Node, names: ReadonlySet<string>, ignore: ReadonlySet<ts.Node>, out: Set<string>): void {
  const visit = (node: ts.Node): void => {
    if (isVarList(node)) {
      for (const declaration of (node as ts.VariableDeclarationList).declarations) {
        for (const id of boundIdentifiers(declaration.name)) if (names.has(id.text) && !ignore.has(id)) out.add(id.text);
      }
    } else if (ts.isFunctionDeclaration(node)) {
      if (node.name && names.has(node.name.text) && !ignore.has(node.name)) out.add(node.name.text);
      return;
    }
    if (isFunctionLike(node) || ts.isClassLike(node) || ts.isTypeNode(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
}

/** The block-scoped names declared directly in a statement list. */
function addLexical(statements: readonly ts.Statement[], names: ReadonlySet<string>, ignore: ReadonlySet<ts.Node>, out: Set<string>): void {
  const add = (id: ts.Identifier | undefined) => {
    if (id && names.has(id.text) && !ignore.has(id)) out.add(id.text);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement) && !isVarList(statement.declarationList)) {
      for (const declaration of statement.declarationList.declarations) for (const id of boundIdentifiers(declaration.name)) add(id);
    } else if (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      add(statement.name);
    }
  }
}

/** The watched names a node declares for its whole subtree (parameters, hoisted vars, block declarations...). */
function introducedNames(node: ts.Node, names: ReadonlySet<string>, ignore: ReadonlySet<ts.Node>): Set<string> | undefined {
  const out = new Set<string>();
  if (isFunctionLike(node)) {
    for (const parameter of node.parameters) for (const id of boundIdentifiers(parameter.name)) if (names.has(id.text) && !ignore.has(id)) out.add(id.text);
    if (ts.isFunctionExpression(node) && node.name && names.has(node.name.text)) out.add(node.name.text);
    if (node.body) {
      addHoisted(node.body, names, ignore, out);
      if (ts.isBlock(node.body)) addLexical(node.body.statements, names, ignore, out);
    }
  } else {
    switch (node.kind) {
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        addHoisted((node as ts.ClassStaticBlockDeclaration).body, names, ignore, out);
        break;
      case ts.SyntaxKind.ModuleBlock:
      case ts.SyntaxKind.SourceFile:
        addHoisted(node, names, ignore, out);
        addLexical((node as ts.SourceFile).statements, names, ignore, out);
        break;
      case ts.SyntaxKind.Block:
        addLexical((node as ts.Block).statements, names, ignore, out);
        break;
      case ts.SyntaxKind.CaseBlock:
        for (const clause of (node as ts.CaseBlock).clauses) addLexical(clause.statements, names, ignore, out);
        break;
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForInStatement:
      case ts.SyntaxKind.ForOfStatement: {
        const initializer = (node as ForWithInitializer).initializer;
        if (initializer && ts.isVariableDeclarationList(initializer) && !isVarList(initializer)) {
          for (const declaration of initializer.declarations) {
            for (const id of boundIdentifiers(declaration.name)) if (names.has(id.text) && !ignore.has(id)) out.add(id.text);
          }
        }
        break;
      }
      case ts.SyntaxKind.CatchClause: {
        const declaration = (node as ts.CatchClause).variableDeclaration;
        if (declaration) for (const id of boundIdentifiers(declaration.name)) if (names.has(id.text) && !ignore.has(id)) out.add(id.text);
        break;
      }
      case ts.SyntaxKind.ClassExpression: {
        const name = (node as ts.ClassExpression).name;
        if (name && names.has(name.text)) out.add(name.text);
        break;
      }
      default:
        return undefined;
    }
  }
  return out.size > 0 ? out : undefined;
}

interface ScanOptions {
  readonly names: ReadonlySet<string>;
  /** The binding identifiers being tracked: they do not shadow themselves. */
  readonly ignore: ReadonlySet<ts.Node>;
  /** The root is the scope that declares the tracked names: its own declarations of them do not shadow. */
  readonly rootDeclares?: boolean;
  /** Each value reference to a watched name that resolves to the tracked binding; `path` ends with its parent. */
  onReference(id: ts.Identifier, path: readonly ts.Node[]): void;
}

/**
 * Visits `root` (whose ancestors are `basePath`) with scope tracking: a reference counts only when no
 * scope between `root` and it declares the same name. Type syntax is skipped.
 */
function scanReferences(root: ts.Node, basePath: readonly ts.Node[], options: ScanOptions): void {
  const path = basePath.slice();
  const shadowed = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      const parent = path.at(-1);
      if (options.names.has(node.text) && !shadowed.get(node.text) && parent && isValueReference(node, parent)) options.onReference(node, path);
      return;
    }
    const introduced = options.rootDeclares && node === root ? undefined : introducedNames(node, options.names, options.ignore);
    if (introduced) for (const name of introduced) shadowed.set(name, (shadowed.get(name) ?? 0) + 1);
    path.push(node);
    ts.forEachChild(node, visit);
    path.pop();
    if (introduced) for (const name of introduced) shadowed.set(name, shadowed.get(name)! - 1);
  };
  visit(root);
}

/** The index in `path` (below `index`) of the nearest scope that declares `name`, or -1. */
function declaringScope(path: readonly ts.Node[], index: number, name: string): number {
  const names = new Set([name]);
  const none = new Set<ts.Node>();
  for (let i = index - 1; i >= 0; i--) if (introducedNames(path[i]!, names, none)) return i;
  return -1;
}

// ── When does a function created in the loop run? ─────────────────────────────────────────────────

/** Callees known to call their function argument before they return (the array methods and their kin). */
const SYNCHRONOUS_CALLEES: ReadonlySet<string> = new Set([
  // Array, typed array, string and JSON methods
  'forEach', 'map', 'flatMap', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every',
  'reduce', 'reduceRight', 'sort', 'toSorted', 'from', 'replace', 'replaceAll', 'stringify', 'parse', 'groupBy',
  // lodash / underscore / jQuery style collection helpers
  'each', 'eachRight', 'forEachRight', 'forOwn', 'forIn', 'times', 'mapValues', 'mapKeys', 'pickBy', 'omitBy',
  'sortBy', 'orderBy', 'keyBy', 'countBy', 'partition', 'sumBy', 'minBy', 'maxBy', 'uniqBy', 'findKey', 'transform',
  // test assertions and synchronous state helpers
  'expect', 'throws', 'doesNotThrow', 'produce', 'runInAction', 'untracked', 'batch', 'act', 'flushSync',
]);

/** Of those, the ones whose result is made of what the callback returns. */
const COLLECTING_CALLEES: ReadonlySet<string> = new Set(['map', 'flatMap', 'from', 'reduce', 'reduceRight', 'times', 'mapValues', 'mapKeys', 'transform']);

/** Callees known to keep their function argument and call it later: timers, events, promises, test registration. */
const DEFERRING_CALLEES: ReadonlySet<string> = new Set([
  'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'requestAnimationFrame', 'requestIdleCallback', 'nextTick',
  'then', 'catch', 'finally',
  'addEventListener', 'addListener', 'on', 'once', 'prependListener', 'prependOnceListener', 'subscribe',
  'click', 'change', 'submit', 'hover', 'ready',
  'describe', 'it', 'test', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'before', 'after',
  'defer', 'delay', 'debounce', 'throttle',
  // accessors installed on an object run whenever the property is read or written
  'defineProperty', 'defineProperties', '__defineGetter__', '__defineSetter__',
]);

/** Methods that store their argument in a collection or object, from which it can be called any time later. */
const STORING_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'splice', 'set', 'add', 'assign']);

/** Constructors that keep a callback for later. */
const DEFERRING_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'MutationObserver', 'IntersectionObserver', 'ResizeObserver', 'PerformanceObserver', 'FinalizationRegistry', 'Worker',
]);

/** `function (err, data) {...}`: a Node-style completion callback, called when the operation finishes. */
function isCompletionCallback(node: ts.Node): boolean {
  if (!ts.isFunctionExpression(node) && !ts.isArrowFunction(node)) return false;
  const first = node.parameters[0];
  return first !== undefined && ts.isIdentifier(first.name) && (first.name.text === 'err' || first.name.text === 'error' || first.name.text === 'er');
}

interface Later {
  readonly how: string;
  /** The function that runs late, for the line in the message. */
  readonly fn: ts.Node;
}

type Verdict = Later | 'now' | 'unsure';

function combine(a: Verdict, b: Verdict): Verdict {
  if (typeof a === 'object') return a;
  if (typeof b === 'object') return b;
  return a === 'unsure' || b === 'unsure' ? 'unsure' : 'now';
}

function calleeLabel(callee: ts.Expression, sourceFile: ts.SourceFile): string {
  const text = shortText(callee, sourceFile);
  if (text) return text;
  return ts.isPropertyAccessExpression(callee) ? `.${callee.name.text}` : 'a function';
}

/** The method name a call dispatches on: `xs.forEach(...)` → `forEach`, `Array.prototype.map.call(...)` → `map`. */
function calleeName(callee: ts.Expression): string | undefined {
  const node = skipOuterExpressions(callee);
  if (ts.isIdentifier(node)) return node.text;
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const name = node.name.text;
  if ((name === 'call' || name === 'apply') && ts.isPropertyAccessExpression(skipOuterExpressions(node.expression))) {
    return (skipOuterExpressions(node.expression) as ts.PropertyAccessExpression).name.text;
  }
  return name;
}

/** An outer expression, or an instantiation expression (`f<T>`), which is the function `f` itself. */
function isTransparent(node: ts.Node): boolean {
  return isOuterExpression(node) || node.kind === ts.SyntaxKind.ExpressionWithTypeArguments;
}

/**
 * Whether an async function can suspend with code of its own still to run. In a concise body
 * (`async () => await f(i)`) the top-level `await` is the last thing it does, so only awaits inside it count.
 */
function hasOwnAwait(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.body !== undefined && ts.forEachChild(fn.body, containsOwnAwait) === true;
}

const MAX_DEPTH = 4;

/**
 * Decides, for a reference to a loop's `var` inside functions created in the loop, whether one of those
 * functions can run after the iteration that created it. Conservative: anything it cannot follow is
 * `unsure`, and only a certain `Later` is reported.
 */
class Timing {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly loop: ts.IterationStatement,
  ) {}

  /** The functions and classes on `path` below `from`, outermost first. */
  boundaries(path: readonly ts.Node[], from: number): number[] {
    const result: number[] = [];
    for (let i = from + 1; i < path.length; i++) {
      const node = path[i]!;
      if (ts.isClassLike(node)) result.push(i);
      else if (isFunctionLike(node) && !ts.isClassLike(path[i - 1]!)) result.push(i);
    }
    return result;
  }

  /** Whether code at the end of `path` (inside the loop at `loopIndex`) runs later than its iteration. */
  location(path: readonly ts.Node[], loopIndex: number, depth: number, skip?: ts.Node): Verdict {
    let verdict: Verdict = 'now';
    for (const index of this.boundaries(path, loopIndex)) {
      if (path[index] === skip) return 'now'; // a function calling itself
      verdict = combine(verdict, this.boundary(path, index, depth));
      if (typeof verdict === 'object') return verdict;
    }
    return verdict;
  }

  boundary(path: readonly ts.Node[], index: number, depth: number): Verdict {
    const node = path[index]!;
    if (depth > MAX_DEPTH) return 'unsure';
    if (ts.isClassLike(node)) return ts.isClassExpression(node) ? this.flow(path, index, depth, 'object') : 'unsure';
    const fn = node as ts.FunctionLikeDeclaration;
    const flow = ts.isFunctionDeclaration(fn) ? this.declaredFunction(fn, path, index, depth) : this.flow(path, index, depth, 'function');
    // A generator's body runs when it is iterated, which even a call made at once does not tell.
    if (fn.asteriskToken) return typeof flow === 'object' ? flow : 'unsure';
    if (fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) && hasOwnAwait(fn)) {
      if (flow === 'unsure') return 'unsure';
      if (this.isAwaitedCall(path, index)) return 'now';
      return typeof flow === 'object' ? flow : { how: 'is an async function that goes on after an `await`', fn };
    }
    return flow;
  }

  /** `await (async () => {...})()`: the loop waits for the whole function. */
  private isAwaitedCall(path: readonly ts.Node[], index: number): boolean {
    let i = index - 1;
    let child = path[index]!;
    while (i >= 0 && isTransparent(path[i]!)) child = path[i--]!;
    const call = path[i];
    if (!call || !ts.isCallExpression(call) || call.expression !== child) return false;
    i--;
    while (i >= 0 && isTransparent(path[i]!)) i--;
    return i >= 0 && ts.isAwaitExpression(path[i]!);
  }

  /** Follows the value of `path[index]` (a function, or an object holding one) up through its parents. */
  flow(path: readonly ts.Node[], index: number, depth: number, holds: 'function' | 'object', closure?: ts.Node): Verdict {
    const fn = closure ?? path[index]!;
    let child = path[index]!;
    for (let i = index - 1; i >= 0; i--) {
      const parent = path[i]!;
      if (isTransparent(parent)) {
        child = parent;
        continue;
      }
      switch (parent.kind) {
        case ts.SyntaxKind.ConditionalExpression:
          if ((parent as ts.ConditionalExpression).condition === child) return 'now';
          child = parent;
          continue;
        case ts.SyntaxKind.BinaryExpression: {
          const binary = parent as ts.BinaryExpression;
          const operator = binary.operatorToken.kind;
          if (operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment) {
            if (binary.right !== child) return 'now';
            const target = skipOuterExpressions(binary.left);
            // `handler = function () {...}` into a local variable: follow the variable, like a declaration.
            if (ts.isIdentifier(target)) {
              const scope = declaringScope(path, i, target.text);
              return scope < 0 ? { how: 'is stored in a variable declared elsewhere', fn } : this.uses(target, path, scope, depth, holds, fn);
            }
            return { how: 'is stored in a property', fn };
          }
          if (
            operator === ts.SyntaxKind.BarBarToken ||
            operator === ts.SyntaxKind.AmpersandAmpersandToken ||
            operator === ts.SyntaxKind.QuestionQuestionToken ||
            (operator === ts.SyntaxKind.CommaToken && binary.right === child)
          ) {
            child = parent;
            continue;
          }
          return 'now';
        }
        case ts.SyntaxKind.CallExpression: {
          const call = parent as ts.CallExpression;
          if (call.expression === child) return 'now';
          const name = calleeName(call.expression);
          const label = calleeLabel(call.expression, this.sourceFile);
          if (name !== undefined && SYNCHRONOUS_CALLEES.has(name)) return 'now';
          if (name !== undefined && DEFERRING_CALLEES.has(name)) return { how: `is passed to \`${label}\``, fn };
          if (name !== undefined && STORING_METHODS.has(name) && ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) {
            return { how: `is stored by \`${label}\``, fn };
          }
          if (child === fn && isCompletionCallback(fn)) return { how: `is a completion callback passed to \`${label}\``, fn };
          return 'unsure'; // a function we do not know may call it now or later
        }
        case ts.SyntaxKind.NewExpression: {
          const construct = parent as ts.NewExpression;
          if (construct.expression === child) {
            child = parent;
            holds = 'object';
            continue;
          }
          const callee = skipOuterExpressions(construct.expression);
          if (ts.isIdentifier(callee) && DEFERRING_CONSTRUCTORS.has(callee.text)) return { how: `is passed to \`new ${callee.text}\``, fn };
          return 'unsure'; // `new Promise(executor)` runs it at once; other constructors may keep it
        }
        case ts.SyntaxKind.PropertyAccessExpression:
        case ts.SyntaxKind.ElementAccessExpression: {
          const access = parent as ts.PropertyAccessExpression | ts.ElementAccessExpression;
          if (access.expression !== child) return 'unsure';
          if (holds === 'object') {
            // A member of the object: from here on, follow that value (maybe one of its methods).
            child = parent;
            holds = 'function';
            continue;
          }
          const member = ts.isPropertyAccessExpression(access) ? access.name.text : undefined;
          const grandparent = path[i - 1];
          const isCalled = grandparent !== undefined && ts.isCallExpression(grandparent) && grandparent.expression === parent;
          if ((member === 'call' || member === 'apply') && isCalled) return 'now';
          if (member === 'bind' && isCalled) {
            child = grandparent;
            i--;
            continue;
          }
          return 'now'; // reading a property of the function (`fn.length`) runs nothing
        }
        case ts.SyntaxKind.ArrayLiteralExpression:
        case ts.SyntaxKind.SpreadElement:
        case ts.SyntaxKind.ObjectLiteralExpression:
        case ts.SyntaxKind.PropertyAssignment:
        case ts.SyntaxKind.ShorthandPropertyAssignment:
        case ts.SyntaxKind.SpreadAssignment:
          child = parent;
          if (parent.kind === ts.SyntaxKind.ArrayLiteralExpression || parent.kind === ts.SyntaxKind.ObjectLiteralExpression) holds = 'object';
          continue;
        case ts.SyntaxKind.VariableDeclaration: {
          const declaration = parent as ts.VariableDeclaration;
          if (declaration.initializer !== child || !ts.isIdentifier(declaration.name)) return 'unsure';
          return this.holder(declaration.name, path, i, depth, holds, fn);
        }
        case ts.SyntaxKind.PropertyDeclaration:
          return { how: 'is stored in a class field', fn };
        case ts.SyntaxKind.ReturnStatement:
        case ts.SyntaxKind.ThrowStatement: {
          // Straight out of the loop's own function: the loop ends, so its variable changes no more.
          if (this.isInLoopFunction(path, i)) return 'now';
          if (parent.kind === ts.SyntaxKind.ThrowStatement) return 'unsure';
          let owner = i - 1;
          while (owner >= 0 && !isFunctionLike(path[owner]!)) owner--;
          return owner < 0 ? 'unsure' : this.result(path, owner, depth, fn);
        }
        case ts.SyntaxKind.ArrowFunction:
          return (parent as ts.ArrowFunction).body === child ? this.result(path, i, depth, fn) : 'unsure';
        case ts.SyntaxKind.YieldExpression:
          return { how: 'is yielded', fn };
        case ts.SyntaxKind.JsxExpression:
          return { how: 'is passed as a JSX attribute or child', fn };
        case ts.SyntaxKind.ExpressionStatement:
        case ts.SyntaxKind.AwaitExpression:
        case ts.SyntaxKind.VoidExpression:
        case ts.SyntaxKind.TypeOfExpression:
        case ts.SyntaxKind.PrefixUnaryExpression:
        case ts.SyntaxKind.TemplateSpan:
        case ts.SyntaxKind.IfStatement:
        case ts.SyntaxKind.WhileStatement:
        case ts.SyntaxKind.DoStatement:
          return 'now';
        default:
          return 'unsure';
      }
    }
    return 'unsure';
  }

  /**
   * Where the result of the function at `path[owner]` goes, when it returns the closure: an immediately
   * invoked function passes it on, a `map` callback collects it into the new array, other known
   * synchronous callbacks drop it; anything else is unknown.
   */
  private result(path: readonly ts.Node[], owner: number, depth: number, fn: ts.Node): Verdict {
    let i = owner - 1;
    let child = path[owner]!;
    while (i >= 0 && isTransparent(path[i]!)) child = path[i--]!;
    const call = path[i];
    if (!call || !ts.isCallExpression(call)) return 'unsure';
    if (call.expression === child) return this.flow(path, i, depth, 'function', fn);
    const name = calleeName(call.expression);
    if (name !== undefined && COLLECTING_CALLEES.has(name)) return this.flow(path, i, depth, 'object', fn);
    return name !== undefined && SYNCHRONOUS_CALLEES.has(name) ? 'now' : 'unsure';
  }

  /** Whether `path[index]` is in the loop's own function (no function between the loop and it). */
  private isInLoopFunction(path: readonly ts.Node[], index: number): boolean {
    const loopIndex = path.lastIndexOf(this.loop, index);
    if (loopIndex < 0) return false;
    for (let i = loopIndex + 1; i < index; i++) if (isFunctionLike(path[i]!) || ts.isClassLike(path[i]!)) return false;
    return true;
  }

  /** `function handler() {...}` declared in the loop: when do its callers run it? */
  private declaredFunction(fn: ts.FunctionDeclaration, path: readonly ts.Node[], index: number, depth: number): Verdict {
    if (!fn.name) return 'unsure';
    let scope = index - 1;
    while (scope >= 0 && !ts.isBlock(path[scope]!) && !ts.isSourceFile(path[scope]!) && !ts.isModuleBlock(path[scope]!)) scope--;
    return scope < 0 ? 'unsure' : this.uses(fn.name, path, scope, depth, 'function', fn);
  }

  /** `const handler = () => ...`: follows the variable to each of its uses. */
  private holder(name: ts.Identifier, path: readonly ts.Node[], index: number, depth: number, holds: 'function' | 'object', fn: ts.Node): Verdict {
    const list = path[index - 1];
    if (!list || !ts.isVariableDeclarationList(list)) return 'unsure';
    let scope = index - 2;
    if (isVarList(list)) {
      while (scope >= 0 && !isVarScope(path[scope]!)) scope--;
    } else {
      while (scope >= 0 && !ts.isBlock(path[scope]!) && !ts.isSourceFile(path[scope]!) && !ts.isModuleBlock(path[scope]!) && !ts.isCaseBlock(path[scope]!)) {
        if (isForWithInitializer(path[scope]!) && (path[scope] as ForWithInitializer).initializer === list) break;
        scope--;
      }
    }
    return scope < 0 ? 'unsure' : this.uses(name, path, scope, depth, holds, fn);
  }

  private uses(name: ts.Identifier, path: readonly ts.Node[], scope: number, depth: number, holds: 'function' | 'object', fn: ts.Node): Verdict {
    if (depth >= MAX_DEPTH) return 'unsure';
    const found: ts.Node[][] = [];
    scanReferences(path[scope]!, path.slice(0, scope), {
      names: new Set([name.text]),
      ignore: new Set([name]),
      rootDeclares: true,
      onReference: (id, at) => found.push([...at, id]),
    });
    let verdict: Verdict = 'now';
    for (const use of found) {
      verdict = combine(verdict, this.use(use, depth + 1, holds, fn));
      if (typeof verdict === 'object') return verdict;
    }
    return verdict;
  }

  /** One use of a variable holding the function: a call runs it where the call is; anything else passes it on. */
  private use(path: readonly ts.Node[], depth: number, holds: 'function' | 'object', fn: ts.Node): Verdict {
    let index = path.length - 1;
    let child = path[index]!;
    let parent = path[index - 1];
    while (parent && isTransparent(parent)) {
      child = parent;
      parent = path[--index - 1];
    }
    const isCall = (node: ts.Node | undefined, callee: ts.Node) => node !== undefined && ts.isCallExpression(node) && node.expression === callee;
    let invoked = holds === 'function' && isCall(parent, child);
    if (!invoked && holds === 'function' && parent && ts.isPropertyAccessExpression(parent) && parent.expression === child) {
      invoked = (parent.name.text === 'call' || parent.name.text === 'apply') && isCall(path[index - 2], parent);
    }
    if (!invoked) return this.flow(path, path.length - 1, depth, holds, fn);
    const loopIndex = path.lastIndexOf(this.loop);
    if (loopIndex < 0) {
      const at = path.at(-1)!;
      return at.pos >= this.loop.end ? { how: 'is called after the loop', fn } : 'unsure';
    }
    return this.location(path, loopIndex, depth, fn);
  }
}

// ── The loop around a closure ──────────────────────────────────────────────────────────────────────

/** Whether the loop waits at this point (`await` / `yield` around the function), so the variable cannot move on meanwhile. */
function isWaitedFor(path: readonly ts.Node[], loopIndex: number, functionIndex: number): boolean {
  for (let i = loopIndex + 1; i < functionIndex; i++) if (ts.isAwaitExpression(path[i]!) || ts.isYieldExpression(path[i]!)) return true;
  return false;
}

/**
 * Whether the loop certainly ends right after the statement holding the function (a `return`, a `throw`, or
 * a `break` out of the outermost loop follows it), so the variable is never assigned again.
 */
function endsLoopAfter(path: readonly ts.Node[], loopIndex: number, functionIndex: number): boolean {
  const loop = path[loopIndex]!;
  const label = ts.isLabeledStatement(path[loopIndex - 1] ?? loop) ? (path[loopIndex - 1] as ts.LabeledStatement).label.text : undefined;
  for (let i = functionIndex; i > loopIndex + 1; i--) {
    const statement = path[i]!;
    const container = path[i - 1]!;
    if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
    if (!ts.isBlock(container) && !ts.isCaseClause(container) && !ts.isDefaultClause(container)) continue;
    const statements = container.statements;
    const next = statements[statements.indexOf(statement as ts.Statement) + 1];
    if (!next) continue;
    if (ts.isReturnStatement(next) || ts.isThrowStatement(next)) return true;
    if (ts.isBreakStatement(next)) {
      if (next.label) return next.label.text === label;
      let inner = false;
      for (let j = loopIndex + 1; j < i; j++) if (isLoopStatement(path[j]!) || ts.isSwitchStatement(path[j]!)) inner = true;
      if (!inner) return true;
    }
  }
  return false;
}

/** Initializers whose value is the same on every iteration: the shared variable then holds one value anyway. */
function isInvariant(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const expression = skipOuterExpressions(node);
  switch (expression.kind) {
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
    case ts.SyntaxKind.Identifier:
      return (expression as ts.Identifier).text === 'undefined';
    case ts.SyntaxKind.PropertyAccessExpression: {
      let object: ts.Expression = expression;
      while (ts.isPropertyAccessExpression(object)) object = skipOuterExpressions(object.expression);
      return object.kind === ts.SyntaxKind.ThisKeyword;
    }
    default:
      return false;
  }
}

// ── Is `let` equivalent? ───────────────────────────────────────────────────────────────────────────

const BINDING_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
]);

function containsFunction(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean => isFunctionLike(child) || ts.isClassLike(child) || (ts.forEachChild(child, visit) ?? false);
  return visit(node);
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  scanReferences(node, [], { names, ignore: new Set(), onReference: () => (found = true) });
  return found;
}

/**
 * Whether turning the `var` of a `for`/`for-in`/`for-of` header into `let` changes nothing but what the
 * closures see: every use of the variables is inside the loop, nothing else declares them, their
 * initializers do not read them (no temporal dead zone), and no `eval`/`with` can reach them.
 */
function letIsEquivalent(sourceFile: ts.SourceFile, list: ts.VariableDeclarationList, ancestors: readonly ts.Node[]): boolean {
  const loop = ancestors.at(-1);
  if (!loop || !isForWithInitializer(loop) || loop.initializer !== list || !isVarList(list)) return false;
  let scopeIndex = ancestors.length - 1;
  while (scopeIndex >= 0 && !isVarScope(ancestors[scopeIndex]!)) scopeIndex--;
  const scope = ancestors[scopeIndex];
  // At the top of a script, `var` also makes a property of the global object that other scripts can read.
  if (!scope || (ts.isSourceFile(scope) && !ts.isExternalModule(sourceFile))) return false;

  const own = list.declarations.flatMap((declaration) => boundIdentifiers(declaration.name));
  const names = new Set(own.map((id) => id.text));
  const ownIds = new Set<ts.Node>(own);
  if (list.declarations.some((declaration) => hasBindingDefaults(declaration.name))) return false;
  if (ts.isForStatement(loop)) {
    for (const [index, declaration] of list.declarations.entries()) {
      if (!declaration.initializer) continue;
      const later = new Set(list.declarations.slice(index).flatMap((d) => boundIdentifiers(d.name).map((id) => id.text)));
      if (containsFunction(declaration.initializer) || mentions(declaration.initializer, later)) return false;
    }
  } else if (mentions(loop.expression, names)) {
    return false;
  }

  // No other declaration of these names in the function (those of nested functions are their own), no eval/with.
  let conflict = false;
  const stack: ts.Node[] = [];
  const traverse = (node: ts.Node): void => {
    if (conflict) return;
    if (ts.isWithStatement(node) || (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'eval')) {
      conflict = true;
      return;
    }
    const declared = (node as ts.NamedDeclaration).name;
    if (BINDING_KINDS.has(node.kind) && declared && ts.isIdentifier(declared) && names.has(declared.text) && !ownIds.has(declared)) {
      // Inside a nested function, a parameter or local of the same name is a different variable.
      if (!stack.some((ancestor) => ancestor !== scope && isFunctionLike(ancestor))) {
        conflict = true;
        return;
      }
    }
    stack.push(node);
    ts.forEachChild(node, traverse);
    stack.pop();
  };
  traverse(scope);
  if (conflict) return false;

  // Every reference to the variables is inside the loop statement.
  const start = loop.getStart(sourceFile);
  let outside = false;
  scanReferences(scope, ancestors.slice(0, scopeIndex), {
    names,
    ignore: ownIds,
    onReference: (id) => {
      if (id.getStart(sourceFile) < start || id.end > loop.end) outside = true;
    },
  });
  return !outside;
}

// ── The rule ───────────────────────────────────────────────────────────────────────────────────────

interface Candidate {
  readonly list: ts.VariableDeclarationList;
  /** The ancestors of the list, nearest last. */
  readonly path: readonly ts.Node[];
  /** Index in `path` of the outermost loop of the function around the declaration. */
  readonly loopIndex: number;
}

/** `var i` of a report: from the keyword to the end of the first captured name. */
function reportSpan(sourceFile: ts.SourceFile, list: ts.VariableDeclarationList, name: ts.Identifier): Span {
  return { start: list.getStart(sourceFile), end: name.end };
}

export const loopVarClosure: RuleDefinition = {
  id: 'loop-var-closure',
  kind: 'gotcha',
  category: 'functions',
  seeds: ['003'],
  defaultSeverity: 'warning',
  prose: {
    title: '`var` loop variable captured by a closure',
    summary: 'A `var` has one binding for the whole function, so every function created in a loop shares the same loop variable instead of getting its own copy.',
    what:
      'Functions capture variables, not values. With `for (var i = 0; ...)` there is a single `i`; a callback created in the loop that runs later (a timer, an event handler, a promise callback, a function stored in an array) reads `i` when it runs, by which time the loop has moved on: usually every callback sees the last value. A `let` or `const` loop variable gets a new binding for each iteration, so each callback keeps its own.',
    when: 'Scheduling work per item (`setTimeout`, `addEventListener`, `.then`), building an array of handlers or thunks, or registering tests in a loop, in code that still declares loop variables with `var`.',
    whenNot:
      'The rule reports only when it can see that a function reading the variable runs after its iteration: it is passed to a timer, event or promise method (`setTimeout`, `addEventListener`, `on`, `then`...), to a test registration (`it`, `test`), or as a Node-style completion callback (`function (err, data)`); it is stored in a property or a collection (`push`, `set`, `add`), returned from a `map` callback, yielded or given as a JSX attribute; or it is an async function that goes on after an `await`. A function passed to a function the rule does not know is left alone, since it may be called at once. So are functions called before the iteration ends: array-method callbacks (`forEach`, `map`, `filter`...), an immediately invoked function, a local function called only inside the loop, a `new Promise` executor, a call the loop awaits, and a closure after which the loop ends (`return`, `throw`, `break`). `let`/`const` loop variables, a copy made by a parameter (`(function (j) { ... })(i)`), and a `var` in the body that holds the same value on every iteration (`var self = this`) are not reported either.',
    pitfall:
      'The quick fix turns `var` into `let` only for a `for`/`for-in`/`for-of` header, and only when nothing else depends on `var`: the variable is not used before or after the loop, not declared again in the function, and not reached by `eval`. Otherwise, declare a `const` copy inside the loop body (`const current = i;`) and use that in the callback, or move the code into a function that takes the value as a parameter.',
  },
  python: {
    name: 'late-binding closures',
    example: 'callbacks = [lambda: i for i in range(3)]\nprint([f() for f in callbacks])   # [2, 2, 2]',
    note:
      "Python closures also look a variable up when they run, and a Python loop variable is one variable for the whole loop, so the lambdas all see the last value; the fix there is the `lambda i=i: i` default-argument trick. JavaScript's `let` and `const` loop variables give each iteration its own binding, so the JavaScript fix is simply not to use `var`.",
  },
  examples: {
    incorrect: [
      'export function scheduleAll(names: string[]) {\n  for (var i = 0; i < names.length; i++) {\n    setTimeout(() => console.log(i, names[i]), 10);\n  }\n}\n',
    ],
    correct: [
      'export function scheduleAll(names: string[]) {\n  for (let i = 0; i < names.length; i++) {\n    setTimeout(() => console.log(i, names[i]), 10);\n  }\n}\n',
      'export function total(rows: number[][]) {\n  var sum = 0;\n  for (var i = 0; i < rows.length; i++) {\n    rows[i]!.forEach((value) => {\n      sum += value * i;\n    });\n  }\n  return sum;\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Closures (creating closures in loops)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Closures#creating_closures_in_loops_a_common_mistake' },
    { title: 'MDN: let', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/let' },
    { title: 'MDN: for', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/for' },
  ],
  fixes: [
    {
      id: 'use-let',
      title: 'Declare the loop variable with `let`: each iteration, and each closure, gets its own copy',
      safe: true,
      doChange(sourceFile, span) {
        const path = pathContaining(sourceFile, span);
        const list = path.at(-1);
        if (!list || !isVarList(list) || !letIsEquivalent(sourceFile, list as ts.VariableDeclarationList, path.slice(0, -1))) return [];
        const start = list.getStart(sourceFile);
        if (sourceFile.text.slice(start, start + 3) !== 'var') return [];
        return new EditBuilder(sourceFile).replaceRange(start, start + 3, 'let').build();
      },
    },
  ],
  create(context) {
    let candidates: Candidate[] | undefined;
    return {
      [ts.SyntaxKind.VariableDeclarationList](node) {
        if (node.flags & ts.NodeFlags.BlockScoped) return;
        const { ancestors } = context;
        let loopIndex = -1;
        for (let i = ancestors.length - 1; i >= 0; i--) {
          const ancestor = ancestors[i]!;
          if (isVarScope(ancestor) || ts.isClassLike(ancestor)) break;
          if (isLoopStatement(ancestor)) loopIndex = i;
        }
        if (loopIndex < 0) return;
        (candidates ??= []).push({ list: node as ts.VariableDeclarationList, path: ancestors.slice(), loopIndex });
      },
      onWalkEnd() {
        if (!candidates) return;
        const { sourceFile } = context;
        const byLoop = new Map<ts.Node, Candidate[]>();
        for (const candidate of candidates) {
          const loop = candidate.path[candidate.loopIndex]!;
          const group = byLoop.get(loop);
          if (group) group.push(candidate);
          else byLoop.set(loop, [candidate]);
        }
        for (const [loopNode, group] of byLoop) {
          const loop = loopNode as ts.IterationStatement;
          const loopPath = group[0]!.path.slice(0, group[0]!.loopIndex + 1);
          const ids = group.flatMap((candidate) => candidate.list.declarations.flatMap((declaration) => boundIdentifiers(declaration.name)));
          const names = new Set(ids.map((id) => id.text));
          const references = new Map<string, ts.Node[][]>();
          const writes = new Map<string, number>();
          scanReferences(loop.statement, loopPath, {
            names,
            ignore: new Set<ts.Node>(ids),
            onReference(id, path) {
              const parent = path.at(-1)!;
              if (isWrite(id, parent)) writes.set(id.text, (writes.get(id.text) ?? 0) + 1);
              // Only references inside a function or class created in the loop matter.
              if (!path.some((node, index) => index > loopPath.length - 1 && (isFunctionLike(node) || ts.isClassLike(node)))) return;
              const list = references.get(id.text);
              const full = [...path, id];
              if (list) list.push(full);
              else references.set(id.text, [full]);
            },
          });
          const timing = new Timing(sourceFile, loop);
          const loopIndex = loopPath.length - 1;
          for (const candidate of group) {
            const parent = candidate.path.at(-1)!;
            const isHeader = isForWithInitializer(parent) && parent.initializer === candidate.list;
            let found: { name: ts.Identifier; later: Later } | undefined;
            for (const declaration of candidate.list.declarations) {
              // `var self = this;` in the body: the one shared variable holds the same value on every iteration.
              if (
                !isHeader &&
                ts.isIdentifier(declaration.name) &&
                isInvariant(declaration.initializer) &&
                !writes.has(declaration.name.text) &&
                ids.filter((id) => id.text === (declaration.name as ts.Identifier).text).length === 1
              ) {
                continue;
              }
              for (const name of boundIdentifiers(declaration.name)) {
                for (const path of references.get(name.text) ?? []) {
                  const first = timing.boundaries(path, loopIndex)[0]!;
                  if (isWaitedFor(path, loopIndex, first) || endsLoopAfter(path, loopIndex, first)) continue;
                  const verdict = timing.location(path, loopIndex, 0);
                  if (typeof verdict === 'object') {
                    found = { name, later: verdict };
                    break;
                  }
                }
                if (found) break;
              }
              if (found) break;
            }
            if (!found) continue;
            const { name, later } = found;
            const line = sourceFile.getLineAndCharacterOfPosition(later.fn.getStart(sourceFile)).line + 1;
            const fixable = isHeader && letIsEquivalent(sourceFile, candidate.list, candidate.path);
            context.report({
              at: reportSpan(sourceFile, candidate.list, name),
              message: `\`var ${name.text}\` is one variable shared by every iteration: the function on line ${line} ${later.how}, so it runs after the loop has moved on and reads the latest \`${name.text}\`, not the value of its own iteration.`,
              fixes: fixable ? ['use-let'] : [],
            });
          }
        }
      },
    };
  },
};
