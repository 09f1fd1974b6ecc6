import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../server/src/edits/builder';
import { REFACTORS } from '../server/src/refactors';
import { pathContaining } from '../server/src/refactors/support';
import type { ProjectFacts, RefactorContext } from '../server/src/refactors/types';
import { parse } from '../server/src/service/documents';
import { FIXTURES, listFiles } from './support/fixtures';
import { CHECK_OPTIONS, programFor, typeCheck } from './support/typecheck';

const DEFAULT_FACTS: ProjectFacts = { typescriptVersion: '6.0.3', hasDisposableLib: true, experimentalDecorators: false };

/**
 * Per refactor, `test/fixtures/refactors/<id>/<case>.<ext>`: the selection is marked `/*{*\/ ... /*}*\/`
 * (or a cursor `/*|*\/`); a first line `// facts: {...}` overrides the project facts. For every action
 * offered there, `<case>.<action>.out.<ext>` is the whole expected file, or, for an action offered
 * disabled, `<case>.<action>.disabled.txt` holds the reason. Offers and files must match exactly.
 */
for (const refactor of REFACTORS) {
  describe(refactor.id, () => {
    const dir = path.join(FIXTURES, 'refactors', refactor.id);
    const cases = listFiles(dir).filter((file) => !/\.out\.[a-z]+$/.test(file));

    test('has fixtures', () => assert.ok(cases.length > 0));

    for (const file of cases) {
      const name = path.basename(file);
      // One test per case, its program built inside it, so that programs do not pile up in memory.
      test(name, async (t) => {
        const text = fs.readFileSync(file, 'utf8');
        const context = contextOf(file, text);
        const offers = refactor.getOffers(context);
        const base = file.replace(/\.[a-z]+$/, '');
        const ext = path.extname(file);

        await t.test('offers exactly the actions that have expected files', () => {
          const expected = fs
            .readdirSync(dir)
            .filter((f) => f.startsWith(`${path.basename(base)}.`) && f !== name)
            .map((f) => f.slice(path.basename(base).length + 1).replace(/\.(out\.[a-z]+|disabled\.txt)$/, (m) => (m.startsWith('.out') ? '' : ' (disabled)')))
            .sort();
          assert.deepEqual(offers.map((o) => `${o.action}${o.disabled ? ' (disabled)' : ''}`).sort(), expected);
        });

        for (const offer of offers) {
          if (offer.disabled) {
            await t.test(`${offer.action} is disabled with its reason`, () => {
              assert.equal(offer.disabled, fs.readFileSync(`${base}.${offer.action}.disabled.txt`, 'utf8').trim());
            });
            continue;
          }
          await t.test(`${offer.action} gives the expected file, which parses and type-checks where the input did`, () => {
            const output = applyEdits(text, refactor.doChange(context, offer));
            const expectedFile = `${base}.${offer.action}.out${ext}`;
            assert.ok(fs.existsSync(expectedFile), `missing ${path.basename(expectedFile)}; the action gives:\n${output}`);
            assert.equal(output, fs.readFileSync(expectedFile, 'utf8'));
            const reparsed = parse(TextDocument.create(`file://${file}`, context.sourceFile.languageVariant === ts.LanguageVariant.JSX ? 'typescriptreact' : 'typescript', 2, output)) as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
            if (ext === '.ts' || ext === '.tsx') assert.deepEqual(reparsed.parseDiagnostics.map((d) => d.messageText), []);
            const options = { ...CHECK_OPTIONS, experimentalDecorators: context.project.experimentalDecorators };
            const [before, after] = typeCheck(new Map([[`input${ext}`, text], [`output${ext}`, output]]), options);
            if (before!.errors.length === 0) assert.deepEqual(after!.errors, [], 'the input type-checks but the output does not');
          });
        }
      });
    }
  });
}

function contextOf(file: string, text: string): RefactorContext {
  const languageId = file.endsWith('.tsx') ? 'typescriptreact' : file.endsWith('.js') ? 'javascript' : 'typescript';
  const sourceFile = parse(TextDocument.create(`file://${file}`, languageId, 1, text));
  const cursor = text.indexOf('/*|*/');
  const start = cursor >= 0 ? cursor + '/*|*/'.length : text.indexOf('/*{*/') + '/*{*/'.length;
  const end = cursor >= 0 ? start : text.indexOf('/*}*/');
  if (start < '/*{*/'.length || end < start) throw new Error(`${file}: mark the selection with /*{*/ ... /*}*/ or a cursor /*|*/`);
  const factsLine = /^\/\/ facts: (\{.*\})/.exec(text);
  const project = { ...DEFAULT_FACTS, ...(factsLine ? (JSON.parse(factsLine[1]!) as Partial<ProjectFacts>) : {}) };
  const ext = path.extname(file);
  const options = { ...CHECK_OPTIONS, experimentalDecorators: project.experimentalDecorators };
  const { program, sourceFile: programFile } = programFor(new Map([[`fixture${ext}`, text]]), options);
  const span = { start, end };
  return {
    sourceFile,
    span,
    path: pathContaining(sourceFile, span),
    project,
    types: { checker: program.getTypeChecker(), sourceFile: programFile(`fixture${ext}`) },
    decoratorsModule: undefined,
  };
}
