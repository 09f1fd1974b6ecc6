import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, Span, TextEdit } from '../patterns/types';
import { skipParentheses } from '../syntax/expressions';
import { isJavaScriptFile } from '../syntax/files';
import { isFunctionOrStaticBlock } from '../syntax/functions';
import { FixDataCache } from './support/fix-data';
import { quote } from './support/messages';

/*
 * The rule. A `switch` without a `default` clause is reported when
 *   1. it is the last statement of a function body (not a generator), and every clause ends by
 *      `return` or `throw` (a clause with no statements runs on into the next), at least one
 *      returning a value: for a value no `case` matches, the function then ends and returns
 *      `undefined`;
 *   2. the function does not declare (or, for a callback, is not given by its context) a return type
 *      that admits `undefined`, `void`, `any` or `unknown`: there, `undefined` may be the intended
 *      answer for the other members;
 *   3. the type of the switched expression (as narrowed there) is a union of at least two literal
 *      types (string, number, bigint, boolean, enum members; `null` / `undefined` are set aside), not
 *      `typeof x` nor the union of `typeof` results, and every `case` label has a literal type;
 *   4. some members have no `case`, and they are no more than the members that have one (a switch
 *      that picks out a few members of a large union is not meant to be exhaustive).
 * Switches whose clauses only act (`break`) are left alone, however many members they miss: doing
 * nothing for the others is often what is meant (an empty collection has nothing to copy, a unit
 * needs no rounding), and nothing in the code tells the two apart. A plain `default` clause counts as
 * handling the rest: at run time it does.
 *
 * The fixes need the missing members, which only the checker knows, while a fix gets only the
 * syntax tree: the detector leaves the case labels in `FIX_DATA` for the same text and span.
 */

interface SwitchFixData {
  /** Labels of the missing members, as code (`'circle'`, `Kind.Circle`), or undefined when one cannot be written. */
  readonly labels: readonly string[] | undefined;
  /**
   * What a `never` check in a `default` clause assigns (the union value itself when the switch is on its
   * discriminant, since that value is what narrows to `never`), or undefined when no check would type-check.
   */
  readonly neverCheck: string | undefined;
}

const FIX_DATA = new FixDataCache<SwitchFixData>();

interface Member {
  readonly key: string;
  readonly type: ts.Type;
}

/** A key identifying a literal type by its run-time value, or undefined for a non-literal type. */
function literalKey(checker: ts.TypeChecker, type: ts.Type): string | undefined {
  if (type.flags & ts.TypeFlags.StringLiteral) return `s${(type as ts.StringLiteralType).value}`;
  if (type.flags & ts.TypeFlags.NumberLiteral) return `n${(type as ts.NumberLiteralType).value}`;
  if (type.flags & ts.TypeFlags.BigIntLiteral) {
    const { negative, base10Value } = (type as ts.BigIntLiteralType).value;
    return `b${negative ? '-' : ''}${base10Value}`;
  }
  if (type.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
  return undefined;
}

/** How a clause's statements end: by `return` (with a value or not), by `throw`, or otherwise (`break`, running on). */
function ending(statements: readonly ts.Statement[]): 'returns-value' | 'returns' | 'throws' | 'other' {
  const last = statements[statements.length - 1];
  if (!last) return 'other';
  switch (last.kind) {
    case ts.SyntaxKind.ReturnStatement:
      return (last as ts.ReturnStatement).expression ? 'returns-value' : 'returns';
    case ts.SyntaxKind.ThrowStatement:
      return 'throws';
    case ts.SyntaxKind.Block:
      return ending((last as ts.Block).statements);
    default:
      return 'other';
  }
}

/** Whether execution can run off the end of a clause's statements into the next clause. */
function runsOn(statements: readonly ts.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return true;
  switch (last.kind) {
    case ts.SyntaxKind.ReturnStatement:
    case ts.SyntaxKind.ThrowStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      return false;
    case ts.SyntaxKind.Block:
      return runsOn((last as ts.Block).statements);
    default:
      return true;
  }
}

const TYPEOF_RESULTS: ReadonlySet<string> = new Set(['string', 'number', 'bigint', 'boolean', 'symbol', 'undefined', 'object', 'function'].map((name) => `s${name}`));

/** Whether a type lets a function return `undefined` on purpose: `undefined`, `void`, `any`, `unknown`, or a union with one. */
function admitsUndefined(type: ts.Type): boolean {
  const flags = ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
  if (type.flags & flags) return true;
  return !!(type.flags & ts.TypeFlags.Union) && (type as ts.UnionType).types.some((t) => (t.flags & flags) !== 0);
}

/**
 * Whether the function's return type, declared or given by its context (a callback), admits
 * `undefined`: then `undefined` may well be the intended answer for the members without a case.
 */
function returnTypeAdmitsUndefined(checker: ts.TypeChecker, owner: ts.Node): boolean {
  const declaration = owner as ts.SignatureDeclaration;
  const isAsync = !!(owner as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  let returnType: ts.Type | undefined;
  if (declaration.type) {
    returnType = checker.getTypeFromTypeNode(declaration.type);
  } else if (owner.kind === ts.SyntaxKind.ArrowFunction || owner.kind === ts.SyntaxKind.FunctionExpression) {
    const contextual = checker.getContextualType(owner as ts.Expression);
    const signature = contextual && checker.getSignaturesOfType(checker.getNonNullableType(contextual), ts.SignatureKind.Call)[0];
    returnType = signature && checker.getReturnTypeOfSignature(signature);
    // A return type the context only inferred from this very function (`map`'s `U`) declares nothing.
    const own = checker.getSignatureFromDeclaration(declaration);
    if (returnType && own && returnType === checker.getReturnTypeOfSignature(own)) return false;
  }
  if (!returnType) return false;
  if (isAsync) returnType = checker.getAwaitedType(returnType) ?? returnType;
  return admitsUndefined(returnType);
}

/** `x`, `this.x`, `a.b.c`, `a['b']`: a reference the checker narrows in each clause (so a `never` check can work). */
function isNarrowableReference(expression: ts.Expression): boolean {
  const node = skipParentheses(expression);
  switch (node.kind) {
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      return !access.questionDotToken && access.name.kind === ts.SyntaxKind.Identifier && isNarrowableReference(access.expression);
    }
    case ts.SyntaxKind.ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      return (
        !access.questionDotToken &&
        (access.argumentExpression.kind === ts.SyntaxKind.StringLiteral || access.argumentExpression.kind === ts.SyntaxKind.NumericLiteral) &&
        isNarrowableReference(access.expression)
      );
    }
    default:
      return false;
  }
}

/**
 * The code a `never` check should assign: for `shape.kind` where `shape` is a union discriminated by
 * `kind`, `shape` (which narrows to `never`, while `shape.kind` would be an error there); otherwise the
 * switched expression itself.
 */
function neverCheckTarget(checker: ts.TypeChecker, expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const node = skipParentheses(expression);
  let object: ts.Expression | undefined;
  let property: string | undefined;
  if (node.kind === ts.SyntaxKind.PropertyAccessExpression) {
    object = (node as ts.PropertyAccessExpression).expression;
    property = (node as ts.PropertyAccessExpression).name.text;
  } else if (node.kind === ts.SyntaxKind.ElementAccessExpression) {
    const argument = (node as ts.ElementAccessExpression).argumentExpression;
    object = (node as ts.ElementAccessExpression).expression;
    property = (argument as ts.StringLiteral | ts.NumericLiteral).text;
  }
  if (object && property !== undefined) {
    const objectType = checker.getTypeAtLocation(object);
    const discriminated =
      objectType.flags & ts.TypeFlags.Union &&
      (objectType as ts.UnionType).types.every((member) => {
        const symbol = checker.getPropertyOfType(member, property);
        return symbol !== undefined && literalKey(checker, checker.getTypeOfSymbol(symbol)) !== undefined;
      });
    if (discriminated) return object.getText(sourceFile);
  }
  return expression.getText(sourceFile);
}

function quoteString(value: string, quoteChar: string): string {
  if (quoteChar === '"') return JSON.stringify(value);
  const body = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

function isIdentifierName(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text);
}

/** The code of a `case` label for `member`, or undefined when the rule cannot write one. */
function labelFor(checker: ts.TypeChecker, member: ts.Type, labels: readonly ts.Expression[], quoteChar: string, sourceFile: ts.SourceFile): string | undefined {
  if (member.flags & ts.TypeFlags.EnumLiteral) {
    // `Kind.Circle`: qualified like an existing label naming a member of the same enum.
    const enumDeclaration = member.symbol?.declarations?.[0]?.parent;
    const memberName = member.symbol?.name;
    if (!enumDeclaration || !memberName) return undefined;
    for (const label of labels) {
      const node = skipParentheses(label);
      if (node.kind !== ts.SyntaxKind.PropertyAccessExpression) continue;
      const labelSymbol = checker.getTypeAtLocation(node).symbol;
      if (labelSymbol?.declarations?.[0]?.parent !== enumDeclaration) continue;
      const qualifier = (node as ts.PropertyAccessExpression).expression.getText(sourceFile);
      return isIdentifierName(memberName) ? `${qualifier}.${memberName}` : `${qualifier}[${quoteString(memberName, quoteChar)}]`;
    }
    return undefined;
  }
  if (member.flags & ts.TypeFlags.StringLiteral) return quoteString((member as ts.StringLiteralType).value, quoteChar);
  if (member.flags & ts.TypeFlags.NumberLiteral) {
    const value = (member as ts.NumberLiteralType).value;
    return Number.isFinite(value) ? String(value) : undefined;
  }
  if (member.flags & ts.TypeFlags.BigIntLiteral) {
    const { negative, base10Value } = (member as ts.BigIntLiteralType).value;
    return `${negative ? '-' : ''}${base10Value}n`;
  }
  if (member.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(member);
  return undefined;
}

/** The members for the message: `'a'`, `'b'` and 3 more. */
function listMembers(members: readonly string[]): string {
  const shown = members.slice(0, 4).map((m) => `\`${m}\``);
  if (members.length > 4) return `${shown.join(', ')} and ${members.length - 4} more`;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The function whose body ends with the switch (so nothing runs after it there), if any. */
function functionEndedBy(statement: ts.SwitchStatement, ancestors: readonly ts.Node[]): ts.Node | undefined {
  const container = ancestors[ancestors.length - 1];
  const owner = ancestors[ancestors.length - 2];
  if (!container || !owner || container.kind !== ts.SyntaxKind.Block || !isFunctionOrStaticBlock(owner)) return undefined;
  const statements = (container as ts.Block).statements;
  return statements[statements.length - 1] === statement ? owner : undefined;
}

// ── The fixes ────────────────────────────────────────────────────────────────────────────────────

function findSwitch(sourceFile: ts.SourceFile, span: Span): ts.SwitchStatement | undefined {
  const path = nodePathAt(sourceFile, span);
  const statement = path?.[path.length - 2];
  const expression = path?.[path.length - 1];
  if (!statement || statement.kind !== ts.SyntaxKind.SwitchStatement || (statement as ts.SwitchStatement).expression !== expression) return undefined;
  return statement as ts.SwitchStatement;
}

/** The indentation of statements inside the clauses, guessed from the switch itself. */
function bodyIndentation(builder: EditBuilder, statement: ts.SwitchStatement, clauseIndent: string): string {
  const sourceFile = builder.sourceFile;
  for (const clause of statement.caseBlock.clauses) {
    const first = clause.statements[0];
    if (!first) continue;
    const target = first.kind === ts.SyntaxKind.Block && (first as ts.Block).statements[0] ? (first as ts.Block).statements[0]! : first;
    const line = sourceFile.getLineAndCharacterOfPosition(target.getStart(sourceFile)).line;
    if (line !== sourceFile.getLineAndCharacterOfPosition(clause.getStart(sourceFile)).line) {
      const indent = builder.indentationOf(target);
      if (indent.length > clauseIndent.length) return first === target ? indent : clauseIndent + indent.slice(builder.indentationOf(first).length);
    }
  }
  const switchIndent = builder.indentationOf(statement);
  const unit = clauseIndent.startsWith(switchIndent) && clauseIndent.length > switchIndent.length ? clauseIndent.slice(switchIndent.length) : '  ';
  return clauseIndent + unit;
}

function addCases(sourceFile: ts.SourceFile, span: Span, withNeverCheck: boolean): readonly TextEdit[] {
  const data = FIX_DATA.get(sourceFile.text, span.start, span.end);
  if (!data?.labels || (withNeverCheck && data.neverCheck === undefined)) return [];
  const statement = findSwitch(sourceFile, span);
  if (!statement) return [];
  const clauses = statement.caseBlock.clauses;
  const last = clauses[clauses.length - 1];
  if (!last || clauses.some((c) => c.kind === ts.SyntaxKind.DefaultClause)) return [];
  const builder = new EditBuilder(sourceFile);
  const nl = builder.newLine;
  const clauseIndent = builder.indentationOf(last);
  const bodyIndent = bodyIndentation(builder, statement, clauseIndent);
  // The last clause runs on into the new cases unless it ends by itself: end it explicitly.
  const closeLast = last.statements.length > 0 && runsOn(last.statements);
  const lines: string[] = [];
  if (closeLast) lines.push(`${bodyIndent}break;`);
  for (const label of data.labels) lines.push(`${clauseIndent}case ${label}:`);
  lines.push(`${bodyIndent}break;`);
  if (withNeverCheck) {
    const expression = data.neverCheck!;
    const name = /\bunhandled\b/.test(expression) ? 'unhandledValue' : 'unhandled';
    lines.push(
      `${clauseIndent}default: {`,
      `${bodyIndent}const ${name}: never = ${expression};`,
      `${bodyIndent}throw new Error('Unhandled case: ' + String(${name}));`,
      `${clauseIndent}}`,
    );
  }
  const closeBrace = statement.caseBlock.end - 1;
  const lineStart = builder.lineStartOf(closeBrace);
  if (sourceFile.text.slice(lineStart, closeBrace).trim() === '') {
    builder.insertAt(lineStart, lines.join(nl) + nl);
  } else {
    // A switch on one line: keep it on one line.
    builder.insertAt(closeBrace, `${lines.map((line) => line.trim()).join(' ')} `);
  }
  return builder.build();
}

export const nonExhaustiveSwitch: RuleDefinition = {
  id: 'non-exhaustive-switch',
  kind: 'gotcha',
  category: 'types',
  seeds: ['003'],
  defaultSeverity: 'info',
  requiresTypes: true,
  prose: {
    title: 'Switch that misses members of a union',
    summary:
      'A function ends with a `switch` over a union of literal types (say `shape.kind`) whose cases return a result, but some members have no `case` and there is no `default`.',
    what:
      'For a value that matches no `case` and finds no `default`, the switch runs nothing, execution falls off the end of the function, and the caller receives `undefined` instead of a result. With an inferred return type the checker just widens it with `| undefined`, so nothing fails where the switch is; and a member added to the union later is silently left out the same way.',
    when:
      'Discriminated unions (`{ kind: "circle" } | { kind: "square" }`), status and mode names, enums: any union that grows while the functions that switch over it stay as they were. (With a declared return type that excludes `undefined`, TypeScript already reports the missing return.)',
    whenNot:
      'The rule leaves alone a switch with any `default` (it handles the rest at run time); one whose clauses act and `break` instead of returning (doing nothing for the other members is often what is meant: an empty collection has nothing to copy); one that is not the last statement of its function (the code after it is the fallback); a function whose declared or contextual return type admits `undefined` or `void`; generators; `switch (typeof x)`; switches that handle fewer members than they miss; and labels that are not literal types.',
    pitfall:
      'The safe fix adds the missing `case` labels with an empty body, which keeps today\'s behaviour (they still return `undefined`): fill them in. The `never` check fix also adds a `default` that assigns the value to a `never` variable, so the next member added to the union becomes a compile error; it throws at run time, which changes behaviour for values outside the type (JSON from elsewhere, an older client).',
  },
  python: {
    name: '`match` without `case _`',
    example: 'match shape.kind:\n    case "circle": return pi * shape.r ** 2   # for "square" nothing matches: the function returns None',
    note:
      'A Python function whose `match` finds no case also falls off its end and returns `None`, and type checkers only flag it when you finish with `assert_never`. TypeScript\'s equivalent is the `never` check in a `default` clause: the checker narrows the value case by case, and what reaches `default` must be `never`.',
  },
  examples: {
    incorrect: [
      `type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; size: number } | { kind: 'triangle'; base: number; height: number };

export function area(shape: Shape) {
  switch (shape.kind) {
    case 'circle':
      return Math.PI * shape.radius ** 2;
    case 'square':
      return shape.size ** 2;
  }
}
`,
    ],
    correct: [
      `type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; size: number } | { kind: 'triangle'; base: number; height: number };

export function area(shape: Shape): number {
  switch (shape.kind) {
    case 'circle':
      return Math.PI * shape.radius ** 2;
    case 'square':
      return shape.size ** 2;
    case 'triangle':
      return (shape.base * shape.height) / 2;
    default: {
      const unhandled: never = shape;
      throw new Error('Unhandled shape: ' + JSON.stringify(unhandled));
    }
  }
}
`,
    ],
  },
  links: [
    { title: 'Handbook: Exhaustiveness checking', url: 'https://www.typescriptlang.org/docs/handbook/2/narrowing.html#exhaustiveness-checking' },
    { title: 'Handbook: Discriminated unions', url: 'https://www.typescriptlang.org/docs/handbook/2/narrowing.html#discriminated-unions' },
    { title: 'MDN: switch', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/switch' },
  ],
  fixes: [
    {
      id: 'add-missing-cases',
      title: 'Add the missing cases (each does nothing yet)',
      safe: true,
      doChange: (sourceFile, span) => addCases(sourceFile, span, false),
    },
    {
      id: 'add-never-check',
      title: 'Add the missing cases and a `never` check: values outside the type then throw at run time',
      safe: false,
      doChange: (sourceFile, span) => addCases(sourceFile, span, true),
    },
  ],
  create(context) {
    const { checker, sourceFile } = context;
    if (!checker || sourceFile.isDeclarationFile) return {};
    let fixData: Map<string, SwitchFixData> | undefined;
    return {
      [ts.SyntaxKind.SwitchStatement](node) {
        const statement = node as ts.SwitchStatement;
        const clauses = statement.caseBlock.clauses;
        if (clauses.length === 0 || clauses.some((c) => c.kind === ts.SyntaxKind.DefaultClause)) return;
        // Cheap syntax first: the switch ends a function, and each clause returns or throws.
        const owner = functionEndedBy(statement, context.ancestors);
        if (!owner || (owner as ts.FunctionLikeDeclarationBase).asteriskToken) return;
        let returnsValue = false;
        for (let i = 0; i < clauses.length; i++) {
          const end = ending(clauses[i]!.statements);
          if (end === 'returns-value') returnsValue = true;
          // An empty clause runs on into the next one; any other ending lets execution leave the switch.
          else if (end === 'other' && (clauses[i]!.statements.length > 0 || i === clauses.length - 1)) return;
        }
        if (!returnsValue) return;
        if (skipParentheses(statement.expression).kind === ts.SyntaxKind.TypeOfExpression) return;

        const type = checker.getTypeAtLocation(statement.expression);
        if (!(type.flags & ts.TypeFlags.Union)) return;
        const members: Member[] = [];
        let nullable = false;
        for (const member of (type as ts.UnionType).types) {
          if (member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) {
            nullable = true;
            continue;
          }
          const key = literalKey(checker, member);
          if (key === undefined) return;
          members.push({ key, type: member });
        }
        if (members.length < 2 || members.every((m) => TYPEOF_RESULTS.has(m.key))) return;
        const covered = new Set<string>();
        const labels: ts.Expression[] = [];
        for (const clause of clauses) {
          const label = (clause as ts.CaseClause).expression;
          labels.push(label);
          const labelType = checker.getTypeAtLocation(label);
          if (labelType.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) continue;
          const key = literalKey(checker, labelType);
          if (key === undefined) return;
          covered.add(key);
        }
        const missing = members.filter((m) => !covered.has(m.key));
        if (missing.length === 0 || missing.length > members.length - missing.length) return;
        if (returnTypeAdmitsUndefined(checker, owner)) return;

        const firstString = labels.map(skipParentheses).find((l) => l.kind === ts.SyntaxKind.StringLiteral);
        const quoteChar = firstString && firstString.getText(sourceFile).startsWith('"') ? '"' : "'";
        const missingLabels: string[] = [];
        for (const member of missing) {
          const label = labelFor(checker, member.type, labels, quoteChar, sourceFile);
          if (label === undefined) break;
          missingLabels.push(label);
        }
        const canWrite = missingLabels.length === missing.length;
        const neverCheck =
          canWrite && !nullable && !isJavaScriptFile(sourceFile) && isNarrowableReference(statement.expression)
            ? neverCheckTarget(checker, statement.expression, sourceFile)
            : undefined;
        const fixes = canWrite ? (neverCheck !== undefined ? ['add-missing-cases', 'add-never-check'] : ['add-missing-cases']) : [];
        const start = statement.expression.getStart(sourceFile);
        if (fixes.length > 0) {
          fixData ??= FIX_DATA.begin(sourceFile.text);
          fixData.set(FixDataCache.key(start, statement.expression.end), { labels: missingLabels, neverCheck });
        }
        context.report({
          at: statement.expression,
          message: `${quote(statement.expression, sourceFile)} can also be ${listMembers(canWrite ? missingLabels : missing.map((m) => checker.typeToString(m.type)))}, which no \`case\` handles and there is no \`default\`: for ${missing.length === 1 ? 'that value' : 'those values'} no case runs, the function ends and returns \`undefined\` instead of a result.`,
          fixes,
        });
      },
    };
  },
};
