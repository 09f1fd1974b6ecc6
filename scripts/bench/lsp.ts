import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

export interface Published {
  readonly at: number;
  readonly params: PublishDiagnosticsParams;
}

/**
 * The bundled server over stdio, as an LSP editor starts it, with the arrival time of every
 * diagnostics notification so latencies can be read off them.
 */
export class BenchClient {
  readonly connection: ProtocolConnection;
  readonly spawnedAt = performance.now();
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly published = new Map<string, Published[]>();
  private readonly waiters: { uri: string; accept: (p: Published, index: number) => boolean; resolve: (p: Published) => void }[] = [];

  private constructor() {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.resume();
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.published.get(params.uri) ?? [];
      const entry = { at: performance.now(), params };
      list.push(entry);
      this.published.set(params.uri, list);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(entry, list.length - 1)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    });
    this.connection.listen();
  }

  /**
   * Starts and initializes a server. `publishDelayMs: 0` takes the server's debounce out of the
   * latencies; `settings` are the `patternLens` settings.
   */
  static async start(settings: unknown, publishDelayMs = 0): Promise<BenchClient> {
    const client = new BenchClient();
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, codeAction: { disabledSupport: true } } },
      initializationOptions: { settings, publishDelayMs },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  /** The `nth` (0-based) diagnostics published for `uri` at `version`, received already or to come. */
  diagnostics(uri: string, version: number, nth = 0): Promise<Published> {
    const accept = (p: Published, index: number) =>
      p.params.version === version && this.published.get(uri)!.slice(0, index + 1).filter((q) => q.params.version === version).length === nth + 1;
    const earlier = (this.published.get(uri) ?? []).find((p, index) => accept(p, index));
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  /** Resident memory of the server process now, and its peak so far (MB), as the kernel counts them. */
  memory(): { rssMB: number; peakMB: number } {
    const status = fs.readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
    return { rssMB: kB('VmRSS') / 1024, peakMB: kB('VmHWM') / 1024 };
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    await exited;
    this.connection.dispose();
  }
}
