import * as ts from 'typescript';
import type { PatternDefinition } from './types';

const DISPOSE_SYMBOLS: ReadonlySet<string> = new Set(['dispose', 'asyncDispose']);

/** Members of a class or an object literal that can carry the name `[Symbol.dispose]`. */
const CLASS_MEMBERS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.GetAccessor,
]);
const OBJECT_MEMBERS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.GetAccessor,
]);

export const symbolDispose: PatternDefinition = {
  id: 'symbol-dispose',
  kind: 'pattern',
  category: 'resources',
  seeds: ['003', '004'],
  prose: {
    title: '`[Symbol.dispose]` / `[Symbol.asyncDispose]` method',
    summary:
      'The method, named by a well-known symbol, that makes a class or object disposable: `using` calls `[Symbol.dispose]()`, `await using` calls and awaits `[Symbol.asyncDispose]()`.',
    what:
      'An object with a `[Symbol.dispose]()` method satisfies TypeScript\'s global `Disposable` interface, one with `[Symbol.asyncDispose]()` (returning a promise) satisfies `AsyncDisposable`. Nothing calls these methods by itself: `using`, `await using`, `DisposableStack#use` and `AsyncDisposableStack#use` do, once, when the scope or stack is disposed. Node objects such as `FileHandle`, `Timeout` and `ChildProcess` already implement them.',
    when:
      'Any class that owns something to release (a handle, a lock, a listener, a child process): implementing the protocol lets callers write `using x = new Thing()` and lets stacks manage it. Keep an existing `close()` and make `[Symbol.dispose]()` delegate to it, so old callers keep working.',
    whenNot:
      'Values that only hold memory: the garbage collector is enough, and a disposer that does nothing useful only adds ceremony. Cleanup that is genuinely asynchronous does not belong in `[Symbol.dispose]`: put it in `[Symbol.asyncDispose]`.',
    pitfall:
      'Make it idempotent and cheap to call twice: it may run from `using` and from an explicit `close()`. And it needs `Symbol.dispose` to exist at run time: where it is missing (older runtimes, some `vm` contexts such as test sandboxes), the computed name silently becomes the string key `"undefined"`.',
  },
  python: {
    name: '`__enter__` / `__exit__` (and `__aenter__` / `__aexit__`)',
    example: 'def __enter__(self): return self\ndef __exit__(self, exc_type, exc, tb): self.close()',
    note:
      'There is no `__enter__`: `using` binds the object itself. The disposer receives no exception information and cannot suppress an exception, unlike an `__exit__` that returns true.',
  },
  example: `import { type ChildProcess, spawn } from 'node:child_process';

export class Watcher implements Disposable {
  readonly #child: ChildProcess;
  #closed = false;

  constructor(dir: string) {
    this.#child = spawn('tail', ['-F', \`\${dir}/app.log\`], { stdio: 'inherit' });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#child.kill();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

export function lease(onRelease: () => Promise<void>): AsyncDisposable {
  return {
    [Symbol.asyncDispose]: onRelease,
  };
}
`,
  links: [
    { title: 'MDN: Symbol.dispose', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Symbol/dispose' },
    { title: 'MDN: Symbol.asyncDispose', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Symbol/asyncDispose' },
    {
      title: 'TypeScript 5.2: Disposable and AsyncDisposable',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html#using-declarations-and-explicit-resource-management',
    },
  ],
  snippets: [
    {
      prefix: 'pl-disposable-class',
      description: 'Class implementing `Disposable`: an idempotent `[Symbol.dispose]()` that delegates to `close()`',
      javascript: false,
      body: [
        'class ${1:Resource} implements Disposable {',
        '\t#closed = false;',
        '',
        '\tclose(): void {',
        '\t\tif (this.#closed) return;',
        '\t\tthis.#closed = true;',
        "\t\t${2:console.log('closed');}",
        '\t}',
        '',
        '\t[Symbol.dispose](): void {',
        '\t\tthis.close();',
        '\t}',
        '}',
      ],
    },
    {
      prefix: 'pl-async-disposable-class',
      description: 'Class implementing `AsyncDisposable`: `[Symbol.asyncDispose]()` awaits an async `close()`',
      javascript: false,
      body: [
        'class ${1:Connection} implements AsyncDisposable {',
        '\t#closed = false;',
        '',
        '\tasync close(): Promise<void> {',
        '\t\tif (this.#closed) return;',
        '\t\tthis.#closed = true;',
        '\t\t${2:await Promise.resolve();}',
        '\t}',
        '',
        '\tasync [Symbol.asyncDispose](): Promise<void> {',
        '\t\tawait this.close();',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.ComputedPropertyName](node) {
        const expression = (node as ts.ComputedPropertyName).expression;
        if (
          !ts.isPropertyAccessExpression(expression) ||
          !ts.isIdentifier(expression.name) ||
          !DISPOSE_SYMBOLS.has(expression.name.text) ||
          !ts.isIdentifier(expression.expression) ||
          expression.expression.text !== 'Symbol'
        ) {
          return;
        }
        const { ancestors } = context;
        const member = ancestors[ancestors.length - 1];
        const owner = ancestors[ancestors.length - 2];
        if (!member || !owner) return;
        const inClass = ts.isClassLike(owner) && CLASS_MEMBERS.has(member.kind);
        const inObject = owner.kind === ts.SyntaxKind.ObjectLiteralExpression && OBJECT_MEMBERS.has(member.kind);
        if (inClass || inObject) context.report(node);
      },
    };
  },
};
