/**
 * The long fuzz run: `npm run fuzz [-- --inputs 100000] [--seed N] [--server-every 10] [--no-corpus]`.
 *
 * The same inputs and checks as the CI suites (test/support/fuzz*.ts), many more of them, over the
 * repository's sources and the real-world corpus (scripts/corpus.ts, fetched once into .cache). Every
 * input goes through the engine; every `--server-every`th also through the bundled server over LSP.
 * Unlike the tests it does not stop at the first failure: it counts them, keeps them in
 * .cache/fuzz/failures.jsonl, and prints the counts and the slowest request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as fc from 'fast-check';
import { corpus } from './corpus';
import { describeInput, FUZZ_SEED, fuzzInput, repositorySeeds, ROOT, seedsOf, specialInputs, type FuzzInput } from '../test/support/fuzz';
import { EngineFuzzer } from '../test/support/fuzzEngine';
import { ServerFuzzer } from '../test/support/fuzzServer';

const BATCH = 250;
const OUT = path.join(ROOT, '.cache', 'fuzz');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      inputs: { type: 'string', default: '100000' },
      seed: { type: 'string', default: String(FUZZ_SEED) },
      'server-every': { type: 'string', default: '10' },
      corpus: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  const total = Number(values.inputs);
  const seed = Number(values.seed);
  const serverEvery = Number(values['server-every']);
  const seeds = [...repositorySeeds(), ...(values.corpus ? seedsOf(corpus().flatMap((p) => p.files)) : [])];
  fs.mkdirSync(OUT, { recursive: true });
  const failuresFile = path.join(OUT, 'failures.jsonl');
  fs.writeFileSync(failuresFile, '');
  console.log(`fuzz: ${total} inputs from ${seeds.length} seed files, seed ${seed}; every ${serverEvery}th also over LSP`);

  const engine = new EngineFuzzer(seeds);
  const server = await ServerFuzzer.start(seeds);
  const started = performance.now();
  let crashes = 0;
  let serverInputs = 0;
  const kinds = new Map<string, number>();
  const record = (where: string, description: string, problems: string[], input?: FuzzInput) => {
    if (problems.length === 0) return;
    crashes++;
    for (const problem of problems) {
      const kind = `${where}: ${problem.split('\n')[0]!.replace(/\d+/g, 'N').slice(0, 100)}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    fs.appendFileSync(failuresFile, `${JSON.stringify({ where, description, input, problems })}\n`);
  };

  for (const special of specialInputs(seeds)) {
    record('engine', special.name, engine.checkSpecial(special));
    record('server', special.name, await server.checkSpecial(special));
  }
  let done = 0;
  for (let batch = 0; done < total; batch++) {
    for (const input of fc.sample(fuzzInput(seeds.length, { typeAwareEvery: 20 }), { seed: seed + batch, numRuns: Math.min(BATCH, total - done) })) {
      const description = describeInput(input, seeds);
      record('engine', description, engine.check(input), input);
      if (done % serverEvery === 0) {
        serverInputs++;
        record('server', description, await server.check(input), input);
      }
      done++;
    }
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\r${done} inputs, ${crashes} crashes, ${seconds.toFixed(0)} s`);
  }
  const stopProblems = await server.stop();
  record('server', 'shutdown', stopProblems);

  const minutes = (performance.now() - started) / 60_000;
  console.log(`\ninputs: ${done} through the engine, ${serverInputs} of them also over LSP, plus ${specialInputs(seeds).length} special files through both (${minutes.toFixed(1)} min)`);
  console.log(`crashes: ${crashes}${crashes > 0 ? ` (details in ${path.relative(ROOT, failuresFile)})` : ''}`);
  for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(6)}  ${kind}`);
  console.log(`slowest engine call: ${Math.round(engine.slowest.ms)} ms, ${engine.slowest.what}`);
  console.log(`slowest server answer: ${Math.round(server.slowest.ms)} ms, ${server.slowest.what}`);
  return crashes === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
