import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { pathContaining } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { isJavaScriptFile } from '../syntax/files';
import { fileDeclares } from '../syntax/globals';
import { quote } from './support/messages';
import { isWriteTarget, MUTATING_METHODS } from './support/mutations';

/** Wrapper objects and regular expressions: sharing one is harmless in practice (they are not mutated). */
const HARMLESS_CONSTRUCTORS: ReadonlySet<string> = new Set(['String', 'Number', 'Boolean', 'RegExp']);

/** `Array(...)` / `new Array(...)` (with or without type arguments), when `Array` is the global. */
function arrayConstructorCall(node: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Array') {
    return node;
  }
  return undefined;
}

/** `Array.from(...)` / `Array.of(...)`. */
function isArrayFactoryCall(node: ts.Expression): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const { expression, name } = node.expression;
  return ts.isIdentifier(expression) && expression.text === 'Array' && (name.text === 'from' || name.text === 'of');
}

/** Whether `node` certainly makes a new array: a literal, `Array(n)`, `Array.from/of(...)`, or one of those `.fill(...)`ed. */
function makesArray(node: ts.Expression, usesGlobalArray: boolean[]): boolean {
  const expression = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(expression)) return true;
  if (arrayConstructorCall(expression) || isArrayFactoryCall(expression)) {
    usesGlobalArray[0] = true;
    return true;
  }
  if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression) && expression.expression.name.text === 'fill') {
    return makesArray(expression.expression.expression, usesGlobalArray);
  }
  return false;
}

interface Shared {
  /** What the one object is, for the message. */
  readonly what: string;
}

/** What the fill value is when it is certainly one object; undefined otherwise. */
function sharedObject(node: ts.Expression, usesGlobalArray: boolean[]): Shared | undefined {
  const value = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(value)) return { what: 'array' };
  if (ts.isObjectLiteralExpression(value)) return { what: 'object' };
  if (ts.isNewExpression(value)) {
    const callee = skipOuterExpressions(value.expression);
    if (ts.isIdentifier(callee) && HARMLESS_CONSTRUCTORS.has(callee.text)) return undefined;
    return { what: ts.isIdentifier(callee) ? `\`${callee.text}\`` : 'object' };
  }
  if (
    ts.isCallExpression(value) &&
    ts.isPropertyAccessExpression(value.expression) &&
    ts.isIdentifier(value.expression.expression) &&
    value.expression.expression.text === 'Object' &&
    value.expression.name.text === 'create'
  ) {
    return { what: 'object' };
  }
  return makesArray(value, usesGlobalArray) ? { what: 'array' } : undefined;
}

/** The name an array is kept under: `grid` for a variable, `this.grid` for a field; undefined for other expressions. */
function storageKey(node: ts.Expression): string | undefined {
  const target = skipOuterExpressions(node);
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(target.name)) {
    return `this.${target.name.text}`;
  }
  return undefined;
}

interface Storage {
  /** `grid` for a variable, `this.grid` for a field. */
  readonly key: string;
  /** The range of code where changes through that name count: the declaring function, class, or file. */
  readonly start: number;
  readonly end: number;
}

/** Where the result of the `fill` call is kept (a variable or field), from its ancestors. */
function storedAs(sourceFile: ts.SourceFile, fill: ts.Node, ancestors: readonly ts.Node[]): Storage | undefined {
  let child = fill;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i]!;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
        child = parent;
        continue;
      case ts.SyntaxKind.VariableDeclaration: {
        const { name, initializer } = parent as ts.VariableDeclaration;
        if (initializer !== child || !ts.isIdentifier(name)) return undefined;
        return within(name.text, sourceFile, ancestors, i, (node) => ts.isFunctionLike(node));
      }
      case ts.SyntaxKind.PropertyDeclaration: {
        const { name, initializer } = parent as ts.PropertyDeclaration;
        if (initializer !== child || !ts.isIdentifier(name)) return undefined;
        return within(`this.${name.text}`, sourceFile, ancestors, i, ts.isClassLike);
      }
      case ts.SyntaxKind.BinaryExpression: {
        const binary = parent as ts.BinaryExpression;
        const key = binary.operatorToken.kind === ts.SyntaxKind.EqualsToken && binary.right === child ? storageKey(binary.left) : undefined;
        if (key === undefined) return undefined;
        // A field: changes anywhere in the class count; a variable assigned here may be declared anywhere in the file.
        return key.startsWith('this.') ? within(key, sourceFile, ancestors, i, ts.isClassLike) : { key, start: 0, end: sourceFile.end };
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

function within(key: string, sourceFile: ts.SourceFile, ancestors: readonly ts.Node[], from: number, isScope: (node: ts.Node) => boolean): Storage {
  for (let i = from - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (isScope(node)) return { key, start: node.pos, end: node.end };
  }
  return { key, start: 0, end: sourceFile.end };
}

/**
 * `grid[i].x = 1`, `grid[i][j] = 1`, `grid[i].count++`, `grid[i].push(x)`, `Object.assign(grid[i], ...)`:
 * an element changed in place through `grid`. Returns the key of `grid`.
 */
function mutatedThrough(access: ts.ElementAccessExpression, ancestors: readonly ts.Node[]): string | undefined {
  // Climbs over `(...)`, `!` and `as`, which change nothing at run time: `grid[i]!.push(x)`, `(grid[i] as T[]).push(x)`.
  let index = ancestors.length - 1;
  let element: ts.Node = access;
  while (index >= 0 && isOuterExpression(ancestors[index]!)) element = ancestors[index--]!;
  const parent = ancestors[index];
  if (!parent) return undefined;
  if (ts.isCallExpression(parent) && parent.arguments[0] === element) {
    const callee = parent.expression;
    const isAssign = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign';
    return isAssign ? storageKey(access.expression) : undefined;
  }
  if ((!ts.isPropertyAccessExpression(parent) && !ts.isElementAccessExpression(parent)) || parent.expression !== element) return undefined;
  let member: ts.Node = parent;
  index--;
  while (index >= 0 && isOuterExpression(ancestors[index]!)) member = ancestors[index--]!;
  const grandparent = ancestors[index];
  if (!grandparent) return undefined;
  const mutated =
    isWriteTarget(member, grandparent) ||
    (ts.isCallExpression(grandparent) && grandparent.expression === member && ts.isPropertyAccessExpression(parent) && MUTATING_METHODS.has(parent.name.text));
  return mutated ? storageKey(access.expression) : undefined;
}

/** `(text)` when `node` is an object literal that would otherwise read as a block after `=>`. */
function asArrowBody(node: ts.Expression, text: string): string {
  return node.kind === ts.SyntaxKind.ObjectLiteralExpression ? `(${text})` : text;
}

/** The type the replaced array had per element, to keep it: `T` of `Array<T>(n)`, else `any` in TypeScript. */
function elementType(sourceFile: ts.SourceFile, constructed: ts.CallExpression | ts.NewExpression, fill: ts.CallExpression, path: readonly ts.Node[]): string {
  if (isJavaScriptFile(sourceFile)) return '';
  const typeArgument = constructed.typeArguments?.length === 1 ? constructed.typeArguments[0] : undefined;
  if (typeArgument) return `: ${typeArgument.getText(sourceFile)}`;
  // `Array(n)` is `any[]`; a declared type around the call gives `Array.from` the element type instead.
  return hasContextualType(fill, path) ? '' : ': any';
}

/** Whether a written type applies to the value of `node`: an annotated variable or field, `as`, or a typed return. */
function hasContextualType(node: ts.Node, path: readonly ts.Node[]): boolean {
  let child = node;
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = path[i]!;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
        child = parent;
        continue;
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        return true;
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.PropertyDeclaration:
      case ts.SyntaxKind.Parameter:
        return (parent as ts.VariableDeclaration).initializer === child && (parent as ts.VariableDeclaration).type !== undefined;
      case ts.SyntaxKind.ReturnStatement:
        for (let j = i - 1; j >= 0; j--) if (ts.isFunctionLike(path[j])) return (path[j] as ts.SignatureDeclaration).type !== undefined;
        return false;
      case ts.SyntaxKind.ArrowFunction:
        return (parent as ts.ArrowFunction).body === child && (parent as ts.ArrowFunction).type !== undefined;
      default:
        return false;
    }
  }
  return false;
}

/** `Array(n).fill(value)` / `new Array(n).fill(value)` with one length and one value: the shape the fix rewrites. */
function rewritable(fill: ts.CallExpression): ts.CallExpression | ts.NewExpression | undefined {
  if (fill.arguments.length !== 1 || !ts.isPropertyAccessExpression(fill.expression) || fill.expression.questionDotToken) return undefined;
  const constructed = arrayConstructorCall(skipOuterExpressions(fill.expression.expression));
  const length = constructed?.arguments?.length === 1 ? constructed.arguments[0]! : undefined;
  return length && !ts.isSpreadElement(length) && !ts.isSpreadElement(fill.arguments[0]!) ? constructed : undefined;
}

export const sharedFillReference: RuleDefinition = {
  id: 'shared-fill-reference',
  kind: 'gotcha',
  category: 'objects',
  seeds: ['003'],
  defaultSeverity: 'error',
  prose: {
    title: '`fill()` with an object: one object in every slot',
    summary: '`fill(value)` evaluates `value` once and stores that same value in every slot, so `Array(n).fill([])` is n references to a single array.',
    what:
      '`Array(3).fill([])` makes one empty array and puts it in all three slots. `grid[0].push(x)` then shows up in `grid[1]` and `grid[2]` too, and the same goes for `fill({})`, `fill(new Map())` or `fill(new Array(3).fill(0))` followed by `matrix[i][j] = v`: every row, record or map is the same object.',
    when: 'Building a grid, a list of buckets, per-slot counters or a table of records with `Array(n).fill(...)`, then changing one slot in place.',
    whenNot:
      'The rule reports only what it can see going wrong: an array kept in a variable or field whose slots are then changed in place in the same function or class (`grid[i].push(...)`, `grid[i][j] = ...`, `grid[i].count++`, `delete grid[i].x`). An array that is only read, passed on, returned, or updated by replacing slots (`next[i] = [...next[i], x]`, as React state updates do) is left alone, and so is `Array(n).fill({}).map(...)`, where `map` replaces every slot. Primitives (`fill(0)`, `fill("")`, `fill(null)`) are values, so sharing them is fine; an identifier or a call (`fill(row)`, `fill(make())`) may not be an object; functions, regular expressions and wrapper objects are not reported. Only receivers that are certainly new arrays count (`Array(n)`, `new Array(n)`, `Array.from(...)`, `Array.of(...)`, an array literal), so another object\'s `.fill()` method is not mistaken for this one.',
    pitfall:
      'The fix builds each slot with its own call: `Array.from({ length: n }, () => [])`. The value expression then runs n times instead of once, and an invalid length no longer throws (`Array(-1)` throws a `RangeError`; `Array.from({ length: -1 })` gives `[]`). In TypeScript, `Array(n)` is `any[]`: the fix keeps that type with `(): any =>` unless a declared type is there to guide it; replace `any` with the real element type.',
  },
  python: {
    name: 'mutable default shared by all: `[[]] * 3`',
    example: 'grid = [[]] * 3\ngrid[0].append("x"); print(grid)   # [[\'x\'], [\'x\'], [\'x\']]',
    note:
      '`[[]] * 3` repeats one reference, exactly like `Array(3).fill([])`. The Python fix is a comprehension (`[[] for _ in range(3)]`); the JavaScript one is `Array.from({ length: 3 }, () => [])`, whose callback runs once per slot.',
  },
  examples: {
    incorrect: [
      "export function buckets(count: number) {\n  const result: string[][] = new Array(count).fill([]);\n  result[0]!.push('first');\n  return result;\n}\n",
    ],
    correct: [
      "export function buckets(count: number) {\n  const result: string[][] = Array.from({ length: count }, () => []);\n  result[0]!.push('first');\n  return result;\n}\n",
      'export function zeros(count: number): number[] {\n  const result = new Array(count).fill(0);\n  result[0] = 1;\n  return result;\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Array.prototype.fill()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/fill' },
    { title: 'MDN: Array.from()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/from' },
  ],
  fixes: [
    {
      id: 'use-array-from',
      title: 'Use `Array.from({ length: n }, () => …)`: each slot gets its own object (the value is now made n times)',
      safe: false,
      doChange(sourceFile, span) {
        const path = pathContaining(sourceFile, span);
        const fill = path.at(-1);
        if (!fill || !ts.isCallExpression(fill) || fileDeclares(sourceFile, 'Array')) return [];
        const constructed = rewritable(fill);
        if (!constructed) return [];
        const builder = new EditBuilder(sourceFile);
        const value = fill.arguments[0]!;
        // Slices from the opening parenthesis keep the comments written around the arguments.
        if (sourceFile.text[constructed.end - 1] !== ')') return [];
        const lengthText = sourceFile.text.slice(constructed.arguments!.pos, constructed.end - 1).trim();
        const valueText = sourceFile.text.slice(fill.arguments.pos, value.end).trim();
        const property = lengthText === 'length' ? 'length' : `length: ${lengthText}`;
        const type = elementType(sourceFile, constructed, fill, path.slice(0, -1));
        const body = asArrowBody(skipOuterExpressions(value), valueText);
        return builder.replaceNode(fill, `Array.from({ ${property} }, ()${type} => ${body})`).build();
      },
    },
  ],
  create(context) {
    let found: { fill: ts.CallExpression; shared: Shared; usesGlobalArray: boolean; storage: Storage }[] | undefined;
    let mutations: Map<string, number[]> | undefined;

    return {
      calls: {
        fill(node) {
          const call = node as ts.CallExpression;
          const callee = call.expression;
          if (call.arguments.length === 0 || !ts.isPropertyAccessExpression(callee)) return;
          const usesGlobalArray = [false];
          if (!makesArray(callee.expression, usesGlobalArray)) return;
          const shared = sharedObject(call.arguments[0]!, usesGlobalArray);
          if (!shared) return;
          // Only an array kept under a name can be seen changing through one slot (`grid[0].push(x)`); one passed
          // on or returned may well be read only, or updated by replacing slots (`next[i] = [...next[i], x]`).
          const storage = storedAs(context.sourceFile, call, context.ancestors);
          if (storage) (found ??= []).push({ fill: call, shared, usesGlobalArray: usesGlobalArray[0]!, storage });
        },
      },
      [ts.SyntaxKind.ElementAccessExpression](node) {
        const key = mutatedThrough(node as ts.ElementAccessExpression, context.ancestors);
        if (key === undefined) return;
        mutations ??= new Map();
        const start = node.getStart(context.sourceFile);
        const positions = mutations.get(key);
        if (positions) positions.push(start);
        else mutations.set(key, [start]);
      },
      onWalkEnd() {
        if (!found || !mutations) return;
        const { sourceFile } = context;
        const arrayIsGlobal = !fileDeclares(sourceFile, 'Array');
        for (const { fill, shared, usesGlobalArray, storage } of found) {
          if (usesGlobalArray && !arrayIsGlobal) continue;
          const changedAt = mutations.get(storage.key)?.find((position) => storage.start <= position && position < storage.end);
          if (changedAt === undefined) continue;
          const callee = fill.expression as ts.PropertyAccessExpression;
          const value = fill.arguments[0]!;
          const line = sourceFile.getLineAndCharacterOfPosition(changedAt).line + 1;
          context.report({
            at: { start: callee.name.getStart(sourceFile), end: fill.end },
            message: `${quote(fill, sourceFile)} puts one and the same ${shared.what} in every slot: ${quote(value, sourceFile)} is evaluated once, so the change made through \`${storage.key}[...]\` on line ${line} shows in every slot. Use \`Array.from({ length: n }, () => …)\` to make one per slot.`,
            fixes: arrayIsGlobal && rewritable(fill) ? ['use-array-from'] : [],
          });
        }
      },
    };
  },
};
