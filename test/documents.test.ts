import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DocumentStore } from '../server/src/service/documents';

describe('DocumentStore', () => {
  test('keeps the trees of the documents used last, reparses the others when asked, and edits stay right', () => {
    const store = new DocumentStore();
    const uris = Array.from({ length: 12 }, (_, i) => `file:///d${i}.ts`);
    for (const uri of uris) store.open(uri, 'typescript', 1, `export const a = 1;\n`);
    const first = store.parsed(uris[0]!)!.sourceFile;
    assert.equal(store.parsed(uris[0]!)!.sourceFile, first, 'a tree is kept while it is among the last used');
    for (const uri of uris.slice(1)) store.parsed(uri);
    const again = store.parsed(uris[0]!)!.sourceFile;
    assert.notEqual(again, first, 'the least recently used tree was dropped and is parsed again');

    // An edit to a document without a tree changes its text; its next tree is parsed from that text.
    const last = uris[uris.length - 1]!;
    for (const uri of uris.slice(0, 11)) store.parsed(uri);
    store.change(last, 2, [{ range: { start: { line: 0, character: 17 }, end: { line: 0, character: 18 } }, text: '42' }]);
    assert.equal(store.parsed(last)!.sourceFile.text, 'export const a = 42;\n');
    store.change(last, 3, [{ range: { start: { line: 0, character: 17 }, end: { line: 0, character: 19 } }, text: '7' }]);
    assert.equal(store.parsed(last)!.sourceFile.text, 'export const a = 7;\n');
    assert.equal(store.document(last)!.getText(), 'export const a = 7;\n');
  });
});
