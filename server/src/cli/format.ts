import { styleText } from 'node:util';
import { PATTERNS_BY_ID } from '../patterns';
import type { DiagnosticReport, DocumentReport, Severity } from '../service/check';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

export interface FileResult extends DocumentReport {
  /** Relative to the working directory, with forward slashes. */
  readonly path: string;
}

export interface TextOptions {
  readonly color: boolean;
  /** List every pattern occurrence, not only the diagnostics. */
  readonly listPatterns: boolean;
}

/** The JSON format: version 1, stable. */
export function formatJson(results: readonly FileResult[]): string {
  const files = results.map(({ path, patterns, diagnostics }) => ({
    path,
    patterns,
    diagnostics: diagnostics.map(({ id, severity, message, range }) => ({ id, severity, message, range })),
  }));
  return JSON.stringify({ version: 1, files }, null, 2);
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

/** A linter-style report: `path`, then `line:col  severity  message  id`, then a summary. */
export function formatText(results: readonly FileResult[], options: TextOptions): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text);
  const lines: string[] = [];
  for (const file of results) {
    const rows: { line: number; column: number; rank: number; cells: string[] }[] = file.diagnostics.map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      rank: SEVERITY_ORDER[d.severity],
      cells: [paint(d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'blue', d.severity), d.message, paint('dim', d.id)],
    }));
    if (options.listPatterns) {
      for (const p of file.patterns) {
        rows.push({
          line: p.range.start.line + 1,
          column: p.range.start.character + 1,
          rank: 4,
          cells: [paint('cyan', 'pattern'), PATTERNS_BY_ID.get(p.id)?.prose.title ?? p.id, paint('dim', p.id)],
        });
      }
    }
    if (rows.length === 0) continue;
    rows.sort((a, b) => a.line - b.line || a.column - b.column || a.rank - b.rank);
    lines.push(paint('underline', file.path));
    const width = Math.max(...rows.map((r) => `${r.line}:${r.column}`.length));
    for (const row of rows) lines.push(`  ${`${row.line}:${row.column}`.padEnd(width)}  ${row.cells.join('  ')}`);
    lines.push('');
  }
  lines.push(summary(results, paint));
  return lines.join('\n');
}

function summary(results: readonly FileResult[], paint: (style: 'bold', text: string) => string): string {
  const count = (severity: Severity) => results.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === severity).length, 0);
  const problems = results.reduce((n, f) => n + f.diagnostics.length, 0);
  const patterns = results.reduce((n, f) => n + f.patterns.length, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head =
    problems === 0
      ? 'No problems'
      : `${plural(problems, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info, ${plural(count('hint'), 'hint')})`;
  return paint('bold', `${head}; ${plural(patterns, 'pattern')} found in ${plural(results.length, 'file')}.`);
}

/** A SARIF region: 1-based lines and columns, columns in UTF-16 code units like LSP's. */
function region(range: DiagnosticReport['range']) {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export interface RuleDescription {
  readonly id: string;
  readonly summary: string;
  readonly help: string;
  readonly helpUri?: string;
}

/** SARIF 2.1.0, as code-scanning services accept it: one run, the rules that fired, one result per diagnostic. */
export function formatSarif(
  results: readonly FileResult[],
  tool: { readonly version: string; readonly describeRule: (id: string) => RuleDescription | undefined },
): string {
  const diagnostics: (DiagnosticReport & { path: string })[] = results.flatMap((f) => f.diagnostics.map((d) => ({ ...d, path: f.path })));
  const ruleIds = [...new Set(diagnostics.map((d) => d.id))].sort();
  const rules = ruleIds.map((id) => {
    const rule = tool.describeRule(id);
    return {
      id,
      ...(rule && {
        shortDescription: { text: rule.summary },
        help: { text: rule.help, markdown: rule.help },
        ...(rule.helpUri && { helpUri: rule.helpUri }),
      }),
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Pattern Lens', semanticVersion: tool.version, rules } },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => {
          const artifactLocation = { uri: encodeURI(d.path), uriBaseId: '%SRCROOT%' };
          return {
            ruleId: d.id,
            ruleIndex: ruleIds.indexOf(d.id),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation, region: region(d.range) } }],
            ...(d.fix && {
              fixes: [
                {
                  description: { text: d.fix.title },
                  artifactChanges: [
                    {
                      artifactLocation,
                      replacements: d.fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                    },
                  ],
                },
              ],
            }),
          };
        }),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
