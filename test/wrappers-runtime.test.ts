import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../server/src/edits/builder';
import { pathContaining } from '../server/src/refactors/support';
import type { ProjectFacts, RefactorContext, RefactorDefinition, RefactorOffer } from '../server/src/refactors/types';
import { wrapWithDecorator } from '../server/src/refactors/wrap-with-decorator';
import { wrapWithHigherOrder } from '../server/src/refactors/wrap-with-higher-order';
import { parse } from '../server/src/service/documents';
import { FIXTURES } from './support/fixtures';
import { CHECK_OPTIONS, programFor, typeCheck } from './support/typecheck';

/*
 * Proof by running, for `wrap-with-decorator` and `wrap-with-higher-order`: the original and the
 * converted code are transpiled (ts.transpileModule, target ES2022: TypeScript downlevels Stage-3 and
 * legacy decorators, so Node 20 runs them) and the same driver runs against both. What the driver
 * sees must be the same: results, `this`, thrown errors and rejections, the function's `name` and
 * `length`. The wrapper's own effect (logs, caching, retries) is checked on top.
 *
 * 1. Every fixture that has a converted output (test/fixtures/refactors/<id>/), legacy
 *    (`experimentalDecorators`, from the fixture's facts line) ones included.
 * 2. Scenarios written here, applied through getOffers/doChange: retries, memoization keys,
 *    detached bound methods, subclasses, hoisted callers.
 * 3. Offers without types (the editor before the project is loaded) and with a decorators module.
 */

const DEFAULT_FACTS: ProjectFacts = { typescriptVersion: '6.0.3', hasDisposableLib: true, experimentalDecorators: false };

type Exports = Record<string, any>;

interface Loaded {
  readonly exports: Exports;
  readonly logs: string[];
}

/** Transpiles and runs a module (CommonJS) with a console that records what it logs. */
function load(code: string, fileName: string, legacy: boolean): Loaded {
  const js = ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: legacy, esModuleInterop: true },
  }).outputText;
  const logs: string[] = [];
  const recorder = { log: (...args: unknown[]) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' ')) };
  const module = { exports: {} as Exports };
  new Function('require', 'module', 'exports', 'console', js)(require, module, module.exports, recorder);
  return { exports: module.exports, logs };
}

/** What a call did: its value (awaited if a promise), or its error's class and message. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    const value = run();
    if (value instanceof Promise) {
      try {
        return { resolved: await value };
      } catch (error) {
        return { rejected: describeError(error) };
      }
    }
    return { value };
  } catch (error) {
    return { threw: describeError(error) };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `non-error: ${String(error)}`;
}

/** A driver: what it observes, as plain data, for the same comparison before and after. */
type Driver = (exports: Exports) => Promise<unknown[]>;

const functionShape = (fn: { name: string; length: number }) => ({ name: fn.name, length: fn.length });

/** Drivers for the fixtures that have outputs, by `<refactor>/<case>`. */
const DRIVERS: Record<string, Driver> = {
  'wrap-with-decorator/method': async ({ Square }) => {
    const square = new Square(3);
    return [
      await outcome(() => square.area(2)),
      await outcome(() => square.area(2)),
      await outcome(() => Square.prototype.area.call({ side: 4 }, 1)),
      await outcome(() => Square.prototype.area.call(null, 1)),
      await outcome(() => new Square(-1)),
      functionShape(Square.prototype.area),
      Object.keys(square),
    ];
  },
  'wrap-with-decorator/async-method': async ({ Users }) => {
    const users = new Users();
    return [await outcome(() => users.fetchUser('7')), await outcome(() => Users.prototype.fetchUser.call(null, '8')), functionShape(Users.prototype.fetchUser)];
  },
  'wrap-with-decorator/getter-crlf-tabs': async ({ Point }) => {
    const point = new Point(3, 4);
    const getter = Object.getOwnPropertyDescriptor(Point.prototype, 'length')!.get!;
    return [await outcome(() => point.length), await outcome(() => getter.call({ x: 6, y: 8 })), await outcome(() => getter.call(undefined)), functionShape(getter)];
  },
  'wrap-with-decorator/getter-with-setter': async ({ Temperature }) => {
    const t = new Temperature();
    const before = await outcome(() => t.fahrenheit);
    t.fahrenheit = 212;
    return [before, await outcome(() => t.fahrenheit)];
  },
  'wrap-with-decorator/field-arrow': async ({ Button }) => {
    const button = new Button();
    const { onClick } = button;
    return [await outcome(() => onClick(2)), await outcome(() => onClick(3)), button.clicks, functionShape(onClick)];
  },
  'wrap-with-decorator/reuse-definition': async ({ Cart }) => {
    const cart = new Cart();
    let cleared = 0;
    cart.on('clear', () => cleared++);
    cart.clear();
    return [await outcome(() => cart.total(2, 5)), await outcome(() => Cart.prototype.total.call(undefined, 1, 1)), cleared, functionShape(Cart.prototype.total)];
  },
  'wrap-with-decorator/already-applied': async ({ Feed }) => {
    const feed = new Feed();
    const now = Date.now;
    Date.now = () => 42;
    try {
      return [await outcome(() => feed.refresh()), functionShape(Feed.prototype.refresh)];
    } finally {
      Date.now = now;
    }
  },
  'wrap-with-decorator/generic-method': async ({ Registry }) => {
    const registry = new Registry();
    return [await outcome(() => registry.get('missing', 5)), await outcome(() => registry.get.call(registry, 'x', 'y')), functionShape(registry.get)];
  },
  'wrap-with-decorator/one-line': async ({ Pair }) => [await outcome(() => Pair.join('a', 'b')), await outcome(() => Pair.join.call(null, 'c', 'd')), functionShape(Pair.join)],
  'wrap-with-decorator/overloaded-method': async ({ Format }) => [
    await outcome(() => Format.stamp('today')),
    await outcome(() => Format.stamp(new Date(0))),
    await outcome(() => Format.stamp(null)),
    functionShape(Format.stamp),
  ],
  'wrap-with-decorator/enum-key': async ({ Ruler, Unit }) => [
    await outcome(() => Ruler.label(Unit.Metre)),
    await outcome(() => Ruler.label(Unit.Foot)),
    await outcome(() => Ruler.label(Unit.Metre)),
    functionShape(Ruler.label),
  ],
  'wrap-with-decorator/type-predicate': async ({ Shapes }) => {
    const shapes = new Shapes();
    return [
      await outcome(() => shapes.isKind('circle')),
      await outcome(() => shapes.isKind('cube')),
      await outcome(() => Shapes.prototype.isKind.call({ kinds: new Set(['cube']) }, 'cube')),
      functionShape(shapes.isKind),
    ];
  },
  'wrap-with-decorator/own-performance': async ({ Clock }) => {
    const clock = new Clock();
    return [await outcome(() => clock.tick()), await outcome(() => clock.tick()), functionShape(Clock.prototype.tick)];
  },
  'wrap-with-decorator/legacy': async ({ Slugger }) => {
    const slugger = new Slugger();
    const detached = slugger.slug;
    const first = await outcome(() => slugger.slug('Hello Big World'));
    slugger.separator = '_';
    return [first, await outcome(() => slugger.slug('Other Title')), await outcome(() => Slugger.prototype.slug.call({ separator: '+' }, 'A B')), typeof detached, functionShape(Slugger.prototype.slug)];
  },
  'wrap-with-decorator/legacy-async': async ({ Uploader }) => {
    const uploader = new Uploader();
    return [await outcome(() => uploader.upload(new Uint8Array(3))), await outcome(() => uploader.upload.call(uploader, new Uint8Array(1))), await outcome(() => uploader.ping(1))];
  },
  'wrap-with-higher-order/declaration': async ({ joinAll, root }) => [root, await outcome(() => joinAll(['x', 'y'], '-')), await outcome(() => joinAll(null)), functionShape(joinAll)],
  'wrap-with-higher-order/overloads': async ({ parse, one, many }) => [one, many, await outcome(() => parse('7')), await outcome(() => parse(['1', 'x'])), functionShape(parse)],
  'wrap-with-higher-order/generic-default': async (exports) => [await outcome(() => exports.default(['a', 'b'])), await outcome(() => exports.default([])), functionShape(exports.default)],
  'wrap-with-higher-order/arrow': async ({ double }) => [await outcome(() => double(21)), functionShape(double)],
  'wrap-with-higher-order/function-expression': async ({ handler }) => [
    await outcome(() => handler({ type: 'click' })),
    await outcome(() => handler({ type: 'key' })),
    await outcome(() => handler(undefined)),
    functionShape(handler),
  ],
  'wrap-with-higher-order/this-param': async ({ alice, describe: describeIt, text }) => [
    text,
    await outcome(() => alice.describe('Hello')),
    await outcome(() => describeIt.call({ name: 'Bob' }, 'Hey')),
    await outcome(() => describeIt('Hi')),
    functionShape(describeIt),
  ],
  'wrap-with-higher-order/recursive': async ({ table }) => [await outcome(() => table(5)), await outcome(() => table(-1))],
  'wrap-with-higher-order/script': async ({ resolveAll }) => [await outcome(() => resolveAll('/base', ['a', '../b'])), await outcome(() => resolveAll('/base', null)), functionShape(resolveAll)],
  'wrap-with-higher-order/reuse': async ({ roll, fetchScore }) => {
    const rolls = Array.from({ length: 20 }, () => roll(6) as number);
    return [rolls.every((r) => r >= 1 && r <= 6), await outcome(() => fetchScore('abcd'))];
  },
};

/** What the wrapper itself must add, by action: a log line that shows it ran. */
const EFFECT: Record<string, RegExp | undefined> = { logged: / called with /, timed: / took [\d.]+ ms$/ };

interface FixtureOutput {
  readonly key: string;
  readonly refactor: RefactorDefinition;
  readonly action: string;
  readonly input: string;
  readonly output: string;
  readonly file: string;
  readonly legacy: boolean;
}

function fixtureOutputs(): FixtureOutput[] {
  const found: FixtureOutput[] = [];
  const dirs: [RefactorDefinition, string, string][] = [
    [wrapWithDecorator, 'wrap-with-decorator', path.join(FIXTURES, 'refactors', 'wrap-with-decorator')],
    [wrapWithHigherOrder, 'wrap-with-higher-order', path.join(FIXTURES, 'refactors', 'wrap-with-higher-order')],
  ];
  for (const [refactor, prefix, dir] of dirs) {
    for (const name of fs.readdirSync(dir).sort()) {
      const match = /^(.+)\.([a-z]+)\.out\.([a-z]+)$/.exec(name);
      if (!match) continue;
      const [, base, action, ext] = match;
      const file = path.join(dir, `${base}.${ext}`);
      found.push({
        key: `${prefix}/${base}`,
        refactor,
        action: action!,
        input: fs.readFileSync(file, 'utf8'),
        output: fs.readFileSync(path.join(dir, name), 'utf8'),
        file,
        legacy: /^\/\/ facts: .*"experimentalDecorators": true/.test(fs.readFileSync(file, 'utf8')),
      });
    }
  }
  return found;
}

describe('wrapped code behaves as before when run (fixtures)', () => {
  const outputs = fixtureOutputs();
  test('every fixture with an output has a driver', () => {
    assert.deepEqual([...new Set(outputs.map((o) => o.key))].filter((key) => !DRIVERS[key]), []);
    assert.ok(outputs.length >= 40);
  });
  for (const fixture of outputs) {
    test(`${fixture.key}: ${fixture.action}`, async () => {
      const driver = DRIVERS[fixture.key]!;
      const before = load(fixture.input, fixture.file, fixture.legacy);
      const after = load(fixture.output, fixture.file, fixture.legacy);
      const expected = await driver(before.exports);
      const actual = await driver(after.exports);
      assert.deepEqual(actual, expected);
      const effect = EFFECT[fixture.action];
      if (effect) assert.ok(after.logs.some((line) => effect.test(line)), `no log of @${fixture.action}: ${JSON.stringify(after.logs)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------

function contextFor(text: string, options: { facts?: Partial<ProjectFacts>; types?: boolean; languageId?: string } = {}): RefactorContext {
  const languageId = options.languageId ?? 'typescript';
  const ext = languageId === 'javascript' ? '.js' : '.ts';
  const sourceFile = parse(TextDocument.create(`file:///scenario${ext}`, languageId, 1, text));
  const cursor = text.indexOf('/*|*/');
  assert.ok(cursor >= 0, 'mark the cursor with /*|*/');
  const span = { start: cursor + 5, end: cursor + 5 };
  let types: RefactorContext['types'];
  if (options.types !== false) {
    const { program, sourceFile: programFile } = programFor(new Map([[`scenario${ext}`, text]]));
    types = { checker: program.getTypeChecker(), sourceFile: programFile(`scenario${ext}`) };
  }
  return { sourceFile, span, path: pathContaining(sourceFile, span), project: { ...DEFAULT_FACTS, ...options.facts }, types, decoratorsModule: undefined };
}

function apply(refactor: RefactorDefinition, context: RefactorContext, offer: RefactorOffer): string {
  const edits = refactor.doChange(context, offer);
  assert.ok(edits.length > 0, `${offer.action} gave no edit`);
  return applyEdits(context.sourceFile.text, edits);
}

function offered(refactor: RefactorDefinition, context: RefactorContext): Record<string, string | true> {
  return Object.fromEntries(refactor.getOffers(context).map((o) => [o.action, o.disabled ?? true]));
}

interface Scenario {
  readonly name: string;
  readonly refactor: RefactorDefinition;
  readonly source: string;
  readonly legacy?: boolean;
  /** The actions that must be offered (enabled); each is applied and run. */
  readonly actions: readonly string[];
  readonly driver: Driver;
  /** What only the converted code does, per action: checked on the converted exports and logs. */
  readonly effects?: Record<string, (after: Loaded, results: unknown[], before: unknown[]) => void | Promise<void>>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'retry: a method that rejects twice resolves on the third call; one that always rejects rejects with its last error',
    refactor: wrapWithDecorator,
    source: `
export class Api {
  calls = 0;
  constructor(readonly failures: number) {}
  async load/*|*/(id: string): Promise<string> {
    this.calls++;
    if (this.calls <= this.failures) throw new Error(\`attempt \${this.calls} for \${id}\`);
    return \`\${id}:\${this.calls}\`;
  }
}`,
    actions: ['retry', 'logged', 'timed', 'bound'],
    driver: async ({ Api }) => {
      const ok = new Api(0);
      return [await outcome(() => ok.load('a')), ok.calls, functionShape(Api.prototype.load)];
    },
    effects: {
      retry: async ({ exports: { Api } }) => {
        const flaky = new Api(2);
        assert.deepEqual(await outcome(() => flaky.load('b')), { resolved: 'b:3' });
        const broken = new Api(10);
        assert.deepEqual(await outcome(() => broken.load('c')), { rejected: 'Error: attempt 3 for c' });
        assert.equal(broken.calls, 3);
      },
      logged: async ({ exports: { Api }, logs }) => {
        await outcome(() => new Api(1).load('d'));
        assert.ok(logs.includes('load rejected with {}'), JSON.stringify(logs));
      },
    },
  },
  {
    name: 'memoize: per instance, by argument value, -0 apart from 0, throws not cached, primitive this not cached',
    refactor: wrapWithDecorator,
    source: `
export let computed = 0;
export class Scale {
  constructor(readonly factor: number) {}
  apply/*|*/(value: number): number {
    computed++;
    if (Number.isNaN(value)) throw new RangeError('not a number');
    return 1 / (value * this.factor);
  }
}`,
    actions: ['memoize', 'logged', 'timed', 'bound'],
    driver: async (exports) => {
      const { Scale } = exports;
      const two = new Scale(2);
      const three = new Scale(3);
      return [
        await outcome(() => two.apply(1)),
        await outcome(() => three.apply(1)),
        await outcome(() => two.apply(0)),
        await outcome(() => two.apply(-0)),
        await outcome(() => two.apply(Number.NaN)),
        await outcome(() => Scale.prototype.apply.call(5, 1)),
      ];
    },
    effects: {
      memoize: async ({ exports }) => {
        const before = exports.computed;
        const scale = new exports.Scale(4);
        scale.apply(1);
        scale.apply(1);
        scale.apply(2);
        assert.equal(exports.computed - before, 2, 'the second call with 1 is cached');
        scale.apply(-0);
        scale.apply(-0);
        assert.equal(exports.computed - before, 4, '-0 is never cached');
        await outcome(() => scale.apply(Number.NaN));
        await outcome(() => scale.apply(Number.NaN));
        assert.equal(exports.computed - before, 6, 'a call that throws is not cached');
      },
    },
  },
  {
    name: 'bound: a detached method keeps its instance; a subclass override is what gets bound; keys unchanged',
    refactor: wrapWithDecorator,
    source: `
export class Counter {
  count = 0;
  increment/*|*/(by: number): number {
    return (this.count += by);
  }
}
export class Double extends Counter {
  override increment(by: number): number {
    return super.increment(by * 2);
  }
}`,
    actions: ['bound', 'logged', 'timed'],
    driver: async ({ Counter, Double }) => {
      const counter = new Counter();
      const double = new Double();
      return [
        await outcome(() => counter.increment(1)),
        await outcome(() => double.increment(1)),
        // The prototype's method: an instance's own bound copy ignores another `this`, as @bound says.
        await outcome(() => Counter.prototype.increment.call({ count: 10 }, 1)),
        Object.keys(counter),
        JSON.stringify(double),
        functionShape(counter.increment),
      ];
    },
    effects: {
      bound: ({ exports: { Counter, Double } }) => {
        const counter = new Counter();
        const { increment } = counter;
        assert.equal(increment(5), 5);
        const double = new Double();
        const detached = double.increment;
        assert.equal(detached(1), 2);
        assert.equal(double.count, 2);
        assert.equal(increment.name, 'increment');
      },
    },
  },
  {
    name: 'legacy bound, memoize and retry behave like the Stage-3 ones where it matters',
    refactor: wrapWithDecorator,
    legacy: true,
    source: `
// facts: {"experimentalDecorators": true}

export class Session {
  attempts = 0;
  token/*|*/(scope: string): string {
    this.attempts++;
    return \`\${scope}-\${this.attempts}\`;
  }
}`,
    actions: ['bound', 'memoize', 'logged', 'timed'],
    driver: async ({ Session }) => {
      const session = new Session();
      return [await outcome(() => session.token('read')), await outcome(() => Session.prototype.token.call({ attempts: 5 }, 'x')), Object.keys(session), functionShape(Session.prototype.token)];
    },
    effects: {
      bound: ({ exports: { Session } }) => {
        const session = new Session();
        const { token } = session;
        assert.equal(token('a'), 'a-1');
        assert.equal(session.token, session.token, 'the same bound function each time');
        session.token = () => 'replaced';
        assert.equal(session.token('a'), 'replaced');
      },
      memoize: ({ exports: { Session } }) => {
        const session = new Session();
        assert.equal(session.token('a'), 'a-1');
        assert.equal(session.token('a'), 'a-1');
        assert.equal(session.token('b'), 'b-2');
      },
    },
  },
  {
    name: 'memoize on a getter: computed once per instance',
    refactor: wrapWithDecorator,
    source: `
export let reads = 0;
export class Config {
  constructor(readonly raw: string) {}
  get parsed/*|*/(): string[] {
    reads++;
    return this.raw.split(',');
  }
}`,
    actions: ['memoize', 'logged', 'timed'],
    driver: async ({ Config }) => {
      const a = new Config('x,y');
      const b = new Config('z');
      return [await outcome(() => a.parsed), await outcome(() => b.parsed), await outcome(() => a.parsed)];
    },
    effects: {
      memoize: ({ exports }) => {
        const config = new exports.Config('p,q');
        const before = exports.reads;
        assert.equal(config.parsed, config.parsed);
        assert.equal(exports.reads - before, 1);
      },
    },
  },
  {
    name: 'a private (#) method keeps working',
    refactor: wrapWithDecorator,
    source: `
export class Bag {
  readonly items: number[] = [1, 2, 3];
  #sum/*|*/(offset: number): number {
    return this.items.reduce((a, b) => a + b, offset);
  }
  total(): number {
    return this.#sum(10);
  }
}`,
    actions: ['logged', 'timed', 'memoize'],
    driver: async ({ Bag }) => [await outcome(() => new Bag().total()), await outcome(() => new Bag().total())],
  },
  {
    name: 'higher-order: a function called from a function declared above it, run after its line',
    refactor: wrapWithHigherOrder,
    source: `
import { strict as assert } from 'node:assert';

export function main(): number {
  return helper(2) + helper(3);
}

export function helper/*|*/(this: void, n: number): number {
  assert.ok(n > 0);
  return n * 3;
}

export const result = main();`,
    actions: ['logged', 'timed'],
    driver: async ({ main, helper, result }) => [result, await outcome(() => main()), await outcome(() => helper(0)), functionShape(helper)],
  },
  {
    name: 'higher-order: async function, rejections propagate',
    refactor: wrapWithHigherOrder,
    source: `
export async function fetchText/*|*/(url: string, retries?: number): Promise<string> {
  if (!url.startsWith('http')) throw new TypeError(\`bad url \${url}\`);
  return \`\${url}#\${retries ?? 0}\`;
}`,
    actions: ['logged', 'timed'],
    driver: async ({ fetchText }) => [await outcome(() => fetchText('http://x', 2)), await outcome(() => fetchText('ftp://y')), functionShape(fetchText)],
    effects: {
      logged: async ({ exports: { fetchText }, logs }) => {
        await outcome(() => fetchText('nope'));
        assert.ok(logs.some((line) => line.startsWith('fetchText rejected with')), JSON.stringify(logs));
      },
    },
  },
];

describe('wrapped code behaves as before when run (scenarios)', () => {
  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      const context = contextFor(scenario.source, scenario.legacy ? { facts: { experimentalDecorators: true } } : {});
      const offers = scenario.refactor.getOffers(context);
      test('offers the actions', () => {
        for (const action of scenario.actions) assert.ok(offers.some((o) => o.action === action && !o.disabled), `${action} not offered: ${JSON.stringify(offers)}`);
      });
      for (const action of scenario.actions) {
        test(action, async () => {
          const offer = offers.find((o) => o.action === action && !o.disabled)!;
          const output = apply(scenario.refactor, context, offer);
          const options = scenario.legacy ? { ...CHECK_OPTIONS, experimentalDecorators: true } : CHECK_OPTIONS;
          const [before, after] = typeCheck(new Map([['input.ts', scenario.source], ['output.ts', output]]), options);
          assert.deepEqual(before!.errors, []);
          assert.deepEqual(after!.errors, [], output);
          const original = load(scenario.source, 'scenario.ts', scenario.legacy === true);
          const converted = load(output, 'scenario.ts', scenario.legacy === true);
          const expected = await scenario.driver(original.exports);
          const actual = await scenario.driver(converted.exports);
          assert.deepEqual(actual, expected);
          await scenario.effects?.[action]?.(converted, actual, expected);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('offers without types (before the project is loaded)', () => {
  test('a method of a primitive parameter: the same offers as with types', () => {
    const source = 'export class A {\n  twice/*|*/(n: number): number {\n    return n * 2;\n  }\n}\n';
    assert.deepEqual(offered(wrapWithDecorator, contextFor(source, { types: false })), offered(wrapWithDecorator, contextFor(source)));
  });
  test('a parameter whose type only the checker knows (an enum): memoize is disabled until then', () => {
    const source = 'export enum E { A, B }\nexport class A {\n  name/*|*/(e: E): string {\n    return String(e);\n  }\n}\n';
    assert.equal(offered(wrapWithDecorator, contextFor(source)).memoize, true);
    assert.match(String(offered(wrapWithDecorator, contextFor(source, { types: false })).memoize), /primitive type/);
  });
  test('a TypeScript script (no import or export): disabled, a global name cannot be checked', () => {
    const source = 'class A {\n  run/*|*/(): void {}\n}\n';
    assert.match(String(offered(wrapWithDecorator, contextFor(source, { types: false })).logged), /script/);
    assert.equal(offered(wrapWithDecorator, contextFor(source)).logged, true);
  });
  test('higher-order: the same offers as with types', () => {
    const source = 'export function f/*|*/(a: string): number {\n  return a.length;\n}\n';
    assert.deepEqual(offered(wrapWithHigherOrder, contextFor(source, { types: false })), offered(wrapWithHigherOrder, contextFor(source)));
  });
  test('a JavaScript class: no decorator offered (Node does not run decorators)', () => {
    assert.deepEqual(offered(wrapWithDecorator, contextFor('class A {\n  run/*|*/() {}\n}\nmodule.exports = { A };\n', { languageId: 'javascript', types: false })), {});
  });
});

describe('patternLens.refactors.decoratorsModule', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-decorators-'));
  fs.mkdirSync(path.join(root, 'src', 'shared'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{ "type": "commonjs" }\n');
  const document = path.join(root, 'src', 'feature.ts');
  const source = "import { readFileSync } from 'node:fs';\n\nexport class Loader {\n  load/*|*/(file: string): string {\n    return readFileSync(file, 'utf8');\n  }\n}\n";

  /** A context whose program has the document (and the module) at their real paths. */
  function contextWith(moduleText: string | undefined): RefactorContext {
    const moduleFile = path.join(root, 'src', 'shared', 'decorators.ts');
    if (moduleText === undefined) fs.rmSync(moduleFile, { force: true });
    else fs.writeFileSync(moduleFile, moduleText);
    fs.writeFileSync(document, source);
    const program = ts.createProgram([document], { ...CHECK_OPTIONS, typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')] });
    const sourceFile = parse(TextDocument.create(`file://${document}`, 'typescript', 1, source));
    const cursor = source.indexOf('/*|*/') + 5;
    const span = { start: cursor, end: cursor };
    return {
      sourceFile,
      span,
      path: pathContaining(sourceFile, span),
      project: DEFAULT_FACTS,
      types: { checker: program.getTypeChecker(), sourceFile: program.getSourceFile(document)! },
      decoratorsModule: 'src/shared/decorators',
    };
  }

  test('the module exports the definition: it is imported', () => {
    // The module's text: the definition the action writes here when the module is missing, exported.
    const missing = contextWith(undefined);
    const local = wrapWithDecorator.getOffers(missing).find((o) => o.action === 'logged')!;
    assert.match(local.description!, /src\/shared\/decorators \(patternLens\.refactors\.decoratorsModule\) was not found above this file/);
    const written = apply(wrapWithDecorator, missing, local);
    const definition = written.slice(written.indexOf('/** Logs each call'), written.indexOf('\n\nexport class Loader'));
    const loggedOutput = definition.replace(/^function logged/gm, 'export function logged');
    const context = contextWith(loggedOutput);
    const offer = wrapWithDecorator.getOffers(context).find((o) => o.action === 'logged')!;
    assert.match(offer.description!, /Imports logged from \.\/shared\/decorators\./);
    const output = apply(wrapWithDecorator, context, offer);
    assert.equal(output, source.replace("'node:fs';\n", "'node:fs';\nimport { logged } from './shared/decorators';\n").replace('  load/*|*/', '  @logged\n  load/*|*/'));
    fs.writeFileSync(document, output);
    const program = ts.createProgram([document], { ...CHECK_OPTIONS, typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')] });
    assert.deepEqual(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });

  test('the module lacks it: the definition is written here, and the description says why', () => {
    const context = contextWith('export const unrelated = 1;\n');
    const offer = wrapWithDecorator.getOffers(context).find((o) => o.action === 'timed')!;
    assert.match(offer.description!, /\.\/shared\/decorators does not export the Stage-3 definition of timed: move it there to share it/);
    assert.match(apply(wrapWithDecorator, context, offer), /\nfunction timed</);
  });

  test('cleanup', () => fs.rmSync(root, { recursive: true, force: true }));
});
