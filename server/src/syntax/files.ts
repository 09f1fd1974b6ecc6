import * as ts from 'typescript';

/** What kind of file a tree is: JavaScript or TypeScript, and how much TypeScript itself checks it. */

/**
 * Whether the file was parsed as JavaScript (no type syntax allowed), which the parser decides from the
 * document's language: an untitled JavaScript document counts, whatever its name.
 */
export function isJavaScriptFile(sourceFile: ts.SourceFile): boolean {
  return (sourceFile.flags & ts.NodeFlags.JavaScriptFile) !== 0;
}

type SourceFileWithDirective = ts.SourceFile & { readonly checkJsDirective?: ts.CheckJsDirective };

/**
 * How much TypeScript checks this file in an editor, judged from the file alone: TypeScript files are
 * checked unless they say `// @ts-nocheck`; JavaScript files get the full check only with `// @ts-check`,
 * and otherwise the short list of "plain JavaScript" errors. (A project's `checkJs` option cannot be seen
 * from here; the default, unset, is assumed.)
 */
export function typeScriptChecking(sourceFile: ts.SourceFile): 'none' | 'plain-js' | 'full' {
  // The parser records the last `// @ts-check` / `// @ts-nocheck` pragma of the file's header.
  const directive = (sourceFile as SourceFileWithDirective).checkJsDirective;
  if (directive && !directive.enabled) return 'none';
  if (!isJavaScriptFile(sourceFile)) return 'full';
  return directive?.enabled ? 'full' : 'plain-js';
}
