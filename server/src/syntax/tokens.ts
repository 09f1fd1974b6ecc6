import * as ts from 'typescript';
import type { Span } from '../patterns/types';

/** A token found by the scanner: for keywords that are not nodes (`finally`, `using`, `satisfies`, a `>`). */
export interface Token extends Span {
  readonly kind: ts.SyntaxKind;
  /** Whether a line break separates the token from what precedes it. */
  readonly lineBreakBefore: boolean;
}

// One scanner for the process: detectors and fixes run synchronously, so it is never used re-entrantly.
const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);

/** The first token that starts at or after `pos`, whitespace and comments skipped. */
export function tokenAt(sourceFile: ts.SourceFile, pos: number): Token {
  scanner.setText(sourceFile.text);
  scanner.setLanguageVariant(sourceFile.languageVariant);
  scanner.resetTokenState(pos);
  const kind = scanner.scan();
  const token = { kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd(), lineBreakBefore: scanner.hasPrecedingLineBreak() };
  scanner.setText(undefined);
  return token;
}
