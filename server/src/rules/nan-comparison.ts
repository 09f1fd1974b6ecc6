import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { pathContaining } from '../edits/locate';
import type { RuleDefinition, Span } from '../patterns/types';
import { callsNamed, isEqualityOperator, isNegatedEquality, skipOuterExpressions } from '../syntax/expressions';
import { typeScriptChecking } from '../syntax/files';
import { fileDeclares } from '../syntax/globals';
import { quote, shortText } from './support/messages';

const RELATIONAL: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

const SEARCHES: ReadonlyMap<string, string> = new Map([
  ['indexOf', 'findIndex'],
  ['lastIndexOf', 'findLastIndex'],
]);

/** How an expression names NaN: the global `NaN`, or `Number.NaN` / `Number['NaN']`. */
type NaNForm = 'global' | 'number';

function nanForm(expression: ts.Expression): NaNForm | undefined {
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.Identifier) return (node as ts.Identifier).text === 'NaN' ? 'global' : undefined;
  if (ts.isPropertyAccessExpression(node)) {
    return ts.isIdentifier(node.name) && node.name.text === 'NaN' && ts.isIdentifier(node.expression) && node.expression.text === 'Number'
      ? 'number'
      : undefined;
  }
  if (ts.isElementAccessExpression(node)) {
    const key = node.argumentExpression;
    return ts.isStringLiteralLike(key) && key.text === 'NaN' && ts.isIdentifier(node.expression) && node.expression.text === 'Number'
      ? 'number'
      : undefined;
  }
  return undefined;
}

/** TypeScript's own check (TS2845) looks through parentheses only, and only at the global `NaN`. */
function isBareGlobalNaN(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isIdentifier(node) && node.text === 'NaN';
}

/** The operand to test once the NaN side is dropped, without the parentheses it no longer needs. */
function testedOperand(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current)) {
    const inner = current.expression;
    // A comma expression needs its parentheses to stay one argument.
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.CommaToken) break;
    current = inner;
  }
  return current;
}

interface Candidate {
  readonly kind: 'equality' | 'relational' | 'case' | 'search';
  readonly node: ts.Node;
  readonly forms: readonly NaNForm[];
}

export const nanComparison: RuleDefinition = {
  id: 'nan-comparison',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['003'],
  defaultSeverity: 'error',
  prose: {
    title: 'Comparing with `NaN`',
    summary: '`NaN` is the one value that is not equal to itself, so `x === NaN` can never be true, whatever `x` holds.',
    what:
      '`x === NaN` and `x == NaN` are always `false`, and `x !== NaN` is always `true`, even when `x` is `NaN`. `<`, `>`, `<=` and `>=` with `NaN` are always `false`. A `case NaN:` never matches, because `switch` compares with `===`, and `xs.indexOf(NaN)` returns -1 even when the array holds `NaN`. The check looks like a test for a bad number, but it silently lets every bad number through.',
    when: 'Validating parsed input (`Number(text)`, `parseInt(...)`), results of arithmetic on missing data, or a value read from a `Float64Array`, where `NaN` is exactly the case the check was written for.',
    whenNot:
      'In `.ts` and `.tsx` files, and in JavaScript files marked `// @ts-check`, TypeScript already reports `=== NaN` and friends (TS2845), so the rule only adds what TypeScript misses there: `Number.NaN`, ordering comparisons, `case NaN:` and `indexOf(NaN)`. `Number.isNaN(x)`, `Object.is(x, NaN)`, `xs.includes(NaN)` and the self-test `x !== x` all work and are left alone, as is any file that declares its own `NaN` or `Number`.',
    pitfall:
      'The fix changes what the code does (that is its point): the old test had one fixed answer, the new one is `true` for `NaN`. Prefer `Number.isNaN` to the global `isNaN`, which first converts its argument to a number, so `isNaN("abc")` is `true`.',
  },
  python: {
    name: '`float("nan")`, `math.isnan` and identity before equality',
    example: 'nan = float("nan")\nprint(nan == nan, nan in [nan], [nan].index(nan))   # False True 0',
    note:
      'NaN is unequal to itself in Python too, but Python containers try identity first, so `nan in [nan]` is `True`. JavaScript\'s `===` and `indexOf` have no such shortcut: test with `Number.isNaN(x)` as you would with `math.isnan(x)`, and search with `includes(NaN)` or `findIndex(Number.isNaN)`.',
  },
  examples: {
    incorrect: [
      'export function isMissing(reading: number) {\n  return reading === Number.NaN;\n}\n',
      'export function firstGap(samples: number[]) {\n  return samples.indexOf(NaN);\n}\n',
    ],
    correct: [
      'export function isMissing(reading: number) {\n  return Number.isNaN(reading);\n}\n',
      'export function firstGap(samples: number[]) {\n  return samples.findIndex(Number.isNaN);\n}\n',
    ],
  },
  links: [
    { title: 'MDN: NaN', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/NaN' },
    { title: 'MDN: Number.isNaN()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Number/isNaN' },
    { title: 'MDN: Array.prototype.indexOf()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/indexOf' },
  ],
  fixes: [
    {
      id: 'use-number-isnan',
      title: 'Use `Number.isNaN(…)`: the comparison was always false (always true for `!==`), so the result changes',
      safe: false,
      doChange(sourceFile, span) {
        const binary = pathContaining(sourceFile, span).at(-1);
        if (!binary || !ts.isBinaryExpression(binary) || !isEqualityOperator(binary.operatorToken.kind)) return [];
        const leftIsNaN = nanForm(binary.left) !== undefined;
        const rightIsNaN = nanForm(binary.right) !== undefined;
        if (leftIsNaN === rightIsNaN || fileDeclares(sourceFile, 'Number')) return [];
        const builder = new EditBuilder(sourceFile);
        const tested = builder.textOf(testedOperand(leftIsNaN ? binary.right : binary.left));
        const negation = isNegatedEquality(binary.operatorToken.kind) ? '!' : '';
        return builder.replaceNode(binary, `${negation}Number.isNaN(${tested})`).build();
      },
    },
    {
      id: 'use-find-index',
      title: 'Search with `findIndex(Number.isNaN)`: the search returned -1 every time, so the result changes',
      safe: false,
      doChange(sourceFile, span) {
        const call = pathContaining(sourceFile, span).at(-1);
        if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.arguments.length !== 1) return [];
        const replacement = SEARCHES.get(call.expression.name.text);
        if (!replacement || nanForm(call.arguments[0]!) === undefined || fileDeclares(sourceFile, 'Number')) return [];
        return new EditBuilder(sourceFile)
          .replaceRange(call.expression.name.getStart(sourceFile), call.end, `${replacement}(Number.isNaN)`)
          .build();
      },
    },
  ],
  create(context) {
    let candidates: Candidate[] | undefined;
    const add = (candidate: Candidate) => (candidates ??= []).push(candidate);

    return {
      [ts.SyntaxKind.BinaryExpression](node) {
        const { left, operatorToken, right } = node as ts.BinaryExpression;
        const equality = isEqualityOperator(operatorToken.kind);
        if (!equality && !RELATIONAL.has(operatorToken.kind)) return;
        const leftForm = nanForm(left);
        const rightForm = nanForm(right);
        if (leftForm === undefined && rightForm === undefined) return;
        const forms = [leftForm, rightForm].filter((form): form is NaNForm => form !== undefined);
        add({ kind: equality ? 'equality' : 'relational', node, forms });
      },
      [ts.SyntaxKind.CaseClause](node) {
        const form = nanForm((node as ts.CaseClause).expression);
        if (form) add({ kind: 'case', node: (node as ts.CaseClause).expression, forms: [form] });
      },
      calls: callsNamed(SEARCHES.keys(), (node) => {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (call.arguments.length === 0 || !ts.isPropertyAccessExpression(callee)) return;
        const form = nanForm(call.arguments[0]!);
        if (form) add({ kind: 'search', node: call, forms: [form] });
      }),
      onWalkEnd() {
        if (!candidates) return;
        const { sourceFile } = context;
        const isGlobal = (form: NaNForm) => !fileDeclares(sourceFile, form === 'global' ? 'NaN' : 'Number');
        const canFix = !fileDeclares(sourceFile, 'Number');
        const typeScriptReportsNaN = typeScriptChecking(sourceFile) === 'full';
        for (const candidate of candidates) {
          if (!candidate.forms.every(isGlobal)) continue;
          if (candidate.kind === 'equality') {
            const binary = candidate.node as ts.BinaryExpression;
            // TS2845: TypeScript reports `=== NaN` itself wherever it checks the file.
            if (typeScriptReportsNaN && (isBareGlobalNaN(binary.left) || isBareGlobalNaN(binary.right))) continue;
            reportEquality(binary, canFix);
          } else if (candidate.kind === 'relational') {
            const binary = candidate.node as ts.BinaryExpression;
            context.report({
              at: binary.operatorToken,
              message: `${quote(binary, sourceFile)} is always false: every \`<\`, \`>\`, \`<=\` or \`>=\` comparison with NaN is false, so this test never passes. Use \`Number.isNaN(...)\` to test for NaN.`,
            });
          } else if (candidate.kind === 'case') {
            context.report({
              at: candidate.node,
              message: `\`case ${candidate.node.getText(sourceFile)}:\` never matches: \`switch\` compares with \`===\`, and NaN is not equal to anything, itself included. Test with \`Number.isNaN(...)\` before the \`switch\`.`,
            });
          } else {
            const call = candidate.node as ts.CallExpression;
            const callee = call.expression as ts.PropertyAccessExpression;
            const receiver = shortText(callee.expression, sourceFile) ?? 'array';
            const search = SEARCHES.get(callee.name.text)!;
            context.report({
              at: { start: callee.name.getStart(sourceFile), end: call.end },
              message: `${quote(call, sourceFile)} is always -1: \`${callee.name.text}\` compares with \`===\`, which never finds NaN. \`${receiver}.includes(NaN)\` and \`${receiver}.${search}(Number.isNaN)\` do find it.`,
              fixes: canFix && call.arguments.length === 1 ? ['use-find-index'] : [],
            });
          }
        }
      },
    };

    function reportEquality(binary: ts.BinaryExpression, canFix: boolean): void {
      const { sourceFile } = context;
      const leftIsNaN = nanForm(binary.left) !== undefined;
      const rightIsNaN = nanForm(binary.right) !== undefined;
      const negated = isNegatedEquality(binary.operatorToken.kind);
      const outcome = negated ? 'true' : 'false';
      const reason = 'NaN is not equal to any value, itself included';
      if (leftIsNaN && rightIsNaN) {
        context.report({ at: binary, message: `${quote(binary, sourceFile)} is always ${outcome}: ${reason}.` });
        return;
      }
      const nanSide = leftIsNaN ? binary.left : binary.right;
      const tested = leftIsNaN ? binary.right : binary.left;
      const at: Span = leftIsNaN
        ? { start: nanSide.getStart(sourceFile), end: binary.operatorToken.end }
        : { start: binary.operatorToken.getStart(sourceFile), end: nanSide.end };
      const operand = shortText(testedOperand(tested), sourceFile) ?? '...';
      const suggestion = `${negated ? '!' : ''}Number.isNaN(${operand})`;
      context.report({
        at,
        message: `${quote(binary, sourceFile)} is always ${outcome}, even when ${quote(tested, sourceFile)} is NaN: ${reason}. Test with \`${suggestion}\`.`,
        fixes: canFix ? ['use-number-isnan'] : [],
      });
    }
  },
};
