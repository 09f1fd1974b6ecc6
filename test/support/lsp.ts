import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  CodeActionRequest,
  CodeActionResolveRequest,
  PublishDiagnosticsNotification,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Range,
  type Position,
  type ProtocolConnection,
  type TextDocumentClientCapabilities,
  type TextEdit,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/edits/builder';
import { PATTERNS_REQUEST, type PatternOccurrence } from '../../server/src/protocol';

export const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

/** A language client for tests: the bundled server over stdio, as any LSP editor would start it. */
export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  /** What the server reads as the `patternLens` section when it pulls configuration. */
  settings: unknown = {};
  readonly stderr: string[] = [];
  private onConfigurationPulled: (() => void) | undefined;
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  private constructor() {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      setImmediate(() => this.onConfigurationPulled?.());
      return params.items.map((item) => (item.section === 'patternLens' ? this.settings : null));
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, [...(this.published.get(params.uri) ?? []), params]);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.listen();
  }

  /** `textDocument` adds client capabilities, e.g. `{ codeAction: { disabledSupport: true } }`. */
  static async start(settings: unknown = {}, textDocument: TextDocumentClientCapabilities = {}): Promise<{ client: TestClient; initialize: InitializeResult }> {
    const client = new TestClient();
    client.settings = settings;
    const initialize = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, ...textDocument },
      },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialize };
  }

  /** Sends new settings the way VS Code does (a change notification, then the server pulls them). */
  async configure(settings: unknown): Promise<void> {
    this.settings = settings;
    const pulled = new Promise<void>((resolve) => (this.onConfigurationPulled = resolve));
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await pulled;
  }

  async open(uri: string, text: string, languageId = 'typescript', version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  /**
   * The next diagnostics published for `uri` that `accept` takes (default: any for `version`). Already
   * received ones count, so a test never races the server.
   */
  diagnostics(uri: string, version?: number, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<Diagnostic[]> {
    const matches = (p: PublishDiagnosticsParams) => (version === undefined || p.version === version) && accept(p);
    const earlier = (this.published.get(uri) ?? []).find(matches);
    if (earlier) return Promise.resolve(earlier.diagnostics);
    return new Promise((resolve) => this.waiters.push({ uri, accept: matches, resolve: (p) => resolve(p.diagnostics) }));
  }

  /** Every diagnostics notification received for `uri` (since the last `forgetDiagnostics`), in order. */
  publishedFor(uri: string): readonly PublishDiagnosticsParams[] {
    return this.published.get(uri) ?? [];
  }

  /** Forgets diagnostics received so far (before waiting for a republish). */
  forgetDiagnostics(uri: string): void {
    this.published.delete(uri);
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only && { only }) } }) as Promise<CodeAction[]>;
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest(CodeActionResolveRequest.type, action);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  patterns(uri: string): Promise<PatternOccurrence[]> {
    return this.connection.sendRequest(PATTERNS_REQUEST, { uri });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', resolve));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

/** `text` after LSP text edits (as one `WorkspaceEdit` holds them: none overlapping). */
export function applyLspEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = text.split('\n').reduce<number[]>((starts, line) => [...starts, starts[starts.length - 1]! + line.length + 1], [0]);
  const offset = (p: Position) => lineStarts[p.line]! + p.character;
  return applyEdits(text, edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText })));
}

/** The position of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
