import * as ts from 'typescript';
import type { Listeners } from '../../patterns/types';
import { skipOuterExpressions } from '../../syntax/expressions';

/** `node:fs` and `fs` are the same module. */
function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** The string of `require('m')`, or undefined. */
function requiredModule(expression: ts.Expression): string | undefined {
  if (expression.kind !== ts.SyntaxKind.CallExpression) return undefined;
  const call = expression as ts.CallExpression;
  const callee = call.expression;
  if (callee.kind !== ts.SyntaxKind.Identifier || (callee as ts.Identifier).text !== 'require' || call.arguments.length !== 1) return undefined;
  const specifier = call.arguments[0]!;
  return ts.isStringLiteralLike(specifier) ? normalizeModule(specifier.text) : undefined;
}

/**
 * What names of a file are bound to, for a few Node modules: `fs` for `import * as fs from 'node:fs'`,
 * `fs#readFileSync` for `import { readFileSync } from 'fs'` or `const { readFileSync } = require('fs')`,
 * `fs#promises` for `const fsp = require('fs').promises`. Return its `listeners` beside the rule's own, so
 * that it sees the imports and variable declarations of the walk; ask `pathOf` at the walk's end.
 */
export class ModuleBindings {
  private bindings: Map<string, string> | undefined;

  constructor(private readonly modules: ReadonlySet<string>) {}

  readonly listeners: Listeners = {
    [ts.SyntaxKind.ImportDeclaration]: (node) => this.onImport(node as ts.ImportDeclaration),
    [ts.SyntaxKind.ImportEqualsDeclaration]: (node) => this.onImportEquals(node as ts.ImportEqualsDeclaration),
    [ts.SyntaxKind.VariableDeclaration]: (node) => this.onVariable(node as ts.VariableDeclaration),
  };

  get isEmpty(): boolean {
    return this.bindings === undefined;
  }

  private bind(name: string, path: string): void {
    (this.bindings ??= new Map()).set(name, path);
  }

  private onImport(node: ts.ImportDeclaration): void {
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

  private onImportEquals(node: ts.ImportEqualsDeclaration): void {
    const reference = node.moduleReference;
    if (node.isTypeOnly || !ts.isExternalModuleReference(reference) || !ts.isStringLiteral(reference.expression)) return;
    const module = normalizeModule(reference.expression.text);
    if (this.modules.has(module)) this.bind(node.name.text, module);
  }

  /** `const fs = require('fs')`, `const { readFileSync: read } = require('node:fs')`, `const fsp = require('fs').promises`. */
  private onVariable(node: ts.VariableDeclaration): void {
    const initializer = node.initializer;
    if (!initializer) return;
    const kind = initializer.kind;
    if (kind !== ts.SyntaxKind.CallExpression && kind !== ts.SyntaxKind.PropertyAccessExpression && kind !== ts.SyntaxKind.AwaitExpression && kind !== ts.SyntaxKind.ParenthesizedExpression) return;
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
    let current = skipOuterExpressions(expression);
    if (current.kind === ts.SyntaxKind.AwaitExpression) current = skipOuterExpressions((current as ts.AwaitExpression).expression);
    if (current.kind === ts.SyntaxKind.PropertyAccessExpression) {
      const access = current as ts.PropertyAccessExpression;
      const base = this.requirePath(access.expression);
      return base === undefined ? undefined : `${base}#${access.name.text}`;
    }
    if (current.kind !== ts.SyntaxKind.CallExpression) return undefined;
    const call = current as ts.CallExpression;
    if (call.expression.kind === ts.SyntaxKind.ImportKeyword) {
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
    const current = skipOuterExpressions(expression);
    if (current.kind === ts.SyntaxKind.Identifier) return this.bindings?.get((current as ts.Identifier).text);
    if (current.kind === ts.SyntaxKind.PropertyAccessExpression) {
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
