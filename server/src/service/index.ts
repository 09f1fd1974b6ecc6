import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { PatternOccurrence } from '../protocol';
import { AnalysisCache, type Analysis } from './analyze';
import { DocumentStore, SUPPORTED_LANGUAGES } from './documents';
import { hoverAt } from './hover';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings';
import type { CancellationToken } from './walk';

export { WalkCancelled } from './walk';
export type { Settings } from './settings';

/**
 * The engine as the language server uses it: open documents, their cached analyses, and the
 * answers to requests, in LSP terms. No connection here: tests drive it directly.
 */
export class PatternLensService {
  private readonly documents = new DocumentStore();
  private readonly analyses = new AnalysisCache();
  private currentSettings: Settings = DEFAULT_SETTINGS;

  get settings(): Settings {
    return this.currentSettings;
  }

  configure(raw: unknown): void {
    this.currentSettings = normalizeSettings(raw);
  }

  /** Opens a document; returns false (and keeps nothing) for languages Pattern Lens does not read. */
  open(uri: string, languageId: string, version: number, text: string): boolean {
    if (!SUPPORTED_LANGUAGES.includes(languageId)) return false;
    this.documents.open(uri, languageId, version, text);
    return true;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    this.documents.change(uri, version, changes);
  }

  close(uri: string): void {
    this.documents.close(uri);
    this.analyses.delete(uri);
  }

  /** The analysis of the document's current version (one walk per version). Throws WalkCancelled. */
  analysis(uri: string, token?: CancellationToken): Analysis | undefined {
    const document = this.documents.document(uri);
    if (!document) return undefined;
    return this.analyses.get(document, () => this.documents.parsed(uri)!.sourceFile, token);
  }

  hover(uri: string, position: Position, token?: CancellationToken): Hover | null {
    if (!this.currentSettings.hover.enabled) return null;
    const analysis = this.analysis(uri, token);
    const document = this.documents.document(uri);
    if (!analysis || !document) return null;
    const hover = hoverAt(analysis, document.offsetAt(position), this.currentSettings);
    if (!hover) return null;
    return {
      contents: { kind: 'markdown', value: hover.markdown },
      range: { start: document.positionAt(hover.span.start), end: document.positionAt(hover.span.end) },
    };
  }

  patterns(uri: string, token?: CancellationToken): PatternOccurrence[] {
    const analysis = this.analysis(uri, token);
    const document = this.documents.document(uri);
    if (!analysis || !document) return [];
    return analysis.findings.map(({ id, span }) => ({
      id,
      range: { start: document.positionAt(span.start), end: document.positionAt(span.end) },
    }));
  }
}
