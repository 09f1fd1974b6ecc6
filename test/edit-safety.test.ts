/**
 * Edit safety. Over every rule and refactor fixture and the example project, every action offered
 * (quick fixes, "ignore" actions, refactors, fix-all) is resolved and applied: its edit is versioned
 * for the document it was offered on and refused once that document has changed, and applying it
 * leaves nothing for the same action to do again. Over LSP, a storm of edits with cancelled requests
 * never publishes diagnostics for a version other than the one they were computed for.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { CancellationTokenSource, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { PatternLensService } from '../server/src/service';
import { TYPE_AWARE_RULES } from '../server/src/service/typeAware';
import { applyTextEdits, FUZZ_SEED, fuzzUri, lineStarts, positionAt, ROOT, seedsOf, spanOf, type Seed } from './support/fuzz';
import { TestClient } from './support/lsp';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const files = (dir: string, keep: (name: string) => boolean) =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && keep(e.name)).map((e) => path.join(e.parentPath, e.name));
const seeds: Seed[] = seedsOf([
  ...files(path.join(FIXTURES, 'rules'), (name) => name.startsWith('invalid-') && !name.includes('.fixed.')),
  ...files(path.join(FIXTURES, 'refactors'), (name) => !name.includes('.out.')),
  ...files(path.join(ROOT, 'examples', 'src'), () => true),
].sort());

/** A refactor fixture's selection (`/*{*\/ ... /*}*\/` or a cursor `/*|*\/`), else nothing. */
function selection(text: string): { start: number; end: number } | undefined {
  const cursor = text.indexOf('/*|*/');
  if (cursor >= 0) return { start: cursor + 5, end: cursor + 5 };
  const open = text.indexOf('/*{*/');
  const close = text.indexOf('/*}*/');
  return open >= 0 && close > open ? { start: open + 5, end: close } : undefined;
}

/** Where an offset of the old text is after the edits, sorted by start (inside a replaced span: its start). */
function mapOffset(offset: number, edits: readonly { start: number; end: number; newText: string }[]): number {
  let delta = 0;
  for (const edit of edits) {
    if (edit.end <= offset) delta += edit.newText.length - (edit.end - edit.start);
    else if (edit.start < offset) return edit.start + delta;
    else break;
  }
  return offset + delta;
}

describe('every offered action, applied', () => {
  const service = new PatternLensService();
  service.configure({ typeAware: { enabled: true } });

  /** Both phases' diagnostics, as the editor ends up showing them (the second phase only where it matters: it is slow). */
  const diagnosticsOf = (uri: string, typeAware = true): Diagnostic[] => (typeAware && service.fullDiagnostics(uri)) || service.diagnostics(uri);
  const TYPE_AWARE = new Set(TYPE_AWARE_RULES.map((rule) => rule.id));

  function actionsAt(uri: string, text: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
    const starts = lineStarts(text);
    const range = (start: number, end: number): Range => ({ start: positionAt(starts, start), end: positionAt(starts, end) });
    const actions = diagnostics.flatMap((d) => service.codeActions(uri, d.range, [d], ['quickfix']));
    const marked = selection(text);
    const places = [...(marked ? [marked] : []), ...diagnostics.map((d) => spanOf(text, starts, d.range) as { start: number; end: number })];
    for (const { start, end } of places) actions.push(...service.codeActions(uri, range(start, end), [], ['refactor']));
    actions.push(...service.codeActions(uri, range(0, 0), [], ['source.fixAll.patternLens']));
    return actions.filter((a) => !a.disabled);
  }

  let applied = 0;

  for (const seed of seeds) {
    test(seed.name, () => {
      const uri = fuzzUri('edit-safety', seed.languageId);
      const open = () => {
        service.close(uri);
        service.open(uri, seed.languageId, 1, seed.text);
      };
      open();
      const offered = actionsAt(uri, seed.text, diagnosticsOf(uri));
      for (const action of offered) {
        const what = `"${action.title}" (${action.kind})`;
        const resolved = action.edit ? action : service.resolveCodeAction(action);
        const change = resolved.edit?.documentChanges?.[0];
        if (!resolved.edit) continue;
        assert.ok(change && 'textDocument' in change, `${what}: a versioned edit`);
        assert.equal(change.textDocument.version, 1, `${what}: for the version it was offered on`);
        const text = applyTextEdits(seed.text, change.edits);
        assert.ok(typeof text === 'string', `${what}: ${String(text)}`);
        applied++;
        const starts = lineStarts(seed.text);
        const edits = change.edits.map((e) => ({ ...(spanOf(seed.text, starts, e.range) as { start: number; end: number }), newText: (e as { newText: string }).newText })).sort((a, b) => a.start - b.start);

        // Applied as an editor applies it: the document changes, and a lazily resolved action is stale
        // (fix-all comes with its edit, versioned: an editor refuses it for any other version).
        service.change(uri, 2, [{ text }]);
        if (action.data !== undefined) assert.equal(service.resolveCodeAction(action).edit, undefined, `${what}: resolved again after the document changed`);

        // Nothing left for the same action to do there.
        const data = action.data as { action?: string; ruleId?: string; start?: number; kind?: string; span?: { start: number; end: number } } | undefined;
        if (action.kind === 'source.fixAll.patternLens') {
          let current = text;
          for (let run = 0; ; run++) {
            assert.ok(run < 10, `${what}: fix-all still has edits after 10 runs`);
            const again = service.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.patternLens'])[0];
            const more = again?.edit?.documentChanges?.[0];
            if (!more || !('edits' in more)) break;
            current = applyTextEdits(current, more.edits) as string;
            service.change(uri, 3 + run, [{ text: current }]);
            diagnosticsOf(uri);
          }
        } else if (data?.kind === 'refactor') {
          const { start, end } = data.span!;
          const nowStarts = lineStarts(text);
          const range = { start: positionAt(nowStarts, mapOffset(start, edits)), end: positionAt(nowStarts, mapOffset(end, edits)) };
          for (const again of service.codeActions(uri, range, [], [action.kind!]).filter((a) => a.title === action.title && !a.disabled)) {
            assert.equal(service.resolveCodeAction(again).edit, undefined, `${what}: offered again with an edit after it was applied`);
          }
        } else if (data?.ruleId !== undefined && data.start !== undefined) {
          const code = data.action === 'remove-directive' ? 'unused-suppression' : data.ruleId;
          const at = mapOffset(data.start, edits);
          const left = diagnosticsOf(uri, TYPE_AWARE.has(data.ruleId)).filter((d) => d.code === code && (d.data as { start?: number } | undefined)?.start === at);
          assert.deepEqual(left.map((d) => d.message), [], `${what}: the problem is still there after it was applied`);
        }
        open();
      }
    });
  }

  test('the fixtures offered enough actions to mean something', () => assert.ok(applied > 100, `only ${applied} actions were applied`));
});

describe('versions', () => {
  test('a document closed and reopened is read again by the type-aware phase, though its version numbers start again', () => {
    // Regression: the language service knew open documents by their version, so version 2 of the
    // reopened document was taken for version 2 of the closed one, and its old text was checked.
    const service = new PatternLensService();
    const uri = fuzzUri('reopened', 'typescript');
    const typeOnly = (text: string, version: number) => {
      service.change(uri, version, [{ text }]);
      return (service.fullDiagnostics(uri) ?? []).filter((d) => d.code === 'type-only-import-candidate').length;
    };
    service.open(uri, 'typescript', 1, '');
    assert.equal(typeOnly("import { Stats } from 'node:fs';\nexport let s: Stats | undefined;\n", 2), 1);
    service.close(uri);
    service.open(uri, 'typescript', 1, '');
    assert.equal(typeOnly("import { Stats } from 'node:fs';\nexport const s = new Stats();\n", 2), 0);
  });
});

describe('a storm of edits over LSP (bundled dist/server.js)', () => {
  let client: TestClient;
  before(async () => ({ client } = await TestClient.start()));
  after(async () => assert.equal(await client.stop(), 0));

  test('with hovers cancelled mid-way, every publish is for the version it was computed on, and the last for the last version', async () => {
    const base = seedsOf([path.join(ROOT, 'examples', 'src', 'gotchas.ts')])[0]!;
    const uri = fuzzUri('storm', 'typescript');
    // Each step: an edit (insert or delete a random slice at a random line), a hover cancelled at once or
    // not, and a pause from none to past the type-aware phase's debounce.
    const steps = fc.sample(
      fc.record({ line: fc.nat(), length: fc.nat({ max: 40 }), insert: fc.boolean(), cancel: fc.boolean(), pause: fc.constantFrom(0, 0, 0, 0, 5, 30, 70, 70, 500) }),
      { seed: FUZZ_SEED, numRuns: 80 },
    );
    const texts = new Map<number, string>([[1, base.text]]);
    let text = base.text;
    await client.open(uri, text, 'typescript', 1);
    let version = 1;
    const answers: Promise<unknown>[] = [];
    for (const step of steps) {
      const starts = lineStarts(text);
      const start = starts[step.line % starts.length]!;
      const end = step.insert ? start : Math.min(text.length, start + step.length);
      const insert = step.insert ? text.slice(start, start + step.length) : '';
      const range = { start: positionAt(starts, start), end: positionAt(starts, end) };
      text = text.slice(0, start) + insert + text.slice(end);
      texts.set(++version, text);
      await client.change(uri, version, [{ range, text: insert }]);
      const source = new CancellationTokenSource();
      answers.push(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: range.start }, source.token).catch((e: unknown) => e));
      if (step.cancel) source.cancel();
      if (step.pause) await new Promise((resolve) => setTimeout(resolve, step.pause));
    }
    await client.diagnostics(uri, version);
    await Promise.all(answers);
    // Past the type-aware phase of the last version.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // What the engine says of each version's text, from scratch.
    const reference = new PatternLensService();
    const expected = (v: number) => {
      const reopened = fuzzUri('storm-reference', 'typescript');
      reference.close(reopened);
      reference.open(reopened, 'typescript', v, texts.get(v)!);
      const strip = (ds: Diagnostic[]) => ds.map(({ code, message, range, severity }) => ({ code, message, range, severity }));
      return [strip(reference.diagnostics(reopened)), strip(reference.fullDiagnostics(reopened) ?? [])];
    };
    const published = client.publishedFor(uri);
    assert.ok(published.length >= 2);
    let last = 0;
    for (const p of published) {
      assert.ok(p.version !== undefined && texts.has(p.version), `published for version ${p.version}`);
      assert.ok(p.version >= last, `version ${p.version} published after ${last}`);
      last = p.version;
      const got = p.diagnostics.map(({ code, message, range, severity }) => ({ code, message, range, severity }));
      assert.ok(expected(p.version).some((e) => JSON.stringify(e) === JSON.stringify(got)), `the diagnostics published for version ${p.version} are that version's`);
    }
    assert.equal(last, version, 'the last publish is for the last version');
  });
});
