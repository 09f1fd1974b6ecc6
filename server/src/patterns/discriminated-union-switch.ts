import * as ts from 'typescript';
import { skipParentheses } from '../syntax/expressions';
import type { PatternDefinition } from './types';

/*
 * The rule, syntactic and deliberately conservative. A `switch` is reported when
 *   1. it switches on a property of some value: `x.kind`, `x?.kind`, `this.#state.kind`, `x['kind']`;
 *   2. it has at least two `case` labels, each a literal (string, template without `${}`, number,
 *      boolean) or a name (`Kind.Circle`, `ADD`); any other label (a call, a template with
 *      substitutions) means the cases are computed and nothing is reported;
 * and either
 *   3a. a `never` check about that same value closes it: in `default`, or as the statement right
 *       after the switch, one of `const _: never = x`, `assertNever(x)` (or `assertUnreachable`,
 *       `assertExhaustive`, `exhaustiveCheck`, `unreachable`, `absurd`, also as a method, returned
 *       or thrown), `x satisfies never`; or
 *   3b. with no such check, the property has a conventional tag name (`kind`, `type`, `tag`, `_tag`,
 *       `__typename`, `variant`) and every label is a string literal.
 * Known limit of 3b: a switch on a plain string property with a tag-like name (a DOM `event.type`)
 * is reported too, since the union cannot be seen without types.
 */

/** Property names that by convention hold the literal tag of a union member. */
const DISCRIMINANT_NAMES: ReadonlySet<string> = new Set(['kind', 'type', 'tag', '_tag', '__typename', 'variant']);

/** Helpers whose parameter is typed `never`, by the names they are commonly given. */
const NEVER_HELPERS: ReadonlySet<string> = new Set([
  'assertNever',
  'assertUnreachable',
  'assertExhaustive',
  'exhaustiveCheck',
  'unreachable',
  'absurd',
]);

/** `shape.kind`, `this.state.kind`, `shape?.kind`, `shape['kind']`: the property name, else undefined. */
function discriminantName(expression: ts.Expression): string | undefined {
  if (expression.kind === ts.SyntaxKind.PropertyAccessExpression) {
    const name = (expression as ts.PropertyAccessExpression).name;
    return name.kind === ts.SyntaxKind.Identifier ? name.text : undefined;
  }
  if (expression.kind === ts.SyntaxKind.ElementAccessExpression) {
    const argument = (expression as ts.ElementAccessExpression).argumentExpression;
    return argument.kind === ts.SyntaxKind.StringLiteral ? (argument as ts.StringLiteral).text : undefined;
  }
  return undefined;
}

/** A `never` check: the syntax to hover on, and the expression it claims has type `never`. */
interface NeverCheck {
  readonly syntax: ts.Node;
  readonly checked: ts.Expression;
}

/** A `never` check in an expression: `assertNever(x)`, `utils.assertNever(x)`, `x satisfies never`. */
function neverCheckIn(expression: ts.Expression | undefined): NeverCheck | undefined {
  if (!expression) return undefined;
  expression = skipParentheses(expression);
  if (expression.kind === ts.SyntaxKind.CallExpression) {
    const call = expression as ts.CallExpression;
    const callee = skipParentheses(call.expression);
    const name =
      callee.kind === ts.SyntaxKind.Identifier
        ? (callee as ts.Identifier)
        : callee.kind === ts.SyntaxKind.PropertyAccessExpression
          ? (callee as ts.PropertyAccessExpression).name
          : undefined;
    const checked = call.arguments[0];
    return name && checked && name.kind === ts.SyntaxKind.Identifier && NEVER_HELPERS.has(name.text) ? { syntax: name, checked } : undefined;
  }
  if (expression.kind === ts.SyntaxKind.SatisfiesExpression) {
    const { type, expression: checked } = expression as ts.SatisfiesExpression;
    return type.kind === ts.SyntaxKind.NeverKeyword ? { syntax: type, checked } : undefined;
  }
  return undefined;
}

/** A statement that is a `never` check: `const _: never = x`, `assertNever(x)`, `return`/`throw` of one, or a block holding one. */
function neverCheckInStatement(statement: ts.Statement | undefined): NeverCheck | undefined {
  if (!statement) return undefined;
  switch (statement.kind) {
    case ts.SyntaxKind.VariableStatement:
      for (const declaration of (statement as ts.VariableStatement).declarationList.declarations) {
        if (declaration.type?.kind === ts.SyntaxKind.NeverKeyword && declaration.initializer) {
          return { syntax: declaration.type, checked: declaration.initializer };
        }
      }
      return undefined;
    case ts.SyntaxKind.ExpressionStatement:
      return neverCheckIn((statement as ts.ExpressionStatement).expression);
    case ts.SyntaxKind.ReturnStatement:
      return neverCheckIn((statement as ts.ReturnStatement).expression);
    case ts.SyntaxKind.ThrowStatement:
      return neverCheckIn((statement as ts.ThrowStatement).expression);
    case ts.SyntaxKind.Block:
      return neverCheckInStatements((statement as ts.Block).statements);
    default:
      return undefined;
  }
}

function neverCheckInStatements(statements: readonly ts.Statement[]): NeverCheck | undefined {
  for (const statement of statements) {
    const check = neverCheckInStatement(statement);
    if (check) return check;
  }
  return undefined;
}

/**
 * Whether the `never` check is about the union value itself (`assertNever(shape)` after
 * `switch (shape.kind)`), not about the switched property (`assertNever(node.operator)` is an
 * exhaustive switch over a union of literals, not over a discriminated union).
 */
function checksUnionValue(check: NeverCheck, discriminant: ts.Expression, sourceFile: ts.SourceFile): boolean {
  const object = (discriminant as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
  let checked = skipParentheses(check.checked);
  while (checked.kind === ts.SyntaxKind.NonNullExpression) checked = skipParentheses((checked as ts.NonNullExpression).expression);
  return checked.getText(sourceFile) === skipParentheses(object).getText(sourceFile);
}

/** The statement right after `node` in the statement list that holds it, if any. */
function nextStatement(parent: ts.Node | undefined, node: ts.Statement): ts.Statement | undefined {
  const statements = parent && (parent as { readonly statements?: ts.NodeArray<ts.Statement> }).statements;
  if (!statements) return undefined;
  const index = statements.indexOf(node);
  return index >= 0 ? statements[index + 1] : undefined;
}

export const discriminatedUnionSwitch: PatternDefinition = {
  id: 'discriminated-union-switch',
  kind: 'pattern',
  category: 'types',
  seeds: ['003'],
  prose: {
    title: 'Switch over a discriminated union',
    summary:
      'A `switch` on the literal tag of a union (`switch (shape.kind)`) whose `case` labels narrow the value to one member each, ideally ending with a `never` check that stops compiling when a member is unhandled.',
    what:
      'Every member of the union has the same property with a different literal type (`kind: "circle"`, `kind: "square"`). Under `case "circle":` the checker narrows the value to the circle member, so its own properties are usable without casts. Once every member is handled, the value left in `default` has type `never`: assigning it to a `never` variable or passing it to `assertNever(value: never)` turns a forgotten case into a compile error. At run time this is a plain `switch` comparing with `===`.',
    when:
      'For values that come in a fixed set of shapes: parsed messages, reducer actions, syntax tree nodes, results (`{ ok: true; value: T } | { ok: false; error: E }`), UI states such as idle / loading / done / failed. When a member is added later, the compiler points at every switch that must handle it.',
    whenNot:
      'When variants are open-ended or contributed by plugins: a lookup table or a method on each variant scales better than one central switch. If the tag is typed `string` rather than a union of literals, nothing is narrowed and the `never` check cannot work.',
    pitfall:
      'Without the `never` check, a case forgotten after adding a member compiles silently and the function falls through to `undefined`. Make the check throw at run time as well: the types promise exhaustiveness, but JSON from the network can still carry a tag the union does not list.',
  },
  python: {
    name: '`match` / `case`',
    example: 'match shape:\n    case {"kind": "circle", "radius": r}: return math.pi * r ** 2',
    note:
      'Python\'s `match` destructures and binds names at run time, and type checkers verify exhaustiveness with `typing.assert_never` (3.11+). A TypeScript `switch` only compares the tag with `===`; the narrowing and the exhaustiveness check happen entirely in the checker.',
  },
  example: `export type Shape =
  | { kind: 'circle'; radius: number }
  | { kind: 'rectangle'; width: number; height: number }
  | { kind: 'triangle'; base: number; height: number };

export function assertNever(value: never): never {
  throw new Error(\`unexpected variant: \${JSON.stringify(value)}\`);
}

export function area(shape: Shape): number {
  switch (shape.kind) {
    case 'circle':
      return Math.PI * shape.radius ** 2;
    case 'rectangle':
      return shape.width * shape.height;
    case 'triangle':
      return (shape.base * shape.height) / 2;
    default:
      // Adding a member to Shape makes this line a compile error until a case handles it.
      return assertNever(shape);
  }
}
`,
  links: [
    { title: 'Handbook: Discriminated unions', url: 'https://www.typescriptlang.org/docs/handbook/2/narrowing.html#discriminated-unions' },
    { title: 'Handbook: Exhaustiveness checking', url: 'https://www.typescriptlang.org/docs/handbook/2/narrowing.html#exhaustiveness-checking' },
  ],
  snippets: [
    {
      prefix: 'pl-discriminated-union',
      description: 'Discriminated union with an exhaustive switch and a `never` check',
      javascript: false,
      body: [
        'export type ${1:Shape} =',
        '\t| { kind: \'${2:circle}\'; ${3:radius}: number }',
        '\t| { kind: \'${4:square}\'; ${5:size}: number };',
        '',
        'export function ${6:describe}(value: ${1:Shape}): string {',
        '\tswitch (value.kind) {',
        '\t\tcase \'${2:circle}\':',
        '\t\t\treturn \'${2:circle} of \' + value.${3:radius};',
        '\t\tcase \'${4:square}\':',
        '\t\t\treturn \'${4:square} of \' + value.${5:size};',
        '\t\tdefault: {',
        '\t\t\tconst unhandled: never = value;',
        '\t\t\tthrow new Error(\'unhandled variant: \' + JSON.stringify(unhandled));',
        '\t\t}',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.SwitchStatement](node) {
        const statement = node as ts.SwitchStatement;
        const discriminant = skipParentheses(statement.expression);
        const name = discriminantName(discriminant);
        if (name === undefined) return;
        let literalCases = 0;
        let stringCases = 0;
        let namedCases = 0;
        let defaultClause: ts.DefaultClause | undefined;
        for (const clause of statement.caseBlock.clauses) {
          if (clause.kind === ts.SyntaxKind.DefaultClause) {
            defaultClause = clause;
            continue;
          }
          const label = skipParentheses(clause.expression);
          switch (label.kind) {
            case ts.SyntaxKind.StringLiteral:
            case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
              stringCases++;
              literalCases++;
              break;
            case ts.SyntaxKind.NumericLiteral:
            case ts.SyntaxKind.TrueKeyword:
            case ts.SyntaxKind.FalseKeyword:
              literalCases++;
              break;
            // Enum members and constants (`case Kind.Circle:`): only with a `never` check.
            case ts.SyntaxKind.PropertyAccessExpression:
            case ts.SyntaxKind.Identifier:
              namedCases++;
              break;
            default:
              return;
          }
        }
        if (literalCases + namedCases < 2) return;
        const found =
          (defaultClause && neverCheckInStatements(defaultClause.statements)) ||
          neverCheckInStatement(nextStatement(context.ancestors[context.ancestors.length - 1], statement));
        const check = found && checksUnionValue(found, discriminant, context.sourceFile) ? found.syntax : undefined;
        const conventional = DISCRIMINANT_NAMES.has(name) && stringCases >= 2 && stringCases === literalCases && namedCases === 0;
        if (!check && !conventional) return;
        const start = statement.getStart(context.sourceFile);
        context.report({ start, end: start + 'switch'.length }, check ? [check] : undefined);
      },
    };
  },
};
