import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { isJavaScriptFile } from '../syntax/files';
import { isFunctionLike } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import type { RefactorContext, RefactorDefinition, RefactorOffer } from './types';
import {
  type HigherOrderName,
  type Style,
  attachedStart,
  existingDefinition,
  forEachIdentifier,
  globalsProblem,
  higherOrderTemplate,
  insertDefinition,
  hasOwnTopLevel,
  isModuleFile,
  isRequireStatement,
  programNode,
  render,
  scriptGlobalClash,
  styleOf,
} from './wrappers';

/*
 * `wrap-with-higher-order`: on a function declaration, or on `const f = (...) => ...` /
 * `const f = function (...) {...}`, wraps it in a typed higher-order function (`withLogging`,
 * `withTiming`), written after the imports unless the file already has it.
 *
 * - `const f = <fn>` becomes `const f = withX(<fn>)` (plus the name, `'f'`, that the function would
 *   have taken from the variable). Nothing else changes: it was not hoisted before either.
 * - `[export] function f(...) {...}` becomes `[export] const f = withX(function f(...) {...});`
 *   (`export default function f` becomes the const and `export default f;`). The generic wrapper's
 *   type is the function's own, generics included (TypeScript infers generic functions through
 *   it); overload signatures become the type the wrapped function is asserted to (`as { ... }`),
 *   which TypeScript checks against the implementation as it checked the overloads.
 *   A declaration is hoisted and a const is not: offered only when nothing can call `f` before its
 *   line runs, i.e. every statement above it in its scope is inert (declarations and plain values:
 *   no call, `new`, decorator, tagged template, ...). Not offered either when `f` is used in a way
 *   that would see the inner function instead of the wrapper (`f.prop`, `new f`, `f` as a value
 *   inside its own body). Recursive calls inside it call the inner, unwrapped function.
 */

const WRAPPERS: readonly { action: string; name: HigherOrderName; does: string }[] = [
  { action: 'logged', name: 'withLogging', does: 'log its calls' },
  { action: 'timed', name: 'withTiming', does: 'log how long it takes' },
];

/** Property reads that behave the same on the wrapper: it keeps `name` and `length`, and forwards calls. */
const WRAPPER_PROPERTIES = new Set(['call', 'apply', 'bind', 'name', 'length']);

interface DeclarationTarget {
  readonly kind: 'declaration';
  readonly name: string;
  readonly implementation: ts.FunctionDeclaration;
  readonly overloads: readonly ts.FunctionDeclaration[];
  /** The statements of the scope it is declared in. */
  readonly statements: readonly ts.Statement[];
  readonly scope: ts.Node;
}

interface VariableTarget {
  readonly kind: 'variable';
  readonly name: string;
  readonly declaration: ts.VariableDeclaration;
  readonly fn: ts.ArrowFunction | ts.FunctionExpression;
  readonly scope: ts.Node;
}

type Target = DeclarationTarget | VariableTarget;

interface Plan {
  readonly start: number;
  readonly wrapper: HigherOrderName;
  readonly existing: boolean;
}

/** The innermost function declaration or function-valued variable whose heading holds the selection's start. */
function findTarget(context: RefactorContext): Target | undefined {
  const { path, span, sourceFile } = context;
  for (let index = path.length - 1; index > 0; index--) {
    const node = path[index]!;
    if (ts.isFunctionDeclaration(node)) {
      const container = path[index - 1]!;
      if (!(ts.isSourceFile(container) || ts.isBlock(container) || ts.isModuleBlock(container))) return undefined;
      const headingEnd = node.body ? node.body.getStart(sourceFile) : node.end;
      if (span.start < node.getStart(sourceFile) || span.start >= headingEnd || !node.name) return undefined;
      const name = node.name.text;
      const group = container.statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
      const implementation = group.find((f) => f.body !== undefined);
      if (!implementation || group[group.length - 1] !== implementation) return undefined;
      // Only in a scope whose block-level functions are block-scoped and whose top-level names are its own.
      if (ts.isSourceFile(container) && !hasOwnTopLevel(sourceFile)) return undefined;
      if (ts.isBlock(container) && !isFunctionLike(path[index - 2]!) && !isModuleFile(sourceFile)) return undefined;
      return { kind: 'declaration', name, implementation, overloads: group.slice(0, -1), statements: container.statements, scope: container };
    }
    if (ts.isVariableDeclaration(node)) {
      const fn = node.initializer;
      const statement = path[index - 2];
      if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !ts.isIdentifier(node.name) || !statement || !ts.isVariableStatement(statement)) {
        return undefined;
      }
      if (span.start < statement.getStart(sourceFile) || span.start >= fn.body.getStart(sourceFile)) return undefined;
      // Where the variable is visible: its block, or for a `var` its function.
      const blockScoped = (statement.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0;
      const scope =
        path
          .slice(0, index - 2)
          .reverse()
          .find((n) => ts.isSourceFile(n) || ts.isModuleBlock(n) || isFunctionLike(n) || (blockScoped && ts.isBlock(n))) ?? sourceFile;
      return { kind: 'variable', name: node.name.text, declaration: node, fn, scope };
    }
    if (isFunctionLike(node) || ts.isClassLike(node)) return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Can anything call it before its line runs?

/** Whether evaluating `node` cannot run any code of this program: no call, `new`, tagged template, ... */
function isInertExpression(node: ts.Expression): boolean {
  if (
    ts.isIdentifier(node) ||
    ts.isLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.ThisKeyword ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  ) {
    return true;
  }
  if (ts.isPrefixUnaryExpression(node)) return ts.isNumericLiteral(node.operand) || ts.isBigIntLiteral(node.operand);
  // A property read is assumed not to reach a getter that calls the function.
  if (ts.isPropertyAccessExpression(node)) return isInertExpression(node.expression);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node)) {
    return isInertExpression(node.expression);
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((e) => !ts.isSpreadElement(e) && isInertExpression(e));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((p) => {
      if (p.name && ts.isComputedPropertyName(p.name) && !isInertExpression(p.name.expression)) return false;
      if (ts.isPropertyAssignment(p)) return isInertExpression(p.initializer);
      return ts.isShorthandPropertyAssignment(p) ? !p.objectAssignmentInitializer : ts.isMethodDeclaration(p) || ts.isAccessor(p);
    });
  }
  if (ts.isClassExpression(node)) return isInertClass(node);
  return false;
}

function isInertClass(node: ts.ClassLikeDeclaration): boolean {
  if (ts.getDecorators(node)?.length) return false;
  const heritage = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (heritage && !isInertExpression(heritage.expression)) return false;
  return node.members.every((member) => {
    if (ts.canHaveDecorators(member) && ts.getDecorators(member)?.length) return false;
    if (member.name && ts.isComputedPropertyName(member.name) && !isInertExpression(member.name.expression)) return false;
    if (ts.isClassStaticBlockDeclaration(member)) return member.body.statements.every(isInertStatement);
    if (ts.isPropertyDeclaration(member) && hasModifier(member, ts.SyntaxKind.StaticKeyword) && member.initializer) return isInertExpression(member.initializer);
    return true;
  });
}

/** A name, or an object pattern whose defaults are inert (its property reads are assumed to be; an array pattern iterates). */
function isInertBinding(name: ts.BindingName): boolean {
  if (ts.isIdentifier(name)) return true;
  if (ts.isArrayBindingPattern(name)) return false;
  return name.elements.every((e) => isInertBinding(e.name) && (!e.initializer || isInertExpression(e.initializer)));
}

/** Whether running `statement` cannot call anything: declarations, imports, plain values. */
function isInertStatement(statement: ts.Statement): boolean {
  if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return true;
  if (
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isEmptyStatement(statement)
  ) {
    return true;
  }
  if (ts.isExpressionStatement(statement)) return ts.isStringLiteral(statement.expression);
  // Like an import, a `require` evaluates another module; as for imports, a module in an import cycle is not followed.
  if (isRequireStatement(statement)) return true;
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every((d) => isInertBinding(d.name) && (!d.initializer || isInertExpression(d.initializer)));
  }
  if (ts.isClassDeclaration(statement)) return isInertClass(statement);
  if (ts.isEnumDeclaration(statement)) return statement.members.every((m) => !m.initializer || isInertExpression(m.initializer));
  if (ts.isModuleDeclaration(statement)) {
    let body = statement.body;
    while (body && ts.isModuleDeclaration(body)) body = body.body;
    return !body || (ts.isModuleBlock(body) && body.statements.every(isInertStatement));
  }
  if (ts.isExportAssignment(statement)) return isInertExpression(statement.expression);
  return false;
}

interface References {
  /** Some code can reach the function (a reference outside its own body, or an export). */
  readonly reachable: boolean;
  /** Why the wrapper would not behave as the function does, if so. */
  readonly blocker: string | undefined;
  /** A call of itself inside its body. */
  readonly recursive: boolean;
}

function referencesOf(target: Target, sourceFile: ts.SourceFile): References {
  const { name } = target;
  const javascript = (sourceFile.flags & ts.NodeFlags.JavaScriptFile) !== 0;
  const own = target.kind === 'declaration' ? new Set<ts.Node>([...target.overloads, target.implementation].map((f) => f.name!)) : new Set<ts.Node>([target.declaration.name]);
  const body = target.kind === 'declaration' ? target.implementation.body! : target.fn.body;
  let reachable = target.kind === 'declaration' && hasModifier(target.implementation, ts.SyntaxKind.ExportKeyword);
  let blocker: string | undefined;
  let recursive = false;
  forEachIdentifier(target.scope, (identifier, parent, ancestors) => {
    if (identifier.text !== name || own.has(identifier) || !parent || blocker) return;
    if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return;
    if (ts.isQualifiedName(parent) && parent.right === identifier) return;
    if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === identifier) return;
    if (ts.isTypeReferenceNode(parent) || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return;
    if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isBindingElement(parent)) && parent.propertyName === identifier) return;
    if (ancestors.some((a) => ts.isTypeQueryNode(a))) return;
    const inBody = ancestors.includes(body);
    const isCall = ts.isCallExpression(parent) && parent.expression === identifier;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === identifier) {
      if (!WRAPPER_PROPERTIES.has(parent.name.text) && (target.kind === 'declaration' || !javascript)) {
        blocker = `${name}.${parent.name.text} would be read or set on the wrapper, not on the function inside it.`;
        return;
      }
    } else if (ts.isNewExpression(parent) && parent.expression === identifier) {
      blocker = `${name} is called with \`new\`, which the wrapper does not forward.`;
      return;
    } else if (inBody && !isCall && target.kind === 'declaration') {
      blocker = `${name} refers to itself as a value, which inside the wrapped function would be the unwrapped one.`;
      return;
    }
    if (inBody) recursive ||= isCall;
    else reachable = true;
  });
  return { reachable, blocker, recursive };
}

// ---------------------------------------------------------------------------------------------

/**
 * Whether the variable's declared type is one plain function type, through which TypeScript types the
 * parameters of the wrapped function (inferring the wrapper's type arguments from it): as written,
 * or, with types, an alias of one non-generic call signature.
 */
function hasSingleSignatureType(context: RefactorContext, declaration: ts.VariableDeclaration): boolean {
  const type = declaration.type;
  if (!type) return false;
  if (ts.isFunctionTypeNode(type)) return !type.typeParameters;
  const node = programNode(context, type);
  if (!node || !context.types) return false;
  const resolved = context.types.checker.getTypeAtLocation(node);
  const signatures = resolved.getCallSignatures();
  return !resolved.isUnion() && signatures.length === 1 && !signatures[0]!.typeParameters && resolved.getProperties().length === 0;
}

/** Why the target cannot be wrapped (a disabled reason), or undefined when it can; null: not offered at all. */
function problemOf(context: RefactorContext, target: Target): string | null | undefined {
  const { sourceFile } = context;
  const fn = target.kind === 'declaration' ? target.implementation : target.fn;
  if (fn.asteriskToken) return null;
  if (target.kind === 'declaration' && (hasModifier(fn, ts.SyntaxKind.DeclareKeyword) || !target.implementation.body)) return null;
  const typescript = !isJavaScriptFile(sourceFile);
  const signatures = target.kind === 'declaration' ? [...target.overloads, target.implementation] : [target.fn];
  for (const signature of signatures) {
    const type = signature.type;
    if (type && ts.isTypePredicateNode(type)) {
      return `${target.name} ${type.assertsModifier ? 'is an assertion function' : 'returns a type predicate'} (\`${type.getText(sourceFile)}\`), which the wrapper's type cannot keep.`;
    }
    if (type?.kind === ts.SyntaxKind.NeverKeyword) {
      return `${target.name} returns \`never\`: TypeScript ends the code after such a call only when the function is declared with its type, which the wrapped const is not.`;
    }
  }
  if (typescript) {
    const contextuallyTyped = target.kind === 'variable' && hasSingleSignatureType(context, target.declaration);
    const untyped = fn.parameters.find((p) => !p.type && !(ts.isIdentifier(p.name) && p.name.text === 'this'));
    if (untyped && !contextuallyTyped) return `Give \`${untyped.name.getText(sourceFile)}\` a type annotation first: in a function passed to the wrapper, a parameter without one is typed \`unknown\`.`;
  }
  if (target.kind === 'declaration') {
    const others = target.statements.some(
      (s) =>
        !(ts.isFunctionDeclaration(s) && s.name?.text === target.name) &&
        (((ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === target.name) ||
          (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name) && s.name.text === target.name) ||
          (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === target.name))),
    );
    if (others) return `Another declaration merges with ${target.name}, which a const cannot do.`;
  }
  const references = referencesOf(target, sourceFile);
  if (references.blocker) return references.blocker;
  if (target.kind === 'variable') {
    if (references.recursive && typescript && !target.fn.type) {
      return `Give ${target.name} a return type first: TypeScript cannot infer the type of a wrapped function that calls itself.`;
    }
    return undefined;
  }
  if (references.reachable) {
    const index = target.statements.indexOf(target.overloads[0] ?? target.implementation);
    const active = target.statements.slice(0, index).find((s) => !isInertStatement(s));
    if (active) {
      const line = sourceFile.getLineAndCharacterOfPosition(active.getStart(sourceFile)).line + 1;
      return `Code above ${target.name} (line ${line}) runs before it and might call it: a function declaration can be called there, a const not yet.`;
    }
  }
  return undefined;
}

function analyze(context: RefactorContext): { target: Target; offers: RefactorOffer[] } | undefined {
  const { sourceFile } = context;
  const target = findTarget(context);
  if (!target) return undefined;
  const problem = problemOf(context, target);
  if (problem === null) return undefined;
  const javascript = isJavaScriptFile(sourceFile);
  const fnLabel = `${target.name}()`;
  const start = (target.kind === 'declaration' ? target.implementation : target.declaration).getStart(sourceFile);
  const offers: RefactorOffer[] = [];
  for (const { action, name, does } of WRAPPERS) {
    const title = `Wrap ${fnLabel} with ${name} (${does})`;
    if (problem) {
      offers.push({ action, title, disabled: problem });
      continue;
    }
    const template = higherOrderTemplate(name, javascript);
    const existing = existingDefinition(context, name, template, 'the definition');
    let disabled = existing === 'existing' || existing === 'none' ? undefined : existing;
    if (existing === 'none') {
      disabled = hasOwnTopLevel(sourceFile) ? undefined : scriptGlobalClash(context, name);
      disabled ??= globalsProblem(context, template, name);
    }
    if (disabled) {
      offers.push({ action, title, disabled });
      continue;
    }
    const plan: Plan = { start, wrapper: name, existing: existing === 'existing' };
    offers.push({ action, title, description: describe(target, name, plan.existing), data: plan });
  }
  return { target, offers };
}

function describe(target: Target, wrapper: HigherOrderName, existing: boolean): string {
  const where = existing ? `Uses the ${wrapper} already in this file.` : `Adds its typed definition after the imports.`;
  if (target.kind === 'variable') return `${target.name} = ${wrapper}(...): same name, parameters and result. ${where}`;
  const exported = hasModifier(target.implementation, ts.SyntaxKind.ExportKeyword);
  return [
    `The declaration becomes \`const ${target.name} = ${wrapper}(function ${target.name}(...) {...})\`, keeping its name, type${target.overloads.length > 0 ? ' (its overloads)' : ''}${exported ? ' and export' : ''}.`,
    'Nothing in this file can call it before its line runs, where a const is not yet defined' +
      (exported ? ' (a module that imports it within an import cycle could, as it could call a hoisted function).' : '.'),
    'Recursive calls inside it call the unwrapped function.',
    where,
  ].join(' ');
}

/** Re-indents the lines after the first of `text` from `from` to `to`. */
function reindent(text: string, from: string, to: string, newLine: string): string {
  return text
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join(newLine);
}

function edits(context: RefactorContext, target: Target, plan: Plan): EditBuilder | undefined {
  const { sourceFile } = context;
  const builder = new EditBuilder(sourceFile);
  const style: Style = styleOf(sourceFile, unitOf(builder, target));
  const q = style.quote;
  const nl = builder.newLine;
  // First: at the top of the file it goes before an edit that starts there (deleting overloads).
  if (!plan.existing) insertDefinition(builder, sourceFile, render(higherOrderTemplate(plan.wrapper, isJavaScriptFile(sourceFile)), style));
  if (target.kind === 'variable') {
    const fn = target.fn;
    const named = ts.isFunctionExpression(fn) && fn.name !== undefined;
    builder.insertAt(fn.getStart(sourceFile), `${plan.wrapper}(`);
    builder.insertAt(fn.end, named ? ')' : `, ${q}${target.name}${q})`);
  } else {
    const { implementation, overloads, name } = target;
    const modifiers = ts.getModifiers(implementation) ?? [];
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    const lastExport = [...modifiers].reverse().find((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
    const keyword = lastExport ? tokenAt(sourceFile, lastExport.end).start : implementation.getStart(sourceFile);
    const indentation = builder.indentationOf(implementation);
    builder.replaceRange(implementation.getStart(sourceFile), keyword, `${exported && !isDefault ? 'export ' : ''}const ${name} = ${plan.wrapper}(`);
    let after = ')';
    if (overloads.length > 0) {
      const inner = indentation + style.unit;
      const signatures = overloads.map((overload) => {
        const from = builder.indentationOf(overload);
        const commentStart = attachedStart(sourceFile, overload);
        const comments = sourceFile.text.slice(commentStart, overload.getStart(sourceFile));
        const signatureStart = tokenAt(sourceFile, overload.name!.end).start;
        const signature = sourceFile.text.slice(signatureStart, overload.end).replace(/\s*;?\s*$/, '');
        return inner + reindent(comments + signature, from, inner, nl) + ';';
      });
      after += ` as {${nl}${signatures.join(nl)}${nl}${indentation}}`;
      const first = overloads[0]!;
      const deleteFrom = builder.lineStartOf(attachedStart(sourceFile, first));
      const deleteTo = builder.lineStartOf(attachedStart(sourceFile, implementation));
      if (sourceFile.text.slice(deleteFrom, attachedStart(sourceFile, first)).trim() !== '' || deleteTo <= deleteFrom) return undefined;
      builder.replaceRange(deleteFrom, deleteTo, '');
    }
    after += ';';
    if (isDefault) after += `${nl}${indentation}export default ${name};`;
    builder.insertAt(implementation.end, after);
  }
  return builder;
}

/** One indentation level as the function shows it (its body's statements' indentation minus its own). */
function unitOf(builder: EditBuilder, target: Target): string | undefined {
  const fn = target.kind === 'declaration' ? target.implementation : target.fn;
  const body = fn.body;
  const first = body && ts.isBlock(body) ? body.statements[0] : undefined;
  if (!first) return undefined;
  const outer = builder.indentationOf(target.kind === 'declaration' ? fn : target.declaration);
  const inner = builder.indentationOf(first);
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : undefined;
}

export const wrapWithHigherOrder: RefactorDefinition = {
  id: 'wrap-with-higher-order',
  getOffers(context) {
    return analyze(context)?.offers ?? [];
  },
  doChange(context, offer) {
    const wanted = offer.data as Plan | undefined;
    const analysis = analyze(context);
    const plan = analysis?.offers.find((o) => o.action === offer.action && !o.disabled)?.data as Plan | undefined;
    if (!analysis || !plan || !wanted || JSON.stringify(plan) !== JSON.stringify(wanted)) return [];
    return edits(context, analysis.target, plan)?.build() ?? [];
  },
};
