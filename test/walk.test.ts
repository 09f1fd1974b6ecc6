import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Listeners, PatternDefinition } from '../server/src/patterns/types';
import { SYNTACTIC_DETECTORS, SYNTACTIC_RULES } from '../server/src/service/analyze';
import { parse } from '../server/src/service/documents';
import { PATTERNS } from '../server/src/patterns';
import { walk, WalkCancelled, WalkMemo, type Detector } from '../server/src/service/walk';
import { TYPE_AWARE_RULES } from '../server/src/service/typeAware';

const source = (text: string, languageId = 'typescript') => parse(TextDocument.create(`file:///walk.${languageId === 'typescript' ? 'ts' : 'js'}`, languageId, 1, text));

/** A stand-in pattern: only `id` and `create` matter to the walk. */
function detector(id: string, create: PatternDefinition['create']): Detector {
  return { id, kind: 'pattern', create } as unknown as Detector;
}

describe('walk', () => {
  test('a detector that throws is dropped from the rest of the walk; the others see every node', () => {
    const seen: string[] = [];
    let endCalled = false;
    const failing = detector('failing', () => ({
      [ts.SyntaxKind.Identifier](node) {
        if ((node as ts.Identifier).text === 'b') throw new Error('boom');
        seen.push(`failing:${(node as ts.Identifier).text}`);
      },
      onWalkEnd: () => (endCalled = true),
    }));
    const healthy = detector('healthy', (context) => ({
      [ts.SyntaxKind.Identifier](node) {
        seen.push(`healthy:${(node as ts.Identifier).text}`);
        context.report(node);
      },
    }));
    const result = walk(source('a; b; c;'), [failing, healthy]);
    assert.deepEqual(seen, ['failing:a', 'healthy:a', 'healthy:b', 'healthy:c']);
    assert.deepEqual(result.failures.map((f) => f.id), ['failing']);
    assert.equal(endCalled, false);
    assert.deepEqual(result.findings.map((f) => f.span), [{ start: 0, end: 1 }, { start: 3, end: 4 }, { start: 6, end: 7 }]);
  });

  test('several listener sets from one detector run side by side, in order, each with its own end', () => {
    const calls: string[] = [];
    const sets = (name: string): Listeners => ({ [ts.SyntaxKind.Identifier]: () => calls.push(name), onWalkEnd: () => calls.push(`${name} end`) });
    walk(source('x;'), [detector('two', () => [sets('first'), sets('second')])]);
    assert.deepEqual(calls, ['first', 'second', 'first end', 'second end']);
  });

  test('a detector that throws in one of its listener sets runs none of them afterwards, on the same node either', () => {
    const calls: string[] = [];
    const throwing: Listeners = { [ts.SyntaxKind.Identifier]: () => { throw new Error('boom'); } };
    const other: Listeners = { [ts.SyntaxKind.Identifier]: () => calls.push('other'), onWalkEnd: () => calls.push('end') };
    const result = walk(source('x; y;'), [detector('two', () => [throwing, other])]);
    assert.deepEqual(calls, []);
    assert.deepEqual(result.failures.map((f) => f.id), ['two']);
  });

  test('a cancelled token stops the walk', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `v${i};`).join('\n');
    assert.throws(() => walk(source(text), SYNTACTIC_DETECTORS, { token: { isCancellationRequested: true } }), WalkCancelled);
  });

  test('every detector handles the same kinds on every call (the walk reads them once per detector)', () => {
    const kinds = (sets: ReturnType<Detector['create']>) =>
      (Array.isArray(sets) ? sets : [sets]).map((listeners: Listeners) => [...Object.keys(listeners), ...Object.keys(listeners.calls ?? {}).map((name) => `calls.${name}`)].sort());
    const contexts = [source('export const a = 1;'), source('var b = require("fs");', 'javascript')].map((sourceFile) => ({
      sourceFile,
      ancestors: [],
      checker: undefined,
      report() {},
    }));
    for (const each of [...SYNTACTIC_DETECTORS, ...TYPE_AWARE_RULES]) {
      const [first, second] = contexts.map((context) => kinds(each.create(context as never)));
      assert.deepEqual(second, first, each.id);
    }
  });

  test('calls reach the handlers of the name they call, whatever the form of the callee, and no others', () => {
    const seen: string[] = [];
    const text = [
      'slice(a);',
      'x.slice(a);',
      'x?.slice(a);',
      "x['slice'](a);",
      '(x.slice as Function)(a);',
      'x.slice!(a);',
      'x.splice(a);',
      'x[key](a);',
      'f()(a);',
      'import("./m");',
      'new slice(a);',
      'x.slice;',
    ].join('\n');
    const sourceFile = source(text);
    const line = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    walk(sourceFile, [
      detector('named', () => ({
        calls: { slice: (node) => seen.push(`slice:${line(node)}`), import: (node) => seen.push(`import:${line(node)}`) },
      })),
      detector('every call', () => ({ [ts.SyntaxKind.CallExpression]: (node) => seen.push(`call:${line(node)}`) })),
    ]);
    const named = seen.filter((entry) => !entry.startsWith('call:'));
    assert.deepEqual(named, ['slice:1', 'slice:2', 'slice:3', 'slice:4', 'slice:5', 'slice:6', 'import:10']);
    // A CallExpression handler still sees every call, `f()(a)` and its inner `f()` included.
    assert.equal(seen.filter((entry) => entry.startsWith('call:')).length, 11);
  });

  test('a detector that throws in a calls handler is dropped like any other', () => {
    const calls: string[] = [];
    const result = walk(source('a.fill(1); b.fill(2);'), [
      detector('thrower', () => ({ calls: { fill: () => { throw new Error('boom'); } } })),
      detector('counter', () => ({ calls: { fill: () => calls.push('fill') } })),
    ]);
    assert.deepEqual(result.failures.map((f) => f.id), ['thrower']);
    assert.deepEqual(calls, ['fill', 'fill']);
  });

  test('the walk enters type nodes only when a handler needs type syntax', () => {
    const text = 'let f: (x: Array<string>) => Map<string, number> = g; type T = { k: (y: number) => void };';
    const parametersSeen = (detectors: Detector[]) => {
      const names: string[] = [];
      const parameters = detector('parameters', () => ({
        [ts.SyntaxKind.Parameter]: (node) => names.push(((node as ts.ParameterDeclaration).name as ts.Identifier).text),
      }));
      walk(source(text), [parameters, ...detectors]);
      return names;
    };
    // No handler of type syntax: the parameters of the function types are not visited.
    assert.deepEqual(parametersSeen([]), []);
    // A TypeReference handler (as the patterns have) makes the walk go into every type.
    const references: string[] = [];
    const typeReferences = detector('type references', () => ({
      [ts.SyntaxKind.TypeReference]: (node) => references.push(((node as ts.TypeReferenceNode).typeName as ts.Identifier).text),
    }));
    assert.deepEqual(parametersSeen([typeReferences]), ['x', 'y']);
    assert.deepEqual(references, ['Array', 'Map']);
  });

  describe('with a document\'s memo, over its versions', () => {
    /** Every node some handler listens to, where it is and where its ancestors are, in the order the walk gave them. */
    const probe = (log: string[]) =>
      detector('probe', (context) => {
        const at = (node: ts.Node) => `${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end}`;
        const seen = (node: ts.Node) => log.push(`${at(node)} in ${context.ancestors.map(at).join(' ')}`);
        return {
          [ts.SyntaxKind.Identifier]: seen,
          [ts.SyntaxKind.Block]: seen,
          [ts.SyntaxKind.VariableDeclaration]: seen,
          [ts.SyntaxKind.BinaryExpression]: seen,
          [ts.SyntaxKind.ArrowFunction]: seen,
          calls: { push: seen, map: seen },
        };
      });
    const edits = ['', ' ', 'x', '}', '{', '/*', '*/', '`', '(', ';\nconst extra = [1].map((n) => n == 1);\n'];

    test('after each edit the handlers see the same nodes, with the same ancestors, and report the same, as a walk of a fresh parse', () => {
      const file = path.join(__dirname, '..', 'server', 'src', 'rules', 'loop-var-closure.ts');
      let text = fs.readFileSync(file, 'utf8');
      let sourceFile = source(text);
      const memos = { rules: new WalkMemo(), patterns: new WalkMemo() };
      const reported = { rules: 0, patterns: 0 };
      let seed = 7;
      const next = (below: number) => (seed = (seed * 48271) % 2147483647) % below;
      for (let edit = 0; edit < 60; edit++) {
        const start = next(text.length);
        const length = next(4) === 0 ? next(40) : 0;
        const inserted = edits[next(edits.length)]!;
        text = text.slice(0, start) + inserted + text.slice(start + length);
        sourceFile = ts.updateSourceFile(sourceFile, text, { span: { start, length }, newLength: inserted.length });
        const fresh = source(text);
        for (const [name, detectors] of [['rules', SYNTACTIC_RULES], ['patterns', PATTERNS]] as const) {
          const remembered: string[] = [];
          const parsedAgain: string[] = [];
          const withMemo = walk(sourceFile, [probe(remembered), ...detectors], { memo: memos[name] });
          const without = walk(fresh, [probe(parsedAgain), ...detectors]);
          assert.deepEqual(remembered, parsedAgain, `${name}, edit ${edit}`);
          assert.deepEqual(withMemo.problems, without.problems, `${name}, edit ${edit}`);
          assert.deepEqual(withMemo.findings, without.findings, `${name}, edit ${edit}`);
          assert.deepEqual(withMemo.failures, [], `${name}, edit ${edit}`);
          reported[name] += without.problems.length + without.findings.length;
        }
      }
      // The edits add problems (`n == 1`) and patterns (arrow functions) to what the file already has.
      assert.ok(reported.rules > 60 && reported.patterns > 60, JSON.stringify(reported));
    });

    test('after a small edit it goes over only the statement the edit touched', () => {
      const rulesDir = path.join(__dirname, '..', 'server', 'src', 'rules');
      const text = fs.readdirSync(rulesDir).filter((name) => name.endsWith('.ts')).map((name) => fs.readFileSync(path.join(rulesDir, name), 'utf8')).join('\n');
      let checks = 0;
      const token = { get isCancellationRequested() { checks++; return false; } };
      const checksOf = (run: () => void) => ((checks = 0), run(), checks);
      const rules = SYNTACTIC_RULES;
      const memo = new WalkMemo();
      const first = source(text);
      const full = checksOf(() => walk(first, rules, { token, memo }));
      const at = text.lastIndexOf('\n}') + 1;
      const edited = ts.updateSourceFile(first, `${text.slice(0, at)} ${text.slice(at)}`, { span: { start: at, length: 0 }, newLength: 1 });
      // Checked once every 1,024 nodes, visited or replayed: the file's last function alone is walked again.
      const again = checksOf(() => walk(edited, rules, { token, memo }));
      assert.ok(full > 30, `${full} checks in a full walk`);
      assert.ok(again < full / 2, `${again} checks after the edit, ${full} in a full walk`);
    });
  });
});

