import * as ts from 'typescript';
import type { PatternDefinition } from './types';

const LOGICAL_ASSIGNMENTS = new Set([
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/**
 * Operators through which an assignment's value flows into a condition unchanged in meaning:
 * `(m = next()) !== null`, `a && (b = c)`, `!(x = f())`.
 */
const TESTING_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
]);

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * Whether `node` (an assignment) is the condition of an `if`, `while`, `do`, `for` or `? :`, or
 * part of one through parentheses, comparisons, `&&` / `||` / `??` and `!`.
 */
function isTestedAsCondition(node: ts.Node, ancestors: readonly ts.Node[]): boolean {
  let child: ts.Node = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i]!;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
        break;
      case ts.SyntaxKind.PrefixUnaryExpression:
        if ((parent as ts.PrefixUnaryExpression).operator !== ts.SyntaxKind.ExclamationToken) return false;
        break;
      case ts.SyntaxKind.BinaryExpression:
        if (!TESTING_OPERATORS.has((parent as ts.BinaryExpression).operatorToken.kind)) return false;
        break;
      case ts.SyntaxKind.IfStatement:
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        return (parent as ts.IfStatement).expression === child;
      case ts.SyntaxKind.ForStatement:
        return (parent as ts.ForStatement).condition === child;
      case ts.SyntaxKind.ConditionalExpression:
        return (parent as ts.ConditionalExpression).condition === child;
      default:
        return false;
    }
    child = parent;
  }
  return false;
}

/**
 * Reports, on the operator token:
 * - every logical assignment (`??=`, `||=`, `&&=`), wherever it appears;
 * - any other assignment (`=`, `+=`, ...) whose value is tested as the condition of an `if`,
 *   `while`, `do ... while`, `for (; cond; )` or `cond ? a : b`, directly or through parentheses,
 *   comparisons, `&&` / `||` / `??` and `!`.
 * Assignments used as statements, initializers, arguments or return values are not conditions and
 * are ignored, as are `for` initializers/incrementors and the branches of `? :`.
 */
export const assignmentInCondition: PatternDefinition = {
  id: 'assignment-in-condition',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['003'],
  prose: {
    title: 'Assignment in a condition, logical assignment',
    summary:
      'An assignment whose value is tested on the spot, as in `while ((m = re.exec(s)) !== null)`, or a logical assignment (`??=`, `||=`, `&&=`) that writes only when the current value calls for it.',
    what:
      'Every JavaScript assignment is an expression whose value is the value assigned, so `if ((user = find(id)))` stores and tests in one step; the extra parentheses are the usual signal that `=` was meant, not `===`, and TypeScript still narrows `user` inside the branch. The logical assignments (ES2021, TypeScript 4.0) short-circuit: `a ??= b` evaluates `b` and assigns only when `a` is `null` or `undefined`, `a ||= b` only when `a` is falsy, `a &&= b` only when it is truthy; otherwise nothing is written and no setter runs.',
    when:
      'Loops that fetch and test in one step (`RegExp#exec`, reading until `null`, popping a stack until empty), and defaults or lazy initialisation written once: `options.retries ??= 3`, `(groups[key] ??= []).push(item)`.',
    whenNot:
      'A bare `if (x = y)` reads like a typo for `===`, and TypeScript accepts it without a word. To iterate over matches, `for (const m of s.matchAll(re))` says it better than an `exec` loop. For defaults where `0`, `""` or `false` are valid values, use `??=`: `||=` overwrites them.',
    pitfall:
      'An `exec` loop needs a regex with the `g` or `y` flag: without one `lastIndex` never moves, `exec` keeps returning the first match and `while ((m = re.exec(s)) !== null)` never ends. With the flag, a shared regex carries `lastIndex` over from an earlier call that stopped early (a `break`, a `test()`), even onto another string, so reset it to `0` before the loop.',
  },
  python: {
    name: 'the walrus operator `:=`',
    example: 'while (chunk := stream.read(4096)):\n    process(chunk)',
    note:
      'Python added `:=` because its `=` is a statement; in JavaScript `=` has always been an expression, so the same idea is just a parenthesised assignment. Python has no `??=`: the closest are `d.setdefault(key, [])` for dictionaries and `if x is None: x = ...` elsewhere.',
  },
  example: `const TAG = /#(\\w+)/g;

/** Counts the \`#tags\` of a text, case-insensitively. */
export function countTags(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let match: RegExpExecArray | null;
  TAG.lastIndex = 0;
  while ((match = TAG.exec(text)) !== null) {
    const tag = match[1]!.toLowerCase();
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return counts;
}

export interface RetryOptions {
  retries?: number;
  delayMs?: number;
}

export function withDefaults(options: RetryOptions): Required<RetryOptions> {
  const resolved = { ...options };
  resolved.retries ??= 3;
  resolved.delayMs ??= 250;
  return { retries: resolved.retries, delayMs: resolved.delayMs };
}
`,
  links: [
    {
      title: 'MDN: RegExp.prototype.exec()',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/RegExp/exec',
    },
    {
      title: 'MDN: Nullish coalescing assignment (??=)',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Nullish_coalescing_assignment',
    },
    {
      title: 'TypeScript 4.0: Short-circuiting assignment operators',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-0.html#short-circuiting-assignment-operators',
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.BinaryExpression](node) {
        const operator = (node as ts.BinaryExpression).operatorToken;
        if (LOGICAL_ASSIGNMENTS.has(operator.kind)) {
          context.report(operator);
        } else if (isAssignmentOperator(operator.kind) && isTestedAsCondition(node, context.ancestors)) {
          context.report(operator);
        }
      },
    };
  },
};
