import * as ts from 'typescript';

/**
 * Helpers of the R3 rules (`try-finally-using`, `als-enter-with`, `als-in-function`, `buffer-slice`):
 * which Node module a name was imported from, and a small, conservative resolution of identifiers
 * to the declaration they refer to. Everything here runs only for nodes a rule has already matched
 * by shape, never for ordinary nodes.
 */

/** `ts.SyntaxKind`, read once: each `ts.X` is a getter call on the module object. */
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

/** `node:fs` and `fs` are the same module. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** The expression inside parentheses, `!`, `as`, `satisfies` and `<T>` assertions. */
export function unwrapExpression(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    switch (current.kind) {
      case K.ParenthesizedExpression:
      case K.NonNullExpression:
      case K.AsExpression:
      case K.SatisfiesExpression:
      case K.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** The string of `require('m')`, or undefined. */
function requiredModule(expression: ts.Expression): string | undefined {
  if (expression.kind !== K.CallExpression) return undefined;
  const call = expression as ts.CallExpression;
  const callee = call.expression;
  if (callee.kind !== K.Identifier || (callee as ts.Identifier).text !== 'require' || call.arguments.length !== 1) return undefined;
  const specifier = call.arguments[0]!;
  return ts.isStringLiteralLike(specifier) ? normalizeModule(specifier.text) : undefined;
}

/**
 * What names of a file are bound to, for a few Node modules: `fs` for `import * as fs from 'node:fs'`,
 * `fs#readFileSync` for `import { readFileSync } from 'fs'` or `const { readFileSync } = require('fs')`,
 * `fs#promises` for `const fsp = require('fs').promises`. Feed it the import and variable declarations
 * of the walk; ask `pathOf` at the walk's end.
 */
export class ModuleBindings {
  private bindings: Map<string, string> | undefined;

  constructor(private readonly modules: ReadonlySet<string>) {}

  get isEmpty(): boolean {
    return this.bindings === undefined;
  }

  private bind(name: string, path: string): void {
    (this.bindings ??= new Map()).set(name, path);
  }

  onImport(node: ts.ImportDeclaration): void {
    const { moduleSpecifier, importClause } = node;
    if (!ts.isStringLiteral(moduleSpecifier) || !importClause || importClause.isTypeOnly) return;
    const module = normalizeModule(moduleSpecifier.text);
    if (!this.modules.has(module)) return;
    if (importClause.name) this.bind(importClause.name.text, module);
    const bindings = importClause.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.bind(bindings.name.text, module);
      return;
    }
    for (const element of bindings.elements) {
      if (!element.isTypeOnly) this.bind(element.name.text, `${module}#${(element.propertyName ?? element.name).text}`);
    }
  }

  onImportEquals(node: ts.ImportEqualsDeclaration): void {
    const reference = node.moduleReference;
    if (node.isTypeOnly || !ts.isExternalModuleReference(reference) || !ts.isStringLiteral(reference.expression)) return;
    const module = normalizeModule(reference.expression.text);
    if (this.modules.has(module)) this.bind(node.name.text, module);
  }

  /** `const fs = require('fs')`, `const { readFileSync: read } = require('node:fs')`, `const fsp = require('fs').promises`. */
  onVariable(node: ts.VariableDeclaration): void {
    const initializer = node.initializer;
    if (!initializer) return;
    const kind = initializer.kind;
    if (kind !== K.CallExpression && kind !== K.PropertyAccessExpression && kind !== K.AwaitExpression && kind !== K.ParenthesizedExpression) return;
    const path = this.requirePath(initializer);
    if (path === undefined) return;
    if (ts.isIdentifier(node.name)) {
      this.bind(node.name.text, path);
    } else if (ts.isObjectBindingPattern(node.name)) {
      for (const element of node.name.elements) {
        const property = element.propertyName ?? element.name;
        if (!element.dotDotDotToken && ts.isIdentifier(property) && ts.isIdentifier(element.name)) {
          this.bind(element.name.text, `${path}#${property.text}`);
        }
      }
    }
  }

  /** The module path of `require('m')`, `require('m').p`, `await import('m')`, when `m` is tracked. */
  private requirePath(expression: ts.Expression): string | undefined {
    let current = unwrapExpression(expression);
    if (current.kind === K.AwaitExpression) current = unwrapExpression((current as ts.AwaitExpression).expression);
    if (current.kind === K.PropertyAccessExpression) {
      const access = current as ts.PropertyAccessExpression;
      const base = this.requirePath(access.expression);
      return base === undefined ? undefined : `${base}#${access.name.text}`;
    }
    if (current.kind !== K.CallExpression) return undefined;
    const call = current as ts.CallExpression;
    if (call.expression.kind === K.ImportKeyword) {
      const specifier = call.arguments[0];
      if (call.arguments.length !== 1 || !specifier || !ts.isStringLiteralLike(specifier)) return undefined;
      const module = normalizeModule(specifier.text);
      return this.modules.has(module) ? module : undefined;
    }
    const module = requiredModule(call);
    return module !== undefined && this.modules.has(module) ? module : undefined;
  }

  /**
   * The module path an expression denotes (`fs#promises#readFile` for `fs.promises.readFile`), or
   * undefined. Names are taken as bound by their import: callers check they are not redeclared.
   */
  pathOf(expression: ts.Expression): string | undefined {
    const current = unwrapExpression(expression);
    if (current.kind === K.Identifier) return this.bindings?.get((current as ts.Identifier).text);
    if (current.kind === K.PropertyAccessExpression) {
      const access = current as ts.PropertyAccessExpression;
      const base = this.pathOf(access.expression);
      return base === undefined ? undefined : `${base}#${access.name.text}`;
    }
    const module = requiredModule(current);
    return module !== undefined && this.modules.has(module) ? module : undefined;
  }

  /** What the local `name` is bound to (`buffer#Buffer`), if it is imported from a tracked module. */
  bindingOf(name: string): string | undefined {
    return this.bindings?.get(name);
  }

  /** The local names bound to something of the tracked modules. */
  names(): IterableIterator<string> {
    return (this.bindings ?? new Map<string, string>()).keys();
  }
}

// ── Scopes ─────────────────────────────────────────────────────────────────────────────────────────

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case K.FunctionDeclaration:
    case K.FunctionExpression:
    case K.ArrowFunction:
    case K.MethodDeclaration:
    case K.Constructor:
    case K.GetAccessor:
    case K.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** Nodes whose code runs in a scope of its own: functions, and class static blocks. */
function startsVarScope(node: ts.Node): boolean {
  return isFunctionLike(node) || node.kind === K.ClassStaticBlockDeclaration;
}

function addBindingNames(name: ts.BindingName, add: (identifier: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) {
    add(name);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) addBindingNames(element.name, add);
  }
}

function isBlockScopedList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) !== 0;
}

/** The declarations of a statement list that are scoped to it (`let`, `const`, classes, functions...). */
function addLexicalDeclarations(statements: readonly ts.Statement[], add: (identifier: ts.Identifier) => void): void {
  for (const statement of statements) {
    switch (statement.kind) {
      case K.VariableStatement: {
        const list = (statement as ts.VariableStatement).declarationList;
        if (isBlockScopedList(list)) for (const declaration of list.declarations) addBindingNames(declaration.name, add);
        break;
      }
      case K.FunctionDeclaration:
      case K.ClassDeclaration:
      case K.EnumDeclaration:
      case K.ModuleDeclaration:
      case K.ImportEqualsDeclaration: {
        const name = (statement as ts.DeclarationStatement).name;
        if (name && ts.isIdentifier(name)) add(name);
        break;
      }
      case K.ImportDeclaration: {
        const clause = (statement as ts.ImportDeclaration).importClause;
        if (!clause) break;
        if (clause.name) add(clause.name);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name);
        else if (bindings) for (const element of bindings.elements) add(element.name);
        break;
      }
      default:
        break;
    }
  }
}

/** `var` declarations anywhere under `node`, not inside nested functions. */
function addVarDeclarations(node: ts.Node, add: (identifier: ts.Identifier) => void): void {
  const visit = (child: ts.Node): void => {
    const kind = child.kind;
    if (startsVarScope(child) || kind === K.ClassDeclaration || kind === K.ClassExpression) return;
    if (kind === K.VariableDeclarationList && !isBlockScopedList(child as ts.VariableDeclarationList)) {
      for (const declaration of (child as ts.VariableDeclarationList).declarations) addBindingNames(declaration.name, add);
    }
    forEachChild(child, visit);
  };
  forEachChild(node, visit);
}

const scopeCache = new WeakMap<ts.Node, ReadonlyMap<string, readonly ts.Identifier[]>>();
const NO_BINDINGS: ReadonlyMap<string, readonly ts.Identifier[]> = new Map();

/** The names `scope` declares itself (not those of scopes nested in it), each with its declaring identifiers. */
export function bindingsOf(scope: ts.Node): ReadonlyMap<string, readonly ts.Identifier[]> {
  let cached = scopeCache.get(scope);
  if (cached) return cached;
  const found = new Map<string, ts.Identifier[]>();
  const add = (identifier: ts.Identifier) => {
    const list = found.get(identifier.text);
    if (list) list.push(identifier);
    else found.set(identifier.text, [identifier]);
  };
  switch (scope.kind) {
    case K.SourceFile:
    case K.ModuleBlock:
      addLexicalDeclarations((scope as ts.SourceFile | ts.ModuleBlock).statements, add);
      addVarDeclarations(scope, add);
      break;
    case K.Block:
      addLexicalDeclarations((scope as ts.Block).statements, add);
      break;
    case K.CaseBlock:
      for (const clause of (scope as ts.CaseBlock).clauses) addLexicalDeclarations(clause.statements, add);
      break;
    case K.ForStatement:
    case K.ForInStatement:
    case K.ForOfStatement: {
      const initializer = (scope as ts.ForStatement).initializer;
      if (initializer && ts.isVariableDeclarationList(initializer) && isBlockScopedList(initializer)) {
        for (const declaration of initializer.declarations) addBindingNames(declaration.name, add);
      }
      break;
    }
    case K.CatchClause: {
      const declaration = (scope as ts.CatchClause).variableDeclaration;
      if (declaration) addBindingNames(declaration.name, add);
      break;
    }
    case K.ClassStaticBlockDeclaration:
      addVarDeclarations(scope, add);
      break;
    default:
      if (isFunctionLike(scope)) {
        if (scope.kind === K.FunctionExpression && scope.name) add(scope.name);
        for (const parameter of scope.parameters) addBindingNames(parameter.name, add);
        if (scope.body) addVarDeclarations(scope.body, add);
      }
      break;
  }
  cached = found.size > 0 ? found : NO_BINDINGS;
  scopeCache.set(scope, cached);
  return cached;
}

export type Resolution =
  | { readonly kind: 'declared'; readonly declaration: ts.Identifier; readonly scope: ts.Node }
  | { readonly kind: 'global' }
  | { readonly kind: 'unknown' };

/**
 * What the identifier `name`, written inside the nodes of `chain` (root first, innermost last),
 * refers to: its one declaration and the scope declaring it, no declaration at all (a global), or
 * unknown when the nearest scope declaring it declares it more than once.
 */
export function resolveName(name: string, chain: readonly ts.Node[]): Resolution {
  for (let i = chain.length - 1; i >= 0; i--) {
    const scope = chain[i]!;
    const declarations = bindingsOf(scope).get(name);
    if (!declarations) continue;
    return declarations.length === 1 ? { kind: 'declared', declaration: declarations[0]!, scope } : { kind: 'unknown' };
  }
  return { kind: 'global' };
}

/** How many bindings anywhere in the file (imports, types and parameters included) have each of `names`. */
export function declaredNames(sourceFile: ts.SourceFile, names: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (identifier: ts.Identifier) => {
    if (names.has(identifier.text)) counts.set(identifier.text, (counts.get(identifier.text) ?? 0) + 1);
  };
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case K.VariableDeclaration:
      case K.Parameter:
      case K.BindingElement: {
        const name = (node as ts.VariableDeclaration).name;
        if (ts.isIdentifier(name)) add(name);
        break;
      }
      case K.FunctionDeclaration:
      case K.FunctionExpression:
      case K.ClassDeclaration:
      case K.ClassExpression:
      case K.InterfaceDeclaration:
      case K.TypeAliasDeclaration:
      case K.EnumDeclaration:
      case K.ModuleDeclaration:
      case K.ImportEqualsDeclaration:
      case K.ImportClause:
      case K.NamespaceImport:
      case K.ImportSpecifier:
      case K.TypeParameter: {
        const name = (node as ts.NamedDeclaration).name;
        if (name && ts.isIdentifier(name)) add(name);
        break;
      }
      default:
        break;
    }
    forEachChild(node, visit);
  };
  visit(sourceFile);
  return counts;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= K.FirstAssignment && kind <= K.LastAssignment;
}

/** Whether `target` (the left side of an assignment) writes to the identifier `name`, destructuring included. */
function writesName(target: ts.Node, name: string): boolean {
  const node = ts.isParenthesizedExpression(target) ? unwrapExpression(target) : target;
  if (ts.isIdentifier(node)) return node.text === name;
  if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) {
    let found = false;
    const visit = (child: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(child) && child.text === name) found = true;
      else forEachChild(child, visit);
    };
    visit(node);
    return found;
  }
  return false;
}

export interface Write {
  /** The right-hand side of a plain `name = value`; undefined for `+=`, `++`, destructuring, a `for...of` target. */
  readonly value: ts.Expression | undefined;
  /** The nodes from the scope (excluded) down to the write (excluded), to resolve names in `value`. */
  readonly path: readonly ts.Node[];
}

/**
 * The writes to `name` inside `scope`, nested scopes included and shadowing ignored: errs towards
 * finding writes.
 */
export function writesTo(scope: ts.Node, name: string): Write[] {
  const writes: Write[] = [];
  const path: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case K.BinaryExpression: {
        const { left, operatorToken, right } = node as ts.BinaryExpression;
        if (isAssignmentOperator(operatorToken.kind) && writesName(left, name)) {
          const plain = operatorToken.kind === K.EqualsToken && ts.isIdentifier(unwrapExpression(left));
          writes.push({ value: plain ? right : undefined, path: path.slice() });
        }
        break;
      }
      case K.PrefixUnaryExpression:
      case K.PostfixUnaryExpression: {
        const { operator, operand } = node as ts.PrefixUnaryExpression;
        if ((operator === K.PlusPlusToken || operator === K.MinusMinusToken) && writesName(operand, name)) {
          writes.push({ value: undefined, path: [] });
        }
        break;
      }
      case K.ForInStatement:
      case K.ForOfStatement: {
        const initializer = (node as ts.ForOfStatement).initializer;
        if (!ts.isVariableDeclarationList(initializer) && writesName(initializer, name)) writes.push({ value: undefined, path: [] });
        break;
      }
      default:
        break;
    }
    path.push(node);
    forEachChild(node, visit);
    path.pop();
  };
  forEachChild(scope, visit);
  return writes;
}

// ── AsyncLocalStorage ──────────────────────────────────────────────────────────────────────────────

export const ASYNC_HOOKS: ReadonlySet<string> = new Set(['async_hooks']);
const ALS_CLASS = 'AsyncLocalStorage';
const ALS_PATH = `async_hooks#${ALS_CLASS}`;

/**
 * Whether `new <expression>()` may construct Node's `AsyncLocalStorage` (cheap, by shape: the class
 * name, an alias already imported, `x.AsyncLocalStorage`); `isNodeAls` decides at the walk's end.
 */
export function mayBeAlsConstructor(expression: ts.Expression, modules: ModuleBindings): boolean {
  const callee = unwrapExpression(expression);
  if (callee.kind === K.Identifier) {
    return (callee as ts.Identifier).text === ALS_CLASS || (!modules.isEmpty && modules.pathOf(callee) === ALS_PATH);
  }
  return callee.kind === K.PropertyAccessExpression && (callee as ts.PropertyAccessExpression).name.text === ALS_CLASS;
}

/** The identifier a member chain starts from (`hooks` in `hooks.AsyncLocalStorage`), if any. */
export function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current = unwrapExpression(expression);
  while (ts.isPropertyAccessExpression(current)) current = unwrapExpression(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

/**
 * The `new` expressions among `candidates` that construct Node's `AsyncLocalStorage`: the class reached
 * through an import or `require` of `node:async_hooks`, whose local name is declared nowhere else in
 * the file (so no inner declaration can shadow it).
 */
export function nodeAlsConstructions<T extends { readonly node: ts.NewExpression }>(
  sourceFile: ts.SourceFile,
  modules: ModuleBindings,
  candidates: readonly T[],
): T[] {
  if (modules.isEmpty && !candidates.some((c) => rootIdentifier(c.node.expression) === undefined)) return [];
  const matching = candidates.filter((c) => modules.pathOf(c.node.expression) === ALS_PATH);
  if (matching.length === 0) return [];
  const roots = new Set<string>();
  for (const { node } of matching) {
    const root = rootIdentifier(node.expression);
    if (root) roots.add(root.text);
  }
  const counts = roots.size > 0 ? declaredNames(sourceFile, roots) : new Map<string, number>();
  return matching.filter(({ node }) => {
    const root = rootIdentifier(node.expression);
    return !root || counts.get(root.text) === 1;
  });
}

/** The name of a function-like for messages: `handle`, `Server#start`, or undefined for an anonymous one. */
export function functionName(fn: ts.Node, parent: ts.Node | undefined): string | undefined {
  const name = (fn as ts.FunctionLikeDeclaration).name;
  if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name))) return name.text;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
