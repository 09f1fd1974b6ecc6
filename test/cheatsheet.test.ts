/**
 * The cheat-sheet panel: message validation, the page's HTML and CSP, and the page itself in
 * headless Chromium (Debian's /usr/bin/chromium) with a stub `acquireVsCodeApi`.
 *
 * Set CHEATSHEET_SCREENSHOTS=/some/dir to also save light and dark screenshots there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cheatSheetHtml, contentSecurityPolicy, createNonce } from '../client/src/cheatSheetHtml';
import {
  indexCatalog,
  LIMITS,
  parseCatalog,
  parseExtensionMessage,
  parseOccurrences,
  parseOpenArgument,
  parsePageMessage,
  parsePageState,
  type SheetEntry,
} from '../client/src/cheatSheetMessages';

const ROOT = path.join(__dirname, '..');
const MEDIA = path.join(ROOT, 'media');
const rawCatalog: unknown = JSON.parse(fs.readFileSync(path.join(MEDIA, 'catalog.json'), 'utf8'));

/** Extra entries beside the real catalog: a gotcha, hostile text, and prose links. */
const EXTRA: SheetEntry[] = [
  {
    id: 'zz-test-gotcha',
    kind: 'gotcha',
    category: 'runtime',
    title: 'Test gotcha <img src=x id=pwned-title>',
    summary: 'Summary with `inline code`, **bold text** and [a doc link](https://example.com/doc) and [bad](javascript:alert(1)).',
    what: 'First paragraph.\n\nSecond paragraph <script>globalThis.pwned = 1</script>.',
    pitfall: 'A pitfall.',
    example: 'const x: number = 1;\n',
    python: { name: 'the `with` statement', example: 'with open(p) as f:\n    data = f.read()', note: 'A note.' },
    links: [{ title: 'Example docs', url: 'https://example.com/docs' }],
    snippets: [{ prefix: 'pl-test-gotcha', description: 'Test snippet', body: ['const ${1:x} = 1;'] }],
    rule: {
      defaultSeverity: 'warning',
      incorrect: ['if (a == b) {}\n', 'if (a != b) {}\n'],
      correct: ['if (a === b) {}\n'],
      fixes: [{ title: 'Use `===`', safe: false }],
      requiresTypes: true,
    },
  },
];

/** Inline markdown (`code`, **bold**, [text](url)) as the page shows it: text without the marks. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`\n]+)`|\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)/g, (_m, code, bold, link) => code ?? (bold ? plain(bold) : plain(link)));
}

const parsed = parseCatalog(rawCatalog);
const catalogEntries = parsed.entries;
const allEntries: SheetEntry[] = [...catalogEntries, ...EXTRA];
const index = indexCatalog(allEntries);
const withSnippet = catalogEntries.find((entry) => entry.snippets.length > 0);

describe('catalog validation', () => {
  test('media/catalog.json passes the same validation the extension applies', () => {
    assert.deepEqual(parsed.problems, []);
    assert.equal(catalogEntries.length, (rawCatalog as unknown[]).length);
    assert.ok(catalogEntries.length > 0);
  });

  test('malformed entries are left out and reported; good ones are kept', () => {
    const good = EXTRA[0]!;
    const result = parseCatalog([
      good,
      { ...good }, // duplicate id
      { ...good, id: 'Bad Id' },
      { ...good, id: 'no-title', title: 42 },
      { ...good, id: 'long-title', title: 'x'.repeat(LIMITS.short + 1) },
      { ...good, id: 'bad-python', python: { name: 'x' } },
      { ...good, id: 'bad-snippet', snippets: [{ prefix: 'p', body: 'not an array' }] },
      { ...good, id: 'kind-number', kind: 1 },
      { ...good, id: 'bad-severity', rule: { ...good.rule, defaultSeverity: 'fatal' } },
      { ...good, id: 'bad-fix', rule: { ...good.rule, fixes: [{ title: 'x' }] } },
      null,
      'string',
    ]);
    assert.deepEqual(
      result.entries.map((entry) => entry.id),
      ['zz-test-gotcha'],
    );
    assert.equal(result.problems.length, 11);
  });

  test('links that are not https are dropped from the entry and reported', () => {
    const good = EXTRA[0]!;
    const result = parseCatalog([
      {
        ...good,
        links: [
          { title: 'plain http', url: 'http://example.com/' },
          { title: 'script', url: 'javascript:alert(1)' },
          { title: 'ok', url: 'https://example.com/ok' },
        ],
      },
    ]);
    assert.deepEqual(result.entries[0]!.links, [{ title: 'ok', url: 'https://example.com/ok' }]);
    assert.equal(result.problems.length, 2);
  });

  test('a catalog that is not an array is reported', () => {
    assert.deepEqual(parseCatalog({}).entries, []);
    assert.equal(parseCatalog({}).problems.length, 1);
  });

  test('the URL allow-list holds the links and the https links inside prose, nothing else', () => {
    assert.ok(index.urls.has('https://example.com/docs'));
    assert.ok(index.urls.has('https://example.com/doc'));
    assert.ok(![...index.urls].some((url) => !url.startsWith('https://')));
    for (const entry of catalogEntries) for (const link of entry.links) assert.ok(index.urls.has(link.url));
  });
});

describe('messages from the page', () => {
  const gotcha = EXTRA[0]!;
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'insertSnippet', id: gotcha.id, prefix: 'pl-test-gotcha' },
    { type: 'openLink', url: 'https://example.com/docs' },
    { type: 'openLink', url: 'https://example.com/doc' },
    { type: 'jumpToPattern', seq: 3, index: 0 },
  ];
  if (withSnippet) valid.push({ type: 'insertSnippet', id: withSnippet.id, prefix: withSnippet.snippets[0]!.prefix });
  for (const entry of catalogEntries) {
    for (const link of entry.links) valid.push({ type: 'openLink', url: link.url });
  }

  test('every valid message is accepted unchanged', () => {
    for (const message of valid) assert.deepEqual(parsePageMessage(message, index), message, JSON.stringify(message));
  });

  const malformed: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', {}],
    ['unknown type', { type: 'runCommand', command: 'workbench.action.quit' }],
    ['type of the wrong type', { type: 1 }],
    ['extra property on ready', { type: 'ready', extra: true }],
    ['extra property on insert', { type: 'insertSnippet', id: gotcha.id, prefix: 'pl-test-gotcha', body: ['x'] }],
    ['insert: id not a string', { type: 'insertSnippet', id: 1, prefix: 'pl-test-gotcha' }],
    ['insert: unknown id', { type: 'insertSnippet', id: 'no-such-entry', prefix: 'pl-test-gotcha' }],
    ['insert: id not id-shaped', { type: 'insertSnippet', id: '../etc', prefix: 'pl-test-gotcha' }],
    ['insert: unknown prefix', { type: 'insertSnippet', id: gotcha.id, prefix: 'pl-other' }],
    ['insert: extra-long prefix', { type: 'insertSnippet', id: gotcha.id, prefix: 'p'.repeat(100_000) }],
    ['insert: extra-long id', { type: 'insertSnippet', id: 'a'.repeat(LIMITS.id + 1), prefix: 'pl-test-gotcha' }],
    ['insert: missing prefix', { type: 'insertSnippet', id: gotcha.id }],
    ['link: http', { type: 'openLink', url: 'http://example.com/docs' }],
    ['link: javascript', { type: 'openLink', url: 'javascript:alert(1)' }],
    ['link: data', { type: 'openLink', url: 'data:text/html,hi' }],
    ['link: file', { type: 'openLink', url: 'file:///etc/passwd' }],
    ['link: command', { type: 'openLink', url: 'command:workbench.action.quit' }],
    ['link: https not in the catalog', { type: 'openLink', url: 'https://evil.example/' }],
    ['link: https with credentials', { type: 'openLink', url: 'https://user:pw@example.com/docs' }],
    ['link: not a string', { type: 'openLink', url: { href: 'https://example.com/docs' } }],
    ['link: extra-long', { type: 'openLink', url: `https://example.com/${'a'.repeat(LIMITS.url)}` }],
    ['jump: negative index', { type: 'jumpToPattern', seq: 1, index: -1 }],
    ['jump: fractional index', { type: 'jumpToPattern', seq: 1, index: 0.5 }],
    ['jump: index as string', { type: 'jumpToPattern', seq: 1, index: '0' }],
    ['jump: NaN seq', { type: 'jumpToPattern', seq: Number.NaN, index: 0 }],
    ['jump: infinite seq', { type: 'jumpToPattern', seq: Number.POSITIVE_INFINITY, index: 0 }],
    ['jump: huge index', { type: 'jumpToPattern', seq: 1, index: LIMITS.occurrences }],
    ['jump: carries a uri', { type: 'jumpToPattern', seq: 1, index: 0, uri: 'file:///etc/passwd' }],
  ];
  for (const [name, message] of malformed) {
    test(`rejects ${name}`, () => assert.equal(parsePageMessage(message, index), undefined));
  }

  test('before the catalog is known, only ready is accepted', () => {
    const empty = indexCatalog([]);
    assert.deepEqual(parsePageMessage({ type: 'ready' }, empty), { type: 'ready' });
    assert.equal(parsePageMessage({ type: 'insertSnippet', id: gotcha.id, prefix: 'pl-test-gotcha' }, empty), undefined);
    assert.equal(parsePageMessage({ type: 'openLink', url: 'https://example.com/docs' }, empty), undefined);
  });
});

describe('messages from the extension, the server answer, state and the command argument', () => {
  test('messages the extension builds are valid', () => {
    const messages = [
      { type: 'catalog', entries: allEntries },
      { type: 'catalog', entries: [], problem: 'The catalog could not be read.' },
      { type: 'showEntry', id: 'zz-test-gotcha' },
      { type: 'patterns', seq: 1, state: 'noEditor', items: [] },
      { type: 'patterns', seq: 2, state: 'ok', file: 'src/a.ts', items: [{ id: 'zz-test-gotcha', line: 0, character: 4 }] },
    ];
    for (const message of messages) assert.deepEqual(parseExtensionMessage(message), message);
  });

  test('malformed extension messages are rejected', () => {
    for (const message of [
      { type: 'catalog', entries: [{ id: 'x' }] },
      { type: 'showEntry', id: 'Not An Id' },
      { type: 'patterns', seq: 1, state: 'weird', items: [] },
      { type: 'patterns', seq: 1, state: 'ok', items: [{ id: 'x', line: -1, character: 0 }] },
      { type: 'patterns', seq: 1, state: 'ok', items: [], text: 'document text' },
      { type: 'other' },
    ]) {
      assert.equal(parseExtensionMessage(message), undefined, JSON.stringify(message));
    }
  });

  test('the server answer keeps well-formed occurrences only', () => {
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };
    assert.deepEqual(parseOccurrences([{ id: 'method-decorator', range }, { id: 'x' }, { id: 1, range }, null]), [
      { id: 'method-decorator', start: range.start, end: range.end },
    ]);
    assert.equal(parseOccurrences({}), undefined);
    assert.equal(parseOccurrences(null), undefined);
  });

  test('page state', () => {
    assert.deepEqual(parsePageState({ search: 'dec', category: 'decorators', kind: '', scrollY: 10, selectedId: 'method-decorator' }), {
      search: 'dec',
      category: 'decorators',
      kind: '',
      selectedId: 'method-decorator',
      scrollY: 10,
    });
    assert.deepEqual(parsePageState({}), { search: '', category: '', kind: '', scrollY: 0 });
    assert.equal(parsePageState({ search: 1 }), undefined);
    assert.equal(parsePageState({ scrollY: -5 }), undefined);
    assert.equal(parsePageState({ selectedId: '<b>' }), undefined);
    assert.equal(parsePageState('x'), undefined);
  });

  test('the open command takes a catalog id or nothing', () => {
    assert.equal(parseOpenArgument('method-decorator'), 'method-decorator');
    assert.equal(parseOpenArgument(undefined), undefined);
    assert.equal(parseOpenArgument({ id: 'method-decorator' }), undefined);
    assert.equal(parseOpenArgument('a b'), undefined);
    assert.equal(parseOpenArgument('x'.repeat(500)), undefined);
  });
});

describe('page HTML and CSP', () => {
  const options = {
    cspSource: 'vscode-webview://abc123',
    scriptUri: 'vscode-webview://abc123/media/cheatsheet.js',
    styleUri: 'vscode-webview://abc123/media/cheatsheet.css',
  };

  function cspOf(html: string): string {
    const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(match, 'the page has a CSP meta tag');
    return match[1]!.replace(/&#39;|&apos;/g, "'");
  }

  test('the CSP is strict and the script carries its nonce', () => {
    const html = cheatSheetHtml(options);
    const csp = cspOf(html);
    const directives = new Map(
      csp.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('style-src'), [options.cspSource]);
    assert.deepEqual(directives.get('img-src'), [options.cspSource]);
    assert.deepEqual(directives.get('font-src'), [options.cspSource]);
    const script = directives.get('script-src')!;
    assert.equal(script.length, 1);
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(script[0]!)?.[1];
    assert.ok(nonce, 'script-src is a nonce');
    assert.equal(Buffer.from(nonce, 'base64').length, 32);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    assert.doesNotMatch(csp.split(options.cspSource).join(''), /https?:/, 'no http(s) source besides the webview one');

    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]![2], '', 'no inline script');
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
    assert.match(scripts[0]![1]!, /src="vscode-webview:\/\/abc123\/media\/cheatsheet\.js"/);
    assert.match(html, /<link rel="stylesheet" href="vscode-webview:\/\/abc123\/media\/cheatsheet\.css">/);
    assert.doesNotMatch(html, /\son[a-z]+=|style=|<style/i, 'no inline handlers or styles');
  });

  test('nonces differ per render', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => /'nonce-([^']+)'/.exec(cspOf(cheatSheetHtml(options)))![1]));
    assert.equal(nonces.size, 20);
    assert.notEqual(createNonce(), createNonce());
  });

  test('attribute values are escaped', () => {
    const html = cheatSheetHtml({ ...options, scriptUri: 'x"><script>alert(1)</script>' });
    assert.doesNotMatch(html, /"><script>alert/);
    assert.match(contentSecurityPolicy('a', 'n'), /script-src 'nonce-n'/);
  });

  test('the HTML carries no catalog text: the page renders it from a validated message', () => {
    const html = cheatSheetHtml(options);
    for (const entry of allEntries) {
      for (const text of [entry.title, entry.summary, entry.what, entry.pitfall, entry.python?.name, entry.example]) {
        if (text) assert.ok(!html.includes(text), `the HTML contains ${JSON.stringify(text.slice(0, 40))}`);
      }
    }
  });

  test('the page script builds DOM without HTML parsing or eval', () => {
    const js = fs
      .readFileSync(path.join(MEDIA, 'cheatsheet.js'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"]on|\.on[a-z]+\s*=/);
    assert.doesNotMatch(js, /https?:\/\/[\w-]/, 'no remote URL in the script');
  });

  test('the stylesheet uses theme variables only', () => {
    const css = fs.readFileSync(path.join(MEDIA, 'cheatsheet.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(|@import|url\(/i);
    for (const [, property, value] of css.matchAll(/(?:^|[;{\s])((?:background-)?color|border(?:-[a-z]+)*-color|outline-color)\s*:\s*([^;]+);/g)) {
      assert.match(value!, /^(var\(--|transparent|inherit|currentColor)/, `${property}: ${value}`);
    }
    assert.match(css, /body\.vscode-high-contrast/);
    assert.match(css, /--vscode-focusBorder/);
  });
});

// ---------------------------------------------------------------------------------------------
// The page in headless Chromium

const CHROMIUM = '/usr/bin/chromium';

const LIGHT: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-editor-font-size': '13px',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-widget-border': '#e5e5e5',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textLink-activeForeground': '#005fb8',
  '--vscode-textCodeBlock-background': '#f0f0f0',
  '--vscode-textPreformat-foreground': '#3b3b3b',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#3b3b3b',
  '--vscode-input-border': '#cecece',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-inputValidation-warningBackground': '#f6f5d2',
  '--vscode-inputValidation-warningBorder': '#b89500',
};

const DARK: Record<string, string> = {
  ...LIGHT,
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-widget-border': '#313131',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textLink-activeForeground': '#4daafc',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-textPreformat-foreground': '#d0d0d0',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-inputValidation-warningBorder': '#b89500',
};

describe('the page in headless Chromium', { skip: fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  // Loaded lazily so the unit tests above run even where playwright-core cannot load.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  let browser: import('playwright-core').Browser;
  let server: http.Server;
  let origin = '';

  before(async () => {
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const files: Record<string, [string, () => string]> = {
        '/index.html': [
          'text/html; charset=utf-8',
          () =>
            cheatSheetHtml({
              cspSource: origin,
              scriptUri: `${origin}/media/cheatsheet.js`,
              styleUri: `${origin}/media/cheatsheet.css`,
            }),
        ],
        '/media/cheatsheet.js': ['text/javascript', () => fs.readFileSync(path.join(MEDIA, 'cheatsheet.js'), 'utf8')],
        '/media/cheatsheet.css': ['text/css', () => fs.readFileSync(path.join(MEDIA, 'cheatsheet.css'), 'utf8')],
      };
      const file = files[url.pathname];
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  interface Harness {
    // eslint-disable-next-line @typescript-eslint/consistent-type-imports
    page: import('playwright-core').Page;
    problems: string[];
    posted(): Promise<Record<string, unknown>[]>;
    state(): Promise<Record<string, unknown> | undefined>;
    send(message: unknown): Promise<void>;
    theme(variables: Record<string, string>, bodyClass: string): Promise<void>;
    close(): Promise<void>;
  }

  /** Opens the page with a stub acquireVsCodeApi that records posted messages and state. */
  async function openPage(initialState?: unknown, viewport = { width: 1000, height: 900 }): Promise<Harness> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) problems.push(`request outside the page: ${request.url()}`);
    });
    await page.addInitScript(stubScript(initialState));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction('globalThis.__posted.length > 0');
    return {
      page,
      problems,
      posted: () => page.evaluate('globalThis.__posted'),
      state: () => page.evaluate('globalThis.__state'),
      send: (message) => page.evaluate(`globalThis.postMessage(${JSON.stringify(message) ?? 'undefined'}, '*')`),
      // CSSOM, as VS Code sets the theme: allowed under the CSP (no style attribute is parsed).
      theme: (variables, bodyClass) =>
        page.evaluate(`{
          for (const [name, value] of Object.entries(${JSON.stringify(variables)})) {
            document.documentElement.style.setProperty(name, value);
          }
          document.body.className = ${JSON.stringify(bodyClass)};
        }`),
      close: async () => {
        const violations: string[] = await page.evaluate('globalThis.__violations');
        problems.push(...violations.map((violation) => `CSP violation: ${violation}`));
        await context.close();
      },
    };
  }

  /**
   * The stub of VS Code's webview API, installed before the page's script runs. A string, not a
   * function: tsx would add helpers to a function's source that do not exist in the page.
   */
  function stubScript(saved: unknown): string {
    return `(() => {
      globalThis.__posted = [];
      globalThis.__state = ${JSON.stringify(saved) ?? 'undefined'};
      globalThis.__violations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        globalThis.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
      });
      let acquired = false;
      globalThis.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return Object.freeze({
          postMessage: (message) => globalThis.__posted.push(JSON.parse(JSON.stringify(message))),
          getState: () => globalThis.__state,
          setState: (state) => { globalThis.__state = JSON.parse(JSON.stringify(state)); return state; },
        });
      };
    })();`;
  }

  const posted = (harness: Harness, type: string) =>
    harness.posted().then((messages) => messages.filter((message) => message.type === type));

  test('renders the catalog, filters, inserts snippets, opens links, lists patterns; no CSP violation', async () => {
    const h = await openPage();
    const { page } = h;
    assert.deepEqual((await h.posted())[0], { type: 'ready' });

    await h.send({ type: 'catalog', entries: allEntries });
    await page.waitForSelector('.card');
    assert.equal(await page.locator('.card').count(), allEntries.length);
    assert.equal(await page.locator('#map-rows tr').count(), allEntries.filter((entry) => entry.python).length);

    // Hostile catalog text stays text.
    assert.equal(await page.locator('#pwned-title').count(), 0);
    assert.equal(await page.evaluate('globalThis.pwned'), undefined);
    assert.equal(
      await page.locator('#entry-zz-test-gotcha-title').textContent(),
      'Test gotcha <img src=x id=pwned-title>',
    );
    // The markdown subset is built as DOM: code, bold, https links; other links stay text.
    const summary = page.locator('#entry-zz-test-gotcha .summary');
    assert.equal(await summary.locator('code').textContent(), 'inline code');
    assert.equal(await summary.locator('strong').textContent(), 'bold text');
    assert.equal(await summary.locator('a').count(), 1);
    assert.equal(await summary.locator('a').getAttribute('href'), 'https://example.com/doc');
    assert.match((await summary.textContent()) ?? '', /\[bad\]|bad/);
    assert.equal(await page.locator('#entry-zz-test-gotcha .fact-what dd p').count(), 2);
    // A gotcha shows its severity, flagged and fine examples, and its fixes, under gotcha headings.
    const gotchaCard = page.locator('#entry-zz-test-gotcha');
    assert.equal(await gotchaCard.locator('.badge-severity').textContent(), 'warning');
    assert.equal(await gotchaCard.locator('.fact-what dt').textContent(), 'What goes wrong');
    assert.equal(await gotchaCard.locator('.typescript pre').count(), 3);
    assert.deepEqual(await gotchaCard.locator('.verdict').allTextContents(), ['Flagged', 'Fine']);
    assert.equal(await gotchaCard.locator('.fixes li code').textContent(), '===');

    // Every real entry shows its title, id, summary, example and Python counterpart.
    for (const entry of catalogEntries) {
      const card = page.locator(`#entry-${entry.id}`);
      assert.equal(await card.locator('h3').textContent(), plain(entry.title));
      assert.equal(await card.locator('.entry-id').textContent(), entry.id);
      if (entry.example) {
        assert.equal(await card.locator('.typescript pre code').first().textContent(), entry.example.replace(/\n+$/, ''));
      }
      if (entry.python) assert.equal(await card.locator('.python pre code').textContent(), entry.python.example);
      assert.equal(await card.locator('button.insert').count(), entry.snippets.length);
      assert.equal(await card.locator('.links a').count(), entry.links.length);
    }

    // Search filters cards and map rows as you type.
    await page.locator('#search').fill('with` statement');
    await page.locator('#search').fill('with');
    const visibleIds = () =>
      page.evaluate<string[]>(`[...document.querySelectorAll('.card')].filter((c) => !c.hidden).map((c) => c.dataset.entry)`);
    const expected = allEntries
      .filter((entry) => [entry.id, entry.title, entry.summary, entry.python?.name ?? ''].join('\n').toLowerCase().includes('with'))
      .map((entry) => entry.id);
    assert.deepEqual(await visibleIds(), expected);
    await page.locator('#search').fill('zz-test');
    assert.deepEqual(await visibleIds(), ['zz-test-gotcha']);
    assert.equal(await page.locator('#map-rows tr:not([hidden])').count(), 1);
    assert.match((await page.locator('#count').textContent()) ?? '', /^1 of \d+ entries match$/);
    await page.locator('#search').fill('no entry has this text');
    assert.deepEqual(await visibleIds(), []);
    assert.equal(await page.locator('#empty').isVisible(), true);
    await page.locator('#clear-filters').click();
    assert.equal((await visibleIds()).length, allEntries.length);

    // Kind and category filters.
    const ofKind = (kind: string) => allEntries.filter((entry) => entry.kind === kind).map((entry) => entry.id);
    await page.locator('#kind').selectOption('gotcha');
    assert.deepEqual(await visibleIds(), ofKind('gotcha'));
    await page.locator('#kind').selectOption('pattern');
    assert.deepEqual(await visibleIds(), ofKind('pattern'));
    await page.locator('#kind').selectOption('');
    await page.locator('#category').selectOption('runtime');
    assert.deepEqual(
      await visibleIds(),
      allEntries.filter((entry) => entry.category === 'runtime').map((entry) => entry.id),
    );
    await page.locator('#category').selectOption('');
    const saved = await h.state();
    assert.equal(saved?.category, '');

    // Insert snippet posts the entry id and snippet prefix (the extension looks the body up).
    if (withSnippet) {
      await page.locator(`#entry-${withSnippet.id} button.insert`).first().click();
      assert.deepEqual((await posted(h, 'insertSnippet')).at(-1), {
        type: 'insertSnippet',
        id: withSnippet.id,
        prefix: withSnippet.snippets[0]!.prefix,
      });
    }
    await page.locator('#entry-zz-test-gotcha button.insert').click();
    assert.deepEqual((await posted(h, 'insertSnippet')).at(-1), { type: 'insertSnippet', id: 'zz-test-gotcha', prefix: 'pl-test-gotcha' });
    for (const message of await h.posted()) {
      if (message.type !== 'ready') assert.ok(parsePageMessage(message, index), `the page posted ${JSON.stringify(message)}`);
    }

    // External links go through the extension; the page does not navigate.
    await page.locator('#entry-zz-test-gotcha .links a').click();
    assert.deepEqual((await posted(h, 'openLink')).at(-1), { type: 'openLink', url: 'https://example.com/docs' });
    assert.equal(page.url(), `${origin}/index.html`);

    // Map rows link to their card.
    await page.locator('#map-rows a[data-entry="zz-test-gotcha"]').click();
    assert.equal(await page.evaluate('document.activeElement?.id'), 'entry-zz-test-gotcha');
    assert.equal((await h.state())?.selectedId, 'zz-test-gotcha');

    // Patterns in this file: listed with line numbers and titles; a click asks to jump.
    await h.send({
      type: 'patterns',
      seq: 7,
      state: 'ok',
      file: 'src/greeter.ts',
      items: [
        { id: catalogEntries[0]!.id, line: 11, character: 2 },
        { id: 'zz-test-gotcha', line: 20, character: 0 },
      ],
    });
    await page.waitForSelector('#in-file-list button.jump');
    assert.equal(await page.locator('#in-file-heading').textContent(), 'Patterns in src/greeter.ts');
    assert.deepEqual(await page.locator('#in-file-list .line').allTextContents(), ['Line 12', 'Line 21']);
    assert.equal(await page.locator('#in-file-list .jump-title').first().textContent(), plain(catalogEntries[0]!.title));
    await page.locator('#in-file-list button.jump').nth(1).click();
    assert.deepEqual((await posted(h, 'jumpToPattern')).at(-1), { type: 'jumpToPattern', seq: 7, index: 1 });
    // An older list arriving late is ignored.
    await h.send({ type: 'patterns', seq: 6, state: 'noEditor', items: [] });
    assert.equal(await page.locator('#in-file-list button.jump').count(), 2);
    await h.send({ type: 'patterns', seq: 8, state: 'noEditor', items: [] });
    assert.match((await page.locator('#in-file-status').textContent()) ?? '', /Open a TypeScript or JavaScript file/);
    assert.equal(await page.locator('#in-file-list').isHidden(), true);

    // Malformed messages are ignored without errors.
    for (const garbage of [
      null,
      'catalog',
      { type: 'catalog', entries: 'x' },
      { type: 'showEntry', id: '<img>' },
      { type: 'patterns', seq: 9, state: 'ok', items: [{ id: 'x', line: 'one', character: 0 }] },
      { type: 'unknown' },
    ]) {
      await h.send(garbage);
    }
    assert.equal(await page.locator('.card').count(), allEntries.length);

    await h.close();
    assert.deepEqual(h.problems, []);
  });

  test('showEntry scrolls to the card and focuses it, clearing filters that hide it', async () => {
    const h = await openPage();
    await h.send({ type: 'catalog', entries: allEntries });
    await h.page.waitForSelector('.card');
    await h.page.locator('#search').fill('zz-test');
    const target = catalogEntries[0]!.id;
    await h.send({ type: 'showEntry', id: target });
    await h.page.waitForFunction(`document.activeElement?.id === 'entry-${target}'`);
    assert.equal(await h.page.locator('#search').inputValue(), '');
    assert.equal(await h.page.locator(`#entry-${target}`).isVisible(), true);
    assert.match((await h.page.locator(`#entry-${target}`).getAttribute('class')) ?? '', /\bselected\b/);
    const box = await h.page.locator(`#entry-${target}`).boundingBox();
    const toolbar = await h.page.locator('#toolbar').boundingBox();
    assert.ok(box && toolbar && box.y >= toolbar.height - 1, 'the card is not hidden under the toolbar');
    await h.close();
    assert.deepEqual(h.problems, []);
  });

  test('keyboard: every control is reachable by Tab and works with Enter', async () => {
    const h = await openPage();
    const { page } = h;
    await h.theme(LIGHT, 'vscode-light');
    await h.send({ type: 'catalog', entries: allEntries });
    await page.waitForSelector('.card');
    const focused = () =>
      page.evaluate<string>(`{
        const active = document.activeElement;
        active.tagName.toLowerCase() + (active.id ? '#' + active.id : '') + '.' + active.className;
      }`);
    await page.keyboard.press('Tab');
    assert.match(await focused(), /skip-link/);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'input#search.');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'select#category.');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'select#kind.');
    // Tab on to the first "Insert snippet" button and press Enter.
    let found = false;
    for (let i = 0; i < 200 && !found; i++) {
      await page.keyboard.press('Tab');
      found = /^button\.insert/.test(await focused());
    }
    assert.ok(found, 'an Insert snippet button is reachable by Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    assert.equal((await posted(h, 'insertSnippet')).length, 1);
    // "/" jumps back to the search box.
    await page.keyboard.press('/');
    assert.equal(await focused(), 'input#search.');
    await h.close();
    assert.deepEqual(h.problems, []);
  });

  test('state survives a reload: search, filters and selection come back', async () => {
    const first = await openPage();
    await first.send({ type: 'catalog', entries: allEntries });
    await first.page.waitForSelector('.card');
    await first.page.locator('#search').fill('zz-test');
    await first.page.locator('#kind').selectOption('gotcha');
    await first.send({ type: 'showEntry', id: 'zz-test-gotcha' });
    const saved = await first.state();
    assert.equal(saved?.search, 'zz-test');
    assert.equal(saved?.kind, 'gotcha');
    assert.equal(saved?.selectedId, 'zz-test-gotcha');
    assert.ok(parsePageState(saved), 'the saved state is what the serializer accepts');
    await first.close();
    assert.deepEqual(first.problems, []);

    const second = await openPage(saved);
    await second.send({ type: 'catalog', entries: allEntries });
    await second.page.waitForSelector('.card', { state: 'attached' });
    assert.equal(await second.page.locator('#search').inputValue(), 'zz-test');
    assert.equal(await second.page.locator('#kind').inputValue(), 'gotcha');
    assert.equal(await second.page.locator('.card:not([hidden])').count(), 1);
    assert.match((await second.page.locator('#entry-zz-test-gotcha').getAttribute('class')) ?? '', /\bselected\b/);
    await second.close();
    assert.deepEqual(second.problems, []);
  });

  test('light, dark and high-contrast themes render without errors (screenshots on request)', async () => {
    const directory = process.env.CHEATSHEET_SCREENSHOTS;
    if (directory) fs.mkdirSync(directory, { recursive: true });
    const HC: Record<string, string> = {
      ...DARK,
      '--vscode-editor-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-widget-border': '#6fc3df',
    };
    for (const [name, variables, bodyClass] of [
      ['light', LIGHT, 'vscode-light'],
      ['dark', DARK, 'vscode-dark'],
      ['high-contrast', HC, 'vscode-high-contrast'],
    ] as const) {
      const h = await openPage(undefined, { width: 1000, height: 1000 });
      await h.theme(variables, bodyClass);
      await h.send({ type: 'catalog', entries: allEntries });
      await h.send({
        type: 'patterns',
        seq: 1,
        state: 'ok',
        file: 'src/greeter.ts',
        items: [{ id: catalogEntries[0]!.id, line: 11, character: 2 }],
      });
      await h.page.waitForSelector('#in-file-list button.jump');
      const background = await h.page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.notEqual(background, 'rgba(0, 0, 0, 0)', `${name}: the theme background applies`);
      if (directory) {
        await h.page.screenshot({ path: path.join(directory, `cheatsheet-${name}-top.png`) });
        await h.send({ type: 'showEntry', id: catalogEntries.find((entry) => entry.kind === 'gotcha')?.id ?? 'zz-test-gotcha' });
        await h.page.screenshot({ path: path.join(directory, `cheatsheet-${name}-gotcha.png`) });
        await h.page.locator('#entry-zz-test-gotcha button.insert').focus();
        await h.page.screenshot({ path: path.join(directory, `cheatsheet-${name}-focus.png`) });
      }
      await h.close();
      assert.deepEqual(h.problems, [], name);
    }
  });
});
