import type * as ts from 'typescript';

const MAX_QUOTED_LENGTH = 40;

/** A node's code for a diagnostic message, in backticks, shortened when long or multi-line. */
export function quote(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return `\`${text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 1)}…` : text}\``;
}
