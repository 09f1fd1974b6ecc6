/**
 * The language server: LSP wiring only. Every answer comes from PatternLensService. Runs inside
 * VS Code (IPC) and standalone for other editors: `node dist/server.js --stdio`.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
} from 'vscode-languageserver/node';
import { PATTERNS_REQUEST, type PatternsParams } from './protocol';
import { PatternLensService, WalkCancelled } from './service';

const connection = createConnection(ProposedFeatures.all);
const service = new PatternLensService();
let canPullConfiguration = false;

connection.onInitialize((params) => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
  if (initial !== undefined) service.configure(initial);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
    },
    serverInfo: { name: 'Pattern Lens' },
  };
});

connection.onInitialized(async () => {
  if (!canPullConfiguration) return;
  await connection.client.register(DidChangeConfigurationNotification.type, { section: 'patternLens' });
  await pullSettings();
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else service.configure((change.settings as { patternLens?: unknown } | undefined)?.patternLens);
});

async function pullSettings(): Promise<void> {
  try {
    service.configure(await connection.workspace.getConfiguration('patternLens'));
  } catch (error) {
    connection.console.error(`Pattern Lens could not read its settings: ${String(error)}`);
  }
}

connection.onDidOpenTextDocument(({ textDocument: { uri, languageId, version, text } }) => {
  service.open(uri, languageId, version, text);
});
connection.onDidChangeTextDocument(({ textDocument: { uri, version }, contentChanges }) => {
  service.change(uri, version, contentChanges);
});
connection.onDidCloseTextDocument(({ textDocument: { uri } }) => service.close(uri));

connection.onHover(({ textDocument, position }, token) =>
  answer(token, () => service.hover(textDocument.uri, position, token)),
);
connection.onRequest(PATTERNS_REQUEST, (params: PatternsParams, token) =>
  answer(token, () => service.patterns(params.uri, token)),
);

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
