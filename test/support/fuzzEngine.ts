/**
 * The fuzz suite's checks over the engine (PatternLensService, in process). `check` returns what went
 * wrong with one input, as sentences; an empty list is a pass.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CodeAction, Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { PatternLensService, WalkCancelled } from '../../server/src/service';
import {
  ANSWER_BOUND_MS,
  applyTextEdits,
  clampedOffset,
  describeInput,
  fuzzUri,
  lineStarts,
  positionAt,
  queryPositions,
  Slowest,
  spanOf,
  statementStarts,
  stepsOf,
  type FuzzInput,
  type Seed,
  type SpecialInput,
} from './fuzz';

/** Inserted before a statement by the UTF-16 check: astral and combining characters in a comment. */
const SHIFT = '/*😀é𝒳́*/ ';

/** Runs inputs through one long-lived service, as the server would over a session. */
export class EngineFuzzer {
  readonly slowest = new Slowest();
  private readonly service: PatternLensService;
  private detectorFailures: string[] = [];
  private version = 0;
  private description = '';

  constructor(private readonly seeds: readonly Seed[], settings: unknown = {}) {
    this.service = new PatternLensService({
      onDetectorFailure: (_uri, id, error) => this.detectorFailures.push(`the ${id} detector threw: ${error instanceof Error ? error.stack : String(error)}`),
    });
    this.service.configure(settings);
  }

  configure(settings: unknown): void {
    this.service.configure(settings);
  }

  /** What went wrong with a mutated seed (empty: nothing). */
  check(input: FuzzInput): string[] {
    const seed = this.seeds[input.seed]!;
    const languageId = input.languageId ?? seed.languageId;
    this.description = describeInput(input, this.seeds);
    const problems: string[] = [];
    const guard = (what: string, work: () => void) => {
      try {
        work();
      } catch (error) {
        problems.push(`${what} threw: ${error instanceof Error ? error.stack : String(error)}`);
      }
    };
    const uri = fuzzUri('input', languageId);
    const { steps, text } = stepsOf(seed.text, languageId, input.mutations);
    guard('editing', () => {
      this.service.close(uri);
      this.service.open(uri, languageId, ++this.version, seed.text);
      // A tree first, so the edits below go through the incremental parser.
      if (steps.length > 0) this.service.diagnostics(uri);
      let current = seed.text;
      for (const step of steps) {
        const starts = lineStarts(current);
        const range = { start: positionAt(starts, step.start), end: positionAt(starts, step.end) };
        this.service.change(uri, ++this.version, [{ range, text: step.text }]);
        current = current.slice(0, step.start) + step.text + current.slice(step.end);
      }
    });
    if (problems.length === 0) {
      if (input.cancelAfter !== undefined) {
        let checks = 0;
        const token = { get isCancellationRequested() { return ++checks > input.cancelAfter!; } };
        guard('a cancelled analysis', () => {
          try {
            this.timed('diagnostics (cancellable)', () => this.service.diagnostics(uri, token));
          } catch (error) {
            if (!(error instanceof WalkCancelled)) throw error;
          }
        });
      }
      guard('the checks', () => problems.push(...this.checkDocument(uri, languageId, text, input)));
    }
    problems.push(...this.detectorFailures.splice(0));
    return problems;
  }

  /** What went wrong with a file no mutation makes (deep nesting, huge, binary). */
  checkSpecial(special: SpecialInput): string[] {
    this.description = special.name;
    const problems: string[] = [];
    const uri = fuzzUri('special', special.languageId);
    try {
      this.service.close(uri);
      this.service.open(uri, special.languageId, ++this.version, special.text);
      problems.push(...this.checkDocument(uri, special.languageId, special.text, { queries: [0, special.text.length >> 1, special.text.length - 1], typeAware: false, shiftAt: 0 }));
    } catch (error) {
      problems.push(`threw: ${error instanceof Error ? error.stack : String(error)}`);
    }
    problems.push(...this.detectorFailures.splice(0));
    return problems;
  }

  diagnostics(uri: string): Diagnostic[] {
    return this.service.diagnostics(uri);
  }

  private timed<T>(what: string, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      const ms = performance.now() - start;
      this.slowest.note(ms, () => `${what} on ${this.description}`);
      if (ms > ANSWER_BOUND_MS) throw new Error(`${what} took ${Math.round(ms)} ms, over the ${ANSWER_BOUND_MS} ms bound`);
    }
  }

  private checkDocument(uri: string, languageId: string, text: string, input: Pick<FuzzInput, 'queries' | 'typeAware' | 'shiftAt'>): string[] {
    const problems: string[] = [];
    const starts = lineStarts(text);
    const service = this.service;
    const version = service.version(uri)!;

    // The edits were not lost: the document is the mutated text, and analysing it after incremental
    // edits (and a cancelled walk) gives what a fresh parse gives.
    const diagnostics = this.timed('diagnostics', () => service.diagnostics(uri));
    const fresh = fuzzUri('fresh', languageId);
    service.close(fresh);
    service.open(fresh, languageId, 1, text);
    const analysis = service.analysis(uri)!;
    const expected = service.analysis(fresh)!;
    for (const key of ['findings', 'problems', 'skipped'] as const) {
      if (!isDeepStrictEqual(analysis[key], expected[key])) problems.push(`after the edits, ${key} differ from a fresh parse's`);
    }
    if (!isDeepStrictEqual(diagnostics, service.diagnostics(fresh))) problems.push('after the edits, diagnostics differ from a fresh parse\'s');
    service.close(fresh);

    // Positions are UTF-16 offsets the independent count agrees with.
    problems.push(...checkDiagnostics(text, starts, diagnostics));
    const patterns = this.timed('patterns', () => service.patterns(uri));
    if (patterns.length !== analysis.findings.length) problems.push('patterns and findings differ in number');
    patterns.forEach(({ range }, i) => {
      const span = spanOf(text, starts, range);
      const finding = analysis.findings[i]?.span;
      if (typeof span === 'string') problems.push(`pattern ${span}`);
      else if (!finding || span.start !== finding.start || span.end !== finding.end) problems.push(`pattern range ${JSON.stringify(range)} is not the finding's span ${JSON.stringify(finding)}`);
    });

    const positions = queryPositions(text, starts, input.queries);
    for (const position of positions) {
      const hover = this.timed('hover', () => service.hover(uri, position));
      if (!hover) continue;
      const span = spanOf(text, starts, hover.range!);
      const at = clampedOffset(text, starts, position);
      if (typeof span === 'string') problems.push(`hover ${span}`);
      else if (at < span.start || at > span.end) problems.push(`the hover at ${JSON.stringify(position)} covers ${JSON.stringify(hover.range)}, which does not hold it`);
    }

    // Code actions: every one resolves to nothing or to an edit of this version that applies cleanly;
    // once the document has changed, resolving it again gives no edit.
    const actions: CodeAction[] = [];
    for (const position of positions.slice(0, 3)) {
      const range: Range = { start: position, end: position };
      const here = diagnostics.filter((d) => d.range.start.line <= position.line && position.line <= d.range.end.line);
      actions.push(...this.timed('code actions', () => service.codeActions(uri, range, here, undefined)));
    }
    actions.push(...this.timed('fix all', () => service.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll'])));
    let applied: { action: CodeAction; text: string } | undefined;
    for (const action of actions) {
      const resolved = action.edit ? action : this.timed(`resolving "${action.title}"`, () => service.resolveCodeAction(action));
      const change = resolved.edit?.documentChanges?.[0];
      if (!resolved.edit) continue;
      if (!change || !('textDocument' in change) || change.textDocument.uri !== uri || change.textDocument.version !== version) {
        problems.push(`"${action.title}" resolved to an edit not versioned for this document: ${JSON.stringify(resolved.edit).slice(0, 200)}`);
        continue;
      }
      const after = applyTextEdits(text, change.edits);
      if (Array.isArray(after)) problems.push(...after.map((p) => `"${action.title}": ${p}`));
      else if (!applied && action.data !== undefined) applied = { action, text: after };
    }

    if (input.typeAware && !analysis.skipped) {
      const full = this.timed('type-aware diagnostics', () => service.fullDiagnostics(uri));
      if (full) problems.push(...checkDiagnostics(text, starts, full).map((p) => `type-aware: ${p}`));
    }

    if (!analysis.skipped) problems.push(...this.checkShift(languageId, text, input.shiftAt, diagnostics, patterns));

    if (applied) {
      // Applied as an editor would: one change, then the same action resolved again.
      service.change(uri, ++this.version, [{ text: applied.text }]);
      if (service.resolveCodeAction(applied.action).edit) problems.push(`"${applied.action.title}" still resolved to an edit after the document changed`);
      this.timed('diagnostics after an action', () => service.diagnostics(uri));
    }
    return problems;
  }

  /**
   * Astral and combining characters inserted in a comment before a statement move every position
   * after them on that line by their length in UTF-16 code units, and change nothing else.
   */
  private checkShift(languageId: string, text: string, shiftAt: number, diagnostics: Diagnostic[], patterns: { id: string; range: Range }[]): string[] {
    const candidates = statementStarts(text, languageId);
    if (candidates.length === 0) return [];
    const at = candidates[shiftAt % candidates.length]!;
    const shifted = text.slice(0, at) + SHIFT + text.slice(at);
    const uri = fuzzUri('shifted', languageId);
    this.service.close(uri);
    this.service.open(uri, languageId, 1, shifted);
    const where = positionAt(lineStarts(text), at);
    const move = (p: Position, isEnd: boolean): Position =>
      p.line === where.line && (p.character > where.character || (!isEnd && p.character === where.character)) ? { line: p.line, character: p.character + SHIFT.length } : p;
    const moveRange = (r: Range): Range => ({ start: move(r.start, false), end: move(r.end, true) });
    const expectedDiagnostics = diagnostics.map((d) => ({ code: d.code, message: d.message, range: moveRange(d.range) }));
    const actualDiagnostics = this.service.diagnostics(uri).map((d) => ({ code: d.code, message: d.message, range: d.range }));
    const expectedPatterns = patterns.map((p) => ({ id: p.id, range: moveRange(p.range) }));
    const actualPatterns = this.service.patterns(uri);
    this.service.close(uri);
    const problems: string[] = [];
    if (!isDeepStrictEqual(actualDiagnostics, expectedDiagnostics)) problems.push(`with ${JSON.stringify(SHIFT)} inserted at ${JSON.stringify(where)}, diagnostics moved otherwise than by its UTF-16 length`);
    if (!isDeepStrictEqual(actualPatterns, expectedPatterns)) problems.push(`with ${JSON.stringify(SHIFT)} inserted at ${JSON.stringify(where)}, patterns moved otherwise than by its UTF-16 length`);
    return problems;
  }
}

/** Every diagnostic's range is in the text, and where it carries its span, the range is that span. */
export function checkDiagnostics(text: string, starts: readonly number[], diagnostics: readonly Diagnostic[]): string[] {
  const problems: string[] = [];
  for (const diagnostic of diagnostics) {
    const span = spanOf(text, starts, diagnostic.range);
    const data = diagnostic.data as { start?: number; end?: number } | undefined;
    if (typeof span === 'string') problems.push(`diagnostic ${diagnostic.code}: ${span}`);
    else if (data?.start !== undefined && (span.start !== data.start || span.end !== data.end)) {
      problems.push(`diagnostic ${diagnostic.code}: range ${JSON.stringify(diagnostic.range)} is offsets ${span.start}-${span.end}, its span is ${data.start}-${data.end}`);
    }
  }
  return problems;
}
