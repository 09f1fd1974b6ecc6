import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../server/src/edits/builder';
import { REFACTORS_BY_ID } from '../server/src/refactors';
import { pathContaining } from '../server/src/refactors/support';
import type { RefactorContext } from '../server/src/refactors/types';
import { parse } from '../server/src/service/documents';
import { FIXTURES } from './support/fixtures';
import { programFor } from './support/typecheck';

/**
 * Proof by running: every try/finally fixture of `try-finally-to-using` and `try-finally-to-disposable-stack`
 * that has a converted output is converted by the action (which must give that expected file), then the
 * original and the converted program are run with Node 24 (native `using`, DisposableStack and
 * SuppressedError; types stripped by `ts.transpileModule` to ESNext, which leaves `using` as written) in
 * every scenario below, and must do the same thing.
 *
 * The fixtures call a small instrumented world, declared at their top and implemented by PRELUDE: `open()`
 * and `openAsync()` return resources that log `open <name>` / `close <name>`, `step()` logs the body's
 * steps, `earlyReturn()` says whether the body should return early, `log()` logs anything else. A scenario
 * makes the n-th step, the n-th open or the n-th close throw, or the body return early.
 *
 * Same events and same outcome (returned value, or thrown error) in every scenario, with two exceptions that
 * only scenarios where a cleanup throws may show, and only when the action's title announces them:
 * - the error arrives wrapped in a SuppressedError (its `error` is the error the original threw) when another
 *   error was pending, as the outcome or where the program catches it — titles say "SuppressedError";
 * - when the finally did several separate cleanups and one threw, the ones after it now run too (the events
 *   gain cleanup events at the end) — titles say "even if" another throws.
 */

const ROOT = path.join(__dirname, '..');
const IDS = ['try-finally-to-using', 'try-finally-to-disposable-stack'] as const;

/** The instrumented world the fixtures declare. The resources' dispose methods call close(), like real ones. */
const PRELUDE = `
function __describe(e) {
  if (typeof SuppressedError === 'function' && e instanceof SuppressedError) {
    return { name: 'SuppressedError', error: __describe(e.error), suppressed: __describe(e.suppressed) };
  }
  return e instanceof Error ? { name: e.name, message: e.message } : { value: String(e) };
}
const __state = { events: [], scenario: {}, counts: { step: 0, open: 0, close: 0 } };
function log(event) { __state.events.push(event); }
function step(name) {
  const n = ++__state.counts.step;
  log('step ' + name);
  if (__state.scenario.bodyThrowsAt === n) throw new Error('body failed at ' + name);
}
function earlyReturn() { return __state.scenario.earlyReturn === true; }
function caught(error) { log('caught-error ' + JSON.stringify(__describe(error))); }
function opening(name) {
  const n = ++__state.counts.open;
  log('open ' + name);
  if (__state.scenario.openThrowsAt === n) throw new Error('open failed: ' + name);
}
function closing(name) {
  const n = ++__state.counts.close;
  log('close ' + name);
  if (__state.scenario.closeThrowsAt === n) throw new Error('close failed: ' + name);
}
function open(name) {
  opening(name);
  return { name, close() { closing(name); }, [Symbol.dispose]() { this.close(); } };
}
function find(name) {
  return name.startsWith('missing') ? undefined : open(name);
}
async function openAsync(name) {
  await null;
  opening(name);
  return {
    name,
    async close() { log('closing ' + name); await null; closing(name); },
    [Symbol.asyncDispose]() { return this.close(); },
  };
}
`;

const DRIVER = `
async function __once(scenario) {
  __state.events = [];
  __state.scenario = scenario;
  __state.counts = { step: 0, open: 0, close: 0 };
  let outcome;
  try {
    const value = await run();
    outcome = { returned: value === undefined ? null : value };
  } catch (e) {
    outcome = { threw: __describe(e) };
  }
  return { scenario, events: __state.events, outcome, counts: { ...__state.counts } };
}
const __given = process.argv[2] ? JSON.parse(process.argv[2]) : undefined;
let __scenarios = __given;
if (!__scenarios) {
  const normal = await __once({});
  const { step, open, close } = normal.counts;
  const range = (n) => Array.from({ length: n }, (_, i) => i + 1);
  __scenarios = [
    {},
    { earlyReturn: true },
    ...range(step + 1).map((n) => ({ bodyThrowsAt: n })),
    ...range(open).map((n) => ({ openThrowsAt: n })),
    ...range(close).map((n) => ({ closeThrowsAt: n })),
    ...range(step + 1).flatMap((s) => range(close).map((n) => ({ bodyThrowsAt: s, closeThrowsAt: n }))),
    { earlyReturn: true, closeThrowsAt: 1 },
  ];
}
const __results = [];
for (const scenario of __scenarios) __results.push(await __once(scenario));
console.log(JSON.stringify(__results));
`;

interface Outcome {
  readonly returned?: unknown;
  readonly threw?: Thrown;
}
interface Thrown {
  readonly name?: string;
  readonly message?: string;
  readonly error?: Thrown;
  readonly suppressed?: Thrown;
}
interface Result {
  readonly scenario: Record<string, unknown>;
  readonly events: readonly string[];
  readonly outcome: Outcome;
}

function node24(): string | undefined {
  try {
    const binary = execFileSync('bash', [path.join(ROOT, 'scripts', 'node24.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).startsWith('v24.') ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Types stripped, `using` and `await using` left to Node (target ESNext keeps them as written). */
function toJavaScript(text: string, fileName: string): string {
  const output = ts.transpileModule(text, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
  }).outputText;
  return `${PRELUDE}\n${output}\n${DRIVER}`;
}

function runProgram(binary: string, dir: string, name: string, source: string, scenarios?: readonly Record<string, unknown>[]): Result[] {
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, source);
  const output = execFileSync(binary, [file, ...(scenarios ? [JSON.stringify(scenarios)] : [])], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(output) as Result[];
}

/** The action's title and output, with types from one program over all the cases (each file its own module). */
function conversions(all: readonly Case[]): Map<Case, { title: string; output: string }> {
  const names = new Map(all.map((c, i) => [c, `case${i}${path.extname(c.input)}`]));
  const texts = new Map(all.map((c) => [c.input, fs.readFileSync(c.input, 'utf8')]));
  const { program, sourceFile: programFile } = programFor(new Map(all.map((c) => [names.get(c)!, texts.get(c.input)!])));
  const checker = program.getTypeChecker();
  const result = new Map<Case, { title: string; output: string }>();
  for (const c of all) {
    const text = texts.get(c.input)!;
    const ext = path.extname(c.input);
    const sourceFile = parse(TextDocument.create(`file://${c.input}`, ext === '.js' ? 'javascript' : 'typescript', 1, text));
    const cursor = text.indexOf('/*|*/');
    const start = cursor >= 0 ? cursor + '/*|*/'.length : text.indexOf('/*{*/') + '/*{*/'.length;
    const end = cursor >= 0 ? start : text.indexOf('/*}*/');
    const span = { start, end };
    const context: RefactorContext = {
      sourceFile,
      span,
      path: pathContaining(sourceFile, span),
      project: { typescriptVersion: '6.0.3', hasDisposableLib: true, experimentalDecorators: false },
      types: { checker, sourceFile: programFile(names.get(c)!) },
      decoratorsModule: undefined,
    };
    const refactor = REFACTORS_BY_ID.get(c.id)!;
    const offer = refactor.getOffers(context).find((o) => o.action === c.action && !o.disabled);
    if (offer) result.set(c, { title: offer.title, output: applyEdits(text, refactor.doChange(context, offer)) });
  }
  return result;
}

function unwrapSuppressed(thrown: Thrown | undefined): Thrown | undefined {
  return thrown?.name === 'SuppressedError' ? thrown.error : thrown;
}

interface Case {
  readonly id: string;
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly action: string;
}

/** The cases: every `<case>.<action>.out.<ext>` with its `<case>.<ext>`. */
function cases(): Case[] {
  const found: Case[] = [];
  for (const id of IDS) {
    const dir = path.join(FIXTURES, 'refactors', id);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      const match = /^(.*)\.([a-z-]+)\.out\.([a-z]+)$/.exec(file);
      if (!match) continue;
      found.push({ id, name: `${match[1]}.${match[3]}`, input: path.join(dir, `${match[1]}.${match[3]}`), output: path.join(dir, file), action: match[2]! });
    }
  }
  return found;
}

const binary = node24();

describe('try/finally conversions behave the same when run (Node 24)', { skip: binary ? false : 'Node 24 could not be obtained (scripts/node24.sh failed): the runtime proof needs native `using` and DisposableStack' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'try-finally-runtime-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const all = cases();
  const converted = conversions(all);

  test('there are cases for both refactors, and ESNext output keeps `using` as written', () => {
    for (const id of IDS) assert.ok(all.some((c) => c.id === id), `no converted fixture for ${id}`);
    const js = ts.transpileModule('async function f() { using a = x(); await using b = y(); }', {
      compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext },
    }).outputText;
    assert.match(js, /using a = x\(\); await using b = y\(\);/);
  });

  for (const c of all) {
    test(`${c.id}: ${c.name} (${c.action})`, () => {
      const original = fs.readFileSync(c.input, 'utf8');
      assert.match(original, /export (async )?function run\(/, 'every converted fixture is runnable: it exports run()');
      const conversion = converted.get(c);
      assert.ok(conversion, `${c.name}: ${c.id} offers no ${c.action} there`);
      const { title, output } = conversion;
      assert.equal(output, fs.readFileSync(c.output, 'utf8'), 'the action gives the expected file');
      const before = runProgram(binary!, dir, `${c.id}-${c.name}-before`, toJavaScript(original, c.input));
      const after = runProgram(binary!, dir, `${c.id}-${c.name}-after`, toJavaScript(output, c.output), before.map((r) => r.scenario));
      const kinds = ['earlyReturn', 'bodyThrowsAt', 'openThrowsAt', 'closeThrowsAt'];
      for (const kind of kinds) assert.ok(before.some((r) => kind in r.scenario), `a scenario with ${kind}`);
      for (const [i, old] of before.entries()) {
        const now = after[i]!;
        const label = `scenario ${JSON.stringify(old.scenario)}`;
        if (!('closeThrowsAt' in old.scenario)) {
          assert.deepEqual(now.events, old.events, `${label}: events`);
          assert.deepEqual(now.outcome, old.outcome, `${label}: outcome`);
          continue;
        }
        // Cleanup threw. Allowed, and only when the title says so: the error arrives wrapped in a
        // SuppressedError (at the end, or where the program catches it); later cleanups now run too.
        let wrapped = false;
        const unwrapEvent = (event: string, mark: boolean) => {
          if (!event.startsWith('caught-error ')) return event;
          const thrown = JSON.parse(event.slice('caught-error '.length)) as Thrown;
          if (thrown.name !== 'SuppressedError') return event;
          if (mark) wrapped = true;
          return `caught-error ${JSON.stringify(thrown.error)}`;
        };
        const nowEvents = now.events.map((e) => unwrapEvent(e, true));
        const oldEvents = old.events.map((e) => unwrapEvent(e, false));
        if (JSON.stringify(nowEvents) !== JSON.stringify(oldEvents)) {
          assert.match(title, /even if/, `${label}: the events changed but the title does not say that more cleanups run\n${JSON.stringify(now.events)}\n${JSON.stringify(old.events)}`);
          assert.deepEqual(nowEvents.slice(0, oldEvents.length), oldEvents, `${label}: the events before the extra cleanups`);
          const extra = nowEvents.slice(oldEvents.length);
          assert.ok(extra.every((e) => !/^(step|open|caught-error) /.test(e)), `${label}: only cleanups may be added, got ${JSON.stringify(extra)}`);
        }
        if (JSON.stringify(now.outcome) !== JSON.stringify(old.outcome)) {
          assert.equal(now.outcome.threw?.name, 'SuppressedError', `${label}: ${JSON.stringify(now.outcome)} vs ${JSON.stringify(old.outcome)}`);
          assert.deepEqual(unwrapSuppressed(now.outcome.threw), unwrapSuppressed(old.outcome.threw), `${label}: the error inside the SuppressedError`);
          wrapped = true;
        }
        if (wrapped) assert.match(title, /SuppressedError/, `${label}: an error arrived as SuppressedError but the title does not say so`);
      }
    });
  }
});
