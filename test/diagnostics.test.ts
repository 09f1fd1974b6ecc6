import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag, type TextEdit } from 'vscode-languageserver-protocol/node';
import { applyLspEdits, positionOf, TestClient } from './support/lsp';

const SOURCE = `export function isDefault(port: string | number) {
  return port == 80;
}
`;

describe('diagnostics and quick fixes over LSP (bundled dist/server.js)', () => {
  let client: TestClient;

  before(async () => {
    client = (await TestClient.start({ typeAware: { enabled: false } })).client;
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('a gotcha is published with source, code, severity, docs link and the version', async () => {
    await client.open('file:///port.ts', SOURCE);
    const [diagnostic, ...rest] = await client.diagnostics('file:///port.ts', 1);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic!.source, 'pattern-lens');
    assert.equal(diagnostic!.code, 'loose-equality');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Warning);
    assert.match(diagnostic!.codeDescription!.href, /docs\/rules\/loose-equality\.md$/);
    assert.match(String(diagnostic!.message), /`port` == `80` converts types before comparing/);
    assert.deepEqual(diagnostic!.range, { start: positionOf(SOURCE, '=='), end: positionOf(SOURCE, '==', 2) });
  });

  test('the quick fix is offered lazily, resolves to a versioned edit, and the result is right', async () => {
    const uri = 'file:///port.ts';
    const diagnostics = await client.diagnostics(uri, 1);
    const actions = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
    assert.deepEqual(actions.map((a) => a.title), [
      'Use strict equality (`===` / `!==`): the result changes if the operands can have different types',
      'Ignore `loose-equality` on this line',
      'Ignore `loose-equality` in this file',
    ]);
    assert.ok(actions.every((a) => a.kind === 'quickfix' && a.edit === undefined));
    const resolved = await client.resolve(actions[0]!);
    const change = resolved.edit!.documentChanges![0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.equal(applyLspEdits(SOURCE, change.edits), SOURCE.replace('==', '==='));

    const ignore = await client.resolve(actions[1]!);
    const ignoreEdits = (ignore.edit!.documentChanges![0] as { edits: TextEdit[] }).edits;
    assert.equal(applyLspEdits(SOURCE, ignoreEdits), SOURCE.replace('  return', '  // pattern-lens-ignore-next-line loose-equality\n  return'));
  });

  test('an action resolved after the document changed carries no edit', async () => {
    const uri = 'file:///stale.ts';
    await client.open(uri, SOURCE);
    const diagnostics = await client.diagnostics(uri, 1);
    const [fix] = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    assert.equal((await client.resolve(fix!)).edit, undefined);
  });

  test('fix-all applies safe fixes only (the loose-equality fix may change behaviour)', async () => {
    const actions = await client.codeActions('file:///port.ts', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.patternLens']);
    assert.deepEqual(actions, []);
  });

  test('suppression comments silence a line or a file; an unused one is a faded hint', async () => {
    const uri = 'file:///suppressed.ts';
    const text = `// pattern-lens-ignore-next-line loose-equality -- legacy API returns strings\nexport const a = (x: unknown) => x == 1;\n// pattern-lens-ignore-next-line loose-equality\nexport const b = 2;\nexport const c = (x: unknown) => x != 'y';\n`;
    await client.open(uri, text);
    const diagnostics = await client.diagnostics(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.severity, d.tags]),
      [
        ['unused-suppression', 2, DiagnosticSeverity.Hint, [DiagnosticTag.Unnecessary]],
        ['loose-equality', 4, DiagnosticSeverity.Warning, undefined],
      ],
    );
    const fileWide = `// pattern-lens-ignore-file loose-equality\nexport const d = (x: unknown) => x == 1;\n`;
    await client.open('file:///file-wide.ts', fileWide);
    assert.deepEqual(await client.diagnostics('file:///file-wide.ts', 1), []);
  });

  test('rule levels: settings override the project config file, which overrides the default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-config-'));
    fs.writeFileSync(path.join(dir, 'pattern-lens.json'), JSON.stringify({ rules: { 'loose-equality': 'error' } }));
    const uri = pathToFileURL(path.join(dir, 'a.ts')).href;
    await client.open(uri, SOURCE);
    assert.deepEqual((await client.diagnostics(uri, 1)).map((d) => d.severity), [DiagnosticSeverity.Error]);

    client.forgetDiagnostics(uri);
    await client.configure({ typeAware: { enabled: false }, rules: { 'loose-equality': 'off' } });
    assert.deepEqual(await client.diagnostics(uri, 1), []);
    client.forgetDiagnostics(uri);
    await client.configure({ typeAware: { enabled: false } });
    assert.equal((await client.diagnostics(uri, 1)).length, 1);
  });

  test('a file too deeply nested to parse says so once, as information', async () => {
    await client.open('file:///deep.ts', `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    const [diagnostic, ...rest] = await client.diagnostics('file:///deep.ts', 1);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic!.code, 'file-skipped');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Information);
    assert.match(String(diagnostic!.message), /nested too deeply/);
  });

  test('closing a document clears its diagnostics', async () => {
    client.forgetDiagnostics('file:///port.ts');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///port.ts' } });
    assert.deepEqual(await client.diagnostics('file:///port.ts'), []);
  });
});
