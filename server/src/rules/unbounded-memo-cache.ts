import * as ts from 'typescript';
import type { RuleDefinition } from '../patterns/types';
import { skipOuterExpressions } from '../syntax/expressions';
import { isFunctionBoundary } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { isDeclarationName, isNonReference } from '../syntax/scopes';

/** A module-level `const cache = new Map()` / `{}` / `Object.create(null)` and what the file does with it. */
interface Candidate {
  readonly declaration: ts.VariableDeclaration;
  readonly name: string;
  /** `{}` or `Object.create(null)`, used with `cache[key]`. */
  readonly isObject: boolean;
  /** Something removes entries or checks the size, hands the cache to other code, or declares the name again. */
  ruledOut: boolean;
  /** Lookups: the key's text and the function doing the lookup. */
  readonly gets: { readonly key: string; readonly keyNode: ts.Expression; readonly owner: ts.Node }[];
  /**
   * Stores: the key's text, every function around the store, and whether the stored value reads the
   * cache itself (`counts.set(k, (counts.get(k) ?? 0) + 1)`: an update, not a memo).
   */
  readonly sets: { readonly key: string; readonly owners: readonly ts.Node[]; readonly update: boolean }[];
}

function isEmptyCache(initializer: ts.Expression): 'map' | 'object' | undefined {
  const node = skipOuterExpressions(initializer);
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'Map' ? 'map' : undefined;
  if (ts.isObjectLiteralExpression(node)) return node.properties.length === 0 ? 'object' : undefined;
  if (ts.isCallExpression(node) && node.arguments.length === 1 && node.arguments[0]!.kind === ts.SyntaxKind.NullKeyword) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'create') {
      return 'object';
    }
  }
  return undefined;
}

const COMPARISONS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Map methods that only read (they neither add entries nor let the map escape). */
const READING_MAP_METHODS: ReadonlySet<string> = new Set(['forEach', 'keys', 'values', 'entries']);

function keyText(node: ts.Expression, sourceFile: ts.SourceFile): string {
  return skipOuterExpressions(node).getText(sourceFile);
}

/** Whether `node` mentions the identifier `name`. */
function mentions(node: ts.Node, name: string): boolean {
  const visit = (child: ts.Node): boolean => (ts.isIdentifier(child) && child.text === name) || ts.forEachChild(child, visit) === true;
  return visit(node);
}

function nearestFunction(stack: readonly ts.Node[]): ts.Node | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (isFunctionBoundary(stack[i]!)) return stack[i];
  return undefined;
}

/** Records what one reference to the cache does. `stack` holds the reference's ancestors. */
function recordUse(candidate: Candidate, id: ts.Identifier, stack: readonly ts.Node[], sourceFile: ts.SourceFile): void {
  const parent = stack[stack.length - 1]!;
  const grandparent = stack[stack.length - 2];
  const owners = () => stack.filter((node) => isFunctionBoundary(node));
  if (ts.isPropertyAccessExpression(parent) && parent.expression === id) {
    const method = parent.name.text;
    if (grandparent && ts.isCallExpression(grandparent) && grandparent.expression === parent) {
      const [key] = grandparent.arguments;
      if (method === 'delete' || method === 'clear') candidate.ruledOut = true;
      else if ((method === 'get' || method === 'has') && key && !candidate.isObject) {
        const owner = nearestFunction(stack);
        if (owner) candidate.gets.push({ key: keyText(key, sourceFile), keyNode: key, owner });
      } else if (method === 'set' && key && grandparent.arguments.length === 2 && !candidate.isObject) {
        candidate.sets.push({ key: keyText(key, sourceFile), owners: owners(), update: mentions(grandparent.arguments[1]!, candidate.name) });
      } else if (!READING_MAP_METHODS.has(method)) candidate.ruledOut = true;
      return;
    }
    // `cache.size > max` bounds it; `cache.size` in a log line does not.
    if (method === 'size' && grandparent && ts.isBinaryExpression(grandparent) && COMPARISONS.has(grandparent.operatorToken.kind)) {
      candidate.ruledOut = true;
    }
    if (method !== 'size') candidate.ruledOut = true;
    return;
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === id && candidate.isObject) {
    const keyNode = parent.argumentExpression;
    const key = keyText(keyNode, sourceFile);
    if (grandparent && ts.isDeleteExpression(grandparent)) {
      candidate.ruledOut = true;
    } else if (grandparent && ts.isBinaryExpression(grandparent) && grandparent.left === parent) {
      const operator = grandparent.operatorToken.kind;
      const update = mentions(grandparent.right, candidate.name);
      if (operator === ts.SyntaxKind.EqualsToken) candidate.sets.push({ key, owners: owners(), update });
      else if (operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken) {
        const owner = nearestFunction(stack);
        if (owner) candidate.gets.push({ key, keyNode, owner });
        candidate.sets.push({ key, owners: owners(), update });
      } else candidate.ruledOut = true;
    } else {
      const owner = nearestFunction(stack);
      if (owner) candidate.gets.push({ key, keyNode, owner });
    }
    return;
  }
  // `key in cache` only reads.
  if (ts.isBinaryExpression(parent) && parent.right === id && parent.operatorToken.kind === ts.SyntaxKind.InKeyword) return;
  // Anything else (an argument, a return value, an export, an alias) hands the cache to code we do not see.
  candidate.ruledOut = true;
}

/**
 * Whether `fn` returns what it found in (or stored into) the cache under `key`: `return cache.get(key)`,
 * `return hit` where `hit = cache.get(key)` or `cache.set(key, hit)`, `return (cache[key] ??= compute())`.
 */
function returnsCached(fn: ts.Node, cache: string, key: string, sourceFile: ts.SourceFile): boolean {
  const aliases = new Set<string>();
  /** Variables computed from what the cache holds (`const next = (counts.get(k) ?? 0) + 1`): not a cached result. */
  const derived = new Set<string>();
  const stored: string[] = [];
  const returned: ts.Expression[] = [];
  const isCacheRead = (expression: ts.Expression): boolean => {
    const bare = skipOuterExpressions(expression);
    const node = ts.isAwaitExpression(bare) ? skipOuterExpressions(bare.expression) : bare;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const callee = node.expression;
      const [first] = node.arguments;
      return ts.isIdentifier(callee.expression) && callee.expression.text === cache && callee.name.text === 'get' && first !== undefined && keyText(first, sourceFile) === key;
    }
    if (ts.isElementAccessExpression(node)) {
      return ts.isIdentifier(node.expression) && node.expression.text === cache && keyText(node.argumentExpression, sourceFile) === key;
    }
    if (ts.isBinaryExpression(node)) {
      switch (node.operatorToken.kind) {
        case ts.SyntaxKind.EqualsToken:
        case ts.SyntaxKind.QuestionQuestionEqualsToken:
        case ts.SyntaxKind.BarBarEqualsToken:
          return isCacheRead(node.left);
        case ts.SyntaxKind.QuestionQuestionToken:
        case ts.SyntaxKind.BarBarToken:
          return isCacheRead(node.left) || isCacheRead(node.right);
        case ts.SyntaxKind.CommaToken:
          return isCacheRead(node.right);
        default:
          return false;
      }
    }
    if (ts.isConditionalExpression(node)) return isCacheRead(node.whenTrue) || isCacheRead(node.whenFalse);
    return ts.isIdentifier(node) && aliases.has(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (isFunctionBoundary(node)) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (isCacheRead(node.initializer)) aliases.add(node.name.text);
      else if (mentions(node.initializer, cache)) derived.add(node.name.text);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // `hit = cache.get(key)` and `cache[key] = hit`.
      if (ts.isIdentifier(node.left) && isCacheRead(node.right)) aliases.add(node.left.text);
      else if (ts.isIdentifier(node.left) && mentions(node.right, cache)) derived.add(node.left.text);
      const right = skipOuterExpressions(node.right);
      if (ts.isElementAccessExpression(node.left) && ts.isIdentifier(right) && isCacheRead(node.left)) stored.push(right.text);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length === 2) {
      // `cache.set(key, value)`.
      const callee = node.expression;
      const value = skipOuterExpressions(node.arguments[1]!);
      if (ts.isIdentifier(callee.expression) && callee.expression.text === cache && callee.name.text === 'set' && keyText(node.arguments[0]!, sourceFile) === key && ts.isIdentifier(value)) {
        stored.push(value.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  if (ts.isBlock(body)) ts.forEachChild(body, visit);
  else {
    visit(body);
    returned.push(body);
  }
  for (const name of stored) if (!derived.has(name)) aliases.add(name);
  return returned.some((expression) => isCacheRead(expression));
}

/** A literal key: `'en'`, `0`, `true`, `null`. */
function isLiteral(node: ts.Expression): boolean {
  const value = skipOuterExpressions(node);
  switch (value.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
    case ts.SyntaxKind.PrefixUnaryExpression:
      return ts.isNumericLiteral((value as ts.PrefixUnaryExpression).operand);
    default:
      return false;
  }
}

/**
 * Whether the key can take only a few values: a literal, or a local variable of `fn` that is only
 * ever given literals (`let size; if (...) size = 0; else size = 1;`).
 */
function isFewValuedKey(key: ts.Expression, fn: ts.Node): boolean {
  const node = skipOuterExpressions(key);
  if (isLiteral(node)) return true;
  if (!ts.isIdentifier(node)) return false;
  const name = node.text;
  let declared = false;
  let onlyLiterals = true;
  const visit = (child: ts.Node): void => {
    if (!onlyLiterals) return;
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.name.text === name) {
      declared = true;
      if (child.initializer && !isLiteral(child.initializer)) onlyLiterals = false;
    } else if (ts.isParameter(child) && ts.isIdentifier(child.name) && child.name.text === name) {
      onlyLiterals = false;
    } else if (ts.isBinaryExpression(child) && ts.isIdentifier(child.left) && child.left.text === name) {
      if (child.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !isLiteral(child.right)) onlyLiterals = false;
    } else if ((ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) && ts.isIdentifier(child.operand) && child.operand.text === name) {
      onlyLiterals = false;
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(fn, visit);
  return declared && onlyLiterals;
}

/**
 * Whether a key type allows only a few values: literal types and unions of them, `boolean`, or a
 * local `enum` or type alias of those (`Map<'light' | 'dark', Theme>`, `Record<Size, Metrics>`).
 */
function isFiniteType(type: ts.TypeNode, sourceFile: ts.SourceFile, depth = 0): boolean {
  if (depth > 4) return false;
  if (ts.isParenthesizedTypeNode(type)) return isFiniteType(type.type, sourceFile, depth + 1);
  if (ts.isLiteralTypeNode(type) || type.kind === ts.SyntaxKind.BooleanKeyword) return true;
  if (ts.isUnionTypeNode(type)) return type.types.every((member) => isFiniteType(member, sourceFile, depth + 1));
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    for (const statement of sourceFile.statements) {
      if (ts.isEnumDeclaration(statement) && statement.name.text === name) return true;
      if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return isFiniteType(statement.type, sourceFile, depth + 1);
    }
  }
  return false;
}

/** The key type a cache's declaration spells out: `Map<K, V>`, `new Map<K, V>()`, `Record<K, V>`, `{ [k in K]: V }`, `{ [k: K]: V }`. */
function declaredKeyType(declaration: ts.VariableDeclaration): ts.TypeNode | undefined {
  const type = declaration.type;
  if (type && ts.isTypeReferenceNode(type) && type.typeArguments?.length === 2) return type.typeArguments[0];
  if (type && ts.isMappedTypeNode(type)) return type.typeParameter.constraint;
  if (type && ts.isTypeLiteralNode(type)) {
    const [member] = type.members;
    if (type.members.length === 1 && member && ts.isIndexSignatureDeclaration(member)) return member.parameters[0]?.type;
  }
  const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (initializer && ts.isNewExpression(initializer) && initializer.typeArguments?.length === 2) return initializer.typeArguments[0];
  return undefined;
}

/** Whether some function looks the key up, stores under the same key, and returns the cached value. */
function isMemoCache(candidate: Candidate, sourceFile: ts.SourceFile): boolean {
  const keyType = declaredKeyType(candidate.declaration);
  if (keyType && isFiniteType(keyType, sourceFile)) return false;
  for (const get of candidate.gets) {
    if (isFewValuedKey(get.keyNode, get.owner)) continue;
    for (const set of candidate.sets) {
      if (set.update || set.key !== get.key || !set.owners.includes(get.owner)) continue;
      if (returnsCached(get.owner, candidate.name, get.key, sourceFile)) return true;
    }
  }
  return false;
}

export const unboundedMemoCache: RuleDefinition = {
  id: 'unbounded-memo-cache',
  kind: 'gotcha',
  category: 'functions',
  seeds: ['000', '004'],
  defaultSeverity: 'info',
  prose: {
    title: 'Module-level memo cache that never evicts',
    summary: 'A `Map` (or plain object) at module level that a function fills with computed results and reads back, with no `delete`, no `clear` and no size limit anywhere.',
    what:
      'A module lives as long as the process, and so does its cache: every distinct key adds an entry that is never removed, together with everything its value references. In a server or a long-running worker, keys built from user input, ids or timestamps make memory grow until the process slows down or is killed.',
    when:
      'Memoizing by a key that keeps changing: request parameters, ids, file paths, query strings, `JSON.stringify(args)`. Short scripts and a key space you know is small (a handful of locales, an enum) are fine; the cost is in processes that run for days.',
    whenNot:
      'The rule leaves alone caches that evict (`delete`, `clear`, or a `cache.size` comparison anywhere in the file), `WeakMap`s, caches declared inside a function (freed with it), exported caches and caches passed to other code (which may clear them), caches whose key can take only a few values (a literal-union or enum key type such as `Map<\'light\' | \'dark\', Theme>`, or a key variable only ever set to literals), and maps that are not memo caches: a registry filled by one function and read by another, a counter updated from its own value, or a get-or-create that does not return the cached value.',
    pitfall:
      'A `Map` iterates in insertion order, so a simple LRU is a few lines: on a hit, `delete` the key and `set` it again; after a `set`, when `cache.size > max`, delete `cache.keys().next().value`. For object keys, a `WeakMap` drops an entry once its key is garbage-collected, but it cannot be iterated or sized, and its keys must be objects (or non-registered symbols).',
  },
  python: {
    name: '`functools.cache` / `lru_cache(maxsize=None)` versus `lru_cache(maxsize=N)`',
    example: '@functools.lru_cache(maxsize=None)   # unbounded: one entry per distinct argument, kept forever\ndef render(template_path): return compile_template(template_path)',
    note: 'Python makes the bound a decorator argument (`maxsize`) and `cache_info()` shows the growth; a hand-written JavaScript `Map` cache has no bound unless you write one, and nothing reports its size.',
  },
  examples: {
    incorrect: [
      "const cache = new Map<string, number>();\n\nexport function score(word: string): number {\n  const hit = cache.get(word);\n  if (hit !== undefined) return hit;\n  const value = [...word].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);\n  cache.set(word, value);\n  return value;\n}\n",
    ],
    correct: [
      "const MAX_ENTRIES = 1000;\nconst cache = new Map<string, number>();\n\nexport function score(word: string): number {\n  const hit = cache.get(word);\n  if (hit !== undefined) return hit;\n  const value = [...word].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);\n  cache.set(word, value);\n  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);\n  return value;\n}\n",
      'const sizes = new WeakMap<object, number>();\n\nexport function sizeOf(value: object): number {\n  let size = sizes.get(value);\n  if (size === undefined) {\n    size = JSON.stringify(value).length;\n    sizes.set(value, size);\n  }\n  return size;\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Map', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Map' },
    { title: 'MDN: WeakMap', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/WeakMap' },
    { title: 'MDN: Memory management', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Memory_management' },
  ],
  create(context) {
    const { sourceFile } = context;
    let candidates: Map<string, Candidate> | undefined;
    return {
      [ts.SyntaxKind.SourceFile]() {
        for (const statement of sourceFile.statements) {
          if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
          if (hasModifier(statement, ts.SyntaxKind.ExportKeyword) || hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) continue;
          for (const declaration of statement.declarationList.declarations) {
            const kind = declaration.initializer && ts.isIdentifier(declaration.name) ? isEmptyCache(declaration.initializer) : undefined;
            if (!kind) continue;
            const name = (declaration.name as ts.Identifier).text;
            candidates ??= new Map();
            // Two module-level caches with one name cannot happen; keep the first.
            if (!candidates.has(name)) candidates.set(name, { declaration, name, isObject: kind === 'object', ruledOut: false, gets: [], sets: [] });
          }
        }
      },
      onWalkEnd() {
        if (!candidates) return;
        const found = candidates;
        const stack: ts.Node[] = [];
        const visit = (node: ts.Node): void => {
          if (node.kind === ts.SyntaxKind.Identifier) {
            const candidate = found.get((node as ts.Identifier).text);
            const parent = stack[stack.length - 1];
            if (!candidate || candidate.ruledOut || candidate.declaration.name === node || isNonReference(node as ts.Identifier, parent)) return;
            // Another declaration of the name (a parameter, a local): too easy to confuse; stay silent.
            if (isDeclarationName(node as ts.Identifier, parent)) candidate.ruledOut = true;
            else recordUse(candidate, node as ts.Identifier, stack, sourceFile);
            return;
          }
          stack.push(node);
          ts.forEachChild(node, visit);
          stack.pop();
        };
        visit(sourceFile);
        for (const candidate of found.values()) {
          if (candidate.ruledOut || !isMemoCache(candidate, sourceFile)) continue;
          context.report({
            at: candidate.declaration.name,
            message: `\`${candidate.name}\` is a module-level memo cache that nothing ever evicts (no \`delete\`, \`clear\` or size check): it keeps one entry per distinct key for the life of the process, so a long-running server leaks memory. Bound it (a \`Map\` keeps insertion order, so evicting the oldest key is easy) or use a \`WeakMap\` for object keys.`,
          });
        }
      },
    };
  },
};
