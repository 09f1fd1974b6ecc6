import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import { nearest, versionAtLeast } from './support';
import type { RefactorContext, RefactorDefinition, RefactorOffer } from './types';
import {
  type DecoratorName,
  type DecoratorVariant,
  type Style,
  decoratorTemplate,
  globalsProblem,
  insertDefinition,
  insertImport,
  existingDefinition,
  groupText,
  isModuleFile,
  isTemplateText,
  programNode,
  render,
  scriptGlobalClash,
  styleOf,
} from './wrappers';

/*
 * `wrap-with-decorator`: on a class method, getter or field, one action per decorator that fits it:
 *
 * - `logged`, `timed`: methods (not generators), getters, and fields initialized with a function
 *   (the function is wrapped; Stage-3 only: a legacy field decorator cannot see the initializer).
 * - `memoize`: methods of at most one parameter of a primitive type (the cache key: one Map per
 *   instance, so `===` semantics, -0 not cached), not async (a rejected promise would stay cached);
 *   getters without a setter (computed once per instance).
 * - `retry(3)`: async methods (a sync method would turn a throw into a retried call at once; not offered).
 * - `bound`: instance methods with a public or TS-private name (`#x` methods cannot be reassigned).
 *
 * The decorator goes below the member's other decorators (it wraps the method first). Its typed
 * definition is written after the imports unless the file already has it (recognized by its code,
 * however formatted) or `patternLens.refactors.decoratorsModule` exports it, in which case it is
 * imported. A name used for anything else makes the action disabled. With `experimentalDecorators`
 * the legacy `(target, key, descriptor)` form is written, for methods only.
 */

const DECORATORS: readonly DecoratorName[] = ['logged', 'timed', 'memoize', 'retry', 'bound'];
const RETRY_ATTEMPTS = 3;

type Member = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.PropertyDeclaration;

interface Target {
  readonly member: Member;
  readonly kind: 'method' | 'getter' | 'field';
  readonly classNode: ts.ClassDeclaration | ts.ClassExpression;
  /** How titles name it: `load()`, `area`, `#secret()`. */
  readonly label: string;
}

/** What doChange needs: which member, which decorator, and where its definition comes from. */
interface Plan {
  readonly memberStart: number;
  readonly decorator: DecoratorName;
  readonly variant: DecoratorVariant;
  readonly source: Source;
}

type Source =
  | { readonly kind: 'existing' }
  | { readonly kind: 'local'; readonly exported: boolean }
  | { readonly kind: 'import'; readonly specifier: string };

function isMember(node: ts.Node): node is Member {
  return ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isPropertyDeclaration(node);
}

function decoratorNames(member: Member): Set<string> {
  const names = new Set<string>();
  for (const decorator of ts.getDecorators(member) ?? []) {
    const expression = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    if (ts.isIdentifier(expression)) names.add(expression.text);
  }
  return names;
}

function functionInitializer(member: ts.PropertyDeclaration): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const initializer = member.initializer;
  return initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
}

/** The member whose heading (decorators, modifiers, name) holds the selection's start. */
function findTarget(context: RefactorContext): Target | undefined {
  const found = nearest(context.path, isMember);
  if (!found) return undefined;
  const { node: member, index } = found;
  const classNode = context.path[index - 1];
  if (!classNode || !(ts.isClassDeclaration(classNode) || ts.isClassExpression(classNode))) return undefined;
  const { span, sourceFile } = context;
  // The heading: from the decorators to the name, and what separates it from the next token.
  const headingEnd = tokenAt(sourceFile, member.name.end).start;
  if (span.start < member.getStart(sourceFile) || span.start > headingEnd || span.end > member.end) return undefined;
  const nameText = member.name.getText(sourceFile);
  if (ts.isGetAccessorDeclaration(member)) return { member, kind: 'getter', classNode, label: nameText };
  if (ts.isPropertyDeclaration(member)) return { member, kind: 'field', classNode, label: nameText };
  return { member, kind: 'method', classNode, label: `${nameText}()` };
}

// ---------------------------------------------------------------------------------------------
// Which decorators fit the member

const PRIMITIVE_KEYWORDS = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.NullKeyword,
]);

/** Whether a type annotation is, as written, a primitive type (or a union of them). */
function isPrimitiveTypeNode(type: ts.TypeNode): boolean {
  if (PRIMITIVE_KEYWORDS.has(type.kind)) return true;
  if (ts.isLiteralTypeNode(type) || ts.isTemplateLiteralTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type)) return type.operator === ts.SyntaxKind.UniqueKeyword && type.type.kind === ts.SyntaxKind.SymbolKeyword;
  if (ts.isParenthesizedTypeNode(type)) return isPrimitiveTypeNode(type.type);
  if (ts.isUnionTypeNode(type)) return type.types.every(isPrimitiveTypeNode);
  return false;
}

const PRIMITIVE_FLAGS =
  ts.TypeFlags.StringLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.ESSymbolLike |
  ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null |
  ts.TypeFlags.Undefined;

function isPrimitiveType(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isPrimitiveType);
  return (type.flags & PRIMITIVE_FLAGS) !== 0;
}

/** Whether the parameter's type is primitive: from its annotation, or from the checker when there are types. */
function hasPrimitiveType(context: RefactorContext, parameter: ts.ParameterDeclaration): boolean {
  if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return false;
  if (parameter.type && isPrimitiveTypeNode(parameter.type)) return true;
  const node = programNode(context, parameter);
  if (!node || !context.types) return false;
  return isPrimitiveType(context.types.checker.getTypeAtLocation(node));
}

function usesArguments(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(child) && child.text === 'arguments') found = true;
    else ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** Undefined: not offered here. A string: offered disabled with that reason. Null: offered. */
type Fit = undefined | string | null;

function fit(context: RefactorContext, target: Target, decorator: DecoratorName, variant: DecoratorVariant): Fit {
  const { member, kind, classNode } = target;
  const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
  const isPrivateName = ts.isPrivateIdentifier(member.name);
  if (hasModifier(member, ts.SyntaxKind.AbstractKeyword) || hasModifier(member, ts.SyntaxKind.DeclareKeyword)) return undefined;
  if (variant === 'legacy' && (kind !== 'method' || isPrivateName || !ts.isClassDeclaration(classNode))) return undefined;

  if (kind === 'field') {
    const field = member as ts.PropertyDeclaration;
    const fn = functionInitializer(field);
    if (decorator !== 'logged' && decorator !== 'timed') return undefined;
    if (!fn || fn.typeParameters || (ts.isFunctionExpression(fn) && fn.asteriskToken)) return undefined;
    if (hasModifier(member, ts.SyntaxKind.AccessorKeyword) || field.questionToken || field.exclamationToken) return undefined;
    if (ts.isComputedPropertyName(member.name) || ts.isNumericLiteral(member.name)) return undefined;
    if (field.type && !(ts.isFunctionTypeNode(field.type) && !field.type.typeParameters)) return undefined;
    return null;
  }

  if (kind === 'getter') {
    const getter = member as ts.GetAccessorDeclaration;
    if (!getter.body || decorator === 'retry' || decorator === 'bound') return undefined;
    if (decorator === 'memoize') {
      const hasSetter = classNode.members.some(
        (m) => ts.isSetAccessorDeclaration(m) && m.name.getText(context.sourceFile) === member.name.getText(context.sourceFile) && hasModifier(m, ts.SyntaxKind.StaticKeyword) === isStatic,
      );
      if (hasSetter) return `@memoize would keep the first value of ${target.label} after its setter runs.`;
    }
    return null;
  }

  const method = member as ts.MethodDeclaration;
  if (!method.body) return undefined;
  const isAsync = hasModifier(method, ts.SyntaxKind.AsyncKeyword);
  const isGenerator = method.asteriskToken !== undefined;
  const overloaded = classNode.members.some(
    (m) => m !== method && ts.isMethodDeclaration(m) && !m.body && m.name.getText(context.sourceFile) === method.name.getText(context.sourceFile),
  );
  // First whether it applies to such a method at all, then what keeps it from applying to this one.
  let reason: string | undefined;
  switch (decorator) {
    case 'logged':
    case 'timed':
      if (isGenerator) return undefined;
      break;
    case 'memoize': {
      if (isGenerator || isAsync) return undefined;
      const parameters = method.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
      if (parameters.length > 1 || (parameters.length === 1 && !hasPrimitiveType(context, parameters[0]!)) || usesArguments(method.body)) {
        reason = '@memoize needs a method of at most one parameter, of a primitive type (string, number, bigint, boolean, symbol, null or undefined): other arguments have no safe cache key.';
      }
      break;
    }
    case 'retry':
      if (!isAsync || isGenerator) return undefined;
      break;
    case 'bound':
      if (isStatic || isPrivateName) return undefined;
      break;
  }
  if (variant === 'legacy' && (method.typeParameters || overloaded)) {
    return `The legacy (experimentalDecorators) @${decorator} cannot keep the type of ${method.typeParameters ? 'a generic' : 'an overloaded'} method.`;
  }
  if (method.type && ts.isTypePredicateNode(method.type) && decorator !== 'bound') {
    return `@${decorator} cannot keep the type predicate (\`${method.type.getText(context.sourceFile)}\`) of ${target.label}: the function it returns returns a boolean.`;
  }
  if (method.typeParameters && decorator !== 'bound') {
    return `@${decorator} cannot keep the type parameters of a generic method: the function it returns is not generic.`;
  }
  return reason ?? null;
}

// ---------------------------------------------------------------------------------------------
// Where the definition comes from

/** The decorators module, found above the document: the file and how to import it. */
interface SharedModule {
  readonly file: string;
  readonly specifier: string;
  readonly isThisFile: boolean;
}

const moduleTexts = new Map<string, { mtimeMs: number; sourceFile: ts.SourceFile }>();

function readModule(file: string): ts.SourceFile | undefined {
  try {
    const { mtimeMs } = fs.statSync(file);
    const cached = moduleTexts.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.sourceFile;
    const sourceFile = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    moduleTexts.set(file, { mtimeMs, sourceFile });
    return sourceFile;
  } catch {
    return undefined;
  }
}

const MODULE_CANDIDATES = ['', '.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];

/**
 * `patternLens.refactors.decoratorsModule` (relative to the workspace folder, which the refactor is
 * not told): the first ancestor directory of the document where that module exists.
 */
function findSharedModule(context: RefactorContext): SharedModule | string | undefined {
  const setting = context.decoratorsModule;
  if (!setting) return undefined;
  const fileName = context.types?.sourceFile?.fileName;
  if (!fileName || !path.isAbsolute(fileName)) return `${setting} (patternLens.refactors.decoratorsModule) can be imported once the project is loaded`;
  const directory = path.dirname(fileName);
  for (let dir = directory; ; dir = path.dirname(dir)) {
    for (const suffix of MODULE_CANDIDATES) {
      const file = path.join(dir, setting + suffix);
      if (!/\.(ts|tsx|mts|cts)$/.test(file) || !fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
      if (path.resolve(file) === path.resolve(fileName)) return { file, specifier: '', isThisFile: true };
      return { file, specifier: specifierFor(context.sourceFile, fileName, file), isThisFile: false };
    }
    if (path.dirname(dir) === dir) return `${setting} (patternLens.refactors.decoratorsModule) was not found above this file`;
  }
}

/** How this file imports `file`: relative, with the extension style of its other relative imports. */
function specifierFor(sourceFile: ts.SourceFile, fromFile: string, file: string): string {
  let relative = path.relative(path.dirname(fromFile), file).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const relatives = sourceFile.statements
    .filter((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier))
    .map((s) => (s.moduleSpecifier as ts.StringLiteral).text)
    .filter((s) => s.startsWith('.'));
  const withoutExtension = relative.replace(/\.(ts|tsx|mts|cts)$/, '');
  const jsExtension = relative.replace(/\.(tsx?)$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  if (relatives.some((s) => /\.(js|mjs|cjs)$/.test(s))) return jsExtension;
  if (relatives.some((s) => /\.(ts|mts|cts)$/.test(s))) return relative;
  if (relatives.length > 0) return withoutExtension.replace(/\/index$/, '');
  return /\.m[tj]s$/.test(fromFile) || packageType(path.dirname(fromFile)) === 'module' ? jsExtension : withoutExtension.replace(/\/index$/, '');
}

function packageType(directory: string): string | undefined {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return typeof manifest.type === 'string' ? manifest.type : 'commonjs';
    } catch {
      // No package.json here.
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether `module` exports the definition Pattern Lens writes for `name`. */
function moduleExports(module: ts.SourceFile, name: string, template: readonly string[]): boolean {
  const functions = module.statements.filter(
    (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name && hasModifier(s, ts.SyntaxKind.ExportKeyword),
  );
  return functions.length > 0 && isTemplateText(groupText(module, functions), template);
}

/** Where the decorator's definition comes from, or why it cannot be used (a disabled reason); `note` explains a choice. */
function resolveSource(
  context: RefactorContext,
  name: DecoratorName,
  variant: DecoratorVariant,
  sharedModule: () => SharedModule | string | undefined,
): { source: Source; note?: string } | { disabled: string } {
  const { sourceFile } = context;
  const template = decoratorTemplate(name, variant);
  const form = variant === 'legacy' ? 'the legacy (experimentalDecorators) definition' : 'the Stage-3 definition';
  const existing = existingDefinition(context, name, template, form);
  if (existing === 'existing') return { source: { kind: 'existing' } };
  if (existing !== 'none') return { disabled: existing };
  const shared = sharedModule();
  const isModule = isModuleFile(sourceFile);
  if (typeof shared === 'object' && shared.isThisFile) return { source: { kind: 'local', exported: true } };
  let note = typeof shared === 'string' ? shared : undefined;
  if (typeof shared === 'object') {
    const module = readModule(shared.file);
    if (!isModule) note = `this file is a script (no import or export), so ${name} is not imported from ${shared.specifier}`;
    else if (module && moduleExports(module, name, template)) return { source: { kind: 'import', specifier: shared.specifier } };
    else note = `${shared.specifier} does not export ${form} of ${name}: move it there to share it`;
  }
  const global = isModule ? undefined : scriptGlobalClash(context, name);
  if (global) return { disabled: global };
  return { source: { kind: 'local', exported: false }, ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------

function titleOf(target: Target, decorator: DecoratorName): string {
  const label = target.label;
  switch (decorator) {
    case 'logged':
      return `Add @logged to ${label} (log its calls)`;
    case 'timed':
      return `Add @timed to ${label} (log how long it takes)`;
    case 'memoize':
      return target.kind === 'getter' ? `Add @memoize to ${label} (compute it once per instance)` : `Add @memoize to ${label} (cache its results per instance)`;
    case 'retry':
      return `Add @retry(${RETRY_ATTEMPTS}) to ${label} (call it again while it rejects)`;
    case 'bound':
      return `Add @bound to ${label} (bind it to its instance)`;
  }
}

const WHAT: Readonly<Record<DecoratorName, string>> = {
  logged: 'Logs each call: its arguments, then its result or error; a promise is logged once it settles (callers get a promise that settles the same way).',
  timed: 'Logs how long each call takes; for a promise, until it settles (callers get a promise that settles the same way).',
  memoize:
    'Caches per instance: a getter or a method without arguments runs once; a method of one primitive argument runs once per argument value (compared as Map keys do; -0 is never cached). A call that throws is not cached.',
  retry: `Calls it again while its promise rejects, up to ${RETRY_ATTEMPTS} calls in all, and rejects with the last error.`,
  bound: 'Each instance gets its own bound copy (non-enumerable, like the method), made when it is constructed, of the method it would call (a subclass override included).',
};

const LEGACY_BOUND =
  'Reading it from an instance gives a function bound to that instance (the same one each time); an override in a subclass is not bound.';

function describe(decorator: DecoratorName, variant: DecoratorVariant, source: Source, note: string | undefined): string {
  const what = variant === 'legacy' && decorator === 'bound' ? LEGACY_BOUND : WHAT[decorator];
  const form = variant === 'legacy' ? 'legacy (experimentalDecorators, as tsconfig.json sets)' : 'Stage-3';
  const where =
    source.kind === 'existing'
      ? `Uses the ${decorator} already in this file.`
      : source.kind === 'import'
        ? `Imports ${decorator} from ${source.specifier}.`
        : `Adds its typed ${form} definition after the imports${source.exported ? ', exported' : ''}.`;
  return `${what} ${where}${note ? ` (${note}.)` : ''}`;
}

interface Analysis {
  readonly target: Target;
  readonly offers: RefactorOffer[];
}

function analyze(context: RefactorContext): Analysis | undefined {
  const { sourceFile } = context;
  if (sourceFile.flags & ts.NodeFlags.JavaScriptFile) return undefined;
  const target = findTarget(context);
  if (!target) return undefined;
  const variant: DecoratorVariant = context.project.experimentalDecorators ? 'legacy' : 'stage3';
  const applied = decoratorNames(target.member);
  const projectReason =
    variant === 'stage3' && !versionAtLeast(context.project.typescriptVersion, '5.0')
      ? `Stage-3 decorators need TypeScript 5.0 or later (the project has ${context.project.typescriptVersion ?? 'no TypeScript installed'}), or \`experimentalDecorators\` in tsconfig.json.`
      : undefined;
  let shared: { module: SharedModule | string | undefined } | undefined;
  const sharedModule = () => (shared ??= { module: findSharedModule(context) }).module;
  const offers: RefactorOffer[] = [];
  for (const decorator of DECORATORS) {
    if (applied.has(decorator)) continue;
    const fits = fit(context, target, decorator, variant);
    if (fits === undefined) continue;
    const title = titleOf(target, decorator);
    const disabled = projectReason ?? fits ?? undefined;
    if (disabled) {
      offers.push({ action: decorator, title, disabled });
      continue;
    }
    const resolved = resolveSource(context, decorator, variant, sharedModule);
    if ('disabled' in resolved) {
      offers.push({ action: decorator, title, disabled: resolved.disabled });
      continue;
    }
    if (resolved.source.kind === 'local') {
      const problem = globalsProblem(context, decoratorTemplate(decorator, variant), `@${decorator}`);
      if (problem) {
        offers.push({ action: decorator, title, disabled: problem });
        continue;
      }
    }
    const plan: Plan = { memberStart: target.member.getStart(sourceFile), decorator, variant, source: resolved.source };
    offers.push({ action: decorator, title, description: describe(decorator, variant, resolved.source, resolved.note), data: plan });
  }
  return { target, offers };
}

/** Adds `text` as the member's innermost decorator: on its own line when the member's heading starts one. */
function insertDecorator(builder: EditBuilder, sourceFile: ts.SourceFile, member: Member, text: string): void {
  const decorators = ts.getDecorators(member) ?? [];
  const last = decorators[decorators.length - 1];
  const anchor = last ? tokenAt(sourceFile, last.end).start : member.getStart(sourceFile);
  const lineStart = builder.lineStartOf(anchor);
  const before = sourceFile.text.slice(lineStart, anchor);
  if (/^[ \t]*$/.test(before)) builder.insertAt(lineStart, before + text + builder.newLine);
  else builder.insertAt(anchor, `${text} `);
}

/** One indentation level as the class shows it (its members' indentation minus its own). */
function unitOf(builder: EditBuilder, target: Target): string | undefined {
  const outer = builder.indentationOf(target.classNode);
  const inner = builder.indentationOf(target.member);
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : undefined;
}

export const wrapWithDecorator: RefactorDefinition = {
  id: 'wrap-with-decorator',
  getOffers(context) {
    return analyze(context)?.offers ?? [];
  },
  doChange(context, offer) {
    const wanted = offer.data as Plan | undefined;
    const analysis = analyze(context);
    const current = analysis?.offers.find((o) => o.action === offer.action && !o.disabled);
    const plan = current?.data as Plan | undefined;
    if (!analysis || !plan || !wanted || JSON.stringify(plan) !== JSON.stringify(wanted)) return [];
    const { sourceFile } = context;
    const builder = new EditBuilder(sourceFile);
    const style: Style = styleOf(sourceFile, unitOf(builder, analysis.target));
    const text = plan.decorator === 'retry' ? `@retry(${RETRY_ATTEMPTS})` : `@${plan.decorator}`;
    insertDecorator(builder, sourceFile, analysis.target.member, text);
    if (plan.source.kind === 'import') insertImport(builder, sourceFile, plan.decorator, plan.source.specifier, style);
    if (plan.source.kind === 'local') {
      const definition = render(decoratorTemplate(plan.decorator, plan.variant), style);
      insertDefinition(builder, sourceFile, plan.source.exported ? exportAll(definition, plan.decorator) : definition);
    }
    return builder.build();
  },
};

/** `function name` → `export function name` for every declaration of the group (overloads too). */
function exportAll(definition: string, name: string): string {
  return definition.replace(new RegExp(`^function ${name}\\b`, 'gm'), `export function ${name}`);
}
