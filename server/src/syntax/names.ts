import * as ts from 'typescript';

/** Identifier names as words (for naming heuristics), and whether a name is free for new code. */

/** The words of an identifier, lower-cased: `DEFAULT_TAGS` and `defaultTags` both give `default`, `tags`. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Whether some identifier in the file is spelled `name` (a name for new code must not be). */
export function identifierUsed(sourceFile: ts.SourceFile, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text === name) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return ts.forEachChild(sourceFile, visit) === true;
}
