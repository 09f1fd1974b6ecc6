import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyLspEdits, positionOf, TestClient } from './support/lsp';

const ROOT = path.join(__dirname, '..');
const STACK_KIND = 'refactor.rewrite.patternLens.try-finally-to-disposable-stack';
const STACK_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'refactors', 'try-finally-to-disposable-stack');

/**
 * A tsconfig project on disk. Its node_modules is this repository's, so the project has TypeScript
 * installed, as the refactors' project checks want.
 */
function tempProject(compilerOptions: object, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-actions-'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', types: [], ...compilerOptions } }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The tests wait for the server to publish: a missing publish fails the test instead of hanging the run. */
const WAITS = { timeout: 60_000 };

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();
const editsOf = (action: CodeAction) => {
  const [change, ...others] = action.edit!.documentChanges!;
  assert.deepEqual(others, []);
  return change as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
};

/** Accepts the `n`th publish it is asked about (the client asks in the order they arrive). */
function nth(n: number): () => boolean {
  let seen = 0;
  return () => ++seen === n;
}

/** The selection a refactor fixture marks with `/*{*\/ ... /*}*\/`. */
function markedRange(text: string): Range {
  return { start: positionOf(text, '/*{*/', '/*{*/'.length), end: positionOf(text, '/*}*/') };
}

describe('code actions and the type-aware phase over LSP (bundled dist/server.js)', () => {
  let client: TestClient;
  const dirs: string[] = [];

  before(async () => {
    client = (await TestClient.start({}, { codeAction: { disabledSupport: true } })).client;
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.stderr, []);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('type-aware problems come in a second publish, after the syntactic one, and follow edits', WAITS, async () => {
    const lock = 'export class Lock {\n  [Symbol.dispose](): void {}\n}\n';
    const source = `import { Lock } from './lock';\n\nexport function update(values: number[], port: string | number) {\n  const lock = new Lock();\n  values.push(1);\n  return port == 80;\n}\n`;
    const dir = tempProject({ lib: ['esnext'] }, { 'lock.ts': lock, 'update.ts': source });
    dirs.push(dir);
    const uri = pathToFileURL(path.join(dir, 'update.ts')).href;
    await client.open(uri, source);

    // The first publish of version 1 is the syntactic phase alone: it did not wait for the types.
    assert.deepEqual(codes(await client.diagnostics(uri, 1)), ['loose-equality']);
    // `Lock` is Disposable only as its declaration in lock.ts (read from disk, through tsconfig.json) says.
    const full = await client.diagnostics(uri, 1, (p) => p.diagnostics.length > 1);
    assert.deepEqual(codes(full), ['loose-equality', 'undisposed-disposable']);
    const undisposed = full.find((d) => d.code === 'undisposed-disposable')!;
    assert.deepEqual(undisposed.range, { start: positionOf(source, 'lock = new'), end: positionOf(source, 'lock = new', 4) });
    assert.equal(undisposed.source, 'pattern-lens');
    assert.match(String(undisposed.message), /`lock` holds a Disposable \(`Lock`\)/);

    // An edit, in memory only: the type-aware phase reads the open document, not the file on disk.
    await client.change(uri, 2, [{ range: { start: positionOf(source, 'const lock'), end: positionOf(source, 'const lock', 5) }, text: 'using' }]);
    assert.deepEqual(codes(await client.diagnostics(uri, 2)), ['loose-equality']);
    assert.deepEqual(codes(await client.diagnostics(uri, 2, nth(2))), ['loose-equality']);
  });

  test('source.fixAll.patternLens applies the safe fix and leaves the one that may change behaviour', WAITS, async () => {
    const uri = 'file:///fix-all.ts';
    const source = `export function schedule(names: string[]) {\n  for (var i = 0; i < names.length; i++) {\n    setTimeout(() => console.log(names[i]), 10);\n  }\n}\nexport const isDefault = (port: string | number) => port == 80;\n`;
    await client.open(uri, source);
    const diagnostics = await client.diagnostics(uri, 1);
    assert.deepEqual(codes(diagnostics), ['loop-var-closure', 'loose-equality']);
    // Both problems have a quick fix of their own; only the `var` one is marked preferred (safe).
    const quickFixes = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } }, diagnostics, ['quickfix']);
    assert.deepEqual(
      quickFixes.filter((a) => !a.title.startsWith('Ignore')).map((a) => [a.diagnostics![0]!.code, a.isPreferred]),
      [['loop-var-closure', true], ['loose-equality', false]],
    );

    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.patternLens']);
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.patternLens']);
    const change = editsOf(actions[0]!);
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.equal(applyLspEdits(source, change.edits), source.replace('var i', 'let i'));
  });

  test('refactors: listed without an edit under `refactor`, resolved to the fixture output, and never after an edit', WAITS, async () => {
    const input = fs.readFileSync(path.join(STACK_FIXTURES, 'selection.ts'), 'utf8');
    const expected = fs.readFileSync(path.join(STACK_FIXTURES, 'selection.stack.out.ts'), 'utf8');
    const dir = tempProject({ lib: ['esnext'] }, { 'selection.ts': input });
    dirs.push(dir);
    const uri = pathToFileURL(path.join(dir, 'selection.ts')).href;
    await client.open(uri, input);
    const diagnostics = await client.diagnostics(uri, 1);
    assert.deepEqual(codes(diagnostics), ['try-finally-using']);

    const actions = await client.codeActions(uri, markedRange(input), diagnostics, ['refactor']);
    assert.ok(actions.length > 0 && actions.every((a) => a.kind!.startsWith('refactor.')), 'only refactors, though a diagnostic was passed');
    const stack = actions.find((a) => a.kind === STACK_KIND);
    assert.ok(stack, `no ${STACK_KIND} among ${actions.map((a) => a.kind).join(', ')}`);
    assert.equal(stack.edit, undefined);
    assert.equal(stack.disabled, undefined);

    const resolved = await client.resolve(stack);
    const change = editsOf(resolved);
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.equal(applyLspEdits(input, change.edits), expected);

    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }]);
    assert.equal((await client.resolve(stack)).edit, undefined);
  });

  test('a refactor the project cannot compile is offered disabled, with the reason, to a client that can show it', WAITS, async () => {
    const input = fs.readFileSync(path.join(STACK_FIXTURES, 'selection.ts'), 'utf8');
    const dir = tempProject({ lib: ['es2022'] }, { 'selection.ts': input });
    dirs.push(dir);
    const uri = pathToFileURL(path.join(dir, 'selection.ts')).href;
    await client.open(uri, input);
    await client.diagnostics(uri, 1);
    const stack = (await client.codeActions(uri, markedRange(input), [], ['refactor'])).find((a) => a.kind === STACK_KIND);
    assert.ok(stack);
    assert.equal(stack.disabled?.reason, fs.readFileSync(path.join(STACK_FIXTURES, 'no-lib.stack.disabled.txt'), 'utf8').trim());
    assert.equal(stack.edit, undefined);
    assert.equal(stack.data, undefined);

    // A client without disabledSupport is not offered an action that would do nothing.
    const plain = (await TestClient.start()).client;
    try {
      await plain.open(uri, input);
      await plain.diagnostics(uri, 1);
      assert.deepEqual((await plain.codeActions(uri, markedRange(input), [], ['refactor'])).filter((a) => a.kind === STACK_KIND), []);
    } finally {
      assert.equal(await plain.stop(), 0);
    }
  });
});
