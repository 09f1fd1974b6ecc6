import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { quote } from './support/messages';

const LOOSE_TO_STRICT: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.EqualsEqualsToken, '==='],
  [ts.SyntaxKind.ExclamationEqualsToken, '!=='],
]);

/** Operands whose type is known from syntax alone: comparing two of one kind loosely is harmless. */
function syntacticType(node: ts.Expression): 'string' | 'number' | 'boolean' | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
    case ts.SyntaxKind.TypeOfExpression:
      return 'string';
    case ts.SyntaxKind.NumericLiteral:
      return 'number';
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
      return 'boolean';
    case ts.SyntaxKind.ParenthesizedExpression:
      return syntacticType((node as ts.ParenthesizedExpression).expression);
    default:
      return undefined;
  }
}

export const looseEquality: RuleDefinition = {
  id: 'loose-equality',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['003'],
  defaultSeverity: 'warning',
  prose: {
    title: 'Loose equality (`==`, `!=`)',
    summary: '`==` and `!=` convert their operands to a common type before comparing, so values of different types can compare equal.',
    what:
      'The loose operators apply the "IsLooselyEqual" conversions: strings and booleans become numbers, objects become primitives. So `0 == ""`, `"1" == 1`, `[] == false` and `null == undefined` are all `true`, while `NaN == NaN` is `false`. A comparison that looks like a value check silently accepts values of the wrong type.',
    when: 'Comparing values that can arrive with different types: form input (strings) against numbers, optional values, data parsed from JSON or query strings.',
    whenNot:
      'The rule leaves `x == null` / `x != null` alone: it is the idiomatic test for "null or undefined". It also leaves comparisons whose two sides have the same type by syntax (`typeof x == "string"`, two literals), where `==` and `===` behave alike.',
    pitfall:
      'Switching to `===` changes the result whenever the operands really can differ in type (`"1" === 1` is `false`): the quick fix is offered one occurrence at a time and is not applied by "fix all".',
  },
  python: {
    name: '`is` versus `==` (identity versus value)',
    example: "print(1 == '1')   # False: Python never converts across types\nprint([] == [], [] is [])   # True False",
    note: 'Python\'s `==` never converts types, so it behaves like JavaScript\'s `===` for primitives; for objects JavaScript\'s `===` is Python\'s `is` (the same object), and value equality needs a comparison you write.',
  },
  examples: {
    incorrect: ['export function isDefault(port: string | number) {\n  return port == 80;\n}\n'],
    correct: [
      'export function isDefault(port: number) {\n  return port === 80;\n}\n',
      'export function isMissing(value: string | null | undefined) {\n  return value == null;\n}\n',
    ],
  },
  links: [
    { title: 'MDN: Equality (==)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Equality' },
    { title: 'MDN: Equality comparisons and sameness', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Equality_comparisons_and_sameness' },
  ],
  fixes: [
    {
      id: 'use-strict-equality',
      title: 'Use strict equality (`===` / `!==`): the result changes if the operands can have different types',
      safe: false,
      doChange(sourceFile, span) {
        const operator = nodePathAt(sourceFile, span, (node) => LOOSE_TO_STRICT.has(node.kind))?.at(-1);
        const strict = operator && LOOSE_TO_STRICT.get(operator.kind);
        return strict ? new EditBuilder(sourceFile).replaceNode(operator, strict).build() : [];
      },
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.BinaryExpression](node) {
        const { left, operatorToken, right } = node as ts.BinaryExpression;
        const strict = LOOSE_TO_STRICT.get(operatorToken.kind);
        if (!strict) return;
        if (left.kind === ts.SyntaxKind.NullKeyword || right.kind === ts.SyntaxKind.NullKeyword) return;
        const leftType = syntacticType(left);
        if (leftType !== undefined && leftType === syntacticType(right)) return;
        const operator = operatorToken.getText(context.sourceFile);
        context.report({
          at: operatorToken,
          message: `${quote(left, context.sourceFile)} ${operator} ${quote(right, context.sourceFile)} converts types before comparing, so values of different types can match (\`"1" == 1\` and \`0 == ""\` are true). Use \`${strict}\`.`,
          fixes: ['use-strict-equality'],
        });
      },
    };
  },
};
