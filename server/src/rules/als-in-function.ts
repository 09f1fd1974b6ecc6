import * as ts from 'typescript';
import type { RuleDefinition } from '../patterns/types';
import { callsNamed, isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { functionName, isFunctionLike } from '../syntax/functions';
import { countDeclarations } from '../syntax/globals';
import { ownerOf } from '../syntax/owners';
import { ASYNC_HOOKS, mayBeAlsConstructor, nodeAlsConstructions } from './support/async-local-storage';
import { quote } from './support/messages';
import { ModuleBindings } from './support/node-modules';

/** `ts.SyntaxKind`, read once: each `ts.X` is a getter call on the module object. */
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

/** The methods of a store that set, read or leave its value. */
const STORE_METHODS: ReadonlySet<string> = new Set(['run', 'getStore', 'enterWith', 'exit', 'disable']);
/** The methods that take a callback running inside (or outside) the store. */
const CALLBACK_METHODS: ReadonlySet<string> = new Set(['run', 'exit']);

type Candidate =
  /** `new AsyncLocalStorage().getStore()`: used once and dropped. */
  | { readonly kind: 'temporary'; readonly node: ts.NewExpression; readonly method: string }
  /** `const store = new AsyncLocalStorage()` in a function, set there and never read nor passed on. */
  | { readonly kind: 'local'; readonly node: ts.NewExpression; readonly name: ts.Identifier; readonly where: string }
  /** `function storage() { return new AsyncLocalStorage(); }`, called as `storage().run(...)`. */
  | { readonly kind: 'factory'; readonly node: ts.NewExpression; readonly factory: string };

/** Index in `ancestors` of the nearest ancestor that is not a parenthesis or a type assertion. */
function parentIndex(ancestors: readonly ts.Node[], from: number): number {
  let i = from;
  while (i >= 0 && isOuterExpression(ancestors[i]!)) i--;
  return i;
}

/** Whether `node` is where the identifier `id` is declared or a property name, not a use of a variable. */
function isNameNotReference(id: ts.Identifier, parent: ts.Node): boolean {
  switch (parent.kind) {
    case K.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).name === id;
    case K.QualifiedName:
      return (parent as ts.QualifiedName).right === id;
    case K.PropertyAssignment:
    case K.PropertyDeclaration:
    case K.PropertySignature:
    case K.MethodDeclaration:
    case K.MethodSignature:
    case K.GetAccessor:
    case K.SetAccessor:
    case K.EnumMember:
    case K.JsxAttribute:
      return (parent as ts.NamedDeclaration).name === id;
    case K.BindingElement:
      return (parent as ts.BindingElement).propertyName === id;
    case K.LabeledStatement:
    case K.BreakStatement:
    case K.ContinueStatement:
      return true;
    case K.TypeQuery:
      return true; // `typeof store` in a type
    default:
      return false;
  }
}

/**
 * Whether the store in the variable declared by `declaration` (in `scope`) is set but never read and
 * never leaves: every use is `name.run(...)`, `name.enterWith(...)` or `name.exit(...)` (so code elsewhere
 * cannot reach it), none is `getStore()`, and uses inside nested functions are only in callbacks
 * given to its own `run`/`exit` (a closure passed anywhere else could outlive the call).
 */
function isSetButUnreachable(scope: ts.Node, declaration: ts.Identifier): boolean {
  const name = declaration.text;
  let sets = false;
  let ok = true;
  const visit = (node: ts.Node, parent: ts.Node, inOwnCallback: boolean, inOtherFunction: boolean): void => {
    if (!ok) return;
    const kind = node.kind;
    if (kind === K.Identifier) {
      const id = node as ts.Identifier;
      if (id.text !== name || id === declaration || isNameNotReference(id, parent)) return;
      // Shadowed somewhere (give up), or a use that is not `name.method(...)` (the store leaves).
      ok = false;
      return;
    }
    if (kind === K.CallExpression) {
      const call = node as ts.CallExpression;
      const callee = call.expression;
      if (callee.kind === K.PropertyAccessExpression) {
        const target = (callee as ts.PropertyAccessExpression).expression;
        if (target.kind === K.Identifier && (target as ts.Identifier).text === name) {
          const method = (callee as ts.PropertyAccessExpression).name.text;
          if (!STORE_METHODS.has(method) || method === 'getStore' || inOtherFunction) {
            ok = false;
            return;
          }
          if (method === 'run' || method === 'enterWith') sets = true;
          const ownCallback = CALLBACK_METHODS.has(method);
          for (const argument of call.arguments) visit(argument, call, inOwnCallback || ownCallback, inOtherFunction);
          return;
        }
      }
    }
    const nested = isFunctionLike(node) || kind === K.ClassStaticBlockDeclaration;
    const other = inOtherFunction || (nested && !inOwnCallback);
    const childInOwnCallback = nested ? false : inOwnCallback;
    forEachChild(node, (child) => visit(child, node, childInOwnCallback, other));
  };
  forEachChild(scope, (child) => visit(child, scope, false, false));
  return ok && sets;
}

export const alsInFunction: RuleDefinition = {
  id: 'als-in-function',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['001'],
  defaultSeverity: 'warning',
  prose: {
    title: '`new AsyncLocalStorage()` inside a function',
    summary:
      'An `AsyncLocalStorage` created inside a function is a new, separate store on every call, so code elsewhere never sees the values set through it.',
    what:
      'Each `AsyncLocalStorage` instance has its own, independent store: `getStore()` on one instance never returns what `run` put in another. A store created inside a function therefore starts empty on every call, and code that was meant to read the value (a logger, a repository) has no way to reach that particular instance: it gets `undefined`, or reads a different instance.',
    when:
      'Translating per-request context from Python or from another framework: creating the storage in the request handler or middleware (`const context = new AsyncLocalStorage(); context.run(data, next)`), or a helper that returns `new AsyncLocalStorage()` and is called at each use (`storage().run(...)`, `storage().getStore()`).',
    whenNot:
      'The rule reports only what it can see is lost: a store used once and dropped (`new AsyncLocalStorage().getStore()`), a store kept in a local variable that is set with `run`/`enterWith` but never read with `getStore()` and never returned, stored or passed anywhere, and a module-level function returning `new AsyncLocalStorage()` whose result is used directly as `f().run(...)` in the same file. It leaves alone module-level stores, static fields, instance fields and stores assigned in a constructor (one per instance: right for a service created once, which the syntax cannot tell apart from an object created per request), lazy singletons (`store ??= new AsyncLocalStorage()`), factories whose result is kept, immediately invoked functions, and a store created and read inside the same function, as tests do.',
    pitfall:
      'Moving the store to module level is not enough when the readers are in other modules: export it from one module and import it everywhere, since two modules that each create their own instance are two separate stores.',
  },
  python: {
    name: 'declaring `ContextVar`s at module level',
    example: 'def handle(request):\n    current_user = ContextVar("current_user")   # a new variable on every call: nothing else can read it',
    note: 'Python\'s documentation asks for context variables to be created at the top level of a module, never in closures; the same holds for `AsyncLocalStorage`, where each instance is one independent variable.',
  },
  examples: {
    incorrect: [
      `import { AsyncLocalStorage } from 'node:async_hooks';

export function handle(requestId: string, next: () => void): void {
  const context = new AsyncLocalStorage<{ requestId: string }>();
  context.run({ requestId }, next);
}
`,
    ],
    correct: [
      `import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ requestId: string }>();

export function handle(requestId: string, next: () => void): void {
  context.run({ requestId }, next);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
`,
    ],
  },
  links: [
    { title: 'Node.js: class AsyncLocalStorage', url: 'https://nodejs.org/api/async_context.html#class-asynclocalstorage' },
    { title: 'Node.js: asyncLocalStorage.getStore()', url: 'https://nodejs.org/api/async_context.html#asynclocalstoragegetstore' },
  ],
  create(context) {
    const modules = new ModuleBindings(ASYNC_HOOKS);
    let candidates: Candidate[] | undefined;
    /** Names called as `name().run(...)` / `name().getStore()`: evidence that each use makes a new store. */
    let factoryCalls: Set<string> | undefined;

    const classify = (node: ts.NewExpression): Candidate | undefined => {
      const ancestors = context.ancestors;
      // The function the expression runs in, if any; field initializers and static blocks run once per
      // instance or class, constructors once per instance: not reported.
      let fnIndex = -1;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const ancestor = ancestors[i]!;
        if (isFunctionLike(ancestor)) {
          fnIndex = i;
          break;
        }
        if (ancestor.kind === K.PropertyDeclaration || ancestor.kind === K.ClassStaticBlockDeclaration) return undefined;
      }
      if (fnIndex < 0) return undefined;
      const fn = ancestors[fnIndex] as ts.FunctionLikeDeclaration;
      if (fn.kind === K.Constructor) return undefined;
      const outer = parentIndex(ancestors, fnIndex - 1);
      const fnParent = ancestors[outer];
      if (fnParent && ts.isCallExpression(fnParent) && skipOuterExpressions(fnParent.expression) === fn) return undefined; // IIFE

      const p = parentIndex(ancestors, ancestors.length - 1);
      const parent = ancestors[p];
      if (!parent) return undefined;
      // `new AsyncLocalStorage().getStore()`
      if (ts.isPropertyAccessExpression(parent) && STORE_METHODS.has(parent.name.text)) {
        const call = ancestors[p - 1];
        if (call && ts.isCallExpression(call) && call.expression === parent) return { kind: 'temporary', node, method: parent.name.text };
        return undefined;
      }
      // `return new AsyncLocalStorage()` / `() => new AsyncLocalStorage()` in a module-level function.
      const returned =
        (ts.isReturnStatement(parent) && ancestors[p - 1] === fn.body && p - 2 === fnIndex) ||
        (p === fnIndex && ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && skipOuterExpressions(fn.body) === node);
      if (returned) {
        const factory = moduleLevelName(fnIndex);
        return factory === undefined ? undefined : { kind: 'factory', node, factory };
      }
      // `const store = new AsyncLocalStorage()` inside the function.
      const owner = ownerOf(node, ancestors);
      if (!owner || owner.kind !== 'variable') return undefined;
      const declaration = owner.declaration as ts.VariableDeclaration;
      if (!ts.isIdentifier(declaration.name)) return undefined;
      if (!(owner.scope === fn || (owner.scope.pos >= fn.pos && owner.scope.end <= fn.end))) return undefined;
      if (!isSetButUnreachable(owner.scope, declaration.name)) return undefined;
      const name = functionName(fn, ancestors[outer]);
      return { kind: 'local', node, name: declaration.name, where: name === undefined ? 'this function' : `\`${name}\`` };
    };

    /** The name of the function at `ancestors[index]` when it is declared at module level. */
    const moduleLevelName = (index: number): string | undefined => {
      const ancestors = context.ancestors;
      const fn = ancestors[index]!;
      if (ts.isFunctionDeclaration(fn)) return index === 1 && fn.name ? fn.name.text : undefined;
      // const name = () => ... at module level: SourceFile > VariableStatement > List > Declaration > fn
      const declaration = ancestors[parentIndex(ancestors, index - 1)];
      if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
      return ancestors[2] && ancestors[2].kind === K.VariableDeclarationList && ancestors[3] === declaration
        ? declaration.name.text
        : undefined;
    };

    return [modules.listeners, {
      [K.NewExpression](node) {
        const expression = node as ts.NewExpression;
        if (!mayBeAlsConstructor(expression.expression, modules)) return;
        const candidate = classify(expression);
        if (candidate) (candidates ??= []).push(candidate);
      },
      calls: callsNamed(STORE_METHODS, (node) => {
        const callee = (node as ts.CallExpression).expression as ts.PropertyAccessExpression;
        if (callee.kind !== K.PropertyAccessExpression) return;
        const receiver = skipOuterExpressions(callee.expression);
        if (receiver.kind !== K.CallExpression) return;
        const factory = (receiver as ts.CallExpression).expression;
        if (factory.kind === K.Identifier) (factoryCalls ??= new Set()).add((factory as ts.Identifier).text);
      }),
      onWalkEnd() {
        if (!candidates) return;
        const confirmed = nodeAlsConstructions(context.sourceFile, modules, candidates);
        const factories = confirmed.filter((c) => c.kind === 'factory' && factoryCalls?.has(c.factory));
        const counts = factories.length > 0 ? countDeclarations(context.sourceFile, new Set(factories.map((c) => (c as { factory: string }).factory)), { types: true }) : undefined;
        for (const candidate of confirmed) {
          const created = quote(candidate.node, context.sourceFile);
          switch (candidate.kind) {
            case 'temporary':
              context.report({
                at: candidate.node,
                message:
                  candidate.method === 'getStore'
                    ? `${created} is a new, empty store each time this runs, so its \`getStore()\` always returns \`undefined\`. Create the store once, at module level, and read that one.`
                    : `${created} is a new store each time this runs and is dropped after this call: no other code can ever read the value set through it. Create the store once, at module level.`,
              });
              break;
            case 'local':
              context.report({
                at: candidate.node,
                message: `${quote(candidate.name, context.sourceFile)} is a new \`AsyncLocalStorage\` on every call of ${candidate.where} and never leaves it, so no code elsewhere can call \`getStore()\` on it: the value set through it is never seen. Create the store once at module level and import it where the value is read.`,
              });
              break;
            case 'factory':
              if (!factoryCalls?.has(candidate.factory) || counts?.get(candidate.factory) !== 1) break;
              context.report({
                at: candidate.node,
                message: `Each call of \`${candidate.factory}()\` returns a new \`AsyncLocalStorage\` with its own store, so \`${candidate.factory}().getStore()\` never sees a value set through \`${candidate.factory}().run(...)\`. Create the store once at module level and return that one.`,
              });
              break;
          }
        }
      },
    }];
  },
};
