import * as ts from 'typescript';
import type { RuleDefinition } from '../patterns/types';
import { isNumberLiteral, referenceKey, skipOuterExpressions } from '../syntax/expressions';
import { isFunctionBoundary } from '../syntax/functions';
import { findDeclaration } from '../syntax/scopes';
import { isLoopStatement, isRepeatedPart, loopCondition, type LoopStatement } from '../syntax/statements';
import { arrayEvidenceOf } from './support/arrays';
import { quote } from './support/messages';

/** Array literals with at most this many elements, never added to, are too small to matter. */
const SMALL_ARRAY = 8;

/** Words in a variable name that mean arguments or operands, consumed a few at a time, or a small stack. */
const EXEMPT_WORDS: ReadonlySet<string> = new Set([
  'arg',
  'args',
  'argv',
  'argument',
  'arguments',
  'param',
  'params',
  'parameters',
  'options',
  'opts',
  'flags',
  'stack',
]);

/** The `.length` read of the array `key` (`queue.length`, `this.queue.length`), unwrapped. */
function isLengthOf(expression: ts.Expression, key: string): boolean {
  const node = skipOuterExpressions(expression);
  return ts.isPropertyAccessExpression(node) && node.name.text === 'length' && referenceKey(node.expression) === key;
}

/**
 * What a condition says about the length of `key`: `drain` while the array is not empty
 * (`queue.length`, `queue.length > 0`, `queue.length !== 0`, also inside `&&`), `cap` while it is
 * longer than some limit (`history.length > max`): a bounded buffer being trimmed.
 */
function lengthTest(condition: ts.Expression, key: string): 'drain' | 'cap' | undefined {
  let node = skipOuterExpressions(condition);
  if (isLengthOf(node, key)) return 'drain';
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = skipOuterExpressions(node.operand);
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken && isLengthOf(inner.operand, key)) return 'drain';
    return undefined;
  }
  if (!ts.isBinaryExpression(node)) return undefined;
  let operator: ts.SyntaxKind = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = lengthTest(node.left, key);
    const right = lengthTest(node.right, key);
    return left === 'cap' || right === 'cap' ? 'cap' : (left ?? right);
  }
  let bound = node.right;
  if (!isLengthOf(node.left, key)) {
    if (!isLengthOf(node.right, key)) return undefined;
    bound = node.left;
    // Write it as `length <op> bound`.
    const mirrored: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
      [ts.SyntaxKind.LessThanToken]: ts.SyntaxKind.GreaterThanToken,
      [ts.SyntaxKind.LessThanEqualsToken]: ts.SyntaxKind.GreaterThanEqualsToken,
      [ts.SyntaxKind.GreaterThanToken]: ts.SyntaxKind.LessThanToken,
      [ts.SyntaxKind.GreaterThanEqualsToken]: ts.SyntaxKind.LessThanEqualsToken,
    };
    operator = mirrored[operator] ?? operator;
  }
  switch (operator) {
    case ts.SyntaxKind.GreaterThanToken:
      return isNumberLiteral(bound, 0) ? 'drain' : 'cap';
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return isNumberLiteral(bound, 1) || isNumberLiteral(bound, 0) ? 'drain' : 'cap';
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      return isNumberLiteral(bound, 0) ? 'drain' : 'cap';
    default:
      // `length < max`, `length === n`: not a queue being drained.
      return 'cap';
  }
}

/** The calls `key.<method>(...)` inside `root`. */
function countCalls(root: ts.Node, key: string, method: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method) {
      if (referenceKey(node.expression.expression) === key) count++;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return count;
}

/** Whether `root` appends to the array `key` (`key.push(...)`): shift and push in one loop is a FIFO queue. */
function addsTo(root: ts.Node, key: string): boolean {
  return countCalls(root, key, 'push') > 0;
}

/**
 * How `root` assigns the variable `key`: `grows` for `key = key.concat(...)` (a queue extended by
 * reassignment), `resets` for `key = []` or any value not built from `key` (a new array each pass).
 */
function reassignment(root: ts.Node, key: string): 'grows' | 'resets' | undefined {
  let result: 'grows' | 'resets' | undefined;
  const mentions = (node: ts.Node): boolean => referenceKey(node as ts.Expression) === key || ts.forEachChild(node, mentions) === true;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && referenceKey(node.left) === key) {
      if (!mentions(node.right)) {
        result = 'resets';
        return;
      }
      result ??= 'grows';
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return result;
}

/** Whether the value `shift()` returns is thrown away (`list.shift();`, `ok && list.shift()`). */
function isDiscarded(call: ts.CallExpression, ancestors: readonly ts.Node[]): boolean {
  let child: ts.Node = call;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (ts.isExpressionStatement(node) || ts.isVoidExpression(node)) return true;
    if (ts.isParenthesizedExpression(node)) {
      child = node;
      continue;
    }
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      if (kind === ts.SyntaxKind.CommaToken && node.left === child) return true;
      if ((kind === ts.SyntaxKind.CommaToken || kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) && node.right === child) {
        child = node;
        continue;
      }
    }
    if (ts.isConditionalExpression(node) && node.condition !== child) {
      child = node;
      continue;
    }
    if (ts.isForStatement(node) && node.incrementor === child) return true;
    return false;
  }
  return false;
}

/** Whether the variable's name says it holds arguments or a stack (`args`, `argv`, `cliArgs`, `operandStack`). */
function isExemptName(key: string): boolean {
  const name = key.slice(key.lastIndexOf('.') + 1);
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => EXEMPT_WORDS.has(word));
}

/** Whether the shift sits in a branch that only runs when the array is over a limit (`if (log.length > max)`). */
function isCapGuard(node: ts.Node, child: ts.Node, key: string): boolean {
  if (ts.isIfStatement(node)) return child === node.thenStatement && lengthTest(node.expression, key) === 'cap';
  if (ts.isConditionalExpression(node)) return child === node.whenTrue && lengthTest(node.condition, key) === 'cap';
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    return child === node.right && lengthTest(node.left, key) === 'cap';
  }
  return false;
}

/**
 * Whether the `shift()` at the end of `ancestors` drains a queue: some loop around it (in the same
 * function) tests the array's length, shifts in its condition, or adds to the array; and no loop or
 * branch on the way caps the array's length (a bounded buffer).
 */
function inQueueLoop(call: ts.CallExpression, key: string, ancestors: readonly ts.Node[]): boolean {
  let child: ts.Node = call;
  let queue = false;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (isFunctionBoundary(node) || ts.isSourceFile(node)) {
      // `unshift` and `shift` on one array in one function: a stack kept at the front, not a queue.
      return queue && countCalls(node, key, 'unshift') === 0;
    }
    if (isCapGuard(node, child, key)) return false;
    if (isLoopStatement(node) && isRepeatedPart(node, child)) {
      const test = drainTest(node, child, key);
      if (test === 'cap') return false;
      const assigned = reassignment(node, key);
      // `row = []` on each pass: a new small array every time, not one queue.
      if (assigned === 'resets') return false;
      const adds = assigned === 'grows' || addsTo(node, key);
      // Elements dropped unread and nothing added: trimming a prefix, not taking work from a queue.
      if (!queue && !adds && isDiscarded(call, ancestors)) return false;
      // Several shifts per pass: records or operands being parsed off a list (an interpreter's operand
      // stack shifts in many places), not one item taken from a work queue.
      if (!queue) {
        const shifts = countCalls(node, key, 'shift');
        if (shifts > 2 || (shifts > 1 && !adds)) return false;
      }
      if (test === 'drain' || adds) queue = true;
    }
    child = node;
  }
  return queue;
}

function drainTest(loop: LoopStatement, child: ts.Node, key: string): 'drain' | 'cap' | undefined {
  const condition = loopCondition(loop);
  if (!condition) return undefined;
  // `while ((item = queue.shift()) !== undefined)`: the loop runs until the array is empty.
  if (child === condition) return lengthTest(condition, key) === 'cap' ? 'cap' : 'drain';
  return lengthTest(condition, key);
}

/** A literal of a few elements that nothing in its scope adds to: a short list of steps, not a queue. */
function isSmallFixedList(key: string, ancestors: readonly ts.Node[]): boolean {
  if (key.startsWith('this.')) return false;
  const variable = findDeclaration(key, ancestors)?.variable;
  const initializer = variable?.initializer && skipOuterExpressions(variable.initializer);
  if (!variable || !initializer || !ts.isArrayLiteralExpression(initializer)) return false;
  const count = initializer.elements.length;
  if (count === 0 || count > SMALL_ARRAY || initializer.elements.some((e) => ts.isSpreadElement(e))) return false;
  // The function (or file) the variable is declared in: only it can add to the variable.
  let scope: ts.Node | undefined;
  for (let i = ancestors.length - 1; i >= 0 && !scope; i--) {
    const node = ancestors[i]!;
    if ((isFunctionBoundary(node) || ts.isSourceFile(node)) && node.pos <= variable.pos && variable.end <= node.end) scope = node;
  }
  return scope !== undefined && !addsTo(scope, key) && countCalls(scope, key, 'unshift') === 0 && countCalls(scope, key, 'splice') === 0;
}

/** An initializer read from `process.argv` (`const args = process.argv.slice(2)`). */
function readsArgv(key: string, ancestors: readonly ts.Node[]): boolean {
  if (key.startsWith('this.')) return false;
  const initializer = findDeclaration(key, ancestors)?.variable?.initializer;
  const visit = (node: ts.Node): boolean => (ts.isIdentifier(node) && node.text === 'argv') || ts.forEachChild(node, visit) === true;
  return initializer !== undefined && visit(initializer);
}

export const arrayShiftQueue: RuleDefinition = {
  id: 'array-shift-queue',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['004'],
  defaultSeverity: 'info',
  prose: {
    title: '`shift()` on an array used as a queue',
    summary: 'Taking items from the front of an array with `shift()` in a loop (a breadth-first search, a work list) moves every remaining element on each call.',
    what:
      '`shift()` removes index 0 and moves every other element down one index, so one call costs time proportional to the array\'s length. Draining a queue of n items with it costs O(n²) in all; a breadth-first search over a large graph, or a job queue that grows under load, spends its time moving elements rather than processing them.',
    when:
      'Loops that test the array\'s length and shift (`while (queue.length) { const next = queue.shift(); ... }`), or that shift and push in the same loop (BFS, flood fill, topological sort, retry lists), on queues that can grow to thousands of items.',
    whenNot:
      'The rule leaves alone a `shift()` outside any loop, a loop that shifts a fixed number of items, argument and operand lists (`args`, `argv`, `process.argv.slice(2)`, an `operandStack`, several shifts per pass: a few items at a time), a short literal list nothing adds to, an array used as a stack at the front (`unshift` and `shift`), a prefix dropped unread, an array replaced on every pass (`row = []`), and bounded buffers trimmed to a limit (`if (log.length > max) log.shift()`, `while (window.length > size) window.shift()`): their length stays small. It only reports values it knows are arrays (a literal, an array type, `Array.from`, ...), since a deque class may have an O(1) `shift()` of its own.',
    pitfall:
      'With a read index (`const next = queue[head++]`, looping while `head < queue.length`) the array keeps every processed item until the loop ends: for a long-lived queue, drop the processed prefix now and then (`queue.splice(0, head); head = 0`) or use a ring-buffer deque. Test the index, not the item, when the queue can hold falsy values such as `0` or `\'\'`.',
  },
  python: {
    name: '`list.pop(0)` versus `collections.deque.popleft()`',
    example: 'node = queue.pop(0)      # a list: moves every remaining item, O(n)\nnode = pending.popleft() # a collections.deque: O(1) at either end',
    note: 'A JavaScript array is like a Python list: cheap at the end, costly at the front. JavaScript has no built-in deque, so keep a head index into the array, or use a small ring-buffer class.',
  },
  examples: {
    incorrect: [
      'export function reachable(graph: Map<string, string[]>, start: string): Set<string> {\n  const seen = new Set([start]);\n  const queue: string[] = [start];\n  while (queue.length > 0) {\n    const node = queue.shift()!;\n    for (const next of graph.get(node) ?? []) {\n      if (!seen.has(next)) {\n        seen.add(next);\n        queue.push(next);\n      }\n    }\n  }\n  return seen;\n}\n',
    ],
    correct: [
      'export function reachable(graph: Map<string, string[]>, start: string): Set<string> {\n  const seen = new Set([start]);\n  const queue: string[] = [start];\n  for (let head = 0; head < queue.length; head++) {\n    const node = queue[head]!;\n    for (const next of graph.get(node) ?? []) {\n      if (!seen.has(next)) {\n        seen.add(next);\n        queue.push(next);\n      }\n    }\n  }\n  return seen;\n}\n',
      'const recent: string[] = [];\nexport function remember(line: string, max = 50): void {\n  recent.push(line);\n  if (recent.length > max) recent.shift();\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Array.prototype.shift()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/shift' },
    { title: 'MDN: Indexed collections (arrays)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Indexed_collections' },
  ],
  create(context) {
    const { sourceFile } = context;
    return {
      calls: {
        shift(node) {
          const call = node as ts.CallExpression;
          if (call.arguments.length !== 0 || call.expression.kind !== ts.SyntaxKind.PropertyAccessExpression) return;
          const callee = call.expression as ts.PropertyAccessExpression;
          const key = referenceKey(callee.expression);
          if (!key || isExemptName(key)) return;
          const ancestors = context.ancestors;
          if (!inQueueLoop(call, key, ancestors)) return;
          if (arrayEvidenceOf(callee.expression, ancestors) !== 'array') return;
          if (readsArgv(key, ancestors) || isSmallFixedList(key, ancestors)) return;
          context.report({
            at: call,
            message: `${quote(call, sourceFile)} moves every remaining element of \`${key}\` down one index, so each call is O(n) and draining this queue is O(n²). Read with a moving index (\`${key}[head++]\`) or use a deque.`,
          });
        },
      },
    };
  },
};
