import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Hover, Position, Range } from 'vscode-languageserver-types';
import type { PatternOccurrence } from '../protocol';
import { RULES } from '../rules';
import type { Problem } from '../patterns/types';
import { AnalysisCache, SYNTACTIC_RULE_IDS, type Analysis } from './analyze';
import { fixAll, quickFixes, resolveQuickFix } from './codeActions';
import { ProjectConfigs } from './config';
import { ruleLevel, toDiagnostics } from './diagnostics';
import { DocumentStore, SUPPORTED_LANGUAGES } from './documents';
import { hoverAt } from './hover';
import { ProjectFactsCache } from './projectFacts';
import { isRefactorData, refactorActions, resolveRefactor, type RefactorEnvironment } from './refactors';
import { DEFAULT_SETTINGS, fileTooLarge, normalizeSettings, type RuleLevel, type Settings } from './settings';
import { mergeProblems, TYPE_AWARE_RULES, TypeAwareProjects } from './typeAware';
import type { CancellationToken } from './walk';

export { FIX_ALL_KIND } from './codeActions';
export { REFACTOR_KIND_PREFIX } from './refactors';
export { WalkCancelled } from './walk';
export type { Settings } from './settings';

export interface ServiceOptions {
  /** Called when a detector throws: the walk goes on without it. */
  readonly onDetectorFailure?: (uri: string, id: string, error: unknown) => void;
  /** Where a rule's documentation lives, for a diagnostic's `codeDescription`. */
  readonly ruleDocsUri?: (id: string) => string | undefined;
  readonly log?: (message: string) => void;
}

const ALL_RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));
/** Bounds of the type-aware phase: language services kept at once, and the heap above which it pauses. */
const MAX_PROJECTS = 3;
const MAX_HEAP_BYTES = 1.5 * 1024 ** 3;

/**
 * The engine as the language server uses it: open documents, their cached analyses, and the
 * answers to requests, in LSP terms. No connection here: tests drive it directly.
 */
export class PatternLensService {
  private readonly documents = new DocumentStore();
  private readonly analyses: AnalysisCache;
  private readonly configs = new ProjectConfigs();
  private readonly projectFacts = new ProjectFactsCache();
  private currentSettings: Settings = DEFAULT_SETTINGS;
  /** Built on the first type-aware request, never on start-up. */
  private typeAware: TypeAwareProjects | undefined;
  private readonly typeAwareProblems = new Map<string, { version: number; problems: Problem[] }>();
  /** The size check of each document's latest version (counting UTF-8 bytes reads the whole text). */
  private readonly sizeChecks = new Map<string, { version: number; maxKB: number; skipped: Analysis | undefined }>();

  constructor(private readonly options: ServiceOptions = {}) {
    this.analyses = new AnalysisCache(options.onDetectorFailure);
  }

  get settings(): Settings {
    return this.currentSettings;
  }

  configure(raw: unknown): void {
    this.currentSettings = normalizeSettings(raw);
    if (!this.currentSettings.typeAware.enabled) this.dropTypeAware();
  }

  /** Forgets cached config files (Pattern Lens's and tsconfig files), after one of them changed. */
  configFilesChanged(): void {
    this.configs.clear();
    this.projectFacts.clear();
    this.typeAware?.reset();
    this.typeAwareProblems.clear();
  }

  private dropTypeAware(): void {
    this.typeAware?.reset();
    this.typeAware = undefined;
    this.typeAwareProblems.clear();
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
    this.sizeChecks.delete(uri);
    this.typeAwareProblems.delete(uri);
    this.typeAware?.closeFile(fileNameOf(uri));
  }

  isOpen(uri: string): boolean {
    return this.documents.document(uri) !== undefined;
  }

  version(uri: string): number | undefined {
    return this.documents.document(uri)?.version;
  }

  /**
   * The analysis of the document's current version (one walk per version), or why it was skipped: over
   * the size limit it is never parsed. Throws WalkCancelled.
   */
  analysis(uri: string, token?: CancellationToken): Analysis | undefined {
    const document = this.documents.document(uri);
    if (!document) return undefined;
    return this.overSizeLimit(document) ?? this.analyses.get(document, () => this.documents.parsed(uri)!.sourceFile, token);
  }

  private overSizeLimit(document: TextDocument): Analysis | undefined {
    const { uri, version } = document;
    const maxKB = this.currentSettings.maxFileSizeKB;
    const cached = this.sizeChecks.get(uri);
    if (cached?.version === version && cached.maxKB === maxKB) return cached.skipped;
    const reason = fileTooLarge(Buffer.byteLength(document.getText()), maxKB);
    const skipped = reason === undefined ? undefined : {
      uri,
      version,
      findings: [],
      problems: [],
      failures: [],
      skipped: `Pattern Lens skipped this file: ${reason} (the setting patternLens.maxFileSizeKB).`,
    };
    this.sizeChecks.set(uri, { version, maxKB, skipped });
    return skipped;
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

  /** A rule's level for a document: editor settings, then the project's config file, then the default. */
  levelOf(uri: string, id: string): RuleLevel {
    return ruleLevel(id, [this.currentSettings.rules, this.configs.forFile(fileNameOf(uri)).rules]);
  }

  /** The syntactic phase's diagnostics of the document's current version. */
  diagnostics(uri: string, token?: CancellationToken): Diagnostic[] {
    const analysis = this.analysis(uri, token);
    const document = this.documents.document(uri);
    if (!analysis || !document) return [];
    if (analysis.skipped) return [skippedDiagnostic(analysis.skipped)];
    return toDiagnostics(document, analysis.problems, {
      levelOf: (id) => this.levelOf(uri, id),
      ranRules: SYNTACTIC_RULE_IDS,
      docsUri: this.options.ruleDocsUri,
    });
  }

  /** Whether a second, type-aware phase has anything to do for this document. */
  wantsTypeAwarePhase(uri: string): boolean {
    return (
      this.currentSettings.typeAware.enabled &&
      uri.startsWith('file:') &&
      TYPE_AWARE_RULES.some((rule) => this.levelOf(uri, rule.id) !== 'off')
    );
  }

  /**
   * Both phases' diagnostics of the document's current version: the type-aware rules run against the
   * document's tsconfig project (or the file alone). Undefined when that phase cannot run now.
   */
  fullDiagnostics(uri: string, token?: CancellationToken): Diagnostic[] | undefined {
    const document = this.documents.document(uri);
    const analysis = this.analysis(uri, token);
    if (!document || !analysis || analysis.skipped || !this.wantsTypeAwarePhase(uri)) return undefined;
    this.typeAware ??= new TypeAwareProjects({ maxProjects: MAX_PROJECTS, maxHeapBytes: MAX_HEAP_BYTES, log: this.options.log });
    for (const open of this.documents.all()) {
      if (open.uri.startsWith('file:')) this.typeAware.setOpenFile({ fileName: fileNameOf(open.uri), text: open.getText() });
    }
    const result = this.typeAware.problems(fileNameOf(uri), token ?? { isCancellationRequested: false });
    if (!result) return undefined;
    for (const { id, error } of result.failures) this.options.onDetectorFailure?.(uri, id, error);
    this.typeAwareProblems.set(uri, { version: document.version, problems: result.problems });
    return toDiagnostics(document, mergeProblems(analysis.problems, result.problems), {
      levelOf: (id) => this.levelOf(uri, id),
      ranRules: ALL_RULE_IDS,
      docsUri: this.options.ruleDocsUri,
    });
  }

  private refactorEnvironment(uri: string, text: string): RefactorEnvironment {
    const fileName = fileNameOf(uri);
    return {
      project: this.projectFacts.forFile(fileName),
      types: uri.startsWith('file:') ? this.typeAware?.existingTypes(fileName, text) : undefined,
      decoratorsModule: this.currentSettings.refactors.decoratorsModule,
    };
  }

  /** Quick fixes for the given diagnostics, refactors at the range, and fix-all when asked for; edits come on resolve. */
  codeActions(uri: string, range: Range, diagnostics: readonly Diagnostic[], only: readonly string[] | undefined, token?: CancellationToken): CodeAction[] {
    const document = this.documents.document(uri);
    // A skipped file is never parsed, and one too deep to parse would throw here.
    if (!document || this.analysis(uri, token)?.skipped) return [];
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = wants('quickfix') ? quickFixes(document, diagnostics) : [];
    const span = { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
    actions.push(...refactorActions(document, () => this.documents.parsed(uri)!.sourceFile, span, () => this.refactorEnvironment(uri, document.getText()), wants));
    if (only?.some((o) => wants(o) && (o === 'source' || o.startsWith('source.fixAll')))) {
      const analysis = this.analysis(uri, token)!;
      const typed = this.typeAwareProblems.get(uri);
      const problems = mergeProblems(analysis.problems, typed?.version === document.version ? typed.problems : []).filter(
        (p) => this.levelOf(uri, p.id) !== 'off',
      );
      const all = fixAll(document, this.documents.parsed(uri)!.sourceFile, problems);
      if (all) actions.push(all);
    }
    return actions;
  }

  /** The action with its edit, for the document version it was offered on; unchanged (no edit) for any other. */
  resolveCodeAction(action: CodeAction): CodeAction {
    const { uri, version } = (action.data ?? {}) as { uri?: unknown; version?: unknown };
    if (typeof uri !== 'string' || version !== this.version(uri) || this.analysis(uri)?.skipped) return action;
    const parsed = this.documents.parsed(uri)!;
    if (isRefactorData(action.data)) {
      return resolveRefactor(action, parsed.document, parsed.sourceFile, this.refactorEnvironment(uri, parsed.document.getText()));
    }
    return resolveQuickFix(action, parsed.document, parsed.sourceFile);
  }
}

/** The one diagnostic of a file the engine could not analyse, so the user knows why it is silent. */
function skippedDiagnostic(message: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 3, source: 'pattern-lens', code: 'file-skipped', message };
}

function fileNameOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? decodeURIComponent(new URL(uri).pathname) : '/';
  } catch {
    return '/';
  }
}
