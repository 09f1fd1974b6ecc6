import * as ts from 'typescript';
import type { RuleDefinition } from '../patterns/types';
import { isEqualityOperator, isNegatedEquality, isStrictEquality, skipOuterExpressions } from '../syntax/expressions';
import { typeScriptChecking } from '../syntax/files';
import { countDeclarations } from '../syntax/globals';
import { quote, shortText } from './support/messages';

/** Built-in constructors whose `new` always returns an object nobody else holds yet. */
const FRESH_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Date', 'RegExp', 'Promise', 'Function',
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'String', 'Number', 'Boolean', 'URL', 'URLSearchParams', 'WeakRef', 'AbortController', 'Headers', 'FormData',
  'Blob', 'TextEncoder', 'TextDecoder', 'EventTarget',
]);

/** What a fresh operand makes, for the message; undefined when the operand is not certainly fresh. */
type Fresh = { readonly what: string; readonly node: ts.Expression; readonly constructorName?: string };

function freshValue(expression: ts.Expression): Fresh | undefined {
  const node = skipOuterExpressions(expression);
  switch (node.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
      return { what: 'array', node };
    case ts.SyntaxKind.ObjectLiteralExpression:
      return { what: 'object', node };
    case ts.SyntaxKind.RegularExpressionLiteral:
      return { what: 'RegExp object', node };
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
      return { what: 'function', node };
    case ts.SyntaxKind.ClassExpression:
      return { what: 'class', node };
    case ts.SyntaxKind.NewExpression: {
      const callee = skipOuterExpressions((node as ts.NewExpression).expression);
      if (ts.isClassExpression(callee)) return { what: 'object', node };
      // Whether the constructor is a built-in (not shadowed) or a plain class of this file is decided at the end.
      return ts.isIdentifier(callee) ? { what: `\`${callee.text}\``, node, constructorName: callee.text } : undefined;
    }
    default:
      return undefined;
  }
}

/** The operand kinds TypeScript's own check (TS2839) looks at: as written, without looking through parentheses. */
function typeScriptSeesObjectLiteral(node: ts.Expression): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassExpression:
      return true;
    default:
      return false;
  }
}

/**
 * Whether `new Name(...)` certainly makes a new object: `Name` is an unshadowed built-in, or the file's one
 * binding of `Name` is a plain class (no `extends`, no decorator, no constructor that returns something).
 */
function constructsFreshObject(sourceFile: ts.SourceFile, name: string, classes: ReadonlyMap<string, ts.ClassDeclaration>): boolean {
  const declared = countDeclarations(sourceFile, new Set([name])).get(name) ?? 0;
  if (declared === 0) return FRESH_CONSTRUCTORS.has(name);
  const declaration = classes.get(name);
  if (declared !== 1 || !declaration) return false;
  if (declaration.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)) return false;
  if (declaration.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.Decorator)) return false;
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  return !constructor?.body || !returnsValue(constructor.body);
}

/** Whether a function body has a `return <expression>` of its own (a constructor that may return another object). */
function returnsValue(body: ts.Node): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isReturnStatement(node)) return node.expression !== undefined;
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    return ts.forEachChild(node, visit) ?? false;
  };
  return ts.forEachChild(body, visit) ?? false;
}

function hint(fresh: Fresh, other: string): string {
  const node = fresh.node;
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.length === 0 ? ` To test for an empty array, use \`${other}.length === 0\`.` : ' Compare the elements instead.';
  }
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.length === 0 ? ` To test for an empty object, use \`Object.keys(${other}).length === 0\`.` : ' Compare the fields instead.';
  }
  if (fresh.constructorName === 'Date') return ' To compare dates, compare their `getTime()` values.';
  if (ts.isNewExpression(node)) return ' Compare the contents instead.';
  return '';
}

interface Candidate {
  readonly node: ts.BinaryExpression | ts.CaseClause;
  readonly fresh: readonly Fresh[];
}

export const freshLiteralComparison: RuleDefinition = {
  id: 'fresh-literal-comparison',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['003'],
  defaultSeverity: 'error',
  prose: {
    title: 'Comparing with a freshly made object',
    summary: 'An array or object literal, a `new` expression, a function or a regular expression literal makes a new object each time it runs, so no other value can be identical to it.',
    what:
      '`===`, `!==` and `switch` compare objects by identity. `x === []` asks whether `x` is this brand-new array, which it cannot be: the test is always `false` (and `x !== {}` always `true`), whatever `x` holds. The same goes for `x === new Date(t)`, `x === /ab/`, `x === (() => 1)` and `case []:`, which never matches.',
    when: 'Checking for "empty" (`items === []`), comparing a date or point by value (`when === new Date(0)`, `p === new Point(0, 0)`), or matching a default object: the code reads like a value comparison and silently never matches.',
    whenNot:
      'TypeScript already reports a literal operand written directly beside the operator (TS2839): in `.ts`/`.tsx` files `x == []`, `x === {}`, `x === /re/`, `x === function () {}`, and in JavaScript files the `===`/`!==` forms, even without `// @ts-check`. The rule stays silent there (unless the file says `// @ts-nocheck`) and covers the rest: `new` expressions, arrow functions, operands in parentheses or behind `as`, and `case` clauses. `new` counts only for built-in constructors and for plain classes of the same file (no `extends`, no decorator, no constructor that returns a value), since any other constructor may hand back an existing object. Loose `==`/`!=` with a single fresh operand is left alone: it first converts the object to a primitive, so `"" == []` is `true`.',
    pitfall:
      'There is no one-line fix: decide what "equal" means. Empty array: `x.length === 0`; empty object: `Object.keys(x).length === 0`; dates: `a.getTime() === b.getTime()`; records: compare the fields, or use a deep-equality helper such as `util.isDeepStrictEqual` in Node.',
  },
  python: {
    name: '`is` on new objects (identity versus `==`)',
    example: 'print([] == [], [] is [])   # True False\nprint({} is {}, object() is object())   # False False',
    note:
      "Python's `==` compares contents, so `x == []` is a real emptiness test there. JavaScript's `===` on objects is Python's `is`: a new literal is never identical to anything, and JavaScript has no built-in `==` that compares contents.",
  },
  examples: {
    incorrect: [
      'export function isEpoch(when: Date) {\n  return when === new Date(0);\n}\n',
      'export function hasNoTags(tags: readonly string[]) {\n  return tags === ([] as string[]);\n}\n',
    ],
    correct: [
      'export function isEpoch(when: Date) {\n  return when.getTime() === 0;\n}\n',
      'export function hasNoTags(tags: readonly string[]) {\n  return tags.length === 0;\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Strict equality (===)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Strict_equality' },
    { title: 'MDN: Equality comparisons and sameness', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Equality_comparisons_and_sameness' },
    { title: 'MDN: switch', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/switch' },
  ],
  create(context) {
    let candidates: Candidate[] | undefined;
    let classes: Map<string, ts.ClassDeclaration> | undefined;

    return {
      [ts.SyntaxKind.BinaryExpression](node) {
        const binary = node as ts.BinaryExpression;
        const operator = binary.operatorToken.kind;
        if (!isEqualityOperator(operator)) return;
        const left = freshValue(binary.left);
        const right = freshValue(binary.right);
        if (!left && !right) return;
        // Loose equality converts an object operand to a primitive first (`"" == []` is true): only two
        // fresh objects are certainly unequal.
        if (!isStrictEquality(operator) && !(left && right)) return;
        const checking = typeScriptChecking(context.sourceFile);
        const isTypeScript = !(context.sourceFile.flags & ts.NodeFlags.JavaScriptFile);
        if (
          checking !== 'none' &&
          (isTypeScript || isStrictEquality(operator)) &&
          (typeScriptSeesObjectLiteral(binary.left) || typeScriptSeesObjectLiteral(binary.right))
        ) {
          return; // TS2839 covers it.
        }
        (candidates ??= []).push({ node: binary, fresh: [left, right].filter((f): f is Fresh => f !== undefined) });
      },
      [ts.SyntaxKind.CaseClause](node) {
        const fresh = freshValue((node as ts.CaseClause).expression);
        if (fresh) (candidates ??= []).push({ node: node as ts.CaseClause, fresh: [fresh] });
      },
      [ts.SyntaxKind.ClassDeclaration](node) {
        const name = (node as ts.ClassDeclaration).name;
        if (name) (classes ??= new Map()).set(name.text, node as ts.ClassDeclaration);
      },
      onWalkEnd() {
        if (!candidates) return;
        const { sourceFile } = context;
        const known = new Map<string, boolean>();
        const isFresh = (fresh: Fresh): boolean => {
          const name = fresh.constructorName;
          if (name === undefined) return true;
          let answer = known.get(name);
          if (answer === undefined) known.set(name, (answer = constructsFreshObject(sourceFile, name, classes ?? new Map())));
          return answer;
        };
        for (const candidate of candidates) {
          if (ts.isCaseClause(candidate.node)) {
            const fresh = candidate.fresh[0]!;
            if (!isFresh(fresh)) continue;
            context.report({
              at: fresh.node,
              message: `\`case ${quote(fresh.node, sourceFile).slice(1, -1)}:\` never matches: it makes a new ${fresh.what} each time, and \`switch\` compares with \`===\`, which compares objects by identity.`,
            });
            continue;
          }
          const binary = candidate.node;
          const strict = isStrictEquality(binary.operatorToken.kind);
          const fresh = candidate.fresh.filter(isFresh);
          if (fresh.length === 0 || (!strict && fresh.length < 2)) continue;
          const made = fresh[0]!;
          const other = made.node === skipOuterExpressions(binary.left) ? binary.right : binary.left;
          const outcome = isNegatedEquality(binary.operatorToken.kind) ? 'true' : 'false';
          const operator = binary.operatorToken.getText(sourceFile);
          context.report({
            at: binary.operatorToken,
            message: `${quote(binary, sourceFile)} is always ${outcome}: ${quote(made.node, sourceFile)} makes a new ${made.what} every time, and \`${operator}\` compares objects by identity, not contents.${fresh.length > 1 ? '' : hint(made, shortText(other, sourceFile) ?? 'x')}`,
          });
        }
      },
    };
  },
};
