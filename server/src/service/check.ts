import type * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../edits/builder';
import { DiagnosticSeverity, type Range } from 'vscode-languageserver-types';
import type { Problem } from '../patterns/types';
import type { PatternOccurrence } from '../protocol';
import { RULES, RULES_BY_ID } from '../rules';
import { analyzeSourceFile, SYNTACTIC_DETECTORS, SYNTACTIC_RULE_IDS, SYNTACTIC_RULES } from './analyze';
import { safeFixEdits } from './codeActions';
import { toDiagnostics, type DiagnosticData } from './diagnostics';
import { parse } from './documents';
import type { RuleLevel } from './settings';
import { mergeProblems, type TypeAwareProjects } from './typeAware';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticReport {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** The safe fix, when the rule has one here (SARIF reports it; the JSON format leaves it out). */
  readonly fix?: { readonly title: string; readonly edits: readonly { readonly range: Range; readonly newText: string }[] };
}

export interface DocumentReport {
  readonly patterns: PatternOccurrence[];
  readonly diagnostics: DiagnosticReport[];
}

export interface CheckOptions {
  readonly levelOf: (id: string) => RuleLevel;
  /** When given, the type-aware rules run too, against the file's project as it is on disk. */
  readonly typeAware?: TypeAwareProjects;
  /** The file's path on disk, for the type-aware phase. */
  readonly fileName?: string;
  /** Whether to find the patterns as well as the problems (default: true). A SARIF report needs only the problems. */
  readonly patterns?: boolean;
}

const SEVERITY_NAME: Readonly<Record<DiagnosticSeverity, Severity>> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};
const ALL_RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

/** Everything Pattern Lens finds in one document, as the CLI reports it. */
export function checkDocument(document: TextDocument, options: CheckOptions): DocumentReport {
  const sourceFile = parse(document);
  const { findings, problems } = problemsOf(sourceFile, options);
  const toRange = (span: { start: number; end: number }): Range => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  const diagnostics = toDiagnostics(document, problems.all, { levelOf: options.levelOf, ranRules: problems.ranRules });
  return {
    patterns: findings.map(({ id, span }) => ({ id, range: toRange(span) })),
    diagnostics: diagnostics.map((d) => {
      const data = d.data as DiagnosticData;
      const fix = RULES_BY_ID.get(String(d.code))?.fixes?.find((f) => f.safe && data.fixes.includes(f.id));
      const edits = fix?.doChange(sourceFile, data).map((e) => ({ range: toRange(e), newText: e.newText })) ?? [];
      return {
        id: String(d.code),
        severity: SEVERITY_NAME[d.severity ?? DiagnosticSeverity.Warning],
        message: typeof d.message === 'string' ? d.message : d.message.value,
        range: d.range,
        ...(fix && edits.length > 0 && { fix: { title: fix.title, edits } }),
      };
    }),
  };
}

/**
 * The text after every safe fix, applied pass after pass (fixes that overlapped wait for the next
 * pass) until nothing changes; undefined when there was nothing to fix.
 */
export function fixDocument(document: TextDocument, options: CheckOptions): string | undefined {
  const MAX_PASSES = 10;
  let text = document.getText();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const sourceFile = parse(TextDocument.create(document.uri, document.languageId, document.version + pass, text));
    const { problems } = problemsOf(sourceFile, { ...options, typeAware: pass === 0 ? options.typeAware : undefined, patterns: false });
    const enabled = problems.all.filter((p) => options.levelOf(p.id) !== 'off');
    const edits = safeFixEdits(sourceFile, enabled);
    if (edits.length === 0) break;
    text = applyEdits(text, edits);
  }
  return text === document.getText() ? undefined : text;
}

function problemsOf(sourceFile: ts.SourceFile, options: CheckOptions) {
  const { findings, problems } = analyzeSourceFile(sourceFile, undefined, options.patterns === false ? SYNTACTIC_RULES : SYNTACTIC_DETECTORS);
  const typed = options.typeAware && options.fileName ? options.typeAware.problems(options.fileName, { isCancellationRequested: false }) : undefined;
  return {
    findings,
    problems: typed
      ? { all: mergeProblems(problems, typed.problems), ranRules: ALL_RULE_IDS }
      : { all: problems as Problem[], ranRules: SYNTACTIC_RULE_IDS },
  };
}
