/// <reference lib="dom" />
/**
 * The language server crashes (killed) in a real VS Code: the client restarts it, hovers come back,
 * and the user is told once, however often it happens.
 *
 * Run with `npm run test:e2e` (scripts/e2e.sh).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DARK_THEME, descendantsRunning, Harness } from './harness';

/** The installed extension's directory is `pattern-lens.pattern-lens-<version>`. */
const SERVER = ['pattern-lens', path.join('dist', 'server.js')];
const NOTICE = 'language server stopped unexpectedly and was restarted';
const HOVER = 'Class member decorator (Stage 3)';

describe('Pattern Lens after its language server crashes', { timeout: 10 * 60_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await Harness.launch({ theme: DARK_THEME });
  }, { timeout: 240_000 });

  after(async () => {
    await h?.close();
  }, { timeout: 60_000 });

  /** The one language server process of ours (a descendant of this test, through code-server). */
  const serverPid = (other?: number) =>
    h.until('one language server process', async () => {
      const pids = descendantsRunning(...SERVER).filter((pid) => pid !== other);
      return pids.length === 1 ? pids[0] : undefined;
    }, 30_000);

  test('the client restarts the server, hovers come back, and the user is told once', { timeout: 300_000 }, async () => {
    await h.step('open src/decorators.ts', () => h.openFile('src/decorators.ts'));
    await h.step('a hover: the server is up', () => h.hoverUntil(14, 4, HOVER), 90_000);
    const first = await h.step('find the server process', () => serverPid());

    await h.step('kill the server', async () => process.kill(first, 'SIGKILL'));
    await h.step('the notice says it was restarted', () =>
      h.page.locator('.notifications-toasts .notification-toast', { hasText: NOTICE }).first().waitFor({ state: 'visible', timeout: 60_000 }));
    const second = await h.step('a new server process', () => serverPid(first));
    await h.page.mouse.move(5, 5);
    await h.step('hovers work again', () => h.hoverUntil(14, 4, HOVER), 60_000);

    await h.step('kill it again', async () => process.kill(second, 'SIGKILL'));
    await h.step('a third server process', () => serverPid(second));
    await h.page.mouse.move(5, 5);
    await h.step('hovers work again', () => h.hoverUntil(14, 4, HOVER), 60_000);
    await h.page.keyboard.press('Escape');

    await h.step('the notification center holds the notice once', async () => {
      await h.runCommand('Notifications: Show Notifications');
      const center = h.page.locator('.notifications-center');
      await center.waitFor({ state: 'visible' });
      const messages = await center.locator('.notification-list-item-message').allTextContents();
      assert.equal(messages.filter((m) => m.includes(NOTICE)).length, 1, messages.join(' | '));
    });
  });
});
