import type * as ts from 'typescript';

/** Code quoted in problem messages. */

const MAX_QUOTED_LENGTH = 40;

/** A node's code for a diagnostic message, in backticks, shortened when long or multi-line. */
export function quote(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return `\`${text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 1)}…` : text}\``;
}

/** A node's code on one line, for a suggestion in a message; undefined when too long to read there. */
export function shortText(node: ts.Node, sourceFile: ts.SourceFile, limit = 30): string | undefined {
  const text = node.getText(sourceFile);
  return text.length <= limit && !text.includes('\n') ? text : undefined;
}
