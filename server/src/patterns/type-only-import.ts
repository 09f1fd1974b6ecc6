import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { DetectorContext, PatternDefinition } from './types';

/** `import type` / `export type` at the head of a declaration: the keyword and the `type` after it. */
function reportClauseKeywords(context: DetectorContext, from: number): void {
  const head = tokenAt(context.sourceFile, from);
  if (head.kind !== ts.SyntaxKind.ImportKeyword && head.kind !== ts.SyntaxKind.ExportKeyword) return;
  const type = tokenAt(context.sourceFile, head.end);
  if (type.kind === ts.SyntaxKind.TypeKeyword) context.report({ start: head.start, end: type.end });
}

/** The `type` modifier that starts an import or export specifier. */
function reportSpecifierModifier(context: DetectorContext, node: ts.ImportSpecifier | ts.ExportSpecifier): void {
  const type = tokenAt(context.sourceFile, node.pos);
  if (type.kind === ts.SyntaxKind.TypeKeyword) context.report(type);
}

export const typeOnlyImport: PatternDefinition = {
  id: 'type-only-import',
  kind: 'pattern',
  category: 'types',
  seeds: ['001'],
  prose: {
    title: 'Type-only import / export',
    summary:
      '`import type`, `import { type X }`, `export type { X }` and `export { type X }`: bindings that exist only for the checker and are removed from the emitted JavaScript.',
    what:
      'A type-only binding may appear only in type positions (annotations, `implements`, type arguments); using it as a value is a compile error. Whole-statement `import type` / `export type` (TypeScript 3.8) are always erased entirely, while the inline `type` modifier (TypeScript 4.5) erases just that name. Tools that compile one file at a time (`isolatedModules`, esbuild, Babel) cannot see whether an imported name is a type, and this marker is what tells them they may drop it.',
    when:
      'For every import used only in types: it documents intent, avoids loading a module (and running its side effects) just for its types, and keeps type-level import cycles harmless. It is required when re-exporting a type under `isolatedModules`, and for every type import under `verbatimModuleSyntax` (TypeScript 5.0).',
    whenNot:
      'When the name is needed as a value too: a class you instantiate or extend, an enum you read, a function you call. Import those normally, or mix both kinds in one statement: `import { parse, type Options } from "./config"`.',
    pitfall:
      'Under `verbatimModuleSyntax`, `import { type A } from "./a"` is emitted as `import {} from "./a"`: the module is still loaded and its side effects still run. Only `import type { A } from "./a"` removes the import completely.',
  },
  python: {
    name: '`if TYPE_CHECKING:` imports',
    example: 'if TYPE_CHECKING:\n    from .models import User',
    note:
      'The Python import never runs, so before the deferred annotations of 3.14 such names had to be quoted (or `from __future__ import annotations` used). TypeScript annotations are erased anyway: nothing needs quoting, and a value use of the name is a compile error instead of a `NameError` at run time.',
  },
  example: `import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Callers can name the type without importing node:net themselves.
export type { AddressInfo };

function handle(request: IncomingMessage, response: ServerResponse): void {
  response.end(\`you asked for \${request.url ?? '/'}\`);
}

export const server = createServer(handle).listen(0, () => {
  const { port } = server.address() as AddressInfo;
  console.log(\`listening on port \${port}\`);
});
`,
  links: [
    { title: 'TypeScript 3.8: type-only imports and exports', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-8.html#type-only-imports-and-export' },
    { title: 'TypeScript 4.5: type modifiers on import names', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-5.html#type-modifiers-on-import-names' },
    { title: 'TSConfig: verbatimModuleSyntax', url: 'https://www.typescriptlang.org/tsconfig/#verbatimModuleSyntax' },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.ImportDeclaration](node) {
        const declaration = node as ts.ImportDeclaration;
        if (declaration.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword) {
          reportClauseKeywords(context, declaration.modifiers ? declaration.modifiers.end : node.pos);
        }
      },
      [ts.SyntaxKind.ImportEqualsDeclaration](node) {
        const declaration = node as ts.ImportEqualsDeclaration;
        if (declaration.isTypeOnly) reportClauseKeywords(context, declaration.modifiers ? declaration.modifiers.end : node.pos);
      },
      [ts.SyntaxKind.ExportDeclaration](node) {
        const declaration = node as ts.ExportDeclaration;
        if (declaration.isTypeOnly) reportClauseKeywords(context, declaration.modifiers ? declaration.modifiers.end : node.pos);
      },
      [ts.SyntaxKind.ImportSpecifier](node) {
        if ((node as ts.ImportSpecifier).isTypeOnly) reportSpecifierModifier(context, node as ts.ImportSpecifier);
      },
      [ts.SyntaxKind.ExportSpecifier](node) {
        if ((node as ts.ExportSpecifier).isTypeOnly) reportSpecifierModifier(context, node as ts.ExportSpecifier);
      },
    };
  },
};
