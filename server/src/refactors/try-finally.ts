import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import type { Span, TextEdit } from '../patterns/types';
import { isAssignmentOperator, skipParentheses } from '../syntax/expressions';
import { tokenAt } from '../syntax/tokens';
import { versionAtLeast } from './support';
import type { RefactorContext, TypeFacts } from './types';

/**
 * What `try-finally-to-using` and `try-finally-to-disposable-stack` share: finding the try statement under
 * the cursor, reading its `finally` as releases of resources, the checks that keep the semantics, and the
 * layout of the edit (in place, or in a new block when statements follow the try).
 *
 * The semantics both conversions keep: a resource is acquired where it was; it is released when the try
 * statement ends (after the `catch`, if there is one), in the order the `finally` released it; a release
 * that did not run before (the resource was never acquired) does not run now. What changes, and the
 * titles say so: an error thrown while releasing arrives as `SuppressedError` when another error is
 * pending, and when the `finally` did several separate things, a failing one no longer skips the others.
 */

export type Container = ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause;

export interface Site {
  readonly sourceFile: ts.SourceFile;
  readonly tryStatement: ts.TryStatement;
  readonly finallyBlock: ts.Block;
  readonly container: Container;
  /** The container's parent (a function, a loop, ...; the source file itself at top level): where its variables can be used. */
  readonly scope: ts.Node;
  readonly index: number;
  readonly finallyKeyword: Span;
  /** From the source file down to the try statement. */
  readonly ancestors: readonly ts.Node[];
}

function isContainer(node: ts.Node): node is Container {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/**
 * The try statement with a `finally` whose `try` or `finally` keyword the selection is on (or a selection
 * starting there), when it is a statement of a block, a source file or a case clause.
 */
export function findSite(context: RefactorContext): Site | undefined {
  const { sourceFile, span, path } = context;
  for (let i = path.length - 1; i >= 1; i--) {
    const node = path[i]!;
    if (!ts.isTryStatement(node)) continue;
    const finallyBlock = node.finallyBlock;
    if (!finallyBlock) return undefined;
    const tryStart = node.getStart(sourceFile);
    const headEnd = node.tryBlock.getStart(sourceFile) + 1;
    const finallyKeyword = tokenAt(sourceFile, (node.catchClause ?? node.tryBlock).end);
    if (finallyKeyword.kind !== ts.SyntaxKind.FinallyKeyword) return undefined;
    const finallyHeadEnd = finallyBlock.getStart(sourceFile) + 1;
    const inHead = (offset: number) => (tryStart <= offset && offset <= headEnd) || (finallyKeyword.start <= offset && offset <= finallyHeadEnd);
    // The selection starts on a keyword; it ends there too, or takes the whole statement.
    if (!inHead(span.start) || !(inHead(span.end) || span.end === node.end)) return undefined;
    const container = path[i - 1]!;
    if (!isContainer(container)) return undefined;
    const index = container.statements.indexOf(node);
    if (index < 0) return undefined;
    return { sourceFile, tryStatement: node, finallyBlock, container, scope: path[i - 2] ?? container, index, finallyKeyword, ancestors: path.slice(0, i + 1) };
  }
  return undefined;
}

/** A node's text for a message: on one line, shortened. */
export function quote(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ---------------------------------------------------------------------------------------------------
// Releases

export type Condition = 'always' | 'nullish' | 'truthy' | 'not-undefined' | 'not-null';

/** A statement of the `finally` that releases one variable: `r.close()`, `await r?.close()`, `if (r) r.close()`, `pool.release(r)`. */
export interface Release {
  readonly name: string;
  readonly statement: ts.Statement;
  /** The call, `await` excluded. */
  readonly call: ts.CallExpression;
  readonly awaited: boolean;
  readonly condition: Condition;
  /** `close` for `r.close()`, `[Symbol.dispose]` / `[Symbol.asyncDispose]` for those; undefined for `f(r)`. */
  readonly method: string | undefined;
  /** The call has no arguments. */
  readonly bare: boolean;
  /** The occurrences of the variable in the statement (each becomes the callback's parameter). */
  readonly occurrences: readonly ts.Identifier[];
  /** Just `[await] call;`, no `if`. */
  readonly concise: boolean;
}

function symbolMember(node: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Symbol' && !node.questionDotToken) {
    if (node.name.text === 'dispose' || node.name.text === 'asyncDispose') return `[Symbol.${node.name.text}]`;
  }
  return undefined;
}

/** Every identifier in `node` with this text (property names of `x.name` and keys excluded). */
export function identifiersNamed(node: ts.Node, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  walkIdentifiers(node, (id, ancestors) => {
    if (id.text === name && !isPropertyName(id, ancestors[ancestors.length - 1])) found.push(id);
  });
  return found;
}

function parseCall(expression: ts.Expression): { call: ts.CallExpression; awaited: boolean } | undefined {
  let e = skipParentheses(expression);
  let awaited = false;
  if (ts.isAwaitExpression(e)) {
    awaited = true;
    e = skipParentheses(e.expression);
  }
  return ts.isCallExpression(e) ? { call: e, awaited } : undefined;
}

type CallRelease = Omit<Release, 'condition' | 'concise' | 'statement'> & { readonly optional: boolean };

/** The ways to read a call as a release: of the method's target (`r.close()`), or of one argument (`pool.release(r)`). */
function parseCallRelease(statement: ts.Statement, expression: ts.Expression): CallRelease[] {
  const parsed = parseCall(expression);
  if (!parsed) return [];
  const { call, awaited } = parsed;
  if (call.questionDotToken || hasAwaitOrYield(call.expression) || call.arguments.some(hasAwaitOrYield)) return [];
  const readings: CallRelease[] = [];
  const callee = call.expression;
  // `r.close()`, `r?.close()`, `r!.close()`, `r[Symbol.dispose]()`.
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const target = ts.isNonNullExpression(callee.expression) ? callee.expression.expression : callee.expression;
    const method = ts.isPropertyAccessExpression(callee) ? (ts.isIdentifier(callee.name) ? callee.name.text : undefined) : symbolMember(callee.argumentExpression);
    if (ts.isIdentifier(target) && target.text !== 'undefined' && method && !call.arguments.some((a) => identifiersNamed(a, target.text).length > 0)) {
      readings.push({ name: target.text, call, awaited, method, bare: call.arguments.length === 0, occurrences: [target], optional: callee.questionDotToken !== undefined });
    }
  }
  // `release(r)`, `pool.release(r)`: the variable is one whole argument and appears nowhere else.
  for (const argument of call.arguments) {
    if (!ts.isIdentifier(argument) || argument.text === 'undefined') continue;
    const all = identifiersNamed(statement, argument.text);
    if (all.length === 1 && all[0] === argument) {
      readings.push({ name: argument.text, call, awaited, method: undefined, bare: false, occurrences: [argument], optional: false });
    }
  }
  return readings;
}

function parseCondition(expression: ts.Expression): { name: string; condition: Condition; occurrence: ts.Identifier } | undefined {
  const e = skipParentheses(expression);
  if (ts.isIdentifier(e)) return { name: e.text, condition: 'truthy', occurrence: e };
  if (!ts.isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind;
  const isNull = (x: ts.Expression) => x.kind === ts.SyntaxKind.NullKeyword;
  const isUndefined = (x: ts.Expression) => ts.isIdentifier(x) && x.text === 'undefined';
  const left = skipParentheses(e.left);
  const right = skipParentheses(e.right);
  const [variable, other] = ts.isIdentifier(left) && !isUndefined(left) ? [left, right] : ts.isIdentifier(right) && !isUndefined(right) ? [right, left] : [];
  if (!variable || !other) return undefined;
  if (op === ts.SyntaxKind.ExclamationEqualsToken && (isNull(other) || isUndefined(other))) return { name: variable.text, condition: 'nullish', occurrence: variable };
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken && isNull(other)) return { name: variable.text, condition: 'not-null', occurrence: variable };
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken && isUndefined(other)) return { name: variable.text, condition: 'not-undefined', occurrence: variable };
  return undefined;
}

/**
 * The statement as a release of one variable, or undefined. `isResource` picks between readings
 * (`pool.release(conn)` releases `conn`, not `pool`, when `conn` is the resource).
 */
export function parseRelease(statement: ts.Statement, isResource: (name: string) => boolean = () => false): Release | undefined {
  const pick = (readings: readonly CallRelease[]) => readings.find((r) => isResource(r.name)) ?? readings[0];
  if (ts.isExpressionStatement(statement)) {
    const call = pick(parseCallRelease(statement, statement.expression));
    if (!call) return undefined;
    const { optional, ...rest } = call;
    return { ...rest, statement, condition: optional ? 'nullish' : 'always', concise: true };
  }
  if (ts.isIfStatement(statement) && !statement.elseStatement) {
    const condition = parseCondition(statement.expression);
    let inner: ts.Statement = statement.thenStatement;
    if (ts.isBlock(inner)) {
      if (inner.statements.length !== 1) return undefined;
      inner = inner.statements[0]!;
    }
    if (!condition || !ts.isExpressionStatement(inner)) return undefined;
    const call = parseCallRelease(inner, inner.expression).find((r) => r.name === condition.name);
    if (!call) return undefined;
    // The variable appears in the condition and as the call's target only.
    if (identifiersNamed(statement, call.name).length !== 1 + call.occurrences.length) return undefined;
    const { optional, ...rest } = call;
    const effective: Condition =
      optional && (condition.condition === 'not-null' || condition.condition === 'not-undefined') ? 'nullish' : condition.condition;
    return { ...rest, statement, condition: effective, occurrences: [condition.occurrence, ...call.occurrences], concise: false };
  }
  return undefined;
}

/** Whether the release is skipped when the variable still holds its initial value. */
export function skipsInitial(condition: Condition, initial: 'undefined' | 'null'): boolean {
  if (condition === 'nullish' || condition === 'truthy') return true;
  return initial === 'undefined' ? condition === 'not-undefined' : condition === 'not-null';
}

// ---------------------------------------------------------------------------------------------------
// Walking with ancestors (the document's tree has no parent pointers)

function walkIdentifiers(root: ts.Node, visit: (id: ts.Identifier, ancestors: readonly ts.Node[]) => void): void {
  const ancestors: ts.Node[] = [];
  const walk = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      visit(node, ancestors);
      return;
    }
    ancestors.push(node);
    ts.forEachChild(node, walk);
    ancestors.pop();
  };
  walk(root);
}

function isPropertyName(id: ts.Identifier, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === id;
  if (ts.isQualifiedName(parent)) return parent.right === id;
  if (
    ts.isPropertyAssignment(parent) ||
    ts.isMethodDeclaration(parent) ||
    ts.isPropertyDeclaration(parent) ||
    ts.isGetAccessorDeclaration(parent) ||
    ts.isSetAccessorDeclaration(parent) ||
    ts.isPropertySignature(parent) ||
    ts.isMethodSignature(parent) ||
    ts.isEnumMember(parent) ||
    ts.isJsxAttribute(parent)
  ) {
    return parent.name === id;
  }
  if (ts.isBindingElement(parent)) return parent.propertyName === id;
  if (ts.isLabeledStatement(parent) || ts.isBreakStatement(parent) || ts.isContinueStatement(parent)) return parent.label === id;
  return false;
}

/** Whether this occurrence writes the variable (`x = `, `x += `, `x++`, `[x] = `, `for (x of ...)`). */
function isWrite(id: ts.Identifier, ancestors: readonly ts.Node[]): boolean {
  let child: ts.Node = id;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i]!;
    if (ts.isBinaryExpression(parent) && isAssignmentOperator(parent.operatorToken.kind)) return parent.left === child;
    if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === child) return true;
    // Inside a destructuring target: keep going up through the pattern.
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isSpreadAssignment(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === child) ||
      ts.isNonNullExpression(parent)
    ) {
      child = parent;
      continue;
    }
    return false;
  }
  return false;
}

export interface Occurrence {
  readonly id: ts.Identifier;
  readonly write: boolean;
}

/** The occurrences of a name in `node` (references and declarations; property names excluded). */
export function occurrencesOf(node: ts.Node, name: string): Occurrence[] {
  const found: Occurrence[] = [];
  walkIdentifiers(node, (id, ancestors) => {
    if (id.text !== name || isPropertyName(id, ancestors[ancestors.length - 1])) return;
    found.push({ id, write: isWrite(id, ancestors) });
  });
  return found;
}

/**
 * Names of variables in scope at the try that are declared without a type and without a value
 * (`let x;`, `var x = undefined;`): TypeScript infers their type from the assignments it sees, and a
 * closure that uses one makes it `any` (an error under noImplicitAny).
 */
export function untypedVariables(site: Site): Set<string> {
  const names = new Set<string>();
  if (site.sourceFile.flags & ts.NodeFlags.JavaScriptFile) return names;
  for (const node of site.ancestors) {
    if (!isContainer(node)) continue;
    for (const statement of node.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && !d.type && initialValue(d) !== undefined) names.add(d.name.text);
      }
    }
  }
  return names;
}

/** Every identifier text in the node, for fresh names. */
export function allIdentifierTexts(node: ts.Node): Set<string> {
  const names = new Set<string>();
  walkIdentifiers(node, (id) => names.add(id.text));
  return names;
}

export function freshName(taken: ReadonlySet<string>, base: string): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isClassStaticBlockDeclaration(node);
}

/** Whether `await` / `for await` occurs in the node outside nested functions. */
export function containsAwait(node: ts.Node): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) {
      found = true;
      return;
    }
    if (isFunctionBoundary(n)) return;
    ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

function hasAwaitOrYield(node: ts.Node): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) {
      found = true;
      return;
    }
    if (isFunctionBoundary(n)) return;
    ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

/**
 * Why these statements cannot become the body of a callback (`defer(() => { ... })`), or undefined:
 * control flow that leaves the `finally` (return, break, continue to outside, yield), and declarations
 * whose scope would change (`var`, function declarations).
 */
export function whyNotCallback(statements: readonly ts.Statement[]): string | undefined {
  let reason: string | undefined;
  const labels: string[] = [];
  const walk = (n: ts.Node, loopDepth: number, switchDepth: number): void => {
    if (reason) return;
    if (isFunctionBoundary(n)) return;
    if (ts.isReturnStatement(n)) reason = 'returns';
    else if (ts.isYieldExpression(n)) reason = 'yields';
    else if (ts.isBreakStatement(n)) {
      if (n.label ? !labels.includes(n.label.text) : loopDepth + switchDepth === 0) reason = 'breaks out of it';
    } else if (ts.isContinueStatement(n)) {
      if (n.label ? !labels.includes(n.label.text) : loopDepth === 0) reason = 'continues a loop outside it';
    } else if (ts.isVariableStatement(n) && !(n.declarationList.flags & ts.NodeFlags.BlockScoped)) reason = 'declares a `var`';
    else if (ts.isFunctionDeclaration(n)) reason = 'declares a function';
    if (reason) return;
    if (ts.isLabeledStatement(n)) {
      labels.push(n.label.text);
      walk(n.statement, loopDepth, switchDepth);
      labels.pop();
      return;
    }
    const isLoop = ts.isIterationStatement(n, false);
    const isSwitch = ts.isSwitchStatement(n);
    ts.forEachChild(n, (c) => walk(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (isSwitch ? 1 : 0)));
  };
  for (const s of statements) {
    if (ts.isFunctionDeclaration(s)) return 'declares a function';
    walk(s, 0, 0);
    if (reason) return reason;
  }
  return undefined;
}

/** The names a statement list declares in its own scope (let/const/class/function/enum/type). */
export function lexicalNames(statements: readonly ts.Statement[]): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const s of statements) {
    if (ts.isVariableStatement(s) && s.declarationList.flags & ts.NodeFlags.BlockScoped) for (const d of s.declarationList.declarations) bind(d.name);
    else if (
      (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) &&
      s.name
    ) {
      names.add(s.name.text);
    } else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) names.add(s.name.text);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------
// Acquisitions

/** `const r = open();` right before the try (only `let x;` declarations in between, which cannot throw). */
export interface AcquiredBefore {
  readonly statement: ts.VariableStatement;
  readonly declaration: ts.VariableDeclaration & { readonly name: ts.Identifier; readonly initializer: ts.Expression };
  readonly name: string;
  readonly isConst: boolean;
  /** The statements between it and the try. */
  readonly between: readonly ts.VariableStatement[];
}

/** `r = open();`, a statement of the try block, where `let r;` is declared before the try in the same block. */
export interface AcquiredInside {
  readonly name: string;
  readonly statement: ts.ExpressionStatement;
  readonly assignment: ts.BinaryExpression & { readonly left: ts.Identifier };
  /** Index among the try block's statements. */
  readonly index: number;
  readonly declarationStatement: ts.VariableStatement;
  readonly declaration: ts.VariableDeclaration & { readonly name: ts.Identifier };
  readonly initial: 'undefined' | 'null';
}

function isUninitializedLet(statement: ts.Statement): statement is ts.VariableStatement {
  return (
    ts.isVariableStatement(statement) &&
    !statement.modifiers?.length &&
    (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Let &&
    statement.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && initialValue(d) !== undefined && !d.exclamationToken)
  );
}

function initialValue(declaration: ts.VariableDeclaration): 'undefined' | 'null' | undefined {
  const init = declaration.initializer && skipParentheses(declaration.initializer);
  if (!init || (ts.isIdentifier(init) && init.text === 'undefined')) return 'undefined';
  if (init.kind === ts.SyntaxKind.NullKeyword) return 'null';
  return undefined;
}

export function acquiredBefore(site: Site): AcquiredBefore | undefined {
  const statements = site.container.statements;
  const between: ts.VariableStatement[] = [];
  for (let i = site.index - 1; i >= 0; i--) {
    const statement = statements[i]!;
    if (isUninitializedLet(statement)) {
      between.unshift(statement);
      continue;
    }
    if (!ts.isVariableStatement(statement) || statement.modifiers?.length) return undefined;
    const list = statement.declarationList;
    const flags = list.flags & ts.NodeFlags.BlockScoped;
    if (flags !== ts.NodeFlags.Const && flags !== ts.NodeFlags.Let) return undefined;
    if (list.declarations.length !== 1) return undefined;
    const declaration = list.declarations[0]!;
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
    return {
      statement,
      declaration: declaration as AcquiredBefore['declaration'],
      name: declaration.name.text,
      isConst: flags === ts.NodeFlags.Const,
      between,
    };
  }
  return undefined;
}

/** Whether `name` is declared by a variable statement of the container before the try (a local resource candidate). */
export function declaredBefore(site: Site, name: string): boolean {
  return site.container.statements
    .slice(0, site.index)
    .some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
}

/** The `let` declaration of `name` among the statements of the container before the try. */
function letDeclarationBefore(site: Site, name: string): { statement: ts.VariableStatement; declaration: AcquiredInside['declaration'] } | undefined {
  for (let i = site.index - 1; i >= 0; i--) {
    const statement = site.container.statements[i]!;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) {
        return isUninitializedLet(statement) ? { statement, declaration: declaration as AcquiredInside['declaration'] } : undefined;
      }
    }
  }
  return undefined;
}

/**
 * `name = init;` as a statement of the try block, the only write to `name`, which is declared `let name;`
 * (or `= undefined` / `= null`) before the try in the same block and written nowhere else in that block.
 */
export function acquiredInside(site: Site, name: string): AcquiredInside | undefined {
  const declared = letDeclarationBefore(site, name);
  if (!declared) return undefined;
  const statements = site.tryStatement.tryBlock.statements;
  const index = statements.findIndex(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(s.expression.left) &&
      s.expression.left.text === name,
  );
  if (index < 0) return undefined;
  const statement = statements[index] as ts.ExpressionStatement;
  const assignment = statement.expression as AcquiredInside['assignment'];
  const writes = occurrencesOf(site.scope, name).filter((o) => o.write && o.id !== declared.declaration.name);
  if (writes.length !== 1 || writes[0]!.id !== assignment.left) return undefined;
  // The value must not be read in the initializer's own evaluation of itself (`r = wrap(r)`).
  if (identifiersNamed(assignment.right, name).length > 0) return undefined;
  return { name, statement, assignment, index, declarationStatement: declared.statement, declaration: declared.declaration, initial: initialValue(declared.declaration)! };
}

/** Whether `name` is written anywhere in the scope other than by its declaration. */
export function isReassigned(site: Site, name: string, declaration: ts.Identifier): boolean {
  return occurrencesOf(site.scope, name).some((o) => o.write && o.id !== declaration);
}

// ---------------------------------------------------------------------------------------------------
// Project facts

export function whyNotCompilable(context: RefactorContext, what: string, types: string): string | undefined {
  if (context.sourceFile.flags & ts.NodeFlags.JavaScriptFile) return undefined;
  if (!versionAtLeast(context.project.typescriptVersion, '5.2')) {
    return `Needs TypeScript 5.2 or later for ${what} (the project has ${context.project.typescriptVersion ?? 'no TypeScript installed'}).`;
  }
  if (!context.project.hasDisposableLib) return `Needs \`"lib": ["esnext"]\` or \`"esnext.disposable"\` in tsconfig.json for ${types}.`;
  return undefined;
}

export function hasParseErrors(site: Site, from: number): boolean {
  const diagnostics = (site.sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.some((d) => d.start !== undefined && d.start + (d.length ?? 0) >= from && d.start <= site.tryStatement.end);
}

// ---------------------------------------------------------------------------------------------------
// Types

/** The node of the type-aware program's tree at the same place (same text), or undefined. */
export function typedNode(types: TypeFacts | undefined, sourceFile: ts.SourceFile, node: ts.Node): ts.Node | undefined {
  if (!types?.sourceFile || types.sourceFile.text !== sourceFile.text) return undefined;
  const start = node.getStart(sourceFile);
  const end = node.end;
  let current: ts.Node = types.sourceFile;
  for (;;) {
    if (current.kind === node.kind && current.getStart(types.sourceFile) === start && current.end === end) return current;
    const next: ts.Node | undefined = ts.forEachChild(current, (child) => (child.pos <= start && end <= child.end ? child : undefined));
    if (!next) return undefined;
    current = next;
  }
}

export interface DisposeFacts {
  /** The type has `[Symbol.dispose]` / `[Symbol.asyncDispose]` (the null and undefined parts aside). */
  readonly disposable: boolean;
  /** Its declarations visibly do `this.<method>()` and nothing else. */
  readonly delegatesTo: (method: string) => boolean;
  readonly nullable: { readonly null: boolean; readonly undefined: boolean };
}

function disposeMember(type: ts.Type, which: 'dispose' | 'asyncDispose'): ts.Symbol | undefined {
  return type.getProperties().find(
    (p) =>
      String(p.escapedName).startsWith(`__@${which}@`) &&
      (p.declarations ?? []).every((d) => {
        const name = (d as ts.NamedDeclaration).name;
        return (
          name !== undefined &&
          ts.isComputedPropertyName(name) &&
          ts.isPropertyAccessExpression(name.expression) &&
          name.expression.getText() === `Symbol.${which}`
        );
      }),
  );
}

/** `this.m()`, `return this.m()`, `await this.m()`, `return await this.m()`, `void this.m()`. */
function delegatedMethod(body: ts.ConciseBody | undefined): string | undefined {
  if (!body) return undefined;
  let expression: ts.Expression | undefined;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1) return undefined;
    const only = body.statements[0]!;
    expression = ts.isExpressionStatement(only) ? only.expression : ts.isReturnStatement(only) ? only.expression : undefined;
  } else {
    expression = body;
  }
  if (!expression) return undefined;
  let e = skipParentheses(expression);
  if (ts.isAwaitExpression(e) || ts.isVoidExpression(e)) e = skipParentheses(e.expression);
  if (!ts.isCallExpression(e) || e.arguments.length > 0) return undefined;
  const callee = e.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword || !ts.isIdentifier(callee.name)) return undefined;
  return callee.name.text;
}

export function disposeFacts(types: TypeFacts, typed: ts.Node, which: 'dispose' | 'asyncDispose'): DisposeFacts {
  const checker = types.checker;
  const type = checker.getTypeAtLocation(typed);
  const parts = type.isUnion() ? type.types : [type];
  const nullable = {
    null: parts.some((t) => t.flags & ts.TypeFlags.Null),
    undefined: parts.some((t) => t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
  };
  const rest = parts.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
  const anyLike = rest.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never));
  const members = anyLike || rest.length === 0 ? undefined : rest.map((t) => disposeMember(checker.getApparentType(t), which));
  const disposable = members !== undefined && members.every((m) => m !== undefined);
  return {
    disposable,
    nullable,
    delegatesTo: (method) =>
      disposable &&
      members!.every((m) =>
        (m!.declarations ?? []).every((d) => {
          if (ts.isMethodDeclaration(d)) return delegatedMethod(d.body) === method;
          if (ts.isPropertyDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
            return delegatedMethod(d.initializer.body) === method;
          }
          return false;
        }) && (m!.declarations?.length ?? 0) > 0,
      ),
  };
}

/**
 * Whether `using` (and `DisposableStack.use`) skips exactly the values the release skipped: `using`
 * skips null and undefined and calls the dispose method of anything else.
 */
export function conditionMatchesUsing(condition: Condition, nullable: DisposeFacts['nullable']): boolean {
  switch (condition) {
    case 'nullish':
    case 'truthy': // the rest of the type is an object with a dispose method: always truthy
      return true;
    case 'always':
      return !nullable.null && !nullable.undefined;
    case 'not-undefined':
      return !nullable.null;
    case 'not-null':
      return !nullable.undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Text and layout

export class Layout {
  readonly builder: EditBuilder;
  readonly text: string;
  readonly newLine: string;
  /** The try statement's indentation and one level of indentation. */
  readonly indent: string;
  readonly unit: string;
  private protectedRanges: Span[] | undefined;

  constructor(readonly site: Site) {
    this.builder = new EditBuilder(site.sourceFile);
    this.text = site.sourceFile.text;
    this.newLine = this.builder.newLine;
    this.indent = this.builder.indentationOf(site.tryStatement);
    this.unit = this.detectUnit();
  }

  private detectUnit(): string {
    const { tryStatement, finallyBlock } = this.site;
    for (const statement of [...tryStatement.tryBlock.statements, ...finallyBlock.statements]) {
      const inner = this.builder.indentationOf(statement);
      if (inner.startsWith(this.indent) && inner.length > this.indent.length && this.isFirstOnLine(statement.getStart(this.site.sourceFile))) {
        return inner.slice(this.indent.length);
      }
    }
    return this.indent.includes('\t') ? '\t' : '  ';
  }

  lineStart(offset: number): number {
    return this.builder.lineStartOf(offset);
  }

  lineEnd(offset: number): number {
    let end = offset;
    while (end < this.text.length && this.text[end] !== '\n' && this.text[end] !== '\r') end++;
    return end;
  }

  /** The offset after the line break at `lineEnd` (or the end of the text). */
  afterLineBreak(lineEnd: number): number {
    if (this.text[lineEnd] === '\r' && this.text[lineEnd + 1] === '\n') return lineEnd + 2;
    return lineEnd < this.text.length ? lineEnd + 1 : lineEnd;
  }

  isBlank(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text[i] !== ' ' && this.text[i] !== '\t') return false;
    return true;
  }

  /** The comments in [from, to) when nothing else but whitespace is there, else undefined. */
  onlyComments(from: number, to: number): string[] | undefined {
    if (this.isBlank(from, to)) return [];
    const found: string[] = [];
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ false, this.site.sourceFile.languageVariant, this.text);
    scanner.resetTokenState(from);
    for (let kind = scanner.scan(); scanner.getTokenStart() < to && kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia) continue;
      if (kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) return undefined;
      if (scanner.getTokenEnd() > to) return undefined;
      found.push(scanner.getTokenText());
    }
    return found;
  }

  /** Whether only whitespace and comments precede the offset on its line. */
  isFirstOnLine(offset: number): boolean {
    return this.onlyComments(this.lineStart(offset), offset) !== undefined;
  }

  /**
   * The range that deleting [start, end) should take: the whole line when only whitespace and comments
   * are left on it (the comments are returned, to be written back), else the tokens and the spaces
   * after them.
   */
  deletionRange(start: number, end: number): Span & { readonly whole: boolean; readonly comments: readonly string[] } {
    const lineStart = this.lineStart(start);
    const lineEnd = this.lineEnd(end);
    const before = this.onlyComments(lineStart, start);
    const after = this.onlyComments(end, lineEnd);
    if (before && after) return { start: lineStart, end: this.afterLineBreak(lineEnd), whole: true, comments: [...before, ...after] };
    if (after && after.length === 0) {
      let s = start;
      while (s > lineStart && (this.text[s - 1] === ' ' || this.text[s - 1] === '\t')) s--;
      return { start: s, end: lineEnd, whole: false, comments: [] };
    }
    let e = end;
    while (e < lineEnd && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
    return { start, end: e, whole: false, comments: [] };
  }

  /** Template literals and strings spanning lines: their line starts are content, never indentation. */
  private protectedSpans(): Span[] {
    if (!this.protectedRanges) {
      const spans: Span[] = [];
      const sourceFile = this.site.sourceFile;
      const walk = (node: ts.Node): void => {
        if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || ts.isStringLiteral(node) || ts.isJsxText(node)) {
          const start = node.getStart(sourceFile);
          if (this.text.slice(start, node.end).search(/[\r\n]/) >= 0) spans.push({ start, end: node.end });
          if (!ts.isTemplateExpression(node)) return;
        }
        ts.forEachChild(node, walk);
      };
      walk(this.site.tryStatement);
      const before = acquiredBefore(this.site);
      if (before) walk(before.statement);
      this.protectedRanges = spans;
    }
    return this.protectedRanges;
  }

  /** The starts of the lines that begin in [from, to), except inside protected spans or `skip`. */
  lineStarts(from: number, to: number, skip: readonly Span[] = []): number[] {
    const starts: number[] = [];
    let offset = this.lineStart(from) === from ? from : this.afterLineBreak(this.lineEnd(from));
    while (offset < to) {
      const inside = (s: Span) => s.start < offset && offset < s.end;
      if (!this.protectedSpans().some(inside) && !skip.some((s) => s.start <= offset && offset < s.end)) starts.push(offset);
      const next = this.afterLineBreak(this.lineEnd(offset));
      if (next === offset) break;
      offset = next;
    }
    return starts;
  }

  /** Adds one level of indentation to the lines that begin in [from, to). */
  indentLines(from: number, to: number, skip: readonly Span[] = []): void {
    for (const start of this.lineStarts(from, to, skip)) {
      if (this.isBlank(start, this.lineEnd(start))) continue;
      this.builder.insertAt(start, this.unit);
    }
  }

  /** Removes one level of indentation from the lines that begin in [from, to). */
  outdentLines(from: number, to: number, skip: readonly Span[] = []): void {
    for (const start of this.lineStarts(from, to, skip)) {
      if (this.text.startsWith(this.unit, start) && !this.isBlank(start, this.lineEnd(start))) this.builder.replaceRange(start, start + this.unit.length, '');
    }
  }

  /**
   * The text of [start, end) with `replacements` (inside the range, not overlapping) applied and, when
   * `rebase` is given, the lines after the first moved from one indentation to another (lines that do not
   * start with `from`, blank lines and lines inside template literals or strings are left as they are).
   */
  slice(start: number, end: number, replacements: readonly TextEdit[] = [], rebase?: { readonly from: string; readonly to: string }): string {
    const edits: TextEdit[] = [...replacements];
    if (rebase && rebase.from !== rebase.to) {
      for (const lineStart of this.lineStarts(start + 1, end)) {
        if (this.isBlank(lineStart, this.lineEnd(lineStart)) || !this.text.startsWith(rebase.from, lineStart)) continue;
        edits.push({ start: lineStart, end: lineStart + rebase.from.length, newText: rebase.to });
      }
    }
    edits.sort((x, y) => x.start - y.start);
    let result = '';
    let cursor = start;
    for (const edit of edits) {
      if (edit.start < cursor) continue;
      result += this.text.slice(cursor, edit.start) + edit.newText;
      cursor = edit.end;
    }
    return result + this.text.slice(cursor, end);
  }

  /** The comments in [from, to) that are not inside any of `keep`. */
  comments(from: number, to: number, keep: readonly Span[] = []): string[] {
    const found: string[] = [];
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ false, this.site.sourceFile.languageVariant, this.text);
    scanner.resetTokenState(from);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken && scanner.getTokenStart() < to; kind = scanner.scan()) {
      if (kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
      const start = scanner.getTokenStart();
      if (keep.some((k) => k.start <= start && start < k.end)) continue;
      found.push(scanner.getTokenText());
    }
    return found;
  }

  /** The start of a statement's line, or of the first comment above it that is on its own line. */
  statementLineStart(statement: ts.Statement, previousEnd: number): number {
    const ranges = ts.getLeadingCommentRanges(this.text, statement.pos) ?? [];
    for (const range of ranges) {
      if (range.pos >= previousEnd && this.isFirstOnLine(range.pos)) return this.lineStart(range.pos);
    }
    return this.lineStart(statement.getStart(this.site.sourceFile));
  }
}

/** `(v) => ...` for a release: the statement (or call) with the variable renamed to the parameter. */
export function releaseCallback(layout: Layout, release: Release, options: { readonly asyncStack: boolean; readonly parameter: string; readonly indent: string }): string {
  const sourceFile = layout.site.sourceFile;
  const renames = release.occurrences.map((id) => ({ start: id.getStart(sourceFile), end: id.end, newText: options.parameter }));
  const parameter = `(${options.parameter})`;
  if (release.concise) {
    const from = layout.builder.indentationOf(release.statement);
    const call = layout.slice(release.call.getStart(sourceFile), release.call.end, renames, { from, to: options.indent });
    // An AsyncDisposableStack awaits what the callback returns: return the promise only where the finally awaited it.
    if (!options.asyncStack || release.awaited) return `${parameter} => ${call}`;
    return `${parameter} => { ${call}; }`;
  }
  const start = release.statement.getStart(sourceFile);
  const prefix = release.awaited ? 'async ' : '';
  const from = layout.builder.indentationOf(release.statement);
  const to = options.indent + layout.unit;
  const body = layout.slice(start, release.statement.end, renames, { from, to });
  if (!/[\r\n]/.test(body)) return `${prefix}${parameter} => { ${body} }`;
  return `${prefix}${parameter} => {${layout.newLine}${to}${body}${layout.newLine}${options.indent}}`;
}

// ---------------------------------------------------------------------------------------------------
// The edit's shape

/**
 * `splice`: the new declarations go into the block that holds the try (nothing follows the try there, so
 * that block ends when the try did); without a `catch`, the try block's statements move out into it.
 * `block`: a new block holds the acquisition and the try's statements, so that disposal happens where the
 * try statement ended, before the statements that follow it.
 */
export type Mode = 'splice' | 'block';

export interface LayoutPlan {
  /** The acquisition before the try that the conversion rewrites (it moves into a new block with the try). */
  readonly first: AcquiredBefore | undefined;
  /** Statements deleted (the `let r;` of a resource that becomes a `using` declaration). */
  readonly removed: readonly ts.Statement[];
  /** Lines (unindented) where the new scope begins, before `first`. */
  readonly openLines: readonly string[];
  /** Lines (unindented) right before the try's statements run. */
  readonly bodyLines: readonly string[];
  /** Edits inside `first` and the try's statements (keywords, wrapped initializers); never at a line start. */
  readonly edits: readonly TextEdit[];
  /** Comments of the `finally` to keep above a statement of the try block. */
  readonly commentsAbove: ReadonlyArray<{ readonly statement: ts.Statement; readonly comments: readonly string[] }>;
}

function outside(site: Site, from: number, to: number, name: string): boolean {
  return occurrencesOf(site.scope, name).some((o) => {
    const start = o.id.getStart(site.sourceFile);
    return start < from || start >= to;
  });
}

const HAZARDS = new Set([
  ts.SyntaxKind.OpenParenToken,
  ts.SyntaxKind.OpenBracketToken,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.LessThanToken,
]);

/** Whether a statement ends so that nothing on the next line can continue it (`;`, or the `}` of a block statement). */
function endsStatement(statement: ts.Statement, sourceFile: ts.SourceFile): boolean {
  const text = sourceFile.text.slice(statement.getStart(sourceFile), statement.end);
  if (text.endsWith(';') || ts.isEmptyStatement(statement)) return true;
  if (ts.isLabeledStatement(statement)) return endsStatement(statement.statement, sourceFile);
  const blockLike =
    ts.isBlock(statement) ||
    ts.isIfStatement(statement) ||
    ts.isIterationStatement(statement, false) ||
    ts.isTryStatement(statement) ||
    ts.isSwitchStatement(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement);
  return blockLike && text.endsWith('}') && !ts.isDoStatement(statement);
}

/**
 * Without semicolons, a statement that starts with `(`, `[`, a template, `+`, `-`, `/` or `<` continues the
 * one before it. The edit gives new neighbours to the try block's first statement (when the try block is
 * unwrapped) and to the statement after a deleted one: the text of the one that would join, or undefined.
 */
function joinsPrevious(site: Site, removed: readonly ts.Statement[]): string | undefined {
  const { sourceFile, container, tryStatement } = site;
  const statements = container.statements;
  const hazardous = (s: ts.Statement) => HAZARDS.has(tokenAt(sourceFile, s.getStart(sourceFile)).kind);
  const previousKept = (index: number): ts.Statement | undefined => {
    for (let i = index - 1; i >= 0; i--) if (!removed.includes(statements[i]!)) return statements[i];
    return undefined;
  };
  const bodyFirst = tryStatement.tryBlock.statements[0];
  if (!tryStatement.catchClause && bodyFirst && hazardous(bodyFirst)) {
    // Its new neighbour (at worst): the statement before the try, or the acquisition moved with it.
    const before = previousKept(site.index);
    if (before && !endsStatement(before, sourceFile)) return quote(bodyFirst, sourceFile);
  }
  for (const statement of removed) {
    const index = statements.indexOf(statement);
    const next = statements[index + 1];
    if (!next || removed.includes(next) || !hazardous(next)) continue;
    const before = previousKept(index);
    if (before && !endsStatement(before, sourceFile)) return quote(next, sourceFile);
  }
  return undefined;
}

/** Splice where the block allows it, else a new block; or why neither keeps the program's meaning. */
export function chooseMode(layout: Layout, first: AcquiredBefore | undefined, removed: readonly ts.Statement[]): Mode | { reason: string } {
  const { site } = layout;
  const { container, tryStatement } = site;
  const sourceFile = site.sourceFile;
  if (first && !layout.isFirstOnLine(first.statement.getStart(sourceFile))) return { reason: '' };
  if (!layout.isFirstOnLine(tryStatement.getStart(sourceFile))) return { reason: '' };
  const hazard = joinsPrevious(site, removed);
  if (hazard) return { reason: `\`${hazard}\` would continue the statement before it, which has no semicolon.` };
  const followed = container.statements.slice(site.index + 1).some((s) => !ts.isEmptyStatement(s));
  if (ts.isBlock(container) && !followed) {
    if (tryStatement.catchClause) return 'splice';
    // The try block's statements join the enclosing block: their names must not meet names used there.
    const block = tryStatement.tryBlock;
    const names = lexicalNames(block.statements);
    if (![...names].some((name) => outside(site, block.pos, block.end, name))) return 'splice';
  }
  if (!tryStatement.catchClause) {
    // The try block's statements share the new block with the acquisition and what the finally did
    // (callbacks): none of those may use a name the try block declares.
    const block = tryStatement.tryBlock;
    const from = first ? first.statement.getStart(sourceFile) : tryStatement.getStart(sourceFile);
    for (const name of lexicalNames(block.statements)) {
      const used = occurrencesOf(site.scope, name).some((o) => {
        const at = o.id.getStart(sourceFile);
        return (at >= from && at < block.pos) || (at >= block.end && at < tryStatement.end);
      });
      if (used) return { reason: `The try block declares \`${name}\`, which the code around it also uses; the new block would mix them up.` };
    }
  }
  if (first) {
    const moved = [first.statement, ...first.between].filter((s) => !removed.includes(s));
    for (const name of lexicalNames(moved)) {
      if (outside(site, first.statement.getStart(sourceFile), tryStatement.end, name)) {
        return { reason: `\`${name}\` is used after the try statement, where the new block that disposes at the same moment would hide it.` };
      }
    }
  }
  return 'block';
}

export function applyLayout(layout: Layout, plan: LayoutPlan, mode: Mode): TextEdit[] {
  const { site, builder, newLine: nl, indent, unit } = layout;
  const sourceFile = site.sourceFile;
  const t = site.tryStatement;
  const tryStart = t.getStart(sourceFile);
  const openBrace = t.tryBlock.getStart(sourceFile);
  const openEnd = openBrace + 1;
  const closeBrace = t.tryBlock.end - 1;
  const finallyEnd = site.finallyBlock.end;
  const first = plan.first?.statement;
  const firstLineStart = first ? layout.statementLineStart(first, first.pos) : undefined;
  const lines = (texts: readonly string[], at: string) => texts.map((l) => at + l + nl).join('');
  const inline = (texts: readonly string[], at: string) => texts.map((l) => l + nl + at).join('');
  const spliced = mode === 'splice' && !t.catchClause;
  const shifted = mode === 'block' && t.catchClause !== undefined;

  // 1. Comments above statements of the try block, with the indentation those statements end up with.
  for (const { statement, comments } of plan.commentsAbove) {
    if (comments.length === 0) continue;
    const own = builder.indentationOf(statement);
    const final = spliced ? (own.startsWith(unit) ? own.slice(unit.length) : own) : shifted ? own + unit : own;
    const start = statement.getStart(sourceFile);
    if (layout.isFirstOnLine(start)) builder.insertAt(layout.lineStart(start), lines(comments, final));
    else builder.insertAt(start, inline(comments, own));
  }

  // 2. The structure. A deleted line's comments are written back on a line of their own.
  const replaceLine = (range: ReturnType<Layout['deletionRange']>, texts: readonly string[], at: string) => {
    const kept = range.comments.length > 0 ? [range.comments.join(' ')] : [];
    builder.replaceRange(range.start, range.end, range.whole ? lines([...kept, ...texts], at) : inline(texts, at));
  };
  const removedSpans = plan.removed.map((s) => layout.deletionRange(s.getStart(sourceFile), s.end));
  const tryLine = layout.deletionRange(tryStart, openEnd);
  if (!t.catchClause) {
    const tail = layout.deletionRange(closeBrace, finallyEnd);
    if (mode === 'splice') {
      if (first) builder.insertAt(firstLineStart!, lines(plan.openLines, indent));
      replaceLine(tryLine, [...(first ? [] : plan.openLines), ...plan.bodyLines], indent);
      layout.outdentLines(openEnd, closeBrace, [tail, tryLine]);
      replaceLine(tail, [], indent);
    } else if (first) {
      builder.insertAt(firstLineStart!, `${indent}{${nl}${lines(plan.openLines, indent + unit)}`);
      layout.indentLines(firstLineStart!, tryLine.start, removedSpans);
      replaceLine(tryLine, plan.bodyLines, indent + unit);
      builder.replaceRange(t.tryBlock.end, finallyEnd, '');
    } else {
      builder.replaceRange(tryStart, openBrace, '');
      builder.insertAt(openEnd, [...plan.openLines, ...plan.bodyLines].map((l) => nl + indent + unit + l).join(''));
      builder.replaceRange(t.tryBlock.end, finallyEnd, '');
    }
  } else {
    const catchEnd = t.catchClause.end;
    const tryLineStart = layout.lineStart(tryStart);
    if (mode === 'splice') {
      if (first) builder.insertAt(firstLineStart!, lines(plan.openLines, indent));
      builder.insertAt(tryLineStart, lines(first ? plan.bodyLines : [...plan.openLines, ...plan.bodyLines], indent));
      builder.replaceRange(catchEnd, finallyEnd, '');
    } else {
      const start = firstLineStart ?? tryLineStart;
      const opening = first ? plan.openLines : [...plan.openLines, ...plan.bodyLines];
      builder.insertAt(start, `${indent}{${nl}${lines(opening, indent + unit)}`);
      if (first) builder.insertAt(tryLineStart, lines(plan.bodyLines, indent + unit));
      layout.indentLines(start, catchEnd, removedSpans);
      builder.replaceRange(catchEnd, finallyEnd, `${nl}${indent}}`);
    }
  }
  for (const span of removedSpans) replaceLine(span, [], layout.builder.indentationOf(site.tryStatement));

  // 3. Keywords and wrapped initializers.
  for (const edit of plan.edits) builder.replaceRange(edit.start, edit.end, edit.newText);
  return builder.build();
}

/**
 * The comments of the `finally` (outside `kept`, the text that moves anyway), grouped by the statement
 * they belong to: those above it, in it and after it on its last line; the ones after the last statement
 * go with the last.
 */
export function finallyComments(layout: Layout, kept: readonly Span[]): string[][] {
  const { site } = layout;
  const statements = site.finallyBlock.statements;
  const groups: string[][] = [];
  let from = (site.tryStatement.catchClause ?? site.tryStatement.tryBlock).end;
  statements.forEach((statement, i) => {
    const to = i === statements.length - 1 ? site.finallyBlock.end - 1 : Math.min(layout.lineEnd(statement.end), statements[i + 1]!.getStart(site.sourceFile));
    groups.push(layout.comments(from, to, kept));
    from = to;
  });
  return groups;
}
