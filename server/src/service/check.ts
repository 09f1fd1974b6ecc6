import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { PatternOccurrence } from '../protocol';
import { analyzeSourceFile } from './analyze';
import { parse } from './documents';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticReport {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
}

export interface DocumentReport {
  readonly patterns: PatternOccurrence[];
  readonly diagnostics: DiagnosticReport[];
}

/** Everything Pattern Lens finds in one document, as the CLI reports it. */
export function checkDocument(document: TextDocument): DocumentReport {
  const { findings } = analyzeSourceFile(parse(document));
  const toRange = (span: { start: number; end: number }): Range => ({
    start: document.positionAt(span.start),
    end: document.positionAt(span.end),
  });
  return {
    patterns: findings.map(({ id, span }) => ({ id, range: toRange(span) })),
    // The gotcha rules (CATALOG.md section 2) report here; none is registered yet.
    diagnostics: [],
  };
}
