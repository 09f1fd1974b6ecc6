import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { accessKey, callsNamed, chainDepth, chainRoot, firstAccess, skipOuterExpressionsExceptAsConst } from '../syntax/expressions';
import { isFunctionLike } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { identifierWords } from '../syntax/names';
import { findDeclaration, forEachReference } from '../syntax/scopes';
import { isLoopStatement } from '../syntax/statements';
import { quote } from './support/messages';
import { describeMutation, MUTATING_CALL_NAMES, mutatedTarget, type Mutation } from './support/mutations';

/**
 * The expression a shallow copy copies, when `node` (unwrapped) is one: `{ ...source }` (one spread, other
 * properties allowed), `[...source]`, `Object.assign({}, source)`, `source.slice()`, `Array.from(source)`.
 * The source must be an access chain rooted at a variable or `this`, so the rule can name it. Allocates nothing.
 */
function copySourceOf(node: ts.Expression): ts.Expression | undefined {
  let source: ts.Expression | undefined;
  switch (node.kind) {
    case ts.SyntaxKind.ObjectLiteralExpression:
      for (const property of (node as ts.ObjectLiteralExpression).properties) {
        if (property.kind !== ts.SyntaxKind.SpreadAssignment) continue;
        if (source) return undefined;
        source = property.expression;
      }
      break;
    case ts.SyntaxKind.ArrayLiteralExpression: {
      const elements = (node as ts.ArrayLiteralExpression).elements;
      if (elements.length === 1 && elements[0]!.kind === ts.SyntaxKind.SpreadElement) source = (elements[0] as ts.SpreadElement).expression;
      break;
    }
    case ts.SyntaxKind.CallExpression: {
      const { expression: callee, arguments: args } = node as ts.CallExpression;
      if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return undefined;
      const { expression: object, name } = callee as ts.PropertyAccessExpression;
      const method = name.text;
      if (method === 'slice') {
        if (args.length === 0 || (args.length === 1 && ts.isNumericLiteral(args[0]!) && args[0].text === '0')) source = object;
        break;
      }
      if (object.kind !== ts.SyntaxKind.Identifier) return undefined;
      const owner = (object as ts.Identifier).text;
      if (owner === 'Object' && method === 'assign' && args.length === 2) {
        const target = skipOuterExpressionsExceptAsConst(args[0]!);
        if (ts.isObjectLiteralExpression(target) && target.properties.length === 0) source = args[1];
      } else if (owner === 'Array' && method === 'from' && args.length === 1) {
        source = args[0];
      }
      break;
    }
    default:
      return undefined;
  }
  if (!source || source.kind === ts.SyntaxKind.SpreadElement) return undefined;
  source = skipOuterExpressionsExceptAsConst(source);
  return chainRoot(source) ? source : undefined;
}

/** The copy expression a variable declaration is initialized with, if it is one. */
function copyInitializer(declaration: ts.VariableDeclaration): ts.Expression | undefined {
  if (!declaration.initializer || declaration.name.kind !== ts.SyntaxKind.Identifier) return undefined;
  const copy = skipOuterExpressionsExceptAsConst(declaration.initializer);
  return copySourceOf(copy) ? copy : undefined;
}

/** A source the fix may name: a variable, `this`, or a chain of property accesses (`this.state.user`). */
function isPlainSource(node: ts.Expression): boolean {
  for (;;) {
    if (node.kind === ts.SyntaxKind.Identifier || node.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (node.kind !== ts.SyntaxKind.PropertyAccessExpression || (node as ts.PropertyAccessExpression).questionDotToken) return false;
    node = (node as ts.PropertyAccessExpression).expression;
  }
}

/**
 * Copies that derive a context (`const inner = { ...ctx, depth: ctx.depth + 1 }`) usually share their
 * accumulators with the parent on purpose, as do nested objects named for sharing (`copy.common.issues`).
 */
const CONTEXT_WORDS: ReadonlySet<string> = new Set(['ctx', 'context', 'env', 'environment', 'scope', 'frame']);
const SHARED_KEY_WORDS: ReadonlySet<string> = new Set(['common', 'shared', 'global', 'parent', 'root', 'cache', 'registry', 'store']);

function namesContext(node: ts.Node): boolean {
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
  return name !== undefined && identifierWords(name).some((word) => CONTEXT_WORDS.has(word));
}

interface CopyRecord {
  readonly declaration: ts.VariableDeclaration;
  readonly copy: ts.Expression;
  readonly source: ts.Expression;
  /** From the source file down to the block (or function) that declares the copy. */
  readonly path: readonly ts.Node[];
  rebound: boolean;
  /** Top-level properties of the copy replaced by assignment or `delete` (`undefined`: a computed one, so any). */
  readonly replaced: Set<string | undefined>;
  readonly nested: { readonly mutation: Mutation; readonly key: string | undefined }[];
}

/** Keys the copy's object literal sets itself (`{ ...user, address: {...} }`): those are not shared. */
function ownKeys(copy: ts.Expression): { keys: Set<string>; computed: boolean } {
  const keys = new Set<string>();
  let computed = false;
  if (ts.isObjectLiteralExpression(copy)) {
    for (const property of copy.properties) {
      if (property.kind === ts.SyntaxKind.SpreadAssignment) continue;
      const name = property.name;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))) keys.add(name.text);
      else computed = true;
    }
  }
  return { keys, computed };
}

/** Whether a nested mutation goes through a top-level property the copy does not share with its source. */
function isReplaced(record: CopyRecord, key: string | undefined, own: { keys: Set<string>; computed: boolean }): boolean {
  if (record.replaced.has(undefined) || own.computed) return true;
  if (key === undefined) return record.replaced.size > 0 || own.keys.size > 0;
  return record.replaced.has(key) || own.keys.has(key);
}

/**
 * Whether changing the source's nested objects can matter: the source is `this`, a parameter, a variable
 * of an enclosing function or module, an export, another name for an object held elsewhere, read again
 * after the copy, or copied inside a loop. A local holding a fresh object that nothing reads again is not.
 */
function sourceOutlivesCopy(record: CopyRecord, sourceFile: ts.SourceFile): boolean {
  const root = chainRoot(record.source)!;
  if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
  const name = (root as ts.Identifier).text;
  const { path } = record;
  let functionIndex = 0;
  for (let i = path.length - 1; i > 0; i--) {
    if (isFunctionLike(path[i]!)) {
      functionIndex = i;
      break;
    }
  }
  const resolved = findDeclaration(name, path);
  if (!resolved || resolved.index < functionIndex) return true;
  const { node: declaration, index } = resolved;
  if (declaration.kind !== ts.SyntaxKind.VariableDeclaration) return true;
  // A loop variable of `for...of`/`for...in`, or a local read from another object (`const user = users[0]`,
  // `const { config } = props`), is another name for an object that lives on elsewhere.
  if (path[index]!.kind === ts.SyntaxKind.ForOfStatement || path[index]!.kind === ts.SyntaxKind.ForInStatement) return true;
  const initializer = (declaration as ts.VariableDeclaration).initializer;
  if (initializer && chainRoot(skipOuterExpressionsExceptAsConst(initializer))) return true;
  if (path[index]!.kind === ts.SyntaxKind.SourceFile) {
    const statement = sourceFile.statements.find(
      (s) => ts.isVariableStatement(s) && s.declarationList.declarations.includes(declaration as ts.VariableDeclaration),
    );
    if (!statement || hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return true;
  }
  for (let i = index + 1; i < path.length; i++) if (isLoopStatement(path[i]!)) return true;
  const after = record.declaration.end;
  let readAgain = false;
  forEachReference(path[functionIndex]!, name, (identifier) => {
    if (identifier.pos >= after) readAgain = true;
  });
  return readAgain;
}

export const shallowCopyMutation: RuleDefinition = {
  id: 'shallow-copy-mutation',
  kind: 'gotcha',
  category: 'objects',
  seeds: ['003'],
  defaultSeverity: 'warning',
  prose: {
    title: 'Nested object changed through a shallow copy',
    summary:
      'Spread, `Object.assign({}, …)`, `slice()` and `Array.from` copy only the top level: changing a nested object through the copy changes the original too.',
    what:
      'A shallow copy is a new outer object or array whose properties (or elements) point at the same values as the source. Reassigning a top-level property of the copy leaves the source alone, but `copy.address.city = …`, `copy.items.push(…)`, `copy[0].done = true` or `delete copy.meta.x` change an object that the source holds too. No error is raised: the original silently shows the change, which typically surfaces far away (a React state that never re-renders, a default config that drifts between calls).',
    when:
      'Copying state or options "to change the copy" and then editing something nested in it: updating one field of a nested object in a reducer, adding to a list held by a copied config, marking an element of a copied array as done.',
    whenNot:
      'Top-level changes (`copy.name = …`, `copy.push(x)`, `copy.sort()`); nested objects replaced rather than changed (`copy.address = { ...copy.address, city }`, or set in the copy literal itself: `{ ...user, address: { ...user.address } }`); sources that are a fresh local object nothing reads again after the copy; a copy variable reassigned later (which object it holds is unknown). It also leaves alone copies of contexts (the copy or its source named `ctx`, `context`, `env`, `scope` or `frame`) and nested objects named `common`, `shared`, `parent`, `root`, `cache` or `store`: a derived context such as `{ ...ctx, depth: ctx.depth + 1 }` shares its accumulators with its parent on purpose.',
    pitfall:
      'The quick fix wraps the copy in `structuredClone(…)` (Node.js 17 and later, current browsers), a deep copy: every nested object gets a new identity (code comparing them with `===` sees the difference), accessors become plain values, class instances become plain objects without their methods, and functions or DOM nodes make it throw a `DataCloneError`. Often the better fix is to replace only the nested object you change: `copy.address = { ...copy.address, city }`.',
  },
  python: {
    name: 'shallow versus deep copy (`copy.copy` / `copy.deepcopy`)',
    example: 'draft = dict(user)                 # new outer dict, same inner objects\ndraft["address"]["city"] = "Oslo"  # user["address"] changes as well',
    note: 'JavaScript\'s spread, `Object.assign`, `slice()` and `Array.from` are all `copy.copy`: shallow. `structuredClone` is the nearest thing to `copy.deepcopy`, but unlike `deepcopy` it refuses functions and does not keep class instances\' prototypes.',
  },
  examples: {
    incorrect: [
      `interface User {
  name: string;
  address: { city: string };
}

export function moved(user: User, city: string): User {
  const draft = { ...user };
  draft.address.city = city;
  return draft;
}
`,
    ],
    correct: [
      `interface User {
  name: string;
  address: { city: string };
}

export function moved(user: User, city: string): User {
  const draft = { ...user };
  draft.address = { ...draft.address, city };
  return draft;
}
`,
      `export function withTodo(todos: string[][], todo: string): string[][] {
  const next = [...todos];
  next.push([todo]);
  return next;
}
`,
    ],
  },
  links: [
    { title: 'MDN: Shallow copy', url: 'https://developer.mozilla.org/en-US/docs/Glossary/Shallow_copy' },
    { title: 'MDN: structuredClone()', url: 'https://developer.mozilla.org/en-US/docs/Web/API/Window/structuredClone' },
    { title: 'MDN: The structured clone algorithm', url: 'https://developer.mozilla.org/en-US/docs/Web/API/Web_Workers_API/Structured_clone_algorithm' },
    { title: 'MDN: Spread syntax (...)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Spread_syntax' },
  ],
  fixes: [
    {
      id: 'use-structured-clone',
      title:
        'Deep-copy with `structuredClone(…)`: nested objects get new identities, class instances become plain objects, and functions make it throw',
      safe: false,
      doChange(sourceFile, span) {
        const copy = nodePathAt(sourceFile, span, (node) => ts.isExpression(node) && copySourceOf(node) !== undefined)?.at(-1) as
          | ts.Expression
          | undefined;
        const source = copy && copySourceOf(copy);
        if (!copy || !source || !isPlainSource(source)) return [];
        const builder = new EditBuilder(sourceFile);
        return builder.replaceNode(copy, `structuredClone(${builder.textOf(copy)})`).build();
      },
    },
  ],
  create(context) {
    const { sourceFile } = context;
    let copyNames: Set<string> | undefined;
    let records: Map<ts.VariableDeclaration, CopyRecord> | undefined;

    const onMutation = (node: ts.Node): void => {
      if (!copyNames) return;
      const target = mutatedTarget(node);
      if (!target) return;
      const root = chainRoot(target);
      if (!root || root.kind !== ts.SyntaxKind.Identifier || !copyNames.has(root.text)) return;
      const resolved = findDeclaration(root.text, context.ancestors);
      if (!resolved || resolved.node.kind !== ts.SyntaxKind.VariableDeclaration) return;
      const declaration = resolved.node as ts.VariableDeclaration;
      const copy = copyInitializer(declaration);
      if (!copy) return;
      const mutation = describeMutation(node);
      if (!mutation || chainRoot(mutation.object) !== root) return;
      records ??= new Map();
      let record = records.get(declaration);
      if (!record) {
        record = {
          declaration,
          copy,
          source: copySourceOf(copy)!,
          path: context.ancestors.slice(0, resolved.index + 1),
          rebound: false,
          replaced: new Set(),
          nested: [],
        };
        records.set(declaration, record);
      }
      if (mutation.rebinds) {
        record.rebound = true;
        return;
      }
      const depth = chainDepth(mutation.object);
      if (depth === 0) {
        if (mutation.property) record.replaced.add(accessKey(mutation.property));
        else if (mutation.method === 'Object.assign' || mutation.method === 'splice' || mutation.method === 'fill' || mutation.method === 'copyWithin') {
          record.replaced.add(undefined);
        }
        return;
      }
      const first = firstAccess(mutation.object);
      record.nested.push({ mutation, key: first && accessKey(first) });
    };

    return {
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (declaration.name.kind !== ts.SyntaxKind.Identifier || !declaration.initializer) return;
        if (!copySourceOf(skipOuterExpressionsExceptAsConst(declaration.initializer))) return;
        (copyNames ??= new Set()).add(declaration.name.text);
      },
      [ts.SyntaxKind.BinaryExpression]: onMutation,
      [ts.SyntaxKind.PrefixUnaryExpression]: onMutation,
      [ts.SyntaxKind.PostfixUnaryExpression]: onMutation,
      [ts.SyntaxKind.DeleteExpression]: onMutation,
      calls: callsNamed(MUTATING_CALL_NAMES, onMutation),
      onWalkEnd() {
        if (!records) return;
        for (const record of records.values()) {
          if (record.rebound || record.nested.length === 0) continue;
          if (namesContext(record.declaration.name) || namesContext(record.source)) continue;
          const own = ownKeys(record.copy);
          const shared = record.nested.find(
            ({ key }) => !isReplaced(record, key, own) && !(key !== undefined && identifierWords(key).some((word) => SHARED_KEY_WORDS.has(word))),
          );
          if (!shared || !sourceOutlivesCopy(record, sourceFile)) continue;
          const copyName = quote(record.declaration.name, sourceFile);
          const source = quote(record.source, sourceFile);
          context.report({
            at: record.copy,
            message: `${copyName} is a shallow copy of ${source}: ${quote(shared.mutation.node, sourceFile)} changes a nested object that both share, so ${source} changes too.`,
            fixes: isPlainSource(record.source) ? ['use-structured-clone'] : [],
          });
        }
      },
    };
  },
};
