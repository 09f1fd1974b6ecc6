/**
 * Fuzzing the engine in process, CI-sized with a fixed seed (`npm run fuzz` is the long run): mutated
 * sources and files no editor should ever send. Each input must give no exception, answers within the
 * bound, the same analysis after incremental edits as after a fresh parse, and positions that are
 * UTF-16 offsets (test/support/fuzzEngine.ts says exactly what is checked).
 */
import * as assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { describeInput, FUZZ_SEED, fuzzInput, fuzzUri, repositorySeeds, specialInputs } from './support/fuzz';
import { EngineFuzzer } from './support/fuzzEngine';

const seeds = repositorySeeds();
const specials = specialInputs(seeds);
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

describe('fuzz: the engine', () => {
  const fuzzer = new EngineFuzzer(seeds);

  after(() => {
    console.log(`slowest engine call: ${Math.round(fuzzer.slowest.ms)} ms, ${fuzzer.slowest.what}`);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  test('mutated sources (truncated, tokens deleted or duplicated, random bytes, brackets, wide characters, line endings, BOM)', () => {
    fc.assert(
      fc.property(fuzzInput(seeds.length), (input) => {
        assert.deepEqual(fuzzer.check(input), [], describeInput(input, seeds));
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });

  for (const special of specials) {
    test(special.name, () => assert.deepEqual(fuzzer.checkSpecial(special), []));
  }

  test('files nested too deeply for the parser say so in one diagnostic', () => {
    for (const special of specials.filter((s) => /^10k nested (parentheses|blocks|JSX)/.test(s.name))) {
      const uri = fuzzUri('special', special.languageId);
      fuzzer.checkSpecial(special);
      const diagnostics = fuzzer.diagnostics(uri);
      assert.deepEqual(diagnostics.map((d) => d.code), ['file-skipped'], special.name);
      assert.match(String(diagnostics[0]!.message), /nested too deeply/);
    }
  });

  test('a 5 MB generated file is skipped with one message under the default limit, and analysed within the bound above it', () => {
    const big = specials.find((s) => s.name === 'a 5 MB generated file')!;
    fuzzer.checkSpecial(big);
    const [skipped, ...rest] = fuzzer.diagnostics(fuzzUri('special', 'typescript'));
    assert.deepEqual(rest, []);
    assert.equal(skipped!.code, 'file-skipped');
    assert.match(String(skipped!.message), /^Pattern Lens skipped this file: it is 5,\d{3} KB, over the limit of 2,048 KB \(the setting patternLens\.maxFileSizeKB\)\.$/);

    const raised = new EngineFuzzer(seeds, { maxFileSizeKB: 8192 });
    assert.deepEqual(raised.checkSpecial(big), []);
    assert.ok(raised.diagnostics('file:///fuzz/special.ts').every((d) => d.code !== 'file-skipped'));
  });
});
