import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, Span, TextEdit } from '../patterns/types';
import { isJavaScriptFile } from '../syntax/files';
import { quote } from './support/messages';

/*
 * The rule. For each top-level `import` with bindings and without `type` (no `import type`, no
 * `import defer`, no import attributes), every binding not already marked `type` is followed through
 * the file: each identifier with its name that the checker resolves to the binding's alias symbol is
 * a reference, in a type position (`x: Foo`, `Foo<T>`, `typeof Foo` in a type, `ns.Foo` in a type,
 * `implements Foo`, an interface's `extends Foo`, `export type { Foo }`) or in a value position
 * (anything else, including `export { Foo }`, `{ Foo }` and `class extends Foo`). A binding is
 * type-only when it has references and all of them are in type positions, none of them inside a class
 * that carries a decorator (with `emitDecoratorMetadata`, types in decorated signatures are emitted
 * as values).
 *   - When every binding of the import is type-only, the import is reported (span: its bindings).
 *     If every binding names a pure type (no value meaning: an interface, a type alias), the fix
 *     `import type` is safe; if some binding also names a value (a class, an enum, a namespace), the
 *     import loads its module at run time wherever imports are kept as written, and `import type`
 *     stops that: that fix is offered as not safe.
 *   - Otherwise each type-only binding naming a pure type is reported alone, with the safe fix
 *     `type` on that specifier (the import still loads its module for the other bindings). A class
 *     used only as a type beside value imports is left alone: nothing goes wrong at run time.
 * Not checked: JavaScript files (no type positions), declaration files, `import x = require()`.
 * Known limit: TypeScript already reports a pure type imported without `type` as an error (TS1484)
 * under `verbatimModuleSyntax`; the rule cannot see compiler options, so it reports it as well there.
 */

interface Binding {
  /** The local name. */
  readonly name: ts.Identifier;
  /** What a per-binding report spans: the import specifier, the default name, or `* as ns`. */
  readonly node: ts.ImportSpecifier | ts.Identifier | ts.NamespaceImport;
  readonly symbol: ts.Symbol;
  typeUses: number;
  valueUse: boolean;
  /** Classes around the type uses, in case one of them carries decorators. */
  readonly classes: ts.Node[];
}

interface Candidate {
  readonly declaration: ts.ImportDeclaration;
  readonly clause: ts.ImportClause;
  readonly bindings: Binding[];
}

/** Whether the reference at the end of `ancestors` (its parent last) sits in a type position. */
function isTypePosition(reference: ts.Identifier, ancestors: readonly ts.Node[]): boolean {
  let child: ts.Node = reference;
  let index = ancestors.length - 1;
  for (; index >= 0; index--) {
    const parent = ancestors[index]!;
    if (parent.kind === ts.SyntaxKind.QualifiedName && (parent as ts.QualifiedName).left === child) child = parent;
    else if (parent.kind === ts.SyntaxKind.PropertyAccessExpression && (parent as ts.PropertyAccessExpression).expression === child) child = parent;
    else break;
  }
  const parent = ancestors[index];
  if (!parent) return false;
  switch (parent.kind) {
    case ts.SyntaxKind.TypeReference:
      return (parent as ts.TypeReferenceNode).typeName === child;
    case ts.SyntaxKind.TypeQuery:
      return (parent as ts.TypeQueryNode).exprName === child;
    case ts.SyntaxKind.ExpressionWithTypeArguments: {
      if ((parent as ts.ExpressionWithTypeArguments).expression !== child) return false;
      const clause = ancestors[index - 1];
      if (!clause || clause.kind !== ts.SyntaxKind.HeritageClause) return false;
      return (
        (clause as ts.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword || ancestors[index - 2]?.kind === ts.SyntaxKind.InterfaceDeclaration
      );
    }
    default:
      return false;
  }
}

/** Whether the binding's target has a meaning at run time (a class, enum, function, variable, namespace). */
function hasValueMeaning(checker: ts.TypeChecker, alias: ts.Symbol): boolean {
  const target = checker.getAliasedSymbol(alias);
  return checker.isUnknownSymbol(target) || (target.flags & ts.SymbolFlags.Value) !== 0;
}

function bindingsOf(checker: ts.TypeChecker, clause: ts.ImportClause): Binding[] | undefined {
  const bindings: Binding[] = [];
  const add = (name: ts.Identifier, node: Binding['node']): boolean => {
    const symbol = checker.getSymbolAtLocation(name);
    if (!symbol) return false;
    bindings.push({ name, node, symbol, typeUses: 0, valueUse: false, classes: [] });
    return true;
  };
  if (clause.name && !add(clause.name, clause.name)) return undefined;
  const named = clause.namedBindings;
  if (named?.kind === ts.SyntaxKind.NamespaceImport) {
    if (!add(named.name, named)) return undefined;
  } else if (named) {
    for (const specifier of named.elements) {
      if (!specifier.isTypeOnly && !add(specifier.name, specifier)) return undefined;
    }
  }
  return bindings;
}

// ── The fixes ────────────────────────────────────────────────────────────────────────────────────

/** `'x';` or `'x'` with the declaration's own ending, for a new declaration from the same module. */
function fromClause(sourceFile: ts.SourceFile, declaration: ts.ImportDeclaration): string {
  const semicolon = sourceFile.text[declaration.end - 1] === ';' ? ';' : '';
  return ` from ${declaration.moduleSpecifier.getText(sourceFile)}${semicolon}`;
}

/** The text of `{ A, type B }` with the `type` modifiers removed (they are not allowed under `import type`). */
function namedWithoutTypeModifiers(sourceFile: ts.SourceFile, named: ts.NamedImports): string {
  let text = '';
  let cursor = named.getStart(sourceFile);
  for (const specifier of named.elements) {
    if (!specifier.isTypeOnly) continue;
    const typeStart = specifier.getStart(sourceFile);
    text += sourceFile.text.slice(cursor, typeStart);
    cursor = (specifier.propertyName ?? specifier.name).getStart(sourceFile);
  }
  return text + sourceFile.text.slice(cursor, named.end);
}

function useImportType(sourceFile: ts.SourceFile, span: Span): readonly TextEdit[] {
  const path = nodePathAt(sourceFile, span, (node) => node.kind === ts.SyntaxKind.ImportClause);
  const clause = path?.[path.length - 1] as ts.ImportClause | undefined;
  const declaration = path?.[path.length - 2];
  if (!clause || !declaration || declaration.kind !== ts.SyntaxKind.ImportDeclaration || clause.phaseModifier !== undefined) return [];
  const builder = new EditBuilder(sourceFile);
  const named = clause.namedBindings;
  if (clause.name && named) {
    // `import type D, { B }` is not allowed: one `import type` declaration per kind of binding.
    const text = sourceFile.text;
    const afterImport = declaration.getStart(sourceFile) + 'import'.length;
    const first = `import type${text.slice(afterImport, clause.name.end)}${fromClause(sourceFile, declaration as ts.ImportDeclaration)}`;
    const bindings = named.kind === ts.SyntaxKind.NamespaceImport ? named.getText(sourceFile) : namedWithoutTypeModifiers(sourceFile, named);
    const second = `import type ${bindings}${text.slice(named.end, declaration.end)}`;
    return builder.replaceNode(declaration, `${first}${builder.newLine}${builder.indentationOf(declaration)}${second}`).build();
  }
  builder.insertAt(clause.getStart(sourceFile), 'type ');
  if (named?.kind === ts.SyntaxKind.NamedImports) {
    for (const specifier of named.elements) {
      if (specifier.isTypeOnly) builder.replaceRange(specifier.getStart(sourceFile), (specifier.propertyName ?? specifier.name).getStart(sourceFile), '');
    }
  }
  return builder.build();
}

function markTypeOnly(sourceFile: ts.SourceFile, span: Span): readonly TextEdit[] {
  const path = nodePathAt(
    sourceFile,
    span,
    (node) => node.kind === ts.SyntaxKind.ImportSpecifier || node.kind === ts.SyntaxKind.NamespaceImport || node.kind === ts.SyntaxKind.Identifier,
  );
  const node = path?.[path.length - 1];
  if (!path || !node) return [];
  const builder = new EditBuilder(sourceFile);
  if (node.kind === ts.SyntaxKind.ImportSpecifier) {
    const specifier = node as ts.ImportSpecifier;
    const declaration = path[path.length - 4];
    if (specifier.isTypeOnly || declaration?.kind !== ts.SyntaxKind.ImportDeclaration) return [];
    return builder.insertAt(specifier.getStart(sourceFile), 'type ').build();
  }
  // A default or namespace binding beside others: it moves to an `import type` declaration of its own.
  const clause = path[path.length - 2] as ts.ImportClause | undefined;
  const declaration = path[path.length - 3] as ts.ImportDeclaration | undefined;
  if (!clause || clause.kind !== ts.SyntaxKind.ImportClause || !declaration || declaration.kind !== ts.SyntaxKind.ImportDeclaration) return [];
  if (!clause.name || !clause.namedBindings || clause.phaseModifier !== undefined) return [];
  const from = fromClause(sourceFile, declaration);
  if (node === clause.name) {
    builder.insertLinesBefore(declaration, [`import type ${clause.name.text}${from}`]);
    builder.replaceRange(clause.name.getStart(sourceFile), clause.namedBindings.getStart(sourceFile), '');
    return builder.build();
  }
  if (node === clause.namedBindings && node.kind === ts.SyntaxKind.NamespaceImport) {
    builder.insertLinesBefore(declaration, [`import type ${node.getText(sourceFile)}${from}`]);
    builder.replaceRange(clause.name.end, clause.namedBindings.end, '');
    return builder.build();
  }
  return [];
}

export const typeOnlyImportCandidate: RuleDefinition = {
  id: 'type-only-import-candidate',
  kind: 'gotcha',
  category: 'types',
  seeds: ['001'],
  defaultSeverity: 'info',
  requiresTypes: true,
  prose: {
    title: 'Import used only as a type, without `type`',
    summary: 'An import whose bindings are used only in type positions is written as an ordinary import, so whether it survives into the JavaScript depends on the compiler.',
    what:
      '`tsc` with default settings drops an import whose bindings are only used as types. Tools that compile each file on its own and keep imports as written do not: Node\'s type stripping, and `tsc` itself under `verbatimModuleSyntax`. There the import stays. If the name is only a type (an interface, a type alias), the module exports no such value and loading fails with a `SyntaxError` ("does not provide an export named ..."). If it also names a value (a class, an enum), the module is loaded and runs its top-level code just to supply a type, which can also create an import cycle.',
    when:
      'Code run directly by Node (its type stripping, on by default since Node 23.6 and 22.18, keeps every import written without `type`), projects compiled with `verbatimModuleSyntax`, and modules that import each other only for types, where a kept import can turn into an import cycle at run time.',
    whenNot:
      'The rule leaves alone imports already marked `type`, side-effect imports (`import "./polyfill"`), bindings that are never used, any binding used as a value (including `export { Foo }` and `class extends Foo`), types used inside a class that has decorators (with `emitDecoratorMetadata` they are emitted as values), JavaScript and declaration files. A class used only as a type next to value imports from the same module is not reported either: the module is loaded anyway and nothing changes at run time.',
    pitfall:
      '`import type` erases the whole declaration. When a binding also names a value (a class), that stops the module from loading where imports were kept as written: if something relied on its side effects, add `import "./module"` for them. `import type D, { B }` is not valid syntax, so a default import beside named ones becomes two declarations.',
  },
  python: {
    name: '`if TYPE_CHECKING:` imports',
    example: 'if TYPE_CHECKING:\n    from shop.models import Order   # seen by the type checker, never imported at run time',
    note:
      'Python imports every module at run time unless the import sits under `typing.TYPE_CHECKING`, which is how a module avoids an import cycle or a heavy dependency just for annotations. `import type` is the TypeScript way to say the same thing, and it is erased from the JavaScript by every compiler.',
  },
  examples: {
    incorrect: [
      `import { Stats } from 'node:fs';
import { ParsedPath } from 'node:path';

export function describe(path: ParsedPath, stats: Stats): string {
  return path.base + ': ' + stats.size;
}
`,
    ],
    correct: [
      `import type { Stats } from 'node:fs';
import { parse, type ParsedPath } from 'node:path';

export function describe(path: ParsedPath, stats: Stats): string {
  return path.base + ': ' + stats.size;
}

export const parsed = parse('/tmp/a.txt');
`,
    ],
  },
  links: [
    { title: 'TypeScript 3.8: type-only imports and exports', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-8.html' },
    { title: 'TSConfig: verbatimModuleSyntax', url: 'https://www.typescriptlang.org/tsconfig/verbatimModuleSyntax.html' },
    { title: 'Node.js: importing types without the type keyword', url: 'https://nodejs.org/api/typescript.html#importing-types-without-type-keyword' },
  ],
  fixes: [
    {
      id: 'use-import-type',
      title: 'Use `import type` (it names only types, so no emitted JavaScript loses anything)',
      safe: true,
      doChange: useImportType,
    },
    {
      id: 'use-import-type-unload',
      title: 'Use `import type`: where imports are kept as written, the module is no longer loaded at run time',
      safe: false,
      doChange: useImportType,
    },
    {
      id: 'mark-type-only',
      title: 'Mark this binding `type` (a default or namespace import moves to an `import type` of its own)',
      safe: true,
      doChange: markTypeOnly,
    },
  ],
  create(context) {
    const { checker, sourceFile } = context;
    if (!checker || sourceFile.isDeclarationFile || isJavaScriptFile(sourceFile)) return {};
    const candidates: Candidate[] = [];
    const byName = new Map<string, Binding[]>();
    const decoratedClasses = new Set<ts.Node>();
    return {
      [ts.SyntaxKind.SourceFile]() {
        for (const statement of sourceFile.statements) {
          if (statement.kind !== ts.SyntaxKind.ImportDeclaration) continue;
          const declaration = statement as ts.ImportDeclaration;
          const clause = declaration.importClause;
          if (!clause || clause.phaseModifier !== undefined || declaration.attributes) continue;
          if (declaration.moduleSpecifier.kind !== ts.SyntaxKind.StringLiteral) continue;
          const bindings = bindingsOf(checker, clause);
          if (!bindings || bindings.length === 0) continue;
          candidates.push({ declaration, clause, bindings });
          for (const binding of bindings) {
            const list = byName.get(binding.name.text);
            if (list) list.push(binding);
            else byName.set(binding.name.text, [binding]);
          }
        }
      },
      [ts.SyntaxKind.Decorator]() {
        const { ancestors } = context;
        for (let i = ancestors.length - 1; i >= 0; i--) {
          if (ts.isClassLike(ancestors[i]!)) {
            decoratedClasses.add(ancestors[i]!);
            return;
          }
        }
      },
      [ts.SyntaxKind.Identifier](node) {
        const bindings = byName.get((node as ts.Identifier).text);
        // Once a binding is known to be used as a value, its other references change nothing.
        if (!bindings || bindings.every((b) => b.valueUse)) return;
        const identifier = node as ts.Identifier;
        const { ancestors } = context;
        const parent = ancestors[ancestors.length - 1];
        if (!parent || bindings.some((b) => b.name === identifier)) return;
        let symbol: ts.Symbol | undefined;
        let typePosition = false;
        if (parent.kind === ts.SyntaxKind.ShorthandPropertyAssignment) {
          symbol = checker.getShorthandAssignmentValueSymbol(parent);
        } else if (parent.kind === ts.SyntaxKind.ExportSpecifier) {
          const specifier = parent as ts.ExportSpecifier;
          const exportDeclaration = ancestors[ancestors.length - 3] as ts.ExportDeclaration | undefined;
          if (exportDeclaration?.moduleSpecifier || identifier !== (specifier.propertyName ?? specifier.name)) return;
          symbol = checker.getExportSpecifierLocalTargetSymbol(specifier);
          typePosition = specifier.isTypeOnly || exportDeclaration?.isTypeOnly === true;
        } else {
          symbol = checker.getSymbolAtLocation(identifier);
          typePosition = isTypePosition(identifier, ancestors);
        }
        for (const binding of bindings) {
          if (binding.symbol !== symbol) continue;
          if (!typePosition) {
            binding.valueUse = true;
            continue;
          }
          binding.typeUses++;
          for (const ancestor of ancestors) if (ts.isClassLike(ancestor)) binding.classes.push(ancestor);
        }
      },
      onWalkEnd() {
        for (const { declaration, clause, bindings } of candidates) {
          const typeOnly = bindings.filter((b) => b.typeUses > 0 && !b.valueUse && !b.classes.some((c) => decoratedClasses.has(c)));
          if (typeOnly.length === 0) continue;
          const pure = typeOnly.filter((b) => !hasValueMeaning(checker, b.symbol));
          const names = (list: readonly Binding[]) => list.map((b) => quote(b.name, sourceFile)).join(', ');
          if (typeOnly.length === bindings.length) {
            const allPure = pure.length === bindings.length;
            const consequence = allPure
              ? `where imports are kept as written (Node's type stripping, \`verbatimModuleSyntax\`) it stays in the JavaScript and fails at run time, since ${bindings.length === 1 ? 'that name has' : 'those names have'} no value to import`
              : `where imports are kept as written (Node's type stripping, \`verbatimModuleSyntax\`) it still loads ${quote(declaration.moduleSpecifier, sourceFile)} at run time, running that module just for types`;
            context.report({
              at: clause,
              message: `This import of ${names(bindings)} is used only in type positions but has no \`type\`: ${consequence}. Use \`import type\`.`,
              fixes: [allPure ? 'use-import-type' : 'use-import-type-unload'],
            });
            continue;
          }
          for (const binding of pure) {
            context.report({
              at: binding.node,
              message: `${quote(binding.name, sourceFile)} is only a type but is imported as a value: where imports are kept as written (Node's type stripping, \`verbatimModuleSyntax\`) the import fails at run time because ${quote(declaration.moduleSpecifier, sourceFile)} has no value to export for it. Mark it \`type\`.`,
              fixes: ['mark-type-only'],
            });
          }
        }
      },
    };
  },
};
