import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { fileDeclares } from '../syntax/globals';
import { methodName, newCalleeName, newSpan, thisPropertyKey } from './support-f';
import type { PatternDefinition } from './types';

const CONSTRUCTORS = new Set(['WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry']);

/** Lookups that return an element of a collection: `refs.get(key)`, `refs.at(-1)`. */
const ELEMENT_GETTERS = new Set(['get', 'at']);

/** Where the search for the declaration that holds a `WeakRef` stops. */
const STOP = new Set([
  ts.SyntaxKind.Block,
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.ReturnStatement,
]);

/** Wrappers that keep a `WeakRef` type or value "direct": `WeakRef<T> | undefined`, `(new WeakRef(x))`. */
const DIRECT_WRAPPERS = new Set([
  ts.SyntaxKind.UnionType,
  ts.SyntaxKind.ParenthesizedType,
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.NonNullExpression,
]);

type Holder = ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration;

function isHolder(node: ts.Node): node is Holder {
  return ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node);
}

/**
 * Reports `new WeakMap`, `new WeakSet`, `new WeakRef` and `new FinalizationRegistry` (span `new X`),
 * unless the file declares its own binding of that name (a local `class WeakRef`, say).
 *
 * Also reports `.deref()` (on the name `deref`) when the receiver is known to be a `WeakRef`:
 * `new WeakRef(x).deref()`; a variable, parameter or field (`this.ref`, `this.#ref`) declared with
 * a `WeakRef<T>` type or initialised with `new WeakRef(...)`; an element of a collection of
 * `WeakRef`s (`Map<K, WeakRef<V>>`, `WeakRef<T>[]`, `items.map((x) => new WeakRef(x))`) read with
 * `.get(...)`, `.at(...)` or `[i]`, or bound from one (`const ref = refs.get(k)`, `for (const ref of
 * refs)`). Names are matched per file. A `deref()` on anything else is a look-alike and is ignored.
 */
export const weakReferences: PatternDefinition = {
  id: 'weak-references',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['002'],
  prose: {
    title: 'Weak references (`WeakMap`, `WeakRef`, `FinalizationRegistry`)',
    summary:
      'References that do not keep their target alive: `WeakMap`/`WeakSet` attach data to objects, a `WeakRef` may lose its target, and a `FinalizationRegistry` may be told afterwards.',
    what:
      'A `WeakMap` or `WeakSet` holds its keys weakly: once nothing else references a key, its entry can be garbage-collected with it, which is why neither has a `size` or can be iterated. A `WeakRef` (ES2021) wraps an object without keeping it alive, and `deref()` returns the object, or `undefined` once it has been collected. A `FinalizationRegistry` may call its callback with a held value some time after a registered object is collected.',
    when:
      '`WeakMap` for per-object metadata or memoized results about objects you do not own (request objects, DOM or AST nodes) without leaking them. `WeakRef` for caches of large objects you can rebuild. `FinalizationRegistry` as a safety net only, such as logging handles that were never closed.',
    whenNot:
      'Any cleanup the program relies on: when (and whether) collection happens differs between engines and runs, so release resources with `using` or `try...finally`. Keys must be objects or non-registered symbols (a string key throws a `TypeError`): use a `Map` with an eviction policy for those.',
    pitfall:
      'A `FinalizationRegistry` callback may never run, and the registry holds its held values strongly: if one references its target (a closure over it, say), that target can never be collected. Call `deref()` once and keep the result in a local; the target stays alive until the current synchronous job ends, but a later `deref()` may return `undefined`.',
  },
  python: {
    name: '`weakref`, `__weakref__` in `__slots__`',
    example: 'cache = weakref.WeakValueDictionary()\nweakref.finalize(conn, log_leak, conn_id)',
    note:
      'Any JavaScript object can be a weak target, whereas a Python class with `__slots__` needs a `__weakref__` slot. `WeakMap` matches `WeakKeyDictionary`; there is no built-in `WeakValueDictionary`, so combine a `Map` of `WeakRef`s with a `FinalizationRegistry` that removes dead entries. And unlike CPython, whose reference counting usually frees an object at once, JavaScript engines promise no timing at all.',
  },
  example: `/** Keeps decoded images by URL without keeping them alive once the app drops them. */
export class ImageCache<T extends object> {
  readonly #entries = new Map<string, WeakRef<T>>();
  readonly #cleanup = new FinalizationRegistry<string>((url) => {
    const ref = this.#entries.get(url);
    if (ref !== undefined && ref.deref() === undefined) this.#entries.delete(url);
  });

  get(url: string): T | undefined {
    return this.#entries.get(url)?.deref();
  }

  set(url: string, image: T): void {
    this.#entries.set(url, new WeakRef(image));
    this.#cleanup.register(image, url);
  }
}

/** Which request each parsed body came from, without keeping the bodies alive. */
const origins = new WeakMap<object, string>();

export function remember(body: object, requestId: string): void {
  origins.set(body, requestId);
}

export function originOf(body: object): string | undefined {
  return origins.get(body);
}
`,
  links: [
    { title: 'MDN: WeakRef', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/WeakRef' },
    {
      title: 'MDN: FinalizationRegistry',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/FinalizationRegistry',
    },
    { title: 'MDN: WeakMap', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/WeakMap' },
    { title: 'TC39 proposal: WeakRefs', url: 'https://github.com/tc39/proposal-weakrefs' },
  ],
  create(context) {
    const constructions: { name: string; node: ts.NewExpression }[] = [];
    const derefs: ts.CallExpression[] = [];
    /** Identifiers / `this` fields holding one `WeakRef`, or a collection of them. */
    const refVars = new Set<string>();
    const refProps = new Set<string>();
    const containerVars = new Set<string>();
    const containerProps = new Set<string>();
    /** Variables that may be bound to an element of a collection: `ref = refs.get(k)`, `for (ref of refs)`. */
    const aliases: (ts.VariableDeclaration | ts.ForOfStatement)[] = [];

    /** Finds the declaration holding a `WeakRef` type or construction, and files its name. */
    const recordHolder = (site: ts.Node): void => {
      const { ancestors } = context;
      let child = site;
      let direct = true;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const parent = ancestors[i]!;
        if (STOP.has(parent.kind)) return;
        if (isHolder(parent)) {
          if (child !== parent.type && child !== parent.initializer) return;
          const name = parent.name;
          if (!ts.isIdentifier(name) && !ts.isPrivateIdentifier(name)) return;
          const isField = ts.isPropertyDeclaration(parent);
          const isParameterProperty = ts.isParameter(parent) && (ts.getModifiers(parent)?.length ?? 0) > 0;
          if (!isField) (direct ? refVars : containerVars).add(name.text);
          if (isField || isParameterProperty) (direct ? refProps : containerProps).add(name.text);
          return;
        }
        if (!DIRECT_WRAPPERS.has(parent.kind)) direct = false;
        child = parent;
      }
    };

    const isContainer = (expression: ts.Expression): boolean => {
      const target = skipOuterExpressions(expression);
      if (ts.isIdentifier(target)) return containerVars.has(target.text);
      const key = thisPropertyKey(target);
      return key !== undefined && containerProps.has(key);
    };

    const isElementRead = (target: ts.Expression): boolean => {
      if (ts.isElementAccessExpression(target)) return isContainer(target.expression);
      if (!ts.isCallExpression(target)) return false;
      const name = methodName(target);
      return (
        name !== undefined &&
        ELEMENT_GETTERS.has(name.text) &&
        isContainer((target.expression as ts.PropertyAccessExpression).expression)
      );
    };

    const isWeakRef = (expression: ts.Expression): boolean => {
      const target = skipOuterExpressions(expression);
      if (ts.isIdentifier(target)) return refVars.has(target.text);
      if (ts.isNewExpression(target)) return newCalleeName(target) === 'WeakRef';
      const key = thisPropertyKey(target);
      if (key !== undefined) return refProps.has(key);
      return isElementRead(target);
    };

    return {
      [ts.SyntaxKind.NewExpression](node) {
        const expression = node as ts.NewExpression;
        const name = newCalleeName(expression);
        if (name === undefined || !CONSTRUCTORS.has(name)) return;
        constructions.push({ name, node: expression });
        if (name === 'WeakRef') recordHolder(expression);
      },
      [ts.SyntaxKind.TypeReference](node) {
        const typeName = (node as ts.TypeReferenceNode).typeName;
        if (ts.isIdentifier(typeName) && typeName.text === 'WeakRef') recordHolder(node);
      },
      calls: {
        deref(node) {
          const call = node as ts.CallExpression;
          if (methodName(call) !== undefined && call.arguments.length === 0) derefs.push(call);
        },
      },
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (!declaration.initializer || !ts.isIdentifier(declaration.name)) return;
        const initializer = skipOuterExpressions(declaration.initializer);
        if (ts.isElementAccessExpression(initializer)) {
          aliases.push(declaration);
        } else if (ts.isCallExpression(initializer)) {
          const name = methodName(initializer);
          if (name !== undefined && ELEMENT_GETTERS.has(name.text)) aliases.push(declaration);
        }
      },
      [ts.SyntaxKind.ForOfStatement](node) {
        const list = (node as ts.ForOfStatement).initializer;
        if (ts.isVariableDeclarationList(list) && list.declarations.length === 1 && ts.isIdentifier(list.declarations[0]!.name)) {
          aliases.push(node as ts.ForOfStatement);
        }
      },
      onWalkEnd() {
        for (const { name, node } of constructions) {
          if (!fileDeclares(context.sourceFile, name)) context.report(newSpan(node, context.sourceFile));
        }
        if (derefs.length === 0 || fileDeclares(context.sourceFile, 'WeakRef')) return;
        for (const alias of aliases) {
          if (ts.isVariableDeclaration(alias)) {
            if (isElementRead(skipOuterExpressions(alias.initializer!))) refVars.add((alias.name as ts.Identifier).text);
          } else if (isContainer(alias.expression)) {
            const declaration = (alias.initializer as ts.VariableDeclarationList).declarations[0]!;
            refVars.add((declaration.name as ts.Identifier).text);
          }
        }
        for (const call of derefs) {
          const access = call.expression as ts.PropertyAccessExpression;
          if (isWeakRef(access.expression)) context.report(access.name);
        }
      },
    };
  },
};
