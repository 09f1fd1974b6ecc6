import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, EditBuilder } from '../server/src/edits/builder';
import type { Problem, RuleDefinition, TextEdit } from '../server/src/patterns/types';
import { RULES } from '../server/src/rules';
import { analyzeSourceFile } from '../server/src/service/analyze';
import { parse } from '../server/src/service/documents';
import { walk } from '../server/src/service/walk';
import { FIXTURES, listFiles, readFixture, type ExpectedFinding } from './support/fixtures';
import { programFor, typeCheck } from './support/typecheck';

/**
 * Per rule, `test/fixtures/rules/<id>/`: `invalid-*` files mark every problem they expect, and for each
 * fix the rule offers there, `<name>.<fix-id>.fixed.<ext>` is the whole file after applying that fix to
 * every problem offering it. `valid-*` files hold the look-alikes the rule must leave alone.
 */
for (const rule of RULES) {
  describe(rule.id, () => {
    const dir = path.join(FIXTURES, 'rules', rule.id);
    const files = listFiles(dir).filter((file) => !file.includes('.fixed.'));

    test('has invalid and valid fixtures', () => {
      const names = files.map((file) => path.basename(file));
      assert.ok(names.some((name) => name.startsWith('invalid-')), 'no invalid-* fixture');
      assert.ok(names.some((name) => name.startsWith('valid-')), 'no valid-* fixture');
    });

    for (const file of files) {
      const fixture = readFixture(file);
      const sourceFile = parse(fixture.document);
      const problems = problemsOf([rule], sourceFile);
      const isValid = path.basename(file).startsWith('valid-');

      test(`${fixture.name}: problems are exactly the marked ones`, () => {
        const ids = new Set([rule.id, ...fixture.expected.map((e) => e.id)]);
        const actual: ExpectedFinding[] = problems
          .filter((p) => ids.has(p.id))
          .map((p) => ({ id: p.id, start: p.span.start, end: p.span.end }));
        const show = (list: readonly ExpectedFinding[]) => list.map((f) => `${f.id} ${JSON.stringify(fixture.document.getText().slice(f.start, f.end))} @${f.start}`);
        assert.deepEqual(show(actual), show(fixture.expected));
        if (isValid) assert.equal(fixture.expected.length, 0, 'a valid-* fixture marks a problem');
      });

      for (const fix of rule.fixes ?? []) {
        const offered = problems.filter((p) => p.id === rule.id && p.fixes.includes(fix.id));
        const expectedFile = file.replace(/(\.[a-z]+)$/, `.${fix.id}.fixed$1`);
        if (offered.length === 0) {
          test(`${fixture.name}: ${fix.id} is not offered, and no output is expected`, () => {
            assert.ok(!fs.existsSync(expectedFile), `${path.basename(expectedFile)} exists but the fix is not offered`);
          });
          continue;
        }
        test(`${fixture.name}: ${fix.id} gives ${path.basename(expectedFile)}, which parses and type-checks where its input did`, () => {
          const output = applyEdits(sourceFile.text, combinedEdits(sourceFile, offered, (p) => fix.doChange(sourceFile, p.span)));
          assert.ok(fs.existsSync(expectedFile), `missing ${path.basename(expectedFile)}; the fix gives:\n${output}`);
          assert.equal(output, fs.readFileSync(expectedFile, 'utf8'));
          assertParses(fixture.document, output);
          assertTypeChecksIfInputDid(fixture.name, sourceFile.text, output);
        });
      }
    }
  });
}

describe('rule examples', () => {
  for (const rule of RULES) {
    test(`${rule.id}: each incorrect example reports it and nothing else; each correct one reports nothing`, () => {
      assert.ok(rule.examples.incorrect.length > 0 && rule.examples.correct.length > 0);
      for (const example of rule.examples.incorrect) {
        const ids = new Set(problemsOf(RULES, parse(TextDocument.create('file:///example.ts', 'typescript', 1, example))).map((p) => p.id));
        assert.deepEqual([...ids], [rule.id], example);
      }
      for (const example of rule.examples.correct) {
        assert.deepEqual(problemsOf(RULES, parse(TextDocument.create('file:///example.ts', 'typescript', 1, example))), [], example);
      }
    });
  }

  test('every example type-checks', () => {
    const files = new Map(
      RULES.flatMap((rule) => [...rule.examples.incorrect, ...rule.examples.correct].map((text, i) => [`${rule.id}-${i}.ts`, text] as const)),
    );
    assert.deepEqual(typeCheck(files).filter((f) => f.errors.length > 0), []);
  });
});

/**
 * The problems `rules` report in a file, with no detector failing: syntactic rules over the parsed tree,
 * type-aware ones over the same text in a program (strict, lib esnext, Node types) with its checker.
 */
function problemsOf(rules: readonly RuleDefinition[], sourceFile: ts.SourceFile): Problem[] {
  const syntactic = analyzeSourceFile(sourceFile, undefined, rules.filter((r) => !r.requiresTypes));
  const typed = rules.filter((r) => r.requiresTypes);
  let typeAware: Problem[] = [];
  if (typed.length > 0) {
    const name = `fixture${path.extname(sourceFile.fileName) || '.ts'}`;
    const { program, sourceFile: programFile } = programFor(new Map([[name, sourceFile.text]]));
    const result = walk(programFile(name), typed, { checker: program.getTypeChecker() });
    assert.deepEqual(result.failures, []);
    typeAware = result.problems;
  }
  assert.deepEqual(syntactic.failures, []);
  return [...syntactic.problems, ...typeAware].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

function combinedEdits(sourceFile: ts.SourceFile, problems: readonly Problem[], edits: (p: Problem) => readonly TextEdit[]): TextEdit[] {
  const builder = new EditBuilder(sourceFile);
  for (const problem of problems) for (const edit of edits(problem)) builder.replaceRange(edit.start, edit.end, edit.newText);
  return builder.build();
}

function assertParses(document: TextDocument, output: string): void {
  const reparsed = parse(TextDocument.create(document.uri, document.languageId, 2, output)) as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
  assert.deepEqual(reparsed.parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
}

function assertTypeChecksIfInputDid(name: string, input: string, output: string): void {
  const ext = path.extname(name);
  const [before, after] = typeCheck(new Map([[`input${ext}`, input], [`output${ext}`, output]]));
  if (before!.errors.length === 0) assert.deepEqual(after!.errors, [], 'the input type-checks but the output does not');
}
