import * as ts from 'typescript';
import type { Problem, Span } from '../patterns/types';

const MARKER = 'pattern-lens-ignore-';
const KINDS = { 'next-line': 'pattern-lens-ignore-next-line', file: 'pattern-lens-ignore-file' } as const;

export interface Directive {
  readonly kind: keyof typeof KINDS;
  /** The rule ids it names; empty means every rule. */
  readonly ids: readonly string[];
  /** The whole comment. */
  readonly span: Span;
}

/**
 * The `// pattern-lens-ignore-next-line <ids>` and `// pattern-lens-ignore-file <ids>` comments of a
 * file. Each candidate is confirmed with the TypeScript scanner to be a line comment of its own line,
 * so the words inside a string or a block comment are not directives. Text after ` -- ` is a reason.
 */
export function findDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
    let lineStart = at;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    // From the line break before the line: the scanner only collects leading comments after one.
    const comment = ts.getLeadingCommentRanges(text, Math.max(0, lineStart - 1))?.find((c) => c.pos < at && at < c.end);
    if (!comment || comment.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const body = text.slice(comment.pos + 2, comment.end).split(' -- ')[0]!.trim();
    const [word, ...ids] = body.split(/[\s,]+/).filter(Boolean);
    const kind = (Object.keys(KINDS) as (keyof typeof KINDS)[]).find((k) => KINDS[k] === word);
    if (kind) directives.push({ kind, ids, span: { start: comment.pos, end: comment.end } });
  }
  return directives;
}

export interface UnusedDirective {
  readonly directive: Directive;
  /** The id that suppressed nothing, or undefined when a directive naming no id suppressed nothing. */
  readonly id: string | undefined;
}

/**
 * Drops the problems a directive suppresses and lists the directives (or the ids within them) that
 * suppressed nothing. Only ids in `ranRules` can be judged unused: a rule that has not run (its phase
 * is pending, or it is off) might still need the directive. A directive naming no id is judged only
 * when `everyRuleRan`.
 */
export function applySuppressions(
  problems: readonly Problem[],
  directives: readonly Directive[],
  lineOf: (offset: number) => number,
  ranRules: ReadonlySet<string>,
  everyRuleRan: boolean,
): { kept: Problem[]; unused: UnusedDirective[] } {
  const used = new Set<string>();
  const key = (index: number, id: string | undefined) => `${index}:${id ?? '*'}`;
  const kept = problems.filter((problem) => {
    const line = lineOf(problem.span.start);
    let suppressed = false;
    directives.forEach((directive, index) => {
      const applies = directive.kind === 'file' || lineOf(directive.span.start) + 1 === line;
      if (!applies) return;
      if (directive.ids.length === 0) {
        used.add(key(index, undefined));
        suppressed = true;
      } else if (directive.ids.includes(problem.id)) {
        used.add(key(index, problem.id));
        suppressed = true;
      }
    });
    return !suppressed;
  });
  const unused: UnusedDirective[] = [];
  directives.forEach((directive, index) => {
    if (directive.ids.length === 0) {
      if (!used.has(key(index, undefined)) && everyRuleRan) unused.push({ directive, id: undefined });
      return;
    }
    for (const id of directive.ids) {
      if (ranRules.has(id) && !used.has(key(index, id))) unused.push({ directive, id });
    }
  });
  return { kept, unused };
}
