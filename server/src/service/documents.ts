import * as ts from 'typescript';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LANGUAGE_IDS } from '../languages';

const SCRIPT_KIND_BY_LANGUAGE: Readonly<Record<(typeof LANGUAGE_IDS)[number], ts.ScriptKind>> = {
  typescript: ts.ScriptKind.TS,
  typescriptreact: ts.ScriptKind.TSX,
  javascript: ts.ScriptKind.JS,
  javascriptreact: ts.ScriptKind.JSX,
};

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescriptreact',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascriptreact',
};

export const SUPPORTED_LANGUAGES: readonly string[] = LANGUAGE_IDS;
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(LANGUAGE_BY_EXTENSION);

/** The language id for a file name, or undefined when Pattern Lens does not read that kind of file. */
export function languageOfFile(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : LANGUAGE_BY_EXTENSION[fileName.slice(dot).toLowerCase()];
}

export function parse(document: TextDocument): ts.SourceFile {
  return ts.createSourceFile(
    fileNameOf(document),
    document.getText(),
    // JSDoc is irrelevant to every detector and parsing it costs time on every keystroke.
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    /* setParentNodes */ false,
    SCRIPT_KIND_BY_LANGUAGE[document.languageId as (typeof LANGUAGE_IDS)[number]] ?? ts.ScriptKind.TS,
  );
}

/** A document with its syntax tree, which is kept for the document's current version only. */
export interface ParsedDocument {
  readonly document: TextDocument;
  readonly sourceFile: ts.SourceFile;
}

/**
 * Syntax trees kept at once. A tree takes about twenty times the memory of its text, and only the
 * documents being edited need one between requests: the others' findings are cached (AnalysisCache),
 * and a lightbulb on one of them parses it again.
 */
const KEPT_TREES = 8;

/**
 * The open documents. Edits are applied incrementally to both the text and the syntax tree
 * (`ts.updateSourceFile` reuses the unchanged nodes), and a tree is only built when asked for. The
 * trees of the documents used least recently are dropped beyond KEPT_TREES.
 */
export class DocumentStore {
  private readonly entries = new Map<string, { document: TextDocument; sourceFile?: ts.SourceFile }>();
  /** The uris whose tree is kept, least recently used first. */
  private readonly withTrees = new Set<string>();

  open(uri: string, languageId: string, version: number, text: string): TextDocument {
    const document = TextDocument.create(uri, languageId, version, text);
    this.entries.set(uri, { document });
    this.withTrees.delete(uri);
    return document;
  }

  /** Applies LSP content changes in order; returns the updated document, or undefined if not open. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): TextDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    let { document, sourceFile } = entry;
    for (const change of changes) {
      const isIncremental = 'range' in change;
      // TextDocument.update accepts a range given end first; so does this.
      const [start, end] = isIncremental
        ? [document.offsetAt(change.range.start), document.offsetAt(change.range.end)].sort((a, b) => a - b)
        : [0, document.getText().length];
      document = TextDocument.update(document, [change], version);
      sourceFile = sourceFile && isIncremental ? reparse(sourceFile, document.getText(), start!, end!, change.text.length) : undefined;
    }
    this.entries.set(uri, { document, sourceFile });
    this.keepTree(uri, sourceFile);
    return document;
  }

  close(uri: string): void {
    this.entries.delete(uri);
    this.withTrees.delete(uri);
  }

  /** Every open document. */
  all(): TextDocument[] {
    return [...this.entries.values()].map((entry) => entry.document);
  }

  document(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.document;
  }

  /** The document and its tree for the current version, parsing now if no tree is kept. Throws RangeError on too-deep nesting. */
  parsed(uri: string): ParsedDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    entry.sourceFile ??= parse(entry.document);
    this.keepTree(uri, entry.sourceFile);
    return { document: entry.document, sourceFile: entry.sourceFile };
  }

  /** Marks `uri` as the most recently used tree (or as having none), dropping the oldest tree beyond the limit. */
  private keepTree(uri: string, sourceFile: ts.SourceFile | undefined): void {
    this.withTrees.delete(uri);
    if (!sourceFile) return;
    this.withTrees.add(uri);
    if (this.withTrees.size <= KEPT_TREES) return;
    const [oldest] = this.withTrees;
    this.withTrees.delete(oldest!);
    const entry = this.entries.get(oldest!);
    if (entry) entry.sourceFile = undefined;
  }
}

/**
 * The tree after one edit, reusing unchanged nodes; undefined (parse afresh when next asked) if the
 * incremental parser fails, e.g. out of stack on an edit that nests the code too deeply: the text has
 * already changed, so keeping the old tree would pair it with the wrong text.
 */
function reparse(sourceFile: ts.SourceFile, text: string, start: number, end: number, newLength: number): ts.SourceFile | undefined {
  try {
    return ts.updateSourceFile(sourceFile, text, { span: { start, length: end - start }, newLength });
  } catch {
    return undefined;
  }
}

function fileNameOf(document: TextDocument): string {
  const path = document.uri.replace(/[?#].*$/, '');
  return path.slice(path.lastIndexOf('/') + 1) || 'untitled.ts';
}
