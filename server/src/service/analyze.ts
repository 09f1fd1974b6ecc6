import type * as ts from 'typescript';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { PATTERNS } from '../patterns';
import type { Finding, PatternDefinition } from '../patterns/types';
import { walk, type CancellationToken, type WalkResult } from './walk';

export interface Analysis extends WalkResult {
  readonly uri: string;
  readonly version: number;
}

/** The findings of one walk over a syntax tree, with every registered pattern unless told otherwise. */
export function analyzeSourceFile(
  sourceFile: ts.SourceFile,
  token?: CancellationToken,
  patterns: readonly PatternDefinition[] = PATTERNS,
): WalkResult {
  return walk(sourceFile, patterns, token);
}

/**
 * Keeps the analysis of each document's latest version, so hovers, the patterns list and (later)
 * diagnostics all read one walk's results.
 */
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  get(document: TextDocument, sourceFile: () => ts.SourceFile, token?: CancellationToken): Analysis {
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      ...analyzeSourceFile(sourceFile(), token),
    };
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
