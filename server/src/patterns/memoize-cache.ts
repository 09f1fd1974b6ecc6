import * as ts from 'typescript';
import { callsNamed, isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { decoratorName, enclosingFunctionIndex, oneLineSpan } from './support-a';
import type { PatternDefinition } from './types';

/** Decorator names that mean "memoize this" (compared lower-cased). */
const MEMO_DECORATORS = new Set(['memoize', 'memoized', 'memoise', 'memoised', 'memo', 'cached', 'cache', 'cacheable']);

const MAP_TYPES = new Set(['Map', 'WeakMap']);

/** Operators whose right operand only runs on some paths. */
const CONDITIONAL_OPERATORS = new Set([
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** One `x.get(k)`, `x.has(k)` or `x.set(k, v)` call inside a function. */
interface CacheCall {
  readonly call: ts.CallExpression;
  readonly method: 'get' | 'has' | 'set';
  /** A lookup inside the arguments of a `.set(...)` (`m.set(k, (m.get(k) ?? 0) + 1)`): not a cache check. */
  insideSet: boolean;
  /** A `set` that only runs on some paths (inside an `if` branch, after `??`, ...). */
  guarded: boolean;
  /** Where the looked-up value is returned (the lookup itself, or a `return` of the variable holding it); -1 if never. */
  returnedAt: number;
}

interface FunctionFacts {
  readonly calls: CacheCall[];
  /** Variables initialized from a `get`: `const hit = cache.get(key)`. */
  aliases?: Map<string, CacheCall>;
}

/** `cache` for `cache`, `this.cache` / `this.#cache` for a field, else undefined. */
function receiverKey(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${value.name.text}`;
  return undefined;
}

/** The key a declaration binds: `cache` for a variable or parameter, `this.cache` for a class field. */
function declaredKey(holder: ts.Node | undefined): string | undefined {
  if (!holder) return undefined;
  if ((ts.isVariableDeclaration(holder) || ts.isParameter(holder)) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (ts.isPropertyDeclaration(holder) && (ts.isIdentifier(holder.name) || ts.isPrivateIdentifier(holder.name))) return `this.${holder.name.text}`;
  return undefined;
}

export const memoizeCache: PatternDefinition = {
  id: 'memoize-cache',
  kind: 'pattern',
  category: 'functions',
  seeds: ['000', '004'],
  prose: {
    title: 'Memoization cache',
    summary:
      'A `Map` (or `WeakMap`) consulted before computing: return the stored result for a key when there is one, otherwise compute it, store it and return it.',
    what:
      'Memory is traded for time: a repeated call with a known key costs one hash lookup instead of the work. `Map` compares keys with SameValueZero (primitives by value, objects by identity) and iterates in insertion order, which makes a small LRU easy: on a hit `delete` and re-`set` the key, and when full evict `cache.keys().next().value`, the oldest. A `WeakMap` keyed by objects lets entries go away with their keys.',
    when:
      'Pure, costly functions called again and again with few distinct keys: parsing, route or path searches, building `Intl` formatters, data derived from an object (a `WeakMap` keyed by that object). Caching the promise of an async lookup also merges concurrent requests for the same key.',
    whenNot:
      'For results that depend on time, randomness or changing data, or for keys that rarely repeat: the cache only grows. A module-level `Map` that never evicts is a memory leak in a long-running server; bound it (LRU, TTL) or scope it to one request.',
    pitfall:
      'Keys compare by identity, so a key built per call (`cache.get([a, b])`, an options object) never hits; derive a primitive key such as `` `${a}:${b}` ``. And `cache.get(k) ?? compute()` recomputes results that are legitimately `undefined` or `null`: check with `has` when those can be cached.',
  },
  python: {
    name: '`functools.cache`, `lru_cache(maxsize)`',
    example: '@functools.lru_cache(maxsize=256)\ndef route(start, goal): return shortest_path(graph, start, goal)',
    note:
      'Python builds the key from all the (hashable) arguments and gives eviction and `cache_info()` for free. JavaScript has no built-in memoizer: you choose the key, the bound and the eviction yourself, and a `Map`\'s insertion order makes an LRU a few lines.',
  },
  example: `export interface Route {
  readonly stops: readonly string[];
  readonly minutes: number;
}

const MAX_ROUTES = 500;
const routeCache = new Map<string, Route>();

function planRoute(from: string, to: string): Route {
  // Stands in for an expensive search over a transit graph.
  return { stops: [from, to], minutes: Math.abs(from.length - to.length) * 7 + 12 };
}

export function route(from: string, to: string): Route {
  const key = \`\${from}->\${to}\`;
  const cached = routeCache.get(key);
  if (cached) return cached;
  const fresh = planRoute(from, to);
  routeCache.set(key, fresh);
  if (routeCache.size > MAX_ROUTES) {
    const oldest = routeCache.keys().next();
    if (!oldest.done) routeCache.delete(oldest.value);
  }
  return fresh;
}
`,
  links: [
    { title: 'MDN: Map', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Map' },
    { title: 'MDN: WeakMap', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/WeakMap' },
  ],
  snippets: [
    {
      prefix: 'pl-memoize',
      description: 'Memoize a one-argument function with a bounded LRU cache (a `Map` in insertion order)',
      javascript: false,
      body: [
        'export function ${1:memoize}<K, V>(compute: (key: K) => V, maxSize = ${2:100}): (key: K) => V {',
        '\tconst cache = new Map<K, V>();',
        '\treturn (key: K): V => {',
        '\t\tif (cache.has(key)) {',
        '\t\t\tconst hit = cache.get(key) as V;',
        '\t\t\tcache.delete(key);',
        '\t\t\tcache.set(key, hit); // most recently used goes last',
        '\t\t\treturn hit;',
        '\t\t}',
        '\t\tconst value = compute(key);',
        '\t\tcache.set(key, value);',
        '\t\tif (cache.size > maxSize) {',
        '\t\t\tconst oldest = cache.keys().next();',
        '\t\t\tif (!oldest.done) cache.delete(oldest.value); // least recently used is first',
        '\t\t}',
        '\t\treturn value;',
        '\t};',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors, sourceFile } = context;
    /** Receivers declared as a `Map`/`WeakMap` in this file (`cache`, `this.cache`). */
    let maps: Set<string> | undefined;
    let byFunction: Map<ts.Node, FunctionFacts> | undefined;

    /** The declaration an expression at the end of `ancestors` initializes (through parentheses, `as`, ...). */
    const initializedHolder = (node: ts.Node): ts.Node | undefined => {
      let index = ancestors.length - 1;
      let child = node;
      while (index >= 0 && isOuterExpression(ancestors[index]!)) child = ancestors[index--]!;
      const holder = ancestors[index];
      if (!holder) return undefined;
      if ((ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer === child) return holder;
      if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === child) return holder;
      return undefined;
    };

    const addMap = (key: string | undefined): void => {
      if (key !== undefined) (maps ??= new Set()).add(key);
    };

    return {
      [ts.SyntaxKind.Decorator](node) {
        const name = decoratorName(node as ts.Decorator);
        if (name !== undefined && MEMO_DECORATORS.has(name.toLowerCase())) context.report(node);
      },

      // `const cache = new Map()`, `#cache = new WeakMap()`, `this.cache = new Map()`.
      [ts.SyntaxKind.NewExpression](node) {
        const created = (node as ts.NewExpression).expression;
        if (!ts.isIdentifier(created) || !MAP_TYPES.has(created.text)) return;
        const holder = initializedHolder(node);
        if (holder && ts.isBinaryExpression(holder)) addMap(receiverKey(holder.left));
        else addMap(declaredKey(holder));
      },

      // `cache: Map<K, V>` on a variable, parameter or field.
      [ts.SyntaxKind.TypeReference](node) {
        const typeName = (node as ts.TypeReferenceNode).typeName;
        if (!ts.isIdentifier(typeName) || !MAP_TYPES.has(typeName.text)) return;
        const holder = ancestors[ancestors.length - 1];
        if (holder && (ts.isVariableDeclaration(holder) || ts.isParameter(holder) || ts.isPropertyDeclaration(holder)) && holder.type === node) {
          addMap(declaredKey(holder));
        }
      },

      calls: callsNamed(['get', 'has', 'set'], (node) => {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name) || call.arguments.length === 0) return;
        const method = callee.name.text;
        if (method !== 'get' && method !== 'has' && method !== 'set') return;
        if (method === 'set' && call.arguments.length < 2) return;
        const receiver = skipOuterExpressions(callee.expression);
        if (!ts.isIdentifier(receiver) && !(ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword)) return;
        const fnIndex = enclosingFunctionIndex(ancestors);
        if (fnIndex < 0) return;
        const fn = ancestors[fnIndex]!;

        const record: CacheCall = { call, method, insideSet: false, guarded: false, returnedAt: -1 };
        for (let i = ancestors.length - 1; i > fnIndex; i--) {
          const ancestor = ancestors[i]!;
          const child = ancestors[i + 1] ?? call;
          if (method === 'set') {
            if (
              (ts.isIfStatement(ancestor) && child !== ancestor.expression) ||
              (ts.isConditionalExpression(ancestor) && child !== ancestor.condition) ||
              (ts.isBinaryExpression(ancestor) && CONDITIONAL_OPERATORS.has(ancestor.operatorToken.kind) && child === ancestor.right)
            ) {
              record.guarded = true;
            }
          } else {
            if (ts.isCallExpression(ancestor) && child !== ancestor.expression && ts.isPropertyAccessExpression(ancestor.expression) && ancestor.expression.name.text === 'set') {
              record.insideSet = true;
            }
            if (method === 'get' && ts.isReturnStatement(ancestor) && record.returnedAt < 0) record.returnedAt = call.pos;
          }
        }
        byFunction ??= new Map();
        let facts = byFunction.get(fn);
        if (!facts) byFunction.set(fn, (facts = { calls: [] }));
        facts.calls.push(record);
        if (method !== 'get') return;
        // `(key) => cache.get(key) ?? ...`: the arrow's expression body is its result.
        if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && (ancestors[fnIndex + 1] ?? call) === fn.body) record.returnedAt = call.pos;
        // `const hit = cache.get(key)` (or `cache.get(key) ?? fallback`), returned later by name.
        let index = ancestors.length - 1;
        let child: ts.Node = call;
        while (
          index > fnIndex &&
          (isOuterExpression(ancestors[index]!) ||
            (ts.isBinaryExpression(ancestors[index]!) &&
              (ancestors[index] as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken &&
              (ancestors[index] as ts.BinaryExpression).left === child))
        ) {
          child = ancestors[index--]!;
        }
        const holder = ancestors[index];
        if (holder && ts.isVariableDeclaration(holder) && holder.initializer === child && ts.isIdentifier(holder.name)) {
          (facts.aliases ??= new Map()).set(holder.name.text, record);
        }
      }),

      [ts.SyntaxKind.ReturnStatement](node) {
        if (!byFunction) return;
        const expression = (node as ts.ReturnStatement).expression;
        if (!expression) return;
        const value = skipOuterExpressions(expression);
        if (!ts.isIdentifier(value)) return;
        const fnIndex = enclosingFunctionIndex(ancestors);
        const lookup = fnIndex < 0 ? undefined : byFunction.get(ancestors[fnIndex]!)?.aliases?.get(value.text);
        if (lookup && lookup.returnedAt < 0) lookup.returnedAt = node.pos;
      },

      onWalkEnd() {
        if (!byFunction || !maps) return;
        const keyOf = (record: CacheCall): string => record.call.arguments[0]!.getText(sourceFile);
        const receiverOf = (record: CacheCall): string | undefined =>
          receiverKey((record.call.expression as ts.PropertyAccessExpression).expression);
        for (const { calls } of byFunction.values()) {
          const reported = new Set<CacheCall>();
          for (const set of calls) {
            if (set.method !== 'set') continue;
            const receiver = receiverOf(set);
            if (receiver === undefined || !maps.has(receiver)) continue;
            const key = keyOf(set);
            const same = (record: CacheCall): boolean => receiverOf(record) === receiver && keyOf(record) === key;
            // The cached value is returned, and the `set` only runs on a miss.
            const returned = calls.find((record) => record.method === 'get' && record.returnedAt >= 0 && same(record));
            if (!returned || !(set.guarded || returned.returnedAt < set.call.pos)) continue;
            // The first lookup before the `set` is the "consult the cache" step.
            const lookup = calls.find(
              (record) => record.method !== 'set' && !record.insideSet && record.call.pos < set.call.pos && same(record),
            );
            if (!lookup || reported.has(lookup)) continue;
            reported.add(lookup);
            const sets = calls.filter((record) => record.method === 'set' && same(record)).map((record) => record.call.expression);
            context.report(oneLineSpan(context, lookup.call, lookup.call.expression), sets);
          }
        }
      },
    };
  },
};
