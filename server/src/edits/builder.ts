import type * as ts from 'typescript';
import type { TextEdit } from '../patterns/types';

export class OverlappingEditsError extends Error {}

/**
 * Collects the edits of one fix or refactor. Original text is reused by slicing (so comments inside
 * moved code survive); only new code is written. `build()` sorts the edits and refuses overlaps.
 */
export class EditBuilder {
  private readonly edits: TextEdit[] = [];
  readonly text: string;

  constructor(readonly sourceFile: ts.SourceFile) {
    this.text = sourceFile.text;
  }

  /** The document's line ending, so inserted lines match the file's. */
  get newLine(): string {
    const lf = this.text.indexOf('\n');
    return lf > 0 && this.text[lf - 1] === '\r' ? '\r\n' : '\n';
  }

  /** The original text of a node, without its leading trivia. */
  textOf(node: ts.Node): string {
    return this.text.slice(node.getStart(this.sourceFile), node.end);
  }

  /** The whitespace before the first token on the line where `node` starts. */
  indentationOf(node: ts.Node): string {
    const start = node.getStart(this.sourceFile);
    const lineStart = this.lineStartOf(start);
    let end = lineStart;
    while (end < start && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(lineStart, end);
  }

  lineStartOf(offset: number): number {
    let start = offset;
    while (start > 0 && this.text[start - 1] !== '\n' && this.text[start - 1] !== '\r') start--;
    return start;
  }

  replaceRange(start: number, end: number, newText: string): this {
    this.edits.push({ start, end, newText });
    return this;
  }

  /** Replaces a node's text; its leading comments and whitespace stay where they are. */
  replaceNode(node: ts.Node, newText: string): this {
    return this.replaceRange(node.getStart(this.sourceFile), node.end, newText);
  }

  insertAt(offset: number, newText: string): this {
    return this.replaceRange(offset, offset, newText);
  }

  /** Inserts whole lines above the line where `node` starts, indented like it. */
  insertLinesBefore(node: ts.Node, lines: readonly string[]): this {
    const indentation = this.indentationOf(node);
    const start = node.getStart(this.sourceFile);
    const text = lines.map((line) => (line.length > 0 ? indentation + line : line)).join(this.newLine);
    const lineStart = this.lineStartOf(start);
    // If the node is not first on its line, open a new line for it instead of splitting code.
    return lineStart + indentation.length === start
      ? this.insertAt(lineStart, text + this.newLine)
      : this.insertAt(start, text + this.newLine + indentation);
  }

  /** The edits, sorted by position; throws OverlappingEditsError when two edits touch the same text. */
  build(): TextEdit[] {
    const sorted = this.edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.order - b.order);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!.edit;
      const current = sorted[i]!.edit;
      if (current.start < previous.end) throw new OverlappingEditsError(`edits overlap at offset ${current.start}`);
    }
    return sorted.map(({ edit }) => edit);
  }
}

/** Applies non-overlapping edits (as `build()` returns them) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = '';
  let cursor = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}
