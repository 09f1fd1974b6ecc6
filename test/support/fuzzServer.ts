/**
 * The fuzz suite's checks over the bundled server (dist/server.js over stdio), as an editor drives it:
 * open, edit, ask for hovers, patterns and code actions while typing (cancelling some), resolve and
 * apply an action. `check` returns what went wrong with one input; an empty list is a pass.
 */
import {
  CancellationTokenSource,
  type CancellationToken,
  CodeActionRequest,
  CodeActionResolveRequest,
  DidCloseTextDocumentNotification,
  HoverRequest,
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type Diagnostic,
  type Position,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { PATTERNS_REQUEST } from '../../server/src/protocol';
import {
  ANSWER_BOUND_MS,
  applyTextEdits,
  describeInput,
  fuzzUri,
  lineStarts,
  positionAt,
  queryPositions,
  Slowest,
  stepsOf,
  type FuzzInput,
  type Seed,
  type SpecialInput,
} from './fuzz';
import { checkDiagnostics } from './fuzzEngine';
import { TestClient } from './lsp';

/** The type-aware phase builds a language service on first use: its publish gets more time than a request. */
const TYPE_AWARE_BOUND_MS = 3 * ANSWER_BOUND_MS;

class Late extends Error {}

export class ServerFuzzer {
  readonly slowest = new Slowest();
  /** Errors the server logged or printed, and its connection closing: each belongs to the input running. */
  private readonly errors: string[] = [];
  private version = 0;
  private description = '';
  private stderrSeen = 0;
  private stopping = false;

  private constructor(
    private readonly client: TestClient,
    private readonly seeds: readonly Seed[],
  ) {
    client.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) this.errors.push(`the server logged an error: ${params.message}`);
    });
    client.connection.onClose(() => this.stopping || this.errors.push('the connection to the server closed'));
  }

  static async start(seeds: readonly Seed[], settings: unknown = {}): Promise<ServerFuzzer> {
    const { client } = await TestClient.start(settings);
    return new ServerFuzzer(client, seeds);
  }

  async check(input: FuzzInput): Promise<string[]> {
    const seed = this.seeds[input.seed]!;
    const languageId = input.languageId ?? seed.languageId;
    const { steps, text } = stepsOf(seed.text, languageId, input.mutations);
    this.description = describeInput(input, this.seeds);
    return this.run(languageId, seed.text, steps, text, input);
  }

  async checkSpecial(special: SpecialInput): Promise<string[]> {
    this.description = special.name;
    const input = { queries: [0, special.text.length >> 1, special.text.length - 1], cancelAfter: undefined, typeAware: false };
    return this.run(special.languageId, special.text, [], special.text, input);
  }

  /** Stops the server; what went wrong on the way out. */
  async stop(): Promise<string[]> {
    this.stopping = true;
    const code = await this.client.stop();
    return [...this.drain(), ...(code === 0 ? [] : [`the server exited with ${code}`])];
  }

  private async run(
    languageId: string,
    initial: string,
    steps: readonly { start: number; end: number; text: string }[],
    text: string,
    input: Pick<FuzzInput, 'queries' | 'cancelAfter' | 'typeAware'>,
  ): Promise<string[]> {
    const { client } = this;
    const problems: string[] = [];
    const uri = fuzzUri('input', languageId);
    const starts = lineStarts(text);
    try {
      await client.open(uri, initial, languageId, ++this.version);
      let current = initial;
      for (const step of steps) {
        const before = lineStarts(current);
        const range = { start: positionAt(before, step.start), end: positionAt(before, step.end) };
        await client.change(uri, ++this.version, [{ range, text: step.text }]);
        current = current.slice(0, step.start) + step.text + current.slice(step.end);
      }
      const version = this.version;

      // Requests while the edits are still being analysed; some cancelled at once.
      const positions = queryPositions(text, starts, input.queries);
      const cancel = input.cancelAfter !== undefined;
      const requests: Promise<unknown>[] = [];
      for (const position of positions) requests.push(this.request('hover', cancel, (token) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }, token), problems));
      requests.push(this.request('patterns', cancel, (token) => client.connection.sendRequest(PATTERNS_REQUEST, { uri }, token), problems));
      await Promise.all(requests);

      const diagnostics = await this.published(uri, version, ANSWER_BOUND_MS, 'diagnostics');
      problems.push(...checkDiagnostics(text, starts, diagnostics));
      if (input.typeAware && !diagnostics.some((d) => d.code === 'file-skipped')) {
        const full = await this.published(uri, version, TYPE_AWARE_BOUND_MS, 'type-aware diagnostics', (p) => p.diagnostics !== diagnostics);
        problems.push(...checkDiagnostics(text, starts, full).map((p) => `type-aware: ${p}`));
      }

      // Code actions at the queries, and fix-all; each resolved; one applied, then resolved again.
      const actions: CodeAction[] = [];
      for (const position of positions.slice(0, 2)) actions.push(...(await this.codeActions(uri, position, diagnostics, undefined, problems)));
      actions.push(...(await this.codeActions(uri, { line: 0, character: 0 }, [], ['source.fixAll'], problems)));
      let applied: { action: CodeAction; edits: readonly TextEdit[]; text: string } | undefined;
      for (const action of actions) {
        const resolved = action.edit ? action : await this.request(`resolving "${action.title}"`, false, (token) => client.connection.sendRequest(CodeActionResolveRequest.type, action, token), problems);
        const change = resolved?.edit?.documentChanges?.[0];
        if (!resolved?.edit) continue;
        if (!change || !('textDocument' in change) || change.textDocument.version !== version) {
          problems.push(`"${action.title}" resolved to an edit not versioned for this document`);
          continue;
        }
        const after = applyTextEdits(text, change.edits);
        if (Array.isArray(after)) problems.push(...after.map((p) => `"${action.title}": ${p}`));
        // Plain edits only: applyTextEdits refuses snippet edits.
        else if (!applied && action.data !== undefined) applied = { action, edits: change.edits as TextEdit[], text: after };
      }
      if (applied) {
        // As an editor applies a workspace edit: one change per edit, last first, in one notification.
        const ordered = [...applied.edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
        await client.change(uri, ++this.version, ordered.map((edit) => ({ range: edit.range, text: edit.newText })));
        const again = await this.request('resolving an applied action again', false, (token) => client.connection.sendRequest(CodeActionResolveRequest.type, applied!.action, token), problems);
        if (again?.edit) problems.push(`"${applied.action.title}" resolved to an edit again after it was applied`);
        const afterwards = await this.published(uri, this.version, ANSWER_BOUND_MS, 'diagnostics after an action');
        problems.push(...checkDiagnostics(applied.text, lineStarts(applied.text), afterwards).map((p) => `after "${applied!.action.title}": ${p}`));
      }
    } catch (error) {
      problems.push(error instanceof Late ? error.message : `the client failed: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } }).catch(() => undefined);
      client.forgetDiagnostics(uri);
    }
    problems.push(...this.drain());
    return problems;
  }

  private drain(): string[] {
    const printed = this.client.stderr.slice(this.stderrSeen);
    this.stderrSeen = this.client.stderr.length;
    return [...this.errors.splice(0), ...printed.map((s) => `the server printed: ${s}`)];
  }

  private codeActions(uri: string, position: Position, diagnostics: Diagnostic[], only: string[] | undefined, problems: string[]): Promise<CodeAction[]> {
    const range = { start: position, end: position };
    const here = diagnostics.filter((d) => d.range.start.line <= position.line && position.line <= d.range.end.line);
    const params = { textDocument: { uri }, range, context: { diagnostics: here, ...(only && { only }) } };
    return this.request(only ? 'fix all' : 'code actions', false, (token) => this.client.connection.sendRequest(CodeActionRequest.type, params, token), problems).then(
      (actions) => (actions ?? []).filter((a): a is CodeAction => 'title' in a && 'kind' in a),
    );
  }

  /**
   * One request, answered within the bound. Cancelled ones may answer RequestCancelled; any other
   * error is a handler that threw.
   */
  private async request<T>(what: string, cancel: boolean, send: (token: CancellationToken) => Promise<T>, problems: string[]): Promise<T | undefined> {
    const source = new CancellationTokenSource();
    const started = performance.now();
    const answer = send(source.token);
    if (cancel) source.cancel();
    try {
      return await within(answer, ANSWER_BOUND_MS, `${what} was not answered within ${ANSWER_BOUND_MS} ms`);
    } catch (error) {
      if (error instanceof Late) throw error;
      if (!(cancel && error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled)) problems.push(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      this.slowest.note(performance.now() - started, () => `${what} on ${this.description}`);
      source.dispose();
    }
  }

  private async published(uri: string, version: number, bound: number, what: string, accept?: (p: { diagnostics: Diagnostic[] }) => boolean): Promise<Diagnostic[]> {
    const started = performance.now();
    const diagnostics = await within(
      this.client.diagnostics(uri, version, accept && ((p) => accept(p))),
      bound,
      `${what} for version ${version} were not published within ${bound} ms`,
    );
    this.slowest.note(performance.now() - started, () => `${what} (publish) on ${this.description}`);
    return diagnostics;
  }
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Late(message)), ms)))]).finally(() => clearTimeout(timer));
}
