/**
 * Limits with a voice: a file over the size limit (`patternLens.maxFileSizeKB`, `--max-file-size-kb`)
 * or nested too deeply for the parser is skipped with one message, in the engine, over LSP and in the
 * CLI; and edits that reach such a file are never lost.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { PatternLensService } from '../server/src/service';
import { DEFAULT_MAX_FILE_SIZE_KB, fileTooLarge, normalizeSettings } from '../server/src/service/settings';
import { TestClient } from './support/lsp';

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
/** 1 KB of UTF-8 in fewer than 1024 characters: the limit counts bytes. */
const HEAD = 'class A { @d m() {} }\n// ';
const AT_LIMIT = HEAD + 'é'.repeat(400) + 'x'.repeat(1024 - Buffer.byteLength(HEAD) - 800);

describe('limits in the engine', () => {
  test('the size limit counts UTF-8 bytes: at the limit a file is analysed, one byte over it is skipped', () => {
    const service = new PatternLensService();
    service.configure({ maxFileSizeKB: 1 });
    const at = AT_LIMIT;
    assert.equal(Buffer.byteLength(at), 1024);
    service.open('file:///at.ts', 'typescript', 1, at);
    assert.equal(service.patterns('file:///at.ts').length > 0, true);
    assert.deepEqual(service.diagnostics('file:///at.ts'), []);
    service.open('file:///over.ts', 'typescript', 1, `${at}x`);
    assert.deepEqual(service.patterns('file:///over.ts'), []);
    assert.equal(service.hover('file:///over.ts', { line: 0, character: 11 }), null);
    assert.deepEqual(service.diagnostics('file:///over.ts').map((d) => [d.code, d.message]), [
      ['file-skipped', 'Pattern Lens skipped this file: it is 2 KB, over the limit of 1 KB (the setting patternLens.maxFileSizeKB).'],
    ]);
    assert.deepEqual(service.codeActions('file:///over.ts', { start: { line: 0, character: 0 }, end: { line: 0, character: 30 } }, [], undefined), []);
    // Raising the limit takes effect on the next request.
    service.configure({ maxFileSizeKB: 2 });
    assert.ok(service.patterns('file:///over.ts').length > 0);
  });

  test('the size limit setting: a positive number of KB, anything else is the default', () => {
    assert.equal(DEFAULT_MAX_FILE_SIZE_KB, 2048);
    assert.equal(normalizeSettings({}).maxFileSizeKB, 2048);
    assert.equal(normalizeSettings({ maxFileSizeKB: 512.5 }).maxFileSizeKB, 512.5);
    for (const bad of [0, -1, '4096', Number.NaN, Number.POSITIVE_INFINITY, null]) assert.equal(normalizeSettings({ maxFileSizeKB: bad }).maxFileSizeKB, 2048, String(bad));
    assert.equal(fileTooLarge(2048 * 1024, 2048), undefined);
    assert.equal(fileTooLarge(2048 * 1024 + 1, 2048), 'it is 2,049 KB, over the limit of 2,048 KB');
  });

  test('an edit that nests the code too deeply is not lost: the file is then skipped, and the next edit is analysed', () => {
    // Regression: the incremental parser ran out of stack inside `change`, which left the old tree
    // paired with the new text.
    const service = new PatternLensService();
    const uri = 'file:///deepening.ts';
    service.open(uri, 'typescript', 1, 'const x = 1;\nif (a == b) {}\n');
    assert.deepEqual(service.diagnostics(uri).map((d) => d.code), ['loose-equality']);
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    service.change(uri, 2, [{ range: { start: { line: 0, character: 10 }, end: { line: 0, character: 11 } }, text: deep }]);
    assert.deepEqual(service.diagnostics(uri).map((d) => d.code), ['file-skipped']);
    assert.deepEqual(service.codeActions(uri, { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, [], undefined), []);
    service.change(uri, 3, [{ range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 + deep.length } }, text: '2' }]);
    const [diagnostic] = service.diagnostics(uri);
    assert.equal(diagnostic?.code, 'loose-equality');
    assert.deepEqual(diagnostic.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 8 } });
  });

  test('a change whose range is given end first is applied as the editor applies it', () => {
    const service = new PatternLensService();
    const uri = 'file:///reversed.ts';
    service.open(uri, 'typescript', 1, 'const a = 1;\nif (a == b) {}\n');
    service.diagnostics(uri);
    service.change(uri, 2, [{ range: { start: { line: 0, character: 11 }, end: { line: 0, character: 10 } }, text: '22' }]);
    const fresh = new PatternLensService();
    fresh.open(uri, 'typescript', 2, 'const a = 22;\nif (a == b) {}\n');
    assert.deepEqual(service.diagnostics(uri), fresh.diagnostics(uri));
  });
});

describe('limits over LSP (bundled dist/server.js)', () => {
  let client: TestClient;
  before(async () => ({ client } = await TestClient.start({ maxFileSizeKB: 1 })));
  after(async () => assert.equal(await client.stop(), 0));

  test('a file over the limit gets one information diagnostic, no hover, no patterns; raising the limit republishes', async () => {
    const uri = 'file:///over.ts';
    await client.open(uri, `${AT_LIMIT}x`);
    const [diagnostic, ...rest] = await client.diagnostics(uri, 1);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic!.code, 'file-skipped');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Information);
    assert.equal(diagnostic!.message, 'Pattern Lens skipped this file: it is 2 KB, over the limit of 1 KB (the setting patternLens.maxFileSizeKB).');
    assert.equal(await client.hover(uri, { line: 0, character: 11 }), null);
    assert.deepEqual(await client.patterns(uri), []);
    assert.deepEqual(await client.codeActions(uri, diagnostic!.range, [diagnostic!]), []);

    client.forgetDiagnostics(uri);
    await client.configure({ maxFileSizeKB: 2 });
    assert.deepEqual(await client.diagnostics(uri, 1), []);
    assert.equal((await client.patterns(uri))[0]?.id, 'method-decorator');
  });
});

describe('limits in the CLI (bundled dist/cli.js)', () => {
  function check(files: Record<string, string | Buffer>, ...args: string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-limits-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const result = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', '--no-type-aware', ...args], { cwd: dir, encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, files: result.stdout ? (JSON.parse(result.stdout) as { files: { path: string }[] }).files.map((f) => f.path) : [], stderr: result.stderr };
  }

  test('a file over the limit is reported and skipped, and the others are still checked (exit 2)', () => {
    const { status, files, stderr } = check({ 'big.ts': `${AT_LIMIT}x`, 'ok.ts': AT_LIMIT }, '--max-file-size-kb', '1');
    assert.equal(status, 2);
    assert.deepEqual(files, ['ok.ts']);
    assert.equal(stderr, 'pattern-lens: big.ts: skipped, it is 2 KB, over the limit of 1 KB (--max-file-size-kb)\n');
  });

  test('the default limit is 2048 KB', () => {
    const big = `// ${'x'.repeat(2048 * 1024 - 4)}\n`;
    assert.equal(check({ 'at.ts': big }).status, 0);
    assert.match(check({ 'over.ts': `${big}\n` }).stderr, /over\.ts: skipped, it is 2,049 KB, over the limit of 2,048 KB/);
  });

  test('a bad limit is a usage error', () => {
    for (const bad of ['0', '-5', 'lots']) {
      const { status, stderr } = check({ 'a.ts': '' }, `--max-file-size-kb=${bad}`);
      assert.equal(status, 2);
      assert.match(stderr, /--max-file-size-kb .*: give a positive number of KB/);
    }
  });
});
