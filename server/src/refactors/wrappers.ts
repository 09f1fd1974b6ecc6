import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { fileDeclares } from '../syntax/globals';
import type { RefactorContext } from './types';

/*
 * The decorators and higher-order functions that `wrap-with-decorator` and `wrap-with-higher-order`
 * write, and what both need to place them: a definition's text in the file's style, whether a name is
 * free, whether a definition already in the file is one of these (so it can be reused), and where a
 * new definition goes.
 *
 * Templates are written with one tab per indentation level and single quotes; `render` adapts both
 * and the line endings to the file. Each definition stands alone (no shared helper), so any subset
 * can be in a file.
 */

export type DecoratorName = 'logged' | 'timed' | 'memoize' | 'retry' | 'bound';
export type HigherOrderName = 'withLogging' | 'withTiming';
export type DecoratorVariant = 'stage3' | 'legacy';

/** The body of a wrapper that logs a call, its result or error (a promise: once it settles). */
const LOGGING_BODY = [
  "console.log(`${label} called with`, args);",
  'let result: Return;',
  'try {',
  '\tresult = original.call(this, ...args);',
  '} catch (error) {',
  '\tconsole.log(`${label} threw`, error);',
  '\tthrow error;',
  '}',
  'if (result instanceof Promise) {',
  '\treturn result.then(',
  '\t\t(value: unknown) => {',
  '\t\t\tconsole.log(`${label} resolved to`, value);',
  '\t\t\treturn value;',
  '\t\t},',
  '\t\t(error: unknown) => {',
  '\t\t\tconsole.log(`${label} rejected with`, error);',
  '\t\t\tthrow error;',
  '\t\t},',
  '\t) as Return;',
  '}',
  "console.log(`${label} returned`, result);",
  'return result;',
];

/** The body of a wrapper that logs how long a call takes (a promise: until it settles). */
const TIMING_BODY = [
  'const started = performance.now();',
  'const report = (): void => console.log(`${label} took ${(performance.now() - started).toFixed(1)} ms`);',
  'let result: Return;',
  'try {',
  '\tresult = original.call(this, ...args);',
  '} catch (error) {',
  '\treport();',
  '\tthrow error;',
  '}',
  'if (result instanceof Promise) return result.finally(report) as Return;',
  'report();',
  'return result;',
];

const MEMOIZE_BODY = [
  'const owner: unknown = this;',
  'const key = args[0];',
  '// Not cached: a call on a primitive `this`, with extra arguments, or with -0 (a Map key equal to 0).',
  "if ((typeof owner !== 'object' && typeof owner !== 'function') || owner === null || args.length > 1 || Object.is(key, -0)) {",
  '\treturn original.call(this, ...args);',
  '}',
  'let cache = caches.get(owner);',
  'if (cache === undefined) caches.set(owner, (cache = new Map()));',
  'if (!cache.has(key)) cache.set(key, original.call(this, ...args));',
  'return cache.get(key) as Return;',
];

const RETRY_BODY = [
  'for (let attempt = 1; ; attempt++) {',
  '\ttry {',
  '\t\treturn await original.call(this, ...args);',
  '\t} catch (error) {',
  '\t\tif (attempt >= attempts) throw error;',
  '\t}',
  '}',
];

const KEEP_NAME = 'Object.defineProperties(replacement, { name: { value: original.name || label }, length: { value: original.length } });';
const PRIMITIVE_KEY = '[key?: string | number | bigint | boolean | symbol | null | undefined]';

const indent = (lines: readonly string[], levels: number): string[] => lines.map((line) => '\t'.repeat(levels) + line);

/** A decorator for a method, a getter or a function-valued field, wrapping each call. */
function stage3Wrapping(name: string, doc: string, body: readonly string[]): string[] {
  return [
    `/** ${doc} */`,
    `function ${name}<This, Args extends unknown[], Return>(`,
    '\ttarget: (this: This, ...args: Args) => Return,',
    '\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return> | ClassGetterDecoratorContext<This, Return>,',
    '): (this: This, ...args: Args) => Return;',
    `function ${name}<This, Args extends unknown[], Return>(`,
    '\ttarget: undefined,',
    '\tcontext: ClassFieldDecoratorContext<This, (...args: Args) => Return>,',
    '): (initial: (...args: Args) => Return) => (...args: Args) => Return;',
    `function ${name}<This, Args extends unknown[], Return>(`,
    '\ttarget: ((this: This, ...args: Args) => Return) | undefined,',
    '\tcontext: ClassMemberDecoratorContext,',
    '): unknown {',
    '\tconst label = String(context.name);',
    '\tconst wrap = (original: (this: This, ...args: Args) => Return): ((this: This, ...args: Args) => Return) => {',
    '\t\tfunction replacement(this: This, ...args: Args): Return {',
    ...indent(body, 3),
    '\t\t}',
    `\t\t${KEEP_NAME}`,
    '\t\treturn replacement;',
    '\t};',
    '\treturn target === undefined ? wrap : wrap(target);',
    '}',
  ];
}

/** A legacy (`experimentalDecorators`) method decorator replacing `descriptor.value`. */
function legacyWrapping(name: string, doc: string, typeParameters: string, body: readonly string[], before: readonly string[] = []): string[] {
  return [
    `/** ${doc} */`,
    `function ${name}<${typeParameters}>(`,
    '\t_target: object,',
    '\tkey: string | symbol,',
    '\tdescriptor: TypedPropertyDescriptor<(this: This, ...args: Args) => Return>,',
    '): void {',
    '\tconst original = descriptor.value;',
    '\tif (original === undefined) return;',
    '\tconst label = String(key);',
    ...indent(before, 1),
    // A function expression: `original` stays narrowed in it (a declaration would be hoisted above the check).
    '\tconst replacement = function (this: This, ...args: Args): Return {',
    ...indent(body, 2),
    '\t};',
    `\t${KEEP_NAME}`,
    '\tdescriptor.value = replacement;',
    '}',
  ];
}

const DOC = {
  logged: 'Logs each call: its arguments, then its result (for a promise, once it settles) or error.',
  timed: 'Logs how long each call takes (for a promise, until it settles).',
  memoize:
    'Caches results per instance: for a getter or a method without arguments, the first result; for a method of one primitive argument, one result per argument value (as Map keys compare them; -0 is not cached).',
  retry: 'Calls an async method again while its promise rejects, up to `attempts` calls in all; rejects with the last error.',
  bound: "Binds a method to its instance, so that it can be passed around (`onClick={this.handle}`) and keep `this`.",
};

const STAGE3: Readonly<Record<DecoratorName, readonly string[]>> = {
  logged: stage3Wrapping('logged', DOC.logged, LOGGING_BODY),
  timed: stage3Wrapping('timed', DOC.timed, TIMING_BODY),
  memoize: [
    `/** ${DOC.memoize} */`,
    `function memoize<This, Args extends ${PRIMITIVE_KEY}, Return>(`,
    '\toriginal: (this: This, ...args: Args) => Return,',
    '\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return> | ClassGetterDecoratorContext<This, Return>,',
    '): (this: This, ...args: Args) => Return {',
    '\tconst label = String(context.name);',
    '\tconst caches = new WeakMap<object, Map<unknown, Return>>();',
    '\tfunction replacement(this: This, ...args: Args): Return {',
    ...indent(MEMOIZE_BODY, 2),
    '\t}',
    `\t${KEEP_NAME}`,
    '\treturn replacement;',
    '}',
  ],
  retry: [
    `/** ${DOC.retry} */`,
    'function retry(attempts: number) {',
    '\treturn function <This, Args extends unknown[], Return>(',
    '\t\toriginal: (this: This, ...args: Args) => Promise<Return>,',
    '\t\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<Return>>,',
    '\t): (this: This, ...args: Args) => Promise<Return> {',
    '\t\tconst label = String(context.name);',
    '\t\tasync function replacement(this: This, ...args: Args): Promise<Return> {',
    ...indent(RETRY_BODY, 3),
    '\t\t}',
    `\t\t${KEEP_NAME}`,
    '\t\treturn replacement;',
    '\t};',
    '}',
  ],
  bound: [
    `/** ${DOC.bound} */`,
    'function bound<This extends object, Args extends unknown[], Return>(',
    '\t_original: (this: This, ...args: Args) => Return,',
    '\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,',
    '): void {',
    '\tcontext.addInitializer(function (this: This) {',
    '\t\t// The method as this instance sees it (a subclass may override it), bound to the instance.',
    '\t\tconst method = context.access.get(this);',
    '\t\tconst boundMethod = method.bind(this);',
    "\t\tObject.defineProperty(boundMethod, 'name', { value: method.name });",
    '\t\tObject.defineProperty(this, context.name, { value: boundMethod, writable: true, configurable: true, enumerable: false });',
    '\t});',
    '}',
  ],
};

const LEGACY: Readonly<Record<DecoratorName, readonly string[]>> = {
  logged: legacyWrapping('logged', DOC.logged, 'This, Args extends unknown[], Return', LOGGING_BODY),
  timed: legacyWrapping('timed', DOC.timed, 'This, Args extends unknown[], Return', TIMING_BODY),
  memoize: legacyWrapping('memoize', DOC.memoize, `This, Args extends ${PRIMITIVE_KEY}, Return`, MEMOIZE_BODY, [
    'const caches = new WeakMap<object, Map<unknown, Return>>();',
  ]),
  retry: [
    `/** ${DOC.retry} */`,
    'function retry(attempts: number) {',
    '\treturn function <This, Args extends unknown[], Return>(',
    '\t\t_target: object,',
    '\t\tkey: string | symbol,',
    '\t\tdescriptor: TypedPropertyDescriptor<(this: This, ...args: Args) => Promise<Return>>,',
    '\t): void {',
    '\t\tconst original = descriptor.value;',
    '\t\tif (original === undefined) return;',
    '\t\tconst label = String(key);',
    '\t\tconst replacement = async function (this: This, ...args: Args): Promise<Return> {',
    ...indent(RETRY_BODY, 3),
    '\t\t};',
    `\t\t${KEEP_NAME}`,
    '\t\tdescriptor.value = replacement;',
    '\t};',
    '}',
  ],
  bound: [
    `/** ${DOC.bound} */`,
    'function bound<This extends object, Args extends unknown[], Return>(',
    '\ttarget: object,',
    '\tkey: string | symbol,',
    '\tdescriptor: TypedPropertyDescriptor<(this: This, ...args: Args) => Return>,',
    '): TypedPropertyDescriptor<(this: This, ...args: Args) => Return> {',
    '\tconst method = descriptor.value;',
    '\tif (method === undefined) return descriptor;',
    '\tconst instances = new WeakMap<object, (this: This, ...args: Args) => Return>();',
    '\treturn {',
    '\t\tconfigurable: true,',
    '\t\tenumerable: descriptor.enumerable === true,',
    '\t\tget(this: This) {',
    '\t\t\t// Read from the prototype itself, or through `super` in a call without `this`: the method as it is.',
    '\t\t\tif (this === target || this == null) return method;',
    '\t\t\tlet boundMethod = instances.get(this);',
    '\t\t\tif (boundMethod === undefined) {',
    '\t\t\t\tboundMethod = method.bind(this);',
    "\t\t\t\tObject.defineProperty(boundMethod, 'name', { value: method.name });",
    '\t\t\t\tinstances.set(this, boundMethod);',
    '\t\t\t}',
    '\t\t\treturn boundMethod;',
    '\t\t},',
    '\t\t// An assignment makes an own property, as it does for a method that is not decorated.',
    '\t\tset(this: This, value) {',
    '\t\t\tObject.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: this !== target });',
    '\t\t},',
    '\t};',
    '}',
  ],
};

function higherOrder(name: string, doc: string, body: readonly string[]): string[] {
  return [
    `/** ${doc} */`,
    `function ${name}<This, Args extends unknown[], Return>(`,
    '\toriginal: (this: This, ...args: Args) => Return,',
    '\tlabel: string = original.name,',
    '): (this: This, ...args: Args) => Return {',
    '\tfunction replacement(this: This, ...args: Args): Return {',
    ...indent(body, 2),
    '\t}',
    `\t${KEEP_NAME}`,
    '\treturn replacement;',
    '}',
  ];
}

/** The same, for JavaScript: no types. */
function higherOrderJs(name: string, doc: string, body: readonly string[]): string[] {
  const untyped = body.map((line) =>
    line.replace(/^(\t*)let result: Return;$/, '$1let result;').replace(/: unknown\)/g, ')').replace('(): void =>', '() =>').replace(' as Return', ''),
  );
  return [
    `/** ${doc} */`,
    `function ${name}(original, label = original.name) {`,
    '\tfunction replacement(...args) {',
    ...indent(untyped, 2),
    '\t}',
    `\t${KEEP_NAME}`,
    '\treturn replacement;',
    '}',
  ];
}

const HIGHER_ORDER_DOC = {
  withLogging: 'Wraps a function so that each call is logged: its arguments, then its result (for a promise, once it settles) or error.',
  withTiming: 'Wraps a function so that how long each call takes is logged (for a promise, until it settles).',
};

const HIGHER_ORDER: Readonly<Record<HigherOrderName, { ts: readonly string[]; js: readonly string[] }>> = {
  withLogging: {
    ts: higherOrder('withLogging', HIGHER_ORDER_DOC.withLogging, LOGGING_BODY),
    js: higherOrderJs('withLogging', HIGHER_ORDER_DOC.withLogging, LOGGING_BODY),
  },
  withTiming: {
    ts: higherOrder('withTiming', HIGHER_ORDER_DOC.withTiming, TIMING_BODY),
    js: higherOrderJs('withTiming', HIGHER_ORDER_DOC.withTiming, TIMING_BODY),
  },
};

/** The template lines of a decorator's definition. */
export function decoratorTemplate(name: DecoratorName, variant: DecoratorVariant): readonly string[] {
  return (variant === 'legacy' ? LEGACY : STAGE3)[name];
}

export function higherOrderTemplate(name: HigherOrderName, javascript: boolean): readonly string[] {
  return HIGHER_ORDER[name][javascript ? 'js' : 'ts'];
}

/** The globals a definition calls, which the project's types must declare (lib "dom" or @types/node). */
function globalsUsed(template: readonly string[]): string[] {
  const text = template.join('\n');
  return ['console', 'performance'].filter((name) => new RegExp(`\\b${name}\\.`).test(text));
}

/**
 * Why a definition written into this file could not call the globals it calls, if it could not: the file
 * declares a name of its own for one (effect's `Effect.ts` exports a `console`), or the project's types
 * do not declare one. `label` names the definition in the message.
 */
export function globalsProblem(context: RefactorContext, template: readonly string[], label: string): string | undefined {
  for (const name of globalsUsed(template)) {
    if (fileDeclares(context.sourceFile, name)) return `${label} calls the global \`${name}\`, but this file declares a \`${name}\` of its own.`;
    if (globalDeclared(context, name) === false) return `${label} calls \`${name}\`, which this project does not declare (add "dom" to lib, or @types/node).`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The file's style

export interface Style {
  readonly newLine: string;
  /** One level of indentation: a tab or some spaces. */
  readonly unit: string;
  readonly quote: "'" | '"';
}

/** The file's style; `unit` is one level of indentation seen at the place being edited, if known. */
export function styleOf(sourceFile: ts.SourceFile, unitHint?: string): Style {
  const builder = new EditBuilder(sourceFile);
  const text = sourceFile.text;
  let unit: string | undefined = unitHint && /^(\t| {2,8})$/.test(unitHint) ? unitHint : undefined;
  let smallest = Infinity;
  for (const match of unit ? [] : text.matchAll(/^([ \t]+)\S/gm)) {
    const leading = match[1]!;
    if (leading.startsWith('\t')) {
      unit = '\t';
      break;
    }
    if (leading.length >= 2 && leading.length < smallest) smallest = leading.length;
  }
  unit ??= smallest === Infinity ? '  ' : ' '.repeat(Math.min(smallest, 8));
  let single = 0;
  let double = 0;
  for (const statement of sourceFile.statements) {
    const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (specifier && ts.isStringLiteral(specifier)) {
      if (text[specifier.getStart(sourceFile)] === '"') double++;
      else single++;
    }
  }
  if (single + double === 0) {
    // No imports: the first string literals of the file say it.
    for (const match of text.slice(0, 20_000).matchAll(/(['"])[^'"\n\\]*\1/g)) {
      if (match[1] === '"') double++;
      else single++;
      if (single + double >= 20) break;
    }
  }
  return { newLine: builder.newLine, unit, quote: double > single ? '"' : "'" };
}

/** A template in the file's style, each line after the first indented by `indentation`. */
export function render(template: readonly string[], style: Style, indentation = ''): string {
  return template
    .map((line) => {
      const level = /^\t*/.exec(line)![0].length;
      let body = line.slice(level);
      if (style.quote === '"') body = body.replace(/'([^'"\\]*)'/g, '"$1"');
      return body.length === 0 ? '' : indentation + style.unit.repeat(level) + body;
    })
    .join(style.newLine);
}

// ---------------------------------------------------------------------------------------------
// Recognizing a definition already in the file

const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);

/**
 * The tokens of some code, for comparing two texts regardless of formatting: whitespace and
 * comments skipped, string and template parts by value (so quote style does not matter), no `;`, no
 * trailing `,` before a closing bracket, no `export`.
 */
export function tokenSignature(text: string): string[] {
  scanner.setText(text);
  scanner.setLanguageVariant(ts.LanguageVariant.Standard);
  const tokens: string[] = [];
  // Brace depths at which a template's `${` was opened, to rescan its continuation.
  const templates: number[] = [];
  let braces = 0;
  try {
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.OpenBraceToken) braces++;
      if (kind === ts.SyntaxKind.CloseBraceToken) {
        if (templates.length > 0 && templates[templates.length - 1] === braces) {
          kind = scanner.reScanTemplateToken(false);
          if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
          tokens.push(`${kind}:${scanner.getTokenValue()}`);
          continue;
        }
        braces--;
      }
      if (kind === ts.SyntaxKind.TemplateHead) templates.push(braces);
      if (kind === ts.SyntaxKind.SemicolonToken || kind === ts.SyntaxKind.ExportKeyword) continue;
      const isLiteral =
        kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || kind === ts.SyntaxKind.TemplateHead;
      tokens.push(isLiteral ? `${kind}:${scanner.getTokenValue()}` : scanner.getTokenText());
    }
  } finally {
    scanner.setText(undefined);
  }
  return tokens.filter((token, i) => !(token === ',' && [')', ']', '}', '>'].includes(tokens[i + 1] ?? '')));
}

const signatures = new Map<string, string>();

function signatureOf(template: readonly string[]): string {
  const key = template.join('\n');
  let signature = signatures.get(key);
  if (signature === undefined) {
    signature = tokenSignature(render(template, { newLine: '\n', unit: '\t', quote: "'" })).join(' ');
    signatures.set(key, signature);
  }
  return signature;
}

/** Whether `text` (one or more declarations) is the template's code, however formatted. */
export function isTemplateText(text: string, template: readonly string[]): boolean {
  return tokenSignature(text).join(' ') === signatureOf(template);
}

// ---------------------------------------------------------------------------------------------
// Names in the file

/** How a name is used in a file. */
export interface NameUses {
  /** Top-level function declarations of the name (overloads and implementation, in order). */
  readonly topLevelFunctions: ts.FunctionDeclaration[];
  /** Named or default imports binding the name. */
  readonly imports: { readonly declaration: ts.ImportDeclaration; readonly specifier: string }[];
  /** Other declarations of the name (variables, parameters, classes, ... in any scope). */
  readonly declarations: ts.Identifier[];
  /** References to the name (not property names, labels or type names). */
  readonly references: ts.Identifier[];
}

/** Whether `node` (an identifier) is a name that does not refer to a variable: a property, a label, a type. */
function isNonVariableName(node: ts.Identifier, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  if (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    ((ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) ||
    ((ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent)) && parent.name === node) ||
    ((ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) && parent.label === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node) ||
    ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === node) ||
    (ts.isJsxAttribute(parent) && parent.name === node) ||
    (ts.isTypeReferenceNode(parent) && parent.typeName === node) ||
    ((ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isTypeParameterDeclaration(parent)) && parent.name === node) ||
    (ts.isMetaProperty(parent) && parent.name === node)
  ) {
    return true;
  }
  return false;
}

/** Whether `node` is the name a declaration introduces (a variable, parameter, function, class, import, ...). */
function isDeclarationName(node: ts.Identifier, parent: ts.Node): boolean {
  return (
    ((ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isEnumDeclaration(parent) ||
      ts.isModuleDeclaration(parent) ||
      ts.isImportEqualsDeclaration(parent) ||
      ts.isImportClause(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isNamespaceImport(parent)) &&
      parent.name === node)
  );
}

/** Visits every identifier of `root` with its parent (the tree has no parent pointers). */
export function forEachIdentifier(root: ts.Node, visit: (identifier: ts.Identifier, parent: ts.Node | undefined, ancestors: readonly ts.Node[]) => void): void {
  const ancestors: ts.Node[] = [];
  const walk = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) visit(node, ancestors[ancestors.length - 1], ancestors);
    ancestors.push(node);
    ts.forEachChild(node, walk);
    ancestors.pop();
  };
  walk(root);
}

export function usesOf(sourceFile: ts.SourceFile, name: string): NameUses {
  const topLevelFunctions = sourceFile.statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
  const imports: { declaration: ts.ImportDeclaration; specifier: string }[] = [];
  const importNames = new Set<ts.Node>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const bindings = clause.namedBindings;
    const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => e.name.text === name && !e.isTypeOnly).map((e) => e.name) : [];
    const candidates = [...(clause.name?.text === name ? [clause.name] : []), ...named];
    if (candidates.length > 0 && !clause.isTypeOnly) {
      imports.push({ declaration: statement, specifier: statement.moduleSpecifier.text });
      for (const candidate of candidates) importNames.add(candidate);
    }
  }
  const own = new Set<ts.Node>([...topLevelFunctions.map((f) => f.name!), ...importNames]);
  const declarations: ts.Identifier[] = [];
  const references: ts.Identifier[] = [];
  if (sourceFile.text.includes(name)) {
    forEachIdentifier(sourceFile, (identifier, parent) => {
      if (identifier.text !== name || own.has(identifier) || isNonVariableName(identifier, parent)) return;
      (parent && isDeclarationName(identifier, parent) ? declarations : references).push(identifier);
    });
  }
  return { topLevelFunctions, imports, declarations, references };
}

/** Whether the file is a module (it has an import or an export), so that its top-level names are its own. */
export function isModuleFile(sourceFile: ts.SourceFile): boolean {
  if ((sourceFile as { externalModuleIndicator?: unknown }).externalModuleIndicator) return true;
  return /\.(mts|cts|mjs|cjs)$/.test(sourceFile.fileName);
}

/** Whether a JavaScript file looks like a CommonJS module (Node runs it in a function scope). */
export function isCommonJsFile(sourceFile: ts.SourceFile): boolean {
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(sourceFile.text);
}

/** Whether the file's top-level names are its own: a module, or a CommonJS JavaScript file. */
export function hasOwnTopLevel(sourceFile: ts.SourceFile): boolean {
  return isModuleFile(sourceFile) || ((sourceFile.flags & ts.NodeFlags.JavaScriptFile) !== 0 && isCommonJsFile(sourceFile));
}

/**
 * Whether the program knows a global value `name` (e.g. `console` from lib "dom" or @types/node);
 * undefined when there are no types to ask.
 */
function globalDeclared(context: RefactorContext, name: string): boolean | undefined {
  const types = context.types;
  // No program tree for the file (a JavaScript file outside `allowJs`): nothing to ask.
  if (!types?.sourceFile) return undefined;
  let known = declaredGlobals.get(types.checker);
  if (!known) {
    known = new Map();
    declaredGlobals.set(types.checker, known);
  }
  if (!known.has(name)) {
    const names = new Set(types.checker.getSymbolsInScope(types.sourceFile, ts.SymbolFlags.Value).map((symbol) => symbol.name));
    // Without the standard library, the program says nothing about globals.
    known.set(name, names.has('Array') ? names.has(name) : undefined);
  }
  return known.get(name);
}

const declaredGlobals = new WeakMap<ts.TypeChecker, Map<string, boolean | undefined>>();

/** The node of the type-aware program's tree at the same place as `node` (same text), if any. */
export function programNode(context: RefactorContext, node: ts.Node): ts.Node | undefined {
  const types = context.types;
  if (!types?.sourceFile) return undefined;
  const start = node.getStart(context.sourceFile);
  let found: ts.Node | undefined;
  const visit = (candidate: ts.Node): void => {
    if (candidate.pos > start || candidate.end < node.end) return;
    if (candidate.kind === node.kind && candidate.pos === node.pos && candidate.end === node.end) {
      found = candidate;
      return;
    }
    ts.forEachChild(candidate, visit);
  };
  visit(types.sourceFile);
  return found;
}

/** The text of a group of top-level function declarations (overloads and implementation). */
export function groupText(sourceFile: ts.SourceFile, functions: readonly ts.FunctionDeclaration[]): string {
  return functions.map((f) => sourceFile.text.slice(f.getStart(sourceFile), f.end)).join('\n');
}

/**
 * Whether the file already has `name`: `'existing'` when it is the template's definition (declared at
 * the top level, or imported and, with types, declared so where it comes from), `'none'` when the name
 * is free, otherwise why it cannot be used. `form` names the definition in messages.
 */
export function existingDefinition(context: RefactorContext, name: string, template: readonly string[], form: string): 'existing' | 'none' | string {
  const { sourceFile } = context;
  const uses = usesOf(sourceFile, name);
  if (uses.topLevelFunctions.length > 0) {
    if (uses.declarations.length === 0 && uses.imports.length === 0 && isTemplateText(groupText(sourceFile, uses.topLevelFunctions), template)) {
      return 'existing';
    }
    return `The \`${name}\` of this file is not ${form} Pattern Lens writes: use it by hand if it fits.`;
  }
  if (uses.imports.length > 0) {
    if (uses.imports.length === 1 && uses.declarations.length === 0 && importedIsTemplate(context, uses.imports[0]!.declaration, name, template)) {
      return 'existing';
    }
    return `\`${name}\` is imported from '${uses.imports[0]!.specifier}', which Pattern Lens cannot check is ${form} it writes: use it by hand if it fits.`;
  }
  if (uses.declarations.length > 0 || uses.references.length > 0) return `\`${name}\` already names something else in this file.`;
  return 'none';
}

/** With types: whether the imported name is declared, where it comes from, as the template's definition. */
function importedIsTemplate(context: RefactorContext, declaration: ts.ImportDeclaration, name: string, template: readonly string[]): boolean {
  const types = context.types;
  if (!types?.sourceFile) return false;
  const inProgram = programNode(context, declaration) as ts.ImportDeclaration | undefined;
  const bindings = inProgram?.importClause?.namedBindings;
  const element = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === name) : undefined;
  if (!element) return false;
  const symbol = types.checker.getSymbolAtLocation(element.name);
  const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? types.checker.getAliasedSymbol(symbol) : symbol;
  const declarations = target?.declarations ?? [];
  if (declarations.length === 0 || !declarations.every(ts.isFunctionDeclaration)) return false;
  return isTemplateText(groupText(declarations[0]!.getSourceFile(), declarations as ts.FunctionDeclaration[]), template);
}

/**
 * In a script (no import or export), top-level names are global: why a new top-level `name` cannot be
 * added, if it cannot (another file declares it, or there are no types to tell).
 */
export function scriptGlobalClash(context: RefactorContext, name: string): string | undefined {
  const taken = globalDeclared(context, name);
  if (taken === undefined) {
    return `This file is a script (no import or export): a top-level \`${name}\` would be global, and other files cannot be checked until the project is loaded.`;
  }
  return taken ? `This file is a script (no import or export) and a global \`${name}\` already exists.` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Where a definition goes

/** `require('x')` or `require('x').y`: how CommonJS imports. */
export function isRequireCall(node: ts.Expression): boolean {
  while (ts.isPropertyAccessExpression(node)) node = node.expression;
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0]!)
  );
}

/** `const x = require('x')` and the like: every declarator initialized by a `require`. */
export function isRequireStatement(statement: ts.Statement): boolean {
  return (
    ts.isVariableStatement(statement) &&
    statement.declarationList.declarations.every((d) => d.initializer !== undefined && isRequireCall(d.initializer))
  );
}

function isPrologueOrImport(statement: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    isRequireStatement(statement) ||
    (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression))
  );
}

/** The start of the comments that belong to `node` (no blank line between them and it), or its start. */
export function attachedStart(sourceFile: ts.SourceFile, node: ts.Node): number {
  const text = sourceFile.text;
  const comments = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  let start = node.getStart(sourceFile);
  for (let i = comments.length - 1; i >= 0; i--) {
    const between = text.slice(comments[i]!.end, start);
    if (/\n[ \t]*\r?\n/.test(between)) break;
    start = comments[i]!.pos;
  }
  return start;
}

/**
 * The start of the line after the one where `offset` is, if only whitespace or a line comment
 * separates them (so that nothing is inserted into a template literal or a comment that goes on).
 */
function nextLineStart(text: string, offset: number): number | undefined {
  const lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) return undefined;
  const rest = text.slice(offset, lineEnd).trim();
  return rest === '' || (rest.startsWith('//') && !rest.includes('*/')) ? lineEnd + 1 : undefined;
}

/**
 * Adds a top-level definition after the imports (and directives), or else before the first
 * statement and the comments attached to it; separated by blank lines.
 */
export function insertDefinition(builder: EditBuilder, sourceFile: ts.SourceFile, text: string): void {
  const nl = builder.newLine;
  const source = sourceFile.text;
  const statements = sourceFile.statements;
  let lead = 0;
  while (lead < statements.length && isPrologueOrImport(statements[lead]!)) lead++;
  if (lead > 0) {
    const last = statements[lead - 1]!;
    const at = nextLineStart(source, last.end);
    if (at === undefined) {
      // The line goes on with more code (or the file ends): right after the statement.
      builder.insertAt(last.end, nl + nl + text + nl);
      return;
    }
    const followingEnd = source.indexOf('\n', at);
    const following = source.slice(at, followingEnd < 0 ? source.length : followingEnd);
    const blankFollows = following.trim() === '' && at < source.length;
    builder.insertAt(at, nl + text + nl + (blankFollows ? '' : nl));
    return;
  }
  const first = statements[0];
  if (!first) {
    builder.insertAt(source.length, text + nl);
    return;
  }
  const start = attachedStart(sourceFile, first);
  const lineStart = builder.lineStartOf(start);
  builder.insertAt(source.slice(lineStart, start).trim() === '' ? lineStart : start, text + nl + nl);
}

/** Adds `import { name } from 'specifier';` to an import of that module, or as a new import after the others. */
export function insertImport(builder: EditBuilder, sourceFile: ts.SourceFile, name: string, specifier: string, style: Style): void {
  for (const statement of sourceFile.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === specifier &&
      statement.importClause &&
      !statement.importClause.isTypeOnly &&
      statement.importClause.namedBindings &&
      ts.isNamedImports(statement.importClause.namedBindings) &&
      statement.importClause.namedBindings.elements.length > 0
    ) {
      const elements = statement.importClause.namedBindings.elements;
      builder.insertAt(elements[elements.length - 1]!.end, `, ${name}`);
      return;
    }
  }
  const line = `import { ${name} } from ${style.quote}${specifier}${style.quote};`;
  const imports = sourceFile.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const last = imports[imports.length - 1];
  if (last) {
    // On the next line, so that a comment after the last import stays with it.
    const at = nextLineStart(sourceFile.text, last.end);
    if (at === undefined) builder.insertAt(last.end, style.newLine + line);
    else builder.insertAt(at, line + style.newLine);
    return;
  }
  const first = sourceFile.statements[0];
  if (!first) {
    builder.insertAt(sourceFile.text.length, line + style.newLine);
    return;
  }
  const start = attachedStart(sourceFile, first);
  const lineStart = builder.lineStartOf(start);
  builder.insertAt(sourceFile.text.slice(lineStart, start).trim() === '' ? lineStart : start, line + style.newLine + style.newLine);
}
