/**
 * Fuzzing the bundled server (dist/server.js over stdio) as an editor drives it, CI-sized with a fixed
 * seed (`npm run fuzz` is the long run): every request answered or cancelled within the bound, never
 * failing; diagnostics published for every version at positions in UTF-16 code units; resolved actions
 * versioned, and refused once applied; no error logged, nothing printed, and a clean exit.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { CodeActionResolveRequest, HoverRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { describeInput, FUZZ_SEED, fuzzInput, fuzzUri, repositorySeeds, specialInputs } from './support/fuzz';
import { ServerFuzzer } from './support/fuzzServer';
import { TestClient } from './support/lsp';

const seeds = repositorySeeds();

describe('fuzz: the bundled server over LSP', () => {
  let fuzzer: ServerFuzzer;
  before(async () => (fuzzer = await ServerFuzzer.start(seeds)));
  after(async () => {
    console.log(`slowest server answer: ${Math.round(fuzzer.slowest.ms)} ms, ${fuzzer.slowest.what}`);
    assert.deepEqual(await fuzzer.stop(), []);
  });

  test('mutated sources, edited incrementally while hovers, patterns and code actions are asked (some cancelled)', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzInput(seeds.length), async (input) => {
        assert.deepEqual(await fuzzer.check(input), [], describeInput(input, seeds));
      }),
      { seed: FUZZ_SEED, numRuns: 120 },
    );
  });

  for (const special of specialInputs(seeds)) {
    test(special.name, async () => assert.deepEqual(await fuzzer.checkSpecial(special), []));
  }
});

describe('hostile requests to the bundled server', () => {
  let client: TestClient;
  const errors: string[] = [];
  before(async () => {
    ({ client } = await TestClient.start());
    client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) errors.push(p.message);
    });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(errors, []);
  });

  test('unknown documents, positions outside the text, and edits to closed documents get empty answers', async () => {
    assert.equal(await client.hover('file:///never-opened.ts', { line: 0, character: 0 }), null);
    assert.deepEqual(await client.patterns('file:///never-opened.ts'), []);
    assert.deepEqual(await client.codeActions('file:///never-opened.ts', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    await client.change('file:///never-opened.ts', 2, [{ text: 'x' }]);
    const uri = 'file:///hostile.ts';
    await client.open(uri, 'class A {\n  @dec m() {}\n}\n');
    for (const position of [{ line: 99, character: 0 }, { line: 1, character: 999 }, { line: -1, character: -1 }]) {
      assert.equal(await client.hover(uri, position), null, JSON.stringify(position));
    }
    await client.change(uri, 2, [{ range: { start: { line: 50, character: 3 }, end: { line: 60, character: 0 } }, text: '\n// appended' }]);
    assert.equal((await client.patterns(uri))[0]?.id, 'method-decorator');
  });

  test('resolving actions whose data was tampered with gives no edit and no error', async () => {
    const uri = fuzzUri('tampered', 'typescript');
    await client.open(uri, 'declare const a: unknown, b: unknown;\nif (a == b) {}\nexport class R { close() {} }\n');
    const [diagnostic] = await client.diagnostics(uri, 1);
    const actions = [
      ...(await client.codeActions(uri, diagnostic!.range, [diagnostic!])),
      ...(await client.codeActions(uri, { start: { line: 2, character: 17 }, end: { line: 2, character: 17 } }, [])),
    ];
    assert.ok(actions.some((a) => (a.data as { kind?: string }).kind === 'refactor'), 'a refactor is offered');
    const tampered = (data: Record<string, unknown>): unknown[] => [
      ...Object.keys(data).flatMap((key) => [undefined, null, -1, 1e9, 'x', {}, [], Number.NaN].map((value) => ({ ...data, [key]: value }))),
      { ...data, span: { start: 1e9, end: -5 } },
      { ...data, offer: { action: '__proto__' } },
      { ...data, action: 'constructor' },
      { ...data, fixId: 'toString' },
      null,
      'data',
    ];
    for (const action of actions) {
      for (const data of tampered(action.data as Record<string, unknown>)) {
        const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, { ...action, data } as CodeAction);
        const edits = resolved.edit?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : []));
        // A tampered action may still name a real fix of this version; then its edit is that fix's.
        if (edits) assert.ok(edits.length > 0, JSON.stringify(data));
      }
    }
    assert.ok(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } }) !== undefined);
  });
});
