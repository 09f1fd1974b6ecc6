import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_IDS } from '../../server/src/languages';
import { COMMANDS, HOVER_LINK_COMMANDS } from '../../server/src/service/commands';
import { registerCheatSheet } from './cheatSheet';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGE_IDS.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'patternLens' },
    // Hover links may run our own commands and nothing else.
    markdown: { isTrusted: { enabledCommands: [...HOVER_LINK_COMMANDS] }, supportHtml: false },
    errorHandler: restartingWithNotice(() => client!),
  };
  client = new LanguageClient('patternLens', 'Pattern Lens', serverOptions, clientOptions);

  context.subscriptions.push(
    client,
    vscode.commands.registerCommand(COMMANDS.mutePattern, (id: unknown) => mutePattern(id)),
    vscode.commands.registerCommand(COMMANDS.resetMutedPatterns, () => resetMutedPatterns()),
  );
  registerCheatSheet(context, client);

  // Not awaited: activation stays instant while the server starts in its own process.
  client.start().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`Pattern Lens could not start its language server: ${String(error)}`);
  });
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/**
 * The client's own policy (restart a crashed server, up to 4 times in 3 minutes, then give up with an
 * error), but the first restart is announced, once: the library only logs it, and a user whose hovers
 * went missing for a moment should know why. Later restarts are in the output channel.
 */
function restartingWithNotice(client: () => LanguageClient): ErrorHandler {
  let policy: ErrorHandler | undefined;
  let announced = false;
  const defaults = () => (policy ??= client().createDefaultErrorHandler());
  return {
    error: (error, message, count) => defaults().error(error, message, count),
    async closed() {
      const result = await defaults().closed();
      if (result.action !== CloseAction.Restart) return result;
      if (!announced) {
        announced = true;
        void vscode.window.showInformationMessage('Pattern Lens: its language server stopped unexpectedly and was restarted. Details are in the "Pattern Lens" output.');
      }
      return { ...result, handled: true };
    },
  };
}

const PATTERN_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

async function mutePattern(id: unknown): Promise<void> {
  if (typeof id !== 'string' || !PATTERN_ID.test(id)) return;
  const settings = vscode.workspace.getConfiguration('patternLens');
  const muted = settings.get<string[]>('patterns.muted', []);
  if (!muted.includes(id)) {
    await settings.update('patterns.muted', [...muted, id], vscode.ConfigurationTarget.Global);
  }
  void vscode.window.showInformationMessage(
    `Pattern Lens: hovers for "${id}" are muted. Run "Pattern Lens: Reset Muted Patterns" to bring them back.`,
  );
}

async function resetMutedPatterns(): Promise<void> {
  await vscode.workspace
    .getConfiguration('patternLens')
    .update('patterns.muted', undefined, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage('Pattern Lens: every pattern shows its hover again.');
}
