import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Problem, Severity } from '../patterns/types';
import { RULES, RULES_BY_ID } from '../rules';
import type { RuleLevel } from './settings';
import { applySuppressions, findDirectives } from './suppressions';

export const DIAGNOSTIC_SOURCE = 'pattern-lens';
/** The code of the hint on a suppression comment that suppresses nothing. */
export const UNUSED_SUPPRESSION = 'unused-suppression';

const LSP_SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What code actions need to find a diagnostic's problem again. */
export interface DiagnosticData {
  readonly start: number;
  readonly end: number;
  readonly fixes: readonly string[];
}

export interface DiagnosticOptions {
  /** The level of each rule after settings and the project's config file. */
  readonly levelOf: (id: string) => RuleLevel;
  /** The ids of the rules whose problems are in `problems` (the phases that have run). */
  readonly ranRules: ReadonlySet<string>;
  /** Where a rule's documentation lives, for `codeDescription`. */
  readonly docsUri?: (id: string) => string | undefined;
}

export function ruleLevel(id: string, overrides: readonly Readonly<Record<string, RuleLevel>>[]): RuleLevel {
  for (const levels of overrides) {
    const level = levels[id];
    if (level) return level;
  }
  return RULES_BY_ID.get(id)?.defaultSeverity ?? 'off';
}

/**
 * The LSP diagnostics of a document's problems: levels applied (`off` drops the rule), suppression
 * comments honoured, and a hint on each suppression that suppresses nothing or names no rule.
 */
export function toDiagnostics(document: TextDocument, problems: readonly Problem[], options: DiagnosticOptions): Diagnostic[] {
  const text = document.getText();
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const enabled = problems.filter((p) => options.levelOf(p.id) !== 'off');
  const ranAndOn = new Set([...options.ranRules].filter((id) => options.levelOf(id) !== 'off'));
  const everyRuleRan = RULES.every((rule) => ranAndOn.has(rule.id));
  const { kept, unused } = applySuppressions(enabled, findDirectives(text), (offset) => document.positionAt(offset).line, ranAndOn, everyRuleRan);

  const diagnostics: Diagnostic[] = kept.map((problem) => {
    const href = options.docsUri?.(problem.id);
    const data: DiagnosticData = { start: problem.span.start, end: problem.span.end, fixes: problem.fixes };
    return {
      range: range(problem.span.start, problem.span.end),
      severity: LSP_SEVERITY[options.levelOf(problem.id) as Severity],
      source: DIAGNOSTIC_SOURCE,
      code: problem.id,
      ...(href && { codeDescription: { href } }),
      message: problem.message,
      data,
    };
  });
  for (const { directive, id } of unused) {
    diagnostics.push({
      range: range(directive.span.start, directive.span.end),
      severity: DiagnosticSeverity.Hint,
      tags: [DiagnosticTag.Unnecessary],
      source: DIAGNOSTIC_SOURCE,
      code: UNUSED_SUPPRESSION,
      message: id === undefined ? 'This suppression comment suppresses nothing.' : `\`${id}\` reports nothing on the line this comment covers.`,
      data: { start: directive.span.start, end: directive.span.end, fixes: [] } satisfies DiagnosticData,
    });
  }
  const byPosition = (d: Diagnostic) => (d.data as DiagnosticData).start;
  return diagnostics.sort((a, b) => byPosition(a) - byPosition(b));
}
