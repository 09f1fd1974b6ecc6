/**
 * The cheat-sheet webview panel: one at a time, restored after a window reload by its serializer.
 *
 * The page (media/cheatsheet.js) renders everything from messages; the HTML is a static skeleton.
 * Every message from the page is validated (cheatSheetMessages.ts) against the catalog the
 * extension posted: the page can only ask to insert one of the catalog's snippets, open one of the
 * catalog's https links, or jump to an occurrence from the last list the extension sent.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LANGUAGE_IDS } from '../../server/src/languages';
import { PATTERNS_REQUEST, type PatternsParams } from '../../server/src/protocol';
import { COMMANDS } from '../../server/src/service/commands';
import { cheatSheetHtml } from './cheatSheetHtml';
import {
  EMPTY_INDEX,
  indexCatalog,
  parseCatalog,
  parseExtensionMessage,
  parseOccurrences,
  parseOpenArgument,
  parsePageMessage,
  type CatalogIndex,
  type ExtensionMessage,
  type PageMessage,
  type PatternsState,
  type SheetEntry,
} from './cheatSheetMessages';

export const CHEAT_SHEET_VIEW_TYPE = 'patternLens.cheatSheet';
const TITLE = 'Pattern Lens Cheat Sheet';

/** How long to wait after the last edit before asking the server again for the file's patterns. */
const EDIT_DEBOUNCE_MS = 400;
const EDITOR_CHANGE_DEBOUNCE_MS = 80;

/** Editors we never insert into or list: output and debug consoles show up as text editors too. */
const NOT_EDITABLE_SCHEMES = new Set(['output', 'debug', 'vscode-scm', 'comment']);

export function registerCheatSheet(context: vscode.ExtensionContext, client: LanguageClient): void {
  const controller = new CheatSheetController(context, client);
  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand(COMMANDS.openCheatSheet, (entryId?: unknown) => controller.open(entryId)),
    vscode.window.registerWebviewPanelSerializer(CHEAT_SHEET_VIEW_TYPE, {
      // The page restores its own state (search, filters, scroll, selection) from getState().
      deserializeWebviewPanel: async (panel) => controller.adopt(panel),
    }),
  );
}

interface PatternList {
  readonly seq: number;
  readonly document?: vscode.TextDocument;
  readonly ranges: readonly vscode.Range[];
}

class CheatSheetController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** True between the page's `ready` and the moment its content is thrown away (hidden or disposed). */
  private ready = false;
  private catalog: CatalogIndex = EMPTY_INDEX;
  private catalogEntries: readonly SheetEntry[] = [];
  private catalogProblem: string | undefined;
  private catalogLoaded = false;
  /** An entry to show once the page is ready. */
  private pendingEntry: string | undefined;

  /** The last text editor the user was in: where "Insert snippet" goes (the webview takes focus). */
  private lastEditor: vscode.TextEditor | undefined;
  /** The last TypeScript/JavaScript editor: whose patterns the page lists. */
  private codeEditor: vscode.TextEditor | undefined;
  private patternList: PatternList = { seq: 0, ranges: [] };
  /** Numbers every refresh; an answer that is not for the latest one is dropped. */
  private requestSeq = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshCancel: vscode.CancellationTokenSource | undefined;
  private readonly output: vscode.LogOutputChannel;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    this.output = vscode.window.createOutputChannel('Pattern Lens Cheat Sheet', { log: true });
    this.noteEditor(vscode.window.activeTextEditor);
    this.disposables.push(
      this.output,
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const before = this.codeEditor;
        this.noteEditor(editor);
        if (this.codeEditor !== before) this.scheduleRefresh(EDITOR_CHANGE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && event.document === this.codeEditor?.document) {
          this.scheduleRefresh(EDIT_DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document === this.codeEditor?.document) this.scheduleRefresh(EDITOR_CHANGE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.codeEditor?.document) {
          this.codeEditor = undefined;
          this.scheduleRefresh(0);
        }
        if (document === this.lastEditor?.document) this.lastEditor = undefined;
      }),
    );
  }

  /** `patternLens.openCheatSheet [entryId]`: opens or reveals the one panel, optionally at an entry. */
  async open(argument: unknown): Promise<void> {
    const entryId = parseOpenArgument(argument);
    if (argument !== undefined && entryId === undefined) {
      this.output.warn(`openCheatSheet: ignored an argument that is not a catalog id: ${describe(argument)}`);
    }
    if (entryId !== undefined) {
      await this.loadCatalog();
      if (this.catalog.entries.has(entryId)) {
        this.pendingEntry = entryId;
      } else {
        void vscode.window.showWarningMessage(`Pattern Lens: the cheat sheet has no entry "${entryId}".`);
      }
    }
    if (this.panel) {
      this.panel.reveal(undefined, false);
      this.flushPendingEntry();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      CHEAT_SHEET_VIEW_TYPE,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      this.webviewOptions(),
    );
    this.attach(panel);
  }

  /** A panel VS Code restored after a window reload. */
  async adopt(panel: vscode.WebviewPanel): Promise<void> {
    if (this.panel) {
      // Only one cheat sheet: keep the one we have.
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      enableFindWidget: true,
      // The page saves its state with setState and rebuilds itself when shown again.
      retainContextWhenHidden: false,
      localResourceRoots: [this.mediaUri()],
    };
  }

  private mediaUri(...parts: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'media', ...parts);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const { webview } = panel;
    webview.html = cheatSheetHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(this.mediaUri('cheatsheet.js')).toString(),
      styleUri: webview.asWebviewUri(this.mediaUri('cheatsheet.css')).toString(),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        // `ready` is the only message that can arrive before the catalog is known.
        const message = parsePageMessage(raw, this.catalog);
        if (message) {
          this.handle(message).catch((error: unknown) => this.output.error(`cheat sheet: ${String(error)}`));
        } else {
          this.output.warn(`cheat sheet: ignored a malformed message: ${describe(raw)}`);
        }
      }),
      panel.onDidChangeViewState(() => {
        // A hidden webview loses its page (retainContextWhenHidden is off); it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.detach(panel)),
    );
  }

  private detach(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    this.ready = false;
    this.pendingEntry = undefined;
    // A new panel reads the catalog again.
    this.catalogLoaded = false;
    this.refreshCancel?.cancel();
    for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
  }

  private async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.loadCatalog();
        this.ready = true;
        this.post({
          type: 'catalog',
          entries: this.catalogEntries,
          ...(this.catalogProblem ? { problem: this.catalogProblem } : {}),
        });
        this.flushPendingEntry();
        this.scheduleRefresh(0);
        return;
      case 'insertSnippet':
        return this.insertSnippet(message.id, message.prefix);
      case 'openLink':
        // parsePageMessage only lets through https URLs that are in the catalog.
        await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        return;
      case 'jumpToPattern':
        return this.jumpTo(message.seq, message.index);
    }
  }

  private post(message: ExtensionMessage): void {
    if (!this.panel || !this.ready) return;
    if (!parseExtensionMessage(message)) {
      this.output.error(`cheat sheet: refused to post an invalid ${message.type} message`);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private flushPendingEntry(): void {
    if (this.pendingEntry === undefined || !this.ready) return;
    this.post({ type: 'showEntry', id: this.pendingEntry });
    this.pendingEntry = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Catalog

  /** Reads and validates media/catalog.json once per panel (it only changes with the extension). */
  private async loadCatalog(): Promise<void> {
    if (this.catalogLoaded) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(this.mediaUri('catalog.json'));
      const { entries, problems } = parseCatalog(JSON.parse(new TextDecoder().decode(bytes)) as unknown);
      for (const problem of problems) this.output.warn(`catalog.json: ${problem}`);
      this.catalogEntries = entries;
      this.catalog = indexCatalog(entries);
      this.catalogProblem = problems.length > 0 ? `Some catalog entries could not be shown (${problems.length} problem(s); see the "Pattern Lens Cheat Sheet" output).` : undefined;
      this.catalogLoaded = true;
    } catch (error) {
      this.output.error(`could not read media/catalog.json: ${String(error)}`);
      this.catalogEntries = [];
      this.catalog = EMPTY_INDEX;
      this.catalogProblem = 'The catalog could not be read. Reinstalling the extension may help.';
    }
  }

  // -------------------------------------------------------------------------------------------
  // Insert snippet

  private noteEditor(editor: vscode.TextEditor | undefined): void {
    if (!editor || NOT_EDITABLE_SCHEMES.has(editor.document.uri.scheme)) return;
    this.lastEditor = editor;
    if ((LANGUAGE_IDS as readonly string[]).includes(editor.document.languageId)) this.codeEditor = editor;
  }

  private async insertSnippet(id: string, prefix: string): Promise<void> {
    const snippet = this.catalog.entries.get(id)?.snippets.find((candidate) => candidate.prefix === prefix);
    if (!snippet) return;
    const target = this.lastEditor;
    if (!target || target.document.isClosed) {
      void vscode.window.showInformationMessage('Pattern Lens: open a file in an editor, then insert the snippet again.');
      return;
    }
    // Bring the editor back (it may sit under the panel) at the selection the user left, with focus,
    // so the snippet's tab stops work.
    const editor = await vscode.window.showTextDocument(target.document, {
      viewColumn: target.viewColumn,
      selection: target.selection,
      preserveFocus: false,
    });
    const inserted = await editor.insertSnippet(new vscode.SnippetString(snippet.body.join('\n')));
    if (!inserted) {
      void vscode.window.showWarningMessage(`Pattern Lens: could not insert "${prefix}" (is the file read-only?).`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Patterns in this file

  private scheduleRefresh(delay: number): void {
    if (!this.panel) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshPatterns().catch((error: unknown) => this.output.error(`patterns: ${String(error)}`));
    }, delay);
  }

  private async refreshPatterns(): Promise<void> {
    if (!this.panel || !this.ready) return; // `ready` schedules a refresh when the page is back
    this.refreshCancel?.cancel();
    const cancel = new vscode.CancellationTokenSource();
    this.refreshCancel = cancel;
    const seq = ++this.requestSeq;
    const editor = this.codeEditor;
    if (!editor || editor.document.isClosed) {
      this.publish({ seq, ranges: [] }, 'noEditor', [], undefined);
      return;
    }
    const document = editor.document;
    const file = vscode.workspace.asRelativePath(document.uri, false);
    const params: PatternsParams = { uri: document.uri.toString() };
    let raw: unknown;
    try {
      raw = await this.client.sendRequest(PATTERNS_REQUEST, params, cancel.token);
    } catch (error) {
      if (cancel.token.isCancellationRequested) return;
      this.output.warn(`patternLens/patterns failed: ${String(error)}`);
      this.publish({ seq, ranges: [] }, 'unavailable', [], file);
      return;
    } finally {
      cancel.dispose();
      if (this.refreshCancel === cancel) this.refreshCancel = undefined;
    }
    if (cancel.token.isCancellationRequested || seq !== this.requestSeq) return;
    const occurrences = parseOccurrences(raw);
    if (!occurrences) {
      this.output.warn('patternLens/patterns: the server answered with something that is not a list');
      this.publish({ seq, ranges: [] }, 'unavailable', [], file);
      return;
    }
    const ranges = occurrences.map(
      ({ start, end }) => new vscode.Range(start.line, start.character, end.line, end.character),
    );
    const items = occurrences.map(({ id, start }) => ({ id, line: start.line, character: start.character }));
    this.publish({ seq, document, ranges }, 'ok', items, file);
  }

  private publish(
    list: PatternList,
    state: PatternsState,
    items: { id: string; line: number; character: number }[],
    file: string | undefined,
  ): void {
    this.patternList = list;
    this.post({ type: 'patterns', seq: list.seq, state, items, ...(file ? { file: file.slice(0, 300) } : {}) });
  }

  private async jumpTo(seq: number, index: number): Promise<void> {
    const { document, ranges } = this.patternList;
    const range = ranges[index];
    // A click on an outdated list (the file changed since) does nothing; a fresh list is on its way.
    if (seq !== this.patternList.seq || !document || !range || document.isClosed) return;
    const column = this.codeEditor?.document === document ? this.codeEditor.viewColumn : undefined;
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: column ?? vscode.ViewColumn.One,
      selection: range,
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshCancel?.cancel();
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** A short, safe description of an unexpected value for the log. */
function describe(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? typeof value : json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    return typeof value;
  }
}
