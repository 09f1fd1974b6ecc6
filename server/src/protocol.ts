/**
 * Requests Pattern Lens adds to LSP. Shared by the server, the client and the tests; it imports
 * nothing at run time, so the client bundle stays free of the engine.
 */
import type { Range } from 'vscode-languageserver-types';

export interface PatternsParams {
  readonly uri: string;
}

export interface PatternOccurrence {
  readonly id: string;
  readonly range: Range;
}

/** `patternLens/patterns`: every pattern occurrence in an open document, in document order. */
export const PATTERNS_REQUEST = 'patternLens/patterns';
