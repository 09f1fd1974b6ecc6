import type * as ts from 'typescript';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { EditBuilder, OverlappingEditsError } from '../edits/builder';
import type { FixDefinition, Problem, TextEdit } from '../patterns/types';
import { RULES_BY_ID } from '../rules';
import { DIAGNOSTIC_SOURCE, UNUSED_SUPPRESSION, type DiagnosticData } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.patternLens`;

const ACTIONS = ['fix', 'ignore-line', 'ignore-file', 'remove-directive'] as const;

/** What a lazily resolved action carries until `codeAction/resolve` computes its edit. */
export interface ActionData {
  readonly uri: string;
  readonly version: number;
  readonly action: (typeof ACTIONS)[number];
  readonly ruleId: string;
  readonly fixId?: string;
  readonly start: number;
  readonly end: number;
}

function fixOf(ruleId: string, fixId: string | undefined): FixDefinition | undefined {
  return RULES_BY_ID.get(ruleId)?.fixes?.find((fix) => fix.id === fixId);
}

/** The quick fixes for our diagnostics in `context.diagnostics`, edits left for resolve. */
export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string' || !isDiagnosticData(diagnostic.data)) continue;
    const ruleId = diagnostic.code;
    const { start, end, fixes } = diagnostic.data;
    const base = { uri: document.uri, version: document.version, ruleId, start, end };
    if (ruleId === UNUSED_SUPPRESSION) {
      actions.push(lazy('Remove this unused suppression comment', [diagnostic], { ...base, action: 'remove-directive' }, true));
      continue;
    }
    for (const fixId of fixes) {
      const fix = fixOf(ruleId, fixId);
      if (fix) actions.push(lazy(fix.title, [diagnostic], { ...base, action: 'fix', fixId }, fix.safe));
    }
    actions.push(lazy(`Ignore \`${ruleId}\` on this line`, [diagnostic], { ...base, action: 'ignore-line' }, false));
    actions.push(lazy(`Ignore \`${ruleId}\` in this file`, [diagnostic], { ...base, action: 'ignore-file' }, false));
  }
  return actions;
}

function lazy(title: string, diagnostics: Diagnostic[], data: ActionData, isPreferred: boolean): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics, isPreferred, data };
}

/**
 * Computes a quick fix's edit for the document version it was offered on. Returns the action
 * unchanged (no edit) when the document has changed since: an edit is never applied to other text.
 */
export function resolveQuickFix(action: CodeAction, document: TextDocument, sourceFile: ts.SourceFile): CodeAction {
  const data = action.data;
  if (!isActionData(data, document)) return action;
  const edits = editsFor(data, sourceFile);
  return edits.length > 0 ? { ...action, edit: workspaceEdit(document, edits) } : action;
}

function editsFor(data: ActionData, sourceFile: ts.SourceFile): readonly TextEdit[] {
  const span = { start: data.start, end: data.end };
  const builder = new EditBuilder(sourceFile);
  switch (data.action) {
    case 'fix':
      return fixOf(data.ruleId, data.fixId)?.doChange(sourceFile, span) ?? [];
    case 'ignore-line': {
      const lineStart = builder.lineStartOf(span.start);
      const indentation = /^[ \t]*/.exec(builder.text.slice(lineStart, span.start))![0];
      return builder.insertAt(lineStart, `${indentation}// pattern-lens-ignore-next-line ${data.ruleId}${builder.newLine}`).build();
    }
    case 'ignore-file':
      return builder.insertAt(0, `// pattern-lens-ignore-file ${data.ruleId}${builder.newLine}`).build();
    case 'remove-directive': {
      // The comment's whole line goes when the comment is alone on it.
      const lineStart = builder.lineStartOf(span.start);
      const alone = builder.text.slice(lineStart, span.start).trim() === '';
      let end = span.end;
      if (alone) end += builder.text.startsWith('\r\n', end) ? 2 : builder.text[end] === '\n' || builder.text[end] === '\r' ? 1 : 0;
      return builder.replaceRange(alone ? lineStart : span.start, end, '').build();
    }
  }
}

/**
 * `source.fixAll.patternLens`: every safe fix of the document's problems in one edit. Problems whose
 * fixes would overlap an earlier one are left for a second run.
 */
export function fixAll(document: TextDocument, sourceFile: ts.SourceFile, problems: readonly Problem[]): CodeAction | undefined {
  const edits = safeFixEdits(sourceFile, problems);
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safely fixable Pattern Lens problems', kind: FIX_ALL_KIND, edit: workspaceEdit(document, edits) };
}

/** The edits of every safe fix, skipping any that would overlap one already taken. */
export function safeFixEdits(sourceFile: ts.SourceFile, problems: readonly Problem[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const problem of problems) {
    const fix = problem.fixes.map((id) => fixOf(problem.id, id)).find((f) => f?.safe);
    if (!fix) continue;
    const edits = fix.doChange(sourceFile, problem.span);
    const touches = (a: TextEdit, b: TextEdit) => (a.start < b.end && b.start < a.end) || a.start === b.start;
    const overlaps = edits.some((e) => taken.some((t) => touches(e, t)));
    if (!overlaps) taken.push(...edits);
  }
  try {
    // Sorting and the overlap check of the builder, once more over the union.
    const builder = new EditBuilder(sourceFile);
    for (const edit of taken) builder.replaceRange(edit.start, edit.end, edit.newText);
    return builder.build();
  } catch (error) {
    if (error instanceof OverlappingEditsError) return [];
    throw error;
  }
}

/** A versioned edit: editors refuse to apply it to any other version of the document. */
export function workspaceEdit(document: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  const lspEdits: LspTextEdit[] = edits.map((e) => ({
    range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
    newText: e.newText,
  }));
  return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] };
}

/** The data comes back from the client: it must be ours, for this version, with a span inside the text. */
function isActionData(value: unknown, document: TextDocument): value is ActionData {
  const data = value as ActionData | undefined;
  return (
    data?.version === document.version &&
    ACTIONS.includes(data.action) &&
    typeof data.ruleId === 'string' &&
    (data.fixId === undefined || typeof data.fixId === 'string') &&
    isSpanIn(data, document)
  );
}

export function isSpanIn(span: { start?: unknown; end?: unknown } | undefined, document: TextDocument): boolean {
  const { start, end } = span ?? {};
  return Number.isInteger(start) && Number.isInteger(end) && 0 <= (start as number) && (start as number) <= (end as number) && (end as number) <= document.getText().length;
}

function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return typeof data?.start === 'number' && typeof data.end === 'number' && Array.isArray(data.fixes) && data.fixes.every((f) => typeof f === 'string');
}

