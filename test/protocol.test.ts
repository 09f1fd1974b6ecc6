import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocumentSyncKind, type Hover } from 'vscode-languageserver-protocol/node';
import { positionOf, TestClient } from './support/lsp';

const SOURCE = `declare function logged(value: unknown, context: ClassMethodDecoratorContext): void;

export class Greeter {
  @logged
  greet(name: string) {
    return 'hello ' + name;
  }
}
`;

const markdownOf = (hover: Hover | null): string => {
  assert.ok(hover, 'no hover');
  assert.ok(typeof hover.contents === 'object' && 'kind' in hover.contents && hover.contents.kind === 'markdown');
  return hover.contents.value;
};

describe('language server over stdio (bundled dist/server.js)', () => {
  let client: TestClient;
  let capabilities: Awaited<ReturnType<typeof TestClient.start>>['initialize']['capabilities'];

  before(async () => {
    const started = await TestClient.start();
    client = started.client;
    capabilities = started.initialize.capabilities;
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.stderr, []);
  });

  test('initialize announces incremental sync and hovers', () => {
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
    assert.equal(capabilities.hoverProvider, true);
  });

  test('hover on a decorator explains it, with its range and the cheat-sheet link', async () => {
    await client.open('file:///greeter.ts', SOURCE);
    const hover = await client.hover('file:///greeter.ts', positionOf(SOURCE, '@logged', 3));
    const markdown = markdownOf(hover);
    assert.match(markdown, /\*\*Class member decorator \(Stage 3\)\*\*/);
    assert.match(markdown, /In Python:/);
    assert.match(markdown, /\(command:patternLens\.openCheatSheet\?%5B%22method-decorator%22%5D\)/);
    assert.deepEqual(hover!.range, { start: positionOf(SOURCE, '@logged'), end: positionOf(SOURCE, '@logged', 7) });
  });

  test('no hover on plain code', async () => {
    for (const needle of ['class Greeter', 'greet(name', "'hello '", 'return']) {
      assert.equal(await client.hover('file:///greeter.ts', positionOf(SOURCE, needle, 1)), null, needle);
    }
  });

  test('patternLens/patterns lists the occurrences with LSP ranges', async () => {
    assert.deepEqual(await client.patterns('file:///greeter.ts'), [
      { id: 'method-decorator', range: { start: positionOf(SOURCE, '@logged'), end: positionOf(SOURCE, '@logged', 7) } },
    ]);
  });

  test('incremental edits are applied in order and reanalysed', async () => {
    const uri = 'file:///edited.ts';
    await client.open(uri, SOURCE);
    // Insert a second decorated method after greet, then remove the first decorator.
    const insertAt = positionOf(SOURCE, '  }\n}', 4);
    await client.change(uri, 2, [
      { range: { start: insertAt, end: insertAt }, text: '\n  @logged\n  wave() {}\n' },
      { range: { start: positionOf(SOURCE, '  @logged'), end: positionOf(SOURCE, '  greet') }, text: '' },
    ]);
    const patterns = await client.patterns(uri);
    assert.deepEqual(
      patterns.map((p) => [p.id, p.range.start.line, p.range.start.character]),
      [['method-decorator', 7, 2]],
    );
    assert.match(markdownOf(await client.hover(uri, { line: 7, character: 3 })), /Class member decorator/);
    assert.equal(await client.hover(uri, { line: 3, character: 3 }), null);
  });

  test('a full-text change replaces the document', async () => {
    const uri = 'file:///replaced.ts';
    await client.open(uri, SOURCE);
    await client.change(uri, 2, [{ text: 'export const plain = 1;\n' }]);
    assert.deepEqual(await client.patterns(uri), []);
  });

  test('files with syntax errors are analysed without failing', async () => {
    const uri = 'file:///broken.ts';
    const broken = 'class A {\n  @logged\n  m( {\n';
    await client.open(uri, broken);
    const patterns = await client.patterns(uri);
    assert.ok(Array.isArray(patterns));
    await client.hover(uri, { line: 1, character: 3 });
  });

  test('a file too deeply nested to parse gets no hover and the server lives on', async () => {
    const uri = 'file:///deep.ts';
    await client.open(uri, `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    assert.deepEqual(await client.patterns(uri), []);
    assert.equal(await client.hover(uri, { line: 0, character: 20 }), null);
    assert.ok(await client.patterns('file:///greeter.ts'));
  });

  test('languages other than TS/JS are not read', async () => {
    await client.open('file:///notes.py', '@decorator\ndef f(): pass\n', 'python');
    assert.deepEqual(await client.patterns('file:///notes.py'), []);
    assert.equal(await client.hover('file:///notes.py', { line: 0, character: 1 }), null);
  });

  test('settings: brief verbosity, muted patterns, hovers off', async () => {
    const position = positionOf(SOURCE, '@logged', 1);
    const reconfigure = (settings: unknown) => client.configure(settings);

    await reconfigure({ hover: { verbosity: 'brief' } });
    const brief = markdownOf(await client.hover('file:///greeter.ts', position));
    assert.doesNotMatch(brief, /Pitfall/);
    assert.match(brief, /In Python:/);

    await reconfigure({ patterns: { muted: ['method-decorator'] } });
    assert.equal(await client.hover('file:///greeter.ts', position), null);

    await reconfigure({ hover: { enabled: false } });
    assert.equal(await client.hover('file:///greeter.ts', position), null);

    await reconfigure({});
    assert.match(markdownOf(await client.hover('file:///greeter.ts', position)), /Pitfall/);
  });
});
