import type * as ts from 'typescript';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { PATTERNS } from '../patterns';
import type { Finding } from '../patterns/types';
import { RULES } from '../rules';
import { walk, WalkMemo, type CancellationToken, type Detector, type WalkResult } from './walk';

/** The rules of the first, syntactic phase: the ones that need no types. */
export const SYNTACTIC_RULES: readonly Detector[] = RULES.filter((rule) => !rule.requiresTypes);
/** Everything the first, syntactic phase runs: every pattern and every rule that needs no types. */
export const SYNTACTIC_DETECTORS: readonly Detector[] = [...PATTERNS, ...SYNTACTIC_RULES];
export const SYNTACTIC_RULE_IDS: ReadonlySet<string> = new Set(SYNTACTIC_RULES.map((rule) => rule.id));

export interface Analysis extends WalkResult {
  readonly uri: string;
  readonly version: number;
  /** Why the document was not analysed (it is too deeply nested to parse), if it was not. */
  readonly skipped?: string;
}

/** Why a file too deeply nested to parse gets no analysis. */
export const TOO_DEEP = 'it is nested too deeply for the TypeScript parser (it ran out of stack)';

/** Whether an error is the engine running out of stack, which deeply nested code causes. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The findings and problems of one walk over a syntax tree. */
export function analyzeSourceFile(
  sourceFile: ts.SourceFile,
  token?: CancellationToken,
  detectors: readonly Detector[] = SYNTACTIC_DETECTORS,
): WalkResult {
  return walk(sourceFile, detectors, { token });
}

/**
 * Keeps the analysis of each document's latest version, so hovers, the patterns list, diagnostics
 * and code actions all read the same results. The rules walk the tree when the analysis is made: their
 * problems are the diagnostics published after every edit. The patterns walk it the first time their
 * findings are read (a hover, the patterns list): they cost most of the walk, and typing needs none of
 * them, so a keystroke waits for the rules alone.
 */
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();
  /** The memos of the two walks of each document edited: after an edit, only the statements it touched are walked again. */
  private readonly memos = new Map<string, { readonly rules: WalkMemo; readonly patterns: WalkMemo }>();

  constructor(private readonly onFailure?: (uri: string, id: string, error: unknown) => void) {}

  /**
   * `sourceFile` gives the tree of `document`'s current version. The findings walk whatever tree it gives when
   * they are first read, so read them in the same turn as `get`, before another edit can arrive.
   */
  get(document: TextDocument, sourceFile: () => ts.SourceFile, token?: CancellationToken): Analysis {
    const { uri, version } = document;
    const cached = this.byUri.get(uri);
    if (cached && cached.version === version) return cached;
    // Memos from a document's second version on: the many documents opened only to be read never pay for one.
    let memos = this.memos.get(uri);
    if (!memos && cached) this.memos.set(uri, (memos = { rules: new WalkMemo(), patterns: new WalkMemo() }));
    let rules: WalkResult;
    try {
      rules = walk(sourceFile(), SYNTACTIC_RULES, { token, memo: memos?.rules });
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      const skipped: Analysis = { uri, version, findings: [], problems: [], failures: [], skipped: `Pattern Lens skipped this file: ${TOO_DEEP}.` };
      this.byUri.set(uri, skipped);
      return skipped;
    }
    const failures = [...rules.failures];
    let findings: Finding[] | undefined;
    const onFailure = this.onFailure;
    const analysis: Analysis = {
      uri,
      version,
      problems: rules.problems,
      failures,
      get findings(): Finding[] {
        if (findings) return findings;
        // Not cancellable: the token of whichever request made the analysis may be long gone. It is one walk.
        try {
          const patterns = walk(sourceFile(), PATTERNS, { memo: memos?.patterns });
          for (const failure of patterns.failures) onFailure?.(uri, failure.id, failure.error);
          failures.push(...patterns.failures);
          findings = patterns.findings;
        } catch (error) {
          if (!isStackOverflow(error)) throw error;
          findings = [];
        }
        return findings;
      },
    };
    for (const { id, error } of failures) this.onFailure?.(uri, id, error);
    this.byUri.set(uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
    this.memos.delete(uri);
  }
}

/** Every hover span of a findings list, sorted by start, with the furthest end reached so far. */
interface HoverIndex {
  readonly spans: readonly { readonly start: number; readonly end: number; readonly finding: Finding }[];
  readonly maxEndUpTo: readonly number[];
}

const hoverIndexes = new WeakMap<readonly Finding[], HoverIndex>();

function hoverIndex(findings: readonly Finding[]): HoverIndex {
  let index = hoverIndexes.get(findings);
  if (index) return index;
  const spans = findings
    .flatMap((finding) => [finding.span, ...(finding.alsoHoverOn ?? [])].map(({ start, end }) => ({ start, end, finding })))
    .sort((a, b) => a.start - b.start);
  const maxEndUpTo: number[] = [];
  for (const span of spans) maxEndUpTo.push(Math.max(span.end, maxEndUpTo[maxEndUpTo.length - 1] ?? 0));
  index = { spans, maxEndUpTo };
  hoverIndexes.set(findings, index);
  return index;
}

/** The findings with a hover span containing `offset`, found by binary search (hovers stay instant on huge files). */
export function findingsAt(analysis: { findings: readonly Finding[] }, offset: number): Finding[] {
  const { spans, maxEndUpTo } = hoverIndex(analysis.findings);
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle]!.start <= offset) low = middle + 1;
    else high = middle;
  }
  const found = new Set<Finding>();
  // Spans starting at or before the offset, walking back while one of them could still reach it.
  for (let i = low - 1; i >= 0 && maxEndUpTo[i]! > offset; i--) {
    if (spans[i]!.end > offset) found.add(spans[i]!.finding);
  }
  return [...found];
}
