import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { PATTERNS } from '../server/src/patterns';
import { analyzeSourceFile } from '../server/src/service/analyze';
import { parse } from '../server/src/service/documents';
import { hoverAt } from '../server/src/service/hover';
import { DEFAULT_SETTINGS } from '../server/src/service/settings';
import { FIXTURES, listFiles, readFixture, type ExpectedFinding } from './support/fixtures';

/**
 * Per catalog id, `test/fixtures/patterns/<id>/`: `match-*` files mark every finding they expect
 * (of their id and of any id they mark), `valid-*` files hold look-alikes that must not be reported.
 */
for (const pattern of PATTERNS) {
  describe(pattern.id, () => {
    const files = listFiles(path.join(FIXTURES, 'patterns', pattern.id));

    test('has match and valid fixtures', () => {
      const names = files.map((file) => path.basename(file));
      assert.ok(names.some((name) => name.startsWith('match-')), 'no match-* fixture');
      assert.ok(names.some((name) => name.startsWith('valid-')), 'no valid-* fixture');
    });

    for (const file of files) {
      const fixture = readFixture(file);
      const { findings, failures } = analyzeSourceFile(parse(fixture.document));
      const isValid = path.basename(file).startsWith('valid-');

      test(`${fixture.name}: findings are exactly the marked ones`, () => {
        assert.deepEqual(failures, []);
        const ids = new Set([pattern.id, ...fixture.expected.map((e) => e.id)]);
        const actual: ExpectedFinding[] = findings
          .filter((f) => ids.has(f.id))
          .map((f) => ({ id: f.id, start: f.span.start, end: f.span.end }))
          .sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
        const show = (list: readonly ExpectedFinding[]) =>
          list.map((f) => `${f.id} ${describeSpan(fixture.document.getText(), f)}`);
        assert.deepEqual(show(actual), show(fixture.expected));
        if (isValid) assert.ok(!fixture.expected.some((e) => e.id === pattern.id), 'a valid-* fixture marks its own id');
        else assert.ok(fixture.expected.some((e) => e.id === pattern.id), 'a match-* fixture marks nothing of its id');
      });

      if (!isValid) {
        test(`${fixture.name}: the hover on each marked span explains its pattern`, () => {
          for (const expected of fixture.expected.filter((e) => e.id === pattern.id)) {
            for (const offset of [expected.start, expected.end - 1]) {
              const hover = hoverAt({ findings }, offset, DEFAULT_SETTINGS);
              assert.ok(hover?.markdown.includes(`**${pattern.prose.title}**`), `no ${pattern.id} hover at offset ${offset}`);
            }
          }
        });
      }
    }
  });
}

function describeSpan(text: string, span: { start: number; end: number }): string {
  const before = text.slice(0, span.start).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = before[before.length - 1]!.length + 1;
  return `${line}:${column} ${JSON.stringify(text.slice(span.start, span.end))}`;
}
