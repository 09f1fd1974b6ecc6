/**
 * The language server: LSP wiring only. Every answer comes from PatternLensService. Runs inside
 * VS Code (IPC) and standalone for other editors: `node dist/server.js --stdio`.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
} from 'vscode-languageserver/node';
import { PATTERNS_REQUEST, type PatternsParams } from './protocol';
import { FIX_ALL_KIND, PatternLensService, REFACTOR_KIND_PREFIX, WalkCancelled } from './service';

/**
 * Diagnostics are published this long after the last edit, so a burst of keystrokes is one walk.
 * `initializationOptions.publishDelayMs` changes it (the benchmark sets 0 to time the engine alone).
 */
let publishDelayMs = 60;
/** The type-aware phase waits for a pause in typing this long after the syntactic publish. */
const TYPE_AWARE_DELAY_MS = 400;

const connection = createConnection(ProposedFeatures.all);
const rulesDocs = path.join(__dirname, '..', 'docs', 'rules');
const service = new PatternLensService({
  onDetectorFailure: (uri, id, error) =>
    connection.console.error(`Pattern Lens: the ${id} detector failed on ${uri} and was skipped: ${error instanceof Error ? error.stack : String(error)}`),
  ruleDocsUri: (id) => pathToFileURL(path.join(rulesDocs, `${id}.md`)).href,
  log: (message) => connection.console.warn(message),
});
let canPullConfiguration = false;
let canWatchFiles = false;
let canShowDisabledActions = false;

connection.onInitialize((params) => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canShowDisabledActions = params.capabilities.textDocument?.codeAction?.disabledSupport === true;
  const initializationOptions = params.initializationOptions as { settings?: unknown; publishDelayMs?: unknown } | undefined;
  if (initializationOptions?.settings !== undefined) service.configure(initializationOptions.settings);
  const delay = initializationOptions?.publishDelayMs;
  if (typeof delay === 'number' && delay >= 0 && delay <= 10_000) publishDelayMs = delay;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, REFACTOR_KIND_PREFIX, FIX_ALL_KIND], resolveProvider: true },
    },
    serverInfo: { name: 'Pattern Lens' },
  };
});

connection.onInitialized(async () => {
  if (canWatchFiles) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/pattern-lens.json' }, { globPattern: '**/package.json' }, { globPattern: '**/tsconfig*.json' }],
    });
  }
  if (!canPullConfiguration) return;
  await connection.client.register(DidChangeConfigurationNotification.type, { section: 'patternLens' });
  await pullSettings();
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else service.configure((change.settings as { patternLens?: unknown } | undefined)?.patternLens);
  republishAll();
});

connection.onDidChangeWatchedFiles(() => {
  service.configFilesChanged();
  republishAll();
});

async function pullSettings(): Promise<void> {
  try {
    service.configure(await connection.workspace.getConfiguration('patternLens'));
  } catch (error) {
    connection.console.error(`Pattern Lens could not read its settings: ${String(error)}`);
  }
}

// ── Documents and diagnostics ──────────────────────────────────────────────────────────────────────

/** Cancels the publish scheduled for each uri. */
const pendingPublishes = new Map<string, () => void>();

/**
 * Runs `work` in `ms`; for 0, as soon as the messages already received are handled (a timer would wait
 * at least a millisecond). Returns what cancels it.
 */
function after(ms: number, work: () => void): () => void {
  if (ms === 0) {
    const immediate = setImmediate(work);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(work, ms);
  return () => clearTimeout(timer);
}

const openUris = new Set<string>();

/** Publishes the syntactic phase soon, then the type-aware phase after a pause; a new edit restarts both. */
function schedulePublish(uri: string): void {
  pendingPublishes.get(uri)?.();
  pendingPublishes.set(
    uri,
    after(publishDelayMs, () => {
      const version = service.version(uri);
      if (version === undefined) return;
      const diagnostics = guard(`checks of ${uri}`, () => service.diagnostics(uri));
      if (diagnostics) void connection.sendDiagnostics({ uri, version, diagnostics });
      if (!service.wantsTypeAwarePhase(uri)) return void pendingPublishes.delete(uri);
      pendingPublishes.set(
        uri,
        after(TYPE_AWARE_DELAY_MS, () => {
          pendingPublishes.delete(uri);
          if (service.version(uri) !== version) return;
          const diagnostics = guard(`type-aware checks of ${uri}`, () => service.fullDiagnostics(uri));
          // A synchronous phase cannot be overtaken by an edit, but the check keeps that true if it ever yields.
          if (diagnostics && service.version(uri) === version) void connection.sendDiagnostics({ uri, version, diagnostics });
        }),
      );
    }),
  );
}

/** Runs work outside a request; a failure is logged and the server goes on. */
function guard<T>(what: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    connection.console.error(`Pattern Lens: ${what} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return undefined;
  }
}

function republishAll(): void {
  for (const uri of openUris) schedulePublish(uri);
}

connection.onDidOpenTextDocument(({ textDocument: { uri, languageId, version, text } }) => {
  if (!service.open(uri, languageId, version, text)) return;
  openUris.add(uri);
  schedulePublish(uri);
});
connection.onDidChangeTextDocument(({ textDocument: { uri, version }, contentChanges }) => {
  if (!service.isOpen(uri)) return;
  service.change(uri, version, contentChanges);
  schedulePublish(uri);
});
connection.onDidCloseTextDocument(({ textDocument: { uri } }) => {
  if (!openUris.delete(uri)) return;
  pendingPublishes.get(uri)?.();
  pendingPublishes.delete(uri);
  service.close(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

// ── Requests ───────────────────────────────────────────────────────────────────────────────────────

connection.onHover(({ textDocument, position }, token) => answer(token, () => service.hover(textDocument.uri, position, token)));
connection.onRequest(PATTERNS_REQUEST, (params: PatternsParams, token) => answer(token, () => service.patterns(params.uri, token)));
connection.onCodeAction(({ textDocument, range, context }, token) =>
  answer(token, () =>
    service
      .codeActions(textDocument.uri, range, context.diagnostics, context.only, token)
      // An editor that cannot grey out an action would offer one that does nothing.
      .filter((action) => canShowDisabledActions || !action.disabled),
  ),
);
connection.onCodeActionResolve((action) => service.resolveCodeAction(action));

/** Runs a request; a cancelled analysis answers with LSP's RequestCancelled, as the protocol asks. */
function answer<T>(token: CancellationToken, compute: () => T): T | ResponseError<void> {
  try {
    if (token.isCancellationRequested) throw new WalkCancelled();
    return compute();
  } catch (error) {
    if (error instanceof WalkCancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    throw error;
  }
}

connection.listen();
