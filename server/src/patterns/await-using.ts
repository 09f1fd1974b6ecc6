import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { PatternDefinition } from './types';

export const awaitUsing: PatternDefinition = {
  id: 'await-using',
  kind: 'pattern',
  category: 'resources',
  seeds: ['004'],
  prose: {
    title: '`await using` declaration',
    summary:
      'A `using` declaration whose cleanup is asynchronous: when the block is left, `[Symbol.asyncDispose]()` (or else `[Symbol.dispose]()`) is called and awaited before execution continues.',
    what:
      'The `await` does nothing at the declaration: at block exit each disposer (`[Symbol.asyncDispose]`, or else `[Symbol.dispose]`) is called and awaited in turn, last declared first, with the same `SuppressedError` handling as `using`. It is only allowed where `await` is (async functions, module top level), and `for (await using x of items)` disposes each item asynchronously at the end of its iteration. TypeScript supports it since 5.2; Node 24 runs it natively.',
    when:
      'Resources whose release is itself I/O and must finish before you go on: a Node `FileHandle` from `fs/promises.open()`, a database transaction that commits or rolls back, a server or client that has to be closed, a temporary directory removed with `fs.promises.rm`.',
    whenNot:
      'Synchronous cleanup (plain `using` adds no `await`), or code that must not be delayed at block exit: even `await using x = null` makes leaving the block wait for at least one microtask. For a number of async resources known only at run time, use one `AsyncDisposableStack`.',
    pitfall:
      'The fallback to `[Symbol.dispose]` does not await what it returns: a class whose synchronous-looking `[Symbol.dispose]()` actually returns a promise is not waited for, so its cleanup races the code after the block. Async cleanup belongs in `[Symbol.asyncDispose]`.',
  },
  python: {
    name: '`async with` and `@asynccontextmanager`',
    example: 'async with pool.acquire() as conn:\n    await conn.execute("VACUUM")',
    note:
      'Same shape: the cleanup is awaited on the way out, however the block is left. Python awaits `__aenter__` too; in TypeScript you await the acquisition yourself (`await using file = await open(path)`: the first `await` waits for the handle, the second makes its disposal awaited).',
  },
  example: `import { open } from 'node:fs/promises';

export async function firstLine(path: string): Promise<string | undefined> {
  await using file = await open(path, 'r');
  for await (const line of file.readLines()) {
    return line; // the handle is closed (and awaited) before the caller resumes
  }
  return undefined;
}
`,
  links: [
    { title: 'MDN: await using', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/await_using' },
    {
      title: 'TypeScript 5.2: using declarations',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html#using-declarations-and-explicit-resource-management',
    },
    { title: 'Node.js: filehandle[Symbol.asyncDispose]()', url: 'https://nodejs.org/api/fs.html#filehandlesymbolasyncdispose' },
  ],
  snippets: [
    {
      prefix: 'pl-await-using',
      description: 'Async function with an `await using` resource, disposed and awaited when the block is left',
      javascript: true,
      body: [
        'async function ${1:withResource}() {',
        '\tawait using ${2:resource} = {',
        '\t\tasync [Symbol.asyncDispose]() {',
        "\t\t\t${3:console.log('released');}",
        '\t\t},',
        '\t};',
        '\t$0',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.VariableDeclarationList](node) {
        if ((node.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.AwaitUsing) return;
        const first = tokenAt(context.sourceFile, node.pos);
        if (first.kind !== ts.SyntaxKind.AwaitKeyword) return;
        const second = tokenAt(context.sourceFile, first.end);
        if (second.kind !== ts.SyntaxKind.UsingKeyword) return;
        if (second.lineBreakBefore) {
          context.report({ start: first.start, end: first.end }, [{ start: second.start, end: second.end }]);
        } else {
          context.report({ start: first.start, end: second.end });
        }
      },
    };
  },
};
