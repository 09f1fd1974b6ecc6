import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PATTERNS } from '../server/src/patterns';
import { analyzeSourceFile } from '../server/src/service/analyze';
import { parse } from '../server/src/service/documents';
import { typeCheck } from './support/typecheck';

const CATALOG = path.join(__dirname, '..', '..', 'shared', 'CATALOG.md');

/** The ids of a section of CATALOG.md: the first backticked cell of each table row. */
function catalogIds(section: string): string[] {
  const text = fs.readFileSync(CATALOG, 'utf8');
  const start = text.indexOf(`## ${section}`);
  const end = text.indexOf('\n## ', start + 1);
  return [...text.slice(start, end < 0 ? undefined : end).matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
}

describe('catalog', () => {
  test('every pattern of CATALOG.md section 1 is registered, and nothing else under a pattern id', { skip: !fs.existsSync(CATALOG) && 'shared/CATALOG.md is not beside this checkout' }, () => {
    const ids = catalogIds('1. Patterns');
    assert.equal(ids.length, 36);
    assert.deepEqual(PATTERNS.map((p) => p.id).sort(), [...ids].sort());
  });

  test('ids are unique and each lives in the file named after it', () => {
    const ids = PATTERNS.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) {
      assert.ok(fs.existsSync(path.join(__dirname, '..', 'server', 'src', 'patterns', `${id}.ts`)), `no file for ${id}`);
    }
  });

  for (const pattern of PATTERNS) {
    describe(pattern.id, () => {
      test('has every part of its prose, written out', () => {
        for (const [part, text] of Object.entries(pattern.prose)) {
          assert.ok(text.trim().length >= (part === 'title' ? 3 : 30), `${part} is too short`);
        }
        assert.ok(pattern.prose.summary.length <= 220, 'the summary is one line');
        assert.ok(pattern.python.name.length > 0 && pattern.python.note.length >= 30);
        assert.ok(pattern.seeds.length > 0 && pattern.seeds.every((s) => /^00[0-4]$/.test(s)));
      });

      test('its Python counterpart is a two-line example', () => {
        const lines = pattern.python.example.split('\n');
        assert.equal(lines.length, 2);
        assert.ok(lines.every((line) => line.trim().length > 0));
      });

      test('links to primary documentation', () => {
        assert.ok(pattern.links.length > 0);
        const primary = /^https:\/\/(www\.typescriptlang\.org|developer\.mozilla\.org|nodejs\.org|github\.com\/tc39|tc39\.es)\//;
        for (const link of pattern.links) assert.match(link.url, primary);
      });

      test('its example is detected as this pattern', () => {
        const document = TextDocument.create(`file:///examples/${pattern.id}.ts`, 'typescript', 1, pattern.example);
        const { findings, failures } = analyzeSourceFile(parse(document));
        assert.deepEqual(failures, []);
        assert.ok(findings.some((f) => f.id === pattern.id), 'the example shows no finding of its own id');
      });

      for (const snippet of pattern.snippets ?? []) {
        test(`snippet ${snippet.prefix} is named and described`, () => {
          assert.match(snippet.prefix, /^pl-[a-z0-9-]+$/);
          assert.ok(snippet.description.length > 10 && snippet.body.length > 0);
        });
      }
    });
  }

  test('every example parses and type-checks (strict, lib esnext, Node types)', () => {
    const files = new Map(PATTERNS.map((p) => [`${p.id}.ts`, p.example]));
    const failed = typeCheck(files).filter((file) => file.errors.length > 0);
    assert.deepEqual(failed, []);
  });
});
