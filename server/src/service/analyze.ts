import type * as ts from 'typescript';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { PATTERNS } from '../patterns';
import type { Finding } from '../patterns/types';
import { RULES } from '../rules';
import { walk, type CancellationToken, type Detector, type WalkResult } from './walk';

/** Everything the first, syntactic phase runs: every pattern and every rule that needs no types. */
export const SYNTACTIC_DETECTORS: readonly Detector[] = [...PATTERNS, ...RULES.filter((rule) => !rule.requiresTypes)];
export const SYNTACTIC_RULE_IDS: ReadonlySet<string> = new Set(RULES.filter((rule) => !rule.requiresTypes).map((rule) => rule.id));

export interface Analysis extends WalkResult {
  readonly uri: string;
  readonly version: number;
}

/** The findings and problems of one walk over a syntax tree. */
export function analyzeSourceFile(
  sourceFile: ts.SourceFile,
  token?: CancellationToken,
  detectors: readonly Detector[] = SYNTACTIC_DETECTORS,
): WalkResult {
  return walk(sourceFile, detectors, token);
}

/**
 * Keeps the analysis of each document's latest version, so hovers, the patterns list, diagnostics
 * and code actions all read one walk's results.
 */
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  constructor(private readonly onFailure?: (uri: string, id: string, error: unknown) => void) {}

  get(document: TextDocument, sourceFile: () => ts.SourceFile, token?: CancellationToken): Analysis {
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      ...analyzeSourceFile(sourceFile(), token),
    };
    for (const { id, error } of analysis.failures) this.onFailure?.(document.uri, id, error);
    this.byUri.set(document.uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}

export function findingsAt(analysis: { findings: readonly Finding[] }, offset: number): Finding[] {
  const contains = (span: { start: number; end: number }) => span.start <= offset && offset < span.end;
  return analysis.findings.filter((f) => contains(f.span) || f.alsoHoverOn?.some(contains));
}
