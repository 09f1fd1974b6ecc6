import * as ts from 'typescript';
import type { Span } from './types';

/** One token found by {@link tokenAt}. */
export interface TokenSpan extends Span {
  /** The token's syntax kind (not named `kind`: a report treats anything with a `kind` as a node). */
  readonly token: ts.SyntaxKind;
}

// One scanner for the whole process: detectors run synchronously, so it is never used re-entrantly.
const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);

/**
 * The first token that starts at or after `pos` (whitespace and comments skipped), for keywords
 * that are not nodes of their own (`satisfies`, the `>` closing a type parameter list, the `type`
 * of `import type`). Only called once a detector has decided to report, so it may allocate.
 */
export function tokenAt(sourceFile: ts.SourceFile, pos: number): TokenSpan {
  scanner.setText(sourceFile.text);
  scanner.resetTokenState(pos);
  const token = scanner.scan();
  const span = { token, start: scanner.getTokenStart(), end: scanner.getTokenEnd() };
  scanner.setText('');
  return span;
}

/** Whether `node` carries a modifier of `kind` (`declare`, `abstract`, `static`, `readonly`...). */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}
