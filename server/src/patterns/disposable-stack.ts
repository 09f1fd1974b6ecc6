import * as ts from 'typescript';
import { declaresLocally, methodCallNames, type Owner, ownerOf } from '../syntax/owners';
import type { PatternDefinition } from './types';

const STACK_CLASSES: ReadonlySet<string> = new Set(['DisposableStack', 'AsyncDisposableStack']);
const STACK_METHODS: ReadonlySet<string> = new Set(['use', 'adopt', 'defer', 'move', 'dispose', 'disposeAsync']);

/** The class name of `new DisposableStack()`, `new AsyncDisposableStack()` or `new globalThis.DisposableStack()`. */
function stackClassOf(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return STACK_CLASSES.has(expression.text) ? expression.text : undefined;
  if (
    ts.isPropertyAccessExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'globalThis' &&
    ts.isIdentifier(expression.name) &&
    STACK_CLASSES.has(expression.name.text)
  ) {
    return expression.name.text;
  }
  return undefined;
}

export const disposableStack: PatternDefinition = {
  id: 'disposable-stack',
  kind: 'pattern',
  category: 'resources',
  seeds: ['001', '002', '003', '004'],
  prose: {
    title: '`DisposableStack` / `AsyncDisposableStack`',
    summary:
      'A container of cleanup steps: `use`, `adopt` and `defer` register them as resources are acquired, and disposing the stack runs them all, last registered first.',
    what:
      '`use(x)` registers a value that has `[Symbol.dispose]` and returns it, `adopt(x, release)` registers any value with the function that releases it, and `defer(fn)` registers a plain callback. `dispose()` (called for you by `using stack = new DisposableStack()`) runs them all in reverse order, keeps going when one throws and rethrows afterwards (several errors chained in `SuppressedError`s), while `move()` hands them to a new stack and marks this one disposed without running anything. `AsyncDisposableStack` is the same with async disposers and `disposeAsync()`; the types come with `lib` `esnext.disposable`, and Node 24 provides both classes.',
    when:
      'N resources acquired one after another, or a number only known at run time (a connection per shard, a watcher per file): one `using stack` releases them all in the right order, which nested `using` blocks cannot do for a dynamic count. Also in a constructor that acquires several resources: collect them on a local stack and keep `stack.move()` in a field once everything succeeded, so a failure halfway releases what was already acquired.',
    whenNot:
      'A single resource that already has `[Symbol.dispose]`: a plain `using` says the same with less. Nor as an undo list you pop from: there is no way to remove one disposer, everything runs at disposal.',
    pitfall:
      'Register in the same expression that acquires (`const db = stack.use(await connect())`): if anything throws between acquiring and registering, the resource leaks. After `dispose()` or `move()` the stack is finished: `use`, `adopt`, `defer` and `move` throw a `ReferenceError`.',
  },
  python: {
    name: '`contextlib.ExitStack`',
    example: 'with ExitStack() as stack:\n    files = [stack.enter_context(open(p)) for p in paths]',
    note:
      '`enter_context` is `use`, `callback` is `defer` (or `adopt`, which passes the value to its release function), and `pop_all` is `move`. One difference: an `ExitStack` can suppress the exception when an `__exit__` returns true; a `DisposableStack` never swallows errors.',
  },
  example: `import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory with one open file per name; everything is released together. */
export class Scratch implements Disposable {
  readonly dir: string;
  readonly fds = new Map<string, number>();
  readonly #resources: DisposableStack;

  constructor(names: readonly string[]) {
    using stack = new DisposableStack();
    this.dir = stack.adopt(mkdtempSync(join(tmpdir(), 'scratch-')), (dir) => rmSync(dir, { recursive: true, force: true }));
    for (const name of names) {
      this.fds.set(name, stack.adopt(openSync(join(this.dir, name), 'w'), closeSync));
    }
    // Everything opened: keep the disposers. If anything above threw, \`using\` released what was opened.
    this.#resources = stack.move();
  }

  [Symbol.dispose](): void {
    this.#resources.dispose();
  }
}
`,
  links: [
    { title: 'MDN: DisposableStack', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/DisposableStack' },
    { title: 'MDN: AsyncDisposableStack', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/AsyncDisposableStack' },
    {
      title: 'TypeScript 5.2: DisposableStack',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html#using-declarations-and-explicit-resource-management',
    },
  ],
  snippets: [
    {
      prefix: 'pl-disposable-stack',
      description: 'One `DisposableStack` releasing several resources, last acquired first',
      javascript: true,
      body: [
        'using ${1:stack} = new DisposableStack();',
        "const ${2:timer} = ${1:stack}.adopt(setInterval(() => ${3:console.log('tick')}, ${4:1000}), clearInterval);",
        "${1:stack}.defer(() => ${5:console.log('cleaned up')});",
        '$0',
      ],
    },
  ],
  create(context) {
    let found: { node: ts.NewExpression; className: string; owner: Owner | undefined }[] | undefined;
    return {
      [ts.SyntaxKind.NewExpression](node) {
        const className = stackClassOf((node as ts.NewExpression).expression);
        if (className === undefined) return;
        (found ??= []).push({ node: node as ts.NewExpression, className, owner: ownerOf(node, context.ancestors) });
      },
      onWalkEnd() {
        if (!found) return;
        const names = new Set(found.map((f) => f.className));
        // A class of that name declared in this file is someone's own class, not the built-in.
        const shadowed = [...names].filter((name) => declaresLocally(context.sourceFile, new Set([name])));
        for (const { node, className, owner } of found) {
          if (shadowed.includes(className)) continue;
          context.report(node, owner ? methodCallNames(owner, STACK_METHODS) : undefined);
        }
      },
    };
  },
};
