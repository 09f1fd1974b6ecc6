import * as ts from 'typescript';
import { generatorListeners } from './support-c';
import type { PatternDefinition } from './types';

export const asyncGenerator: PatternDefinition = {
  id: 'async-generator',
  kind: 'pattern',
  category: 'generators',
  seeds: ['004'],
  prose: {
    title: 'Async generator (`async function*`) and `for await`',
    summary:
      'An `async function*` can `await` between its `yield`s and returns an async iterator; `for await (... of ...)` consumes one, or any async iterable, one settled value at a time.',
    what:
      'Each `next()` of an `AsyncGenerator` returns a promise of `{ value, done }`; calls made before the previous one settles are queued, and a yielded promise is awaited before it is handed out. `for await...of` calls `[Symbol.asyncIterator]()` (falling back to `[Symbol.iterator]()` and awaiting each value), calls `return()` when the loop is left early, and is only allowed where `await` is: in async functions and at the top level of ES modules.',
    when:
      'Pull-based asynchronous sequences: API pages fetched only as the consumer needs them, a file read line by line (`for await (const line of readline.createInterface({ input }))`), Node readable streams (which are async iterables), or an async source turned into a stream with `Readable.from(generator())`.',
    whenNot:
      'When the items are independent and could run concurrently: `for await` handles them strictly one after another, so start the work with `Promise.all` (or a bounded pool) instead. For a single result, a plain `async` function returning an array is simpler.',
    pitfall:
      '`for await (const r of [fetchA(), fetchB()])` starts every promise before the loop and awaits them in order: if a later one rejects while an earlier one is still pending, the rejection is unhandled and Node (15+) exits. Produce each promise on demand in an async generator, or use `Promise.allSettled`.',
  },
  python: {
    name: 'async generators and `async for`',
    example: 'async def rows(cursor):\n    async for row in cursor: yield row',
    note:
      '`async def` with `yield` is `async function*`, and `async for` is `for await`. JavaScript goes further on two points: `yield*` works inside async generators (Python has no `yield from` there), and `for await` also accepts a plain iterable of promises.',
  },
  example: `import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Non-blank lines of a file, read lazily: the file is only read as fast as the consumer asks. */
export async function* nonBlankLines(path: string): AsyncGenerator<string, void, undefined> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield line;
  }
}

export async function firstLines(path: string, count: number): Promise<string[]> {
  const result: string[] = [];
  for await (const line of nonBlankLines(path)) {
    result.push(line);
    if (result.length === count) break; // return() closes the generator and the readline interface
  }
  return result;
}
`,
  links: [
    { title: 'MDN: async function*', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/async_function*' },
    { title: 'MDN: for await...of', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/for-await...of' },
    { title: 'Node.js: read a file line by line with readline', url: 'https://nodejs.org/api/readline.html#example-read-file-stream-line-by-line' },
    { title: 'TC39 proposal: Asynchronous iteration', url: 'https://github.com/tc39/proposal-async-iteration' },
  ],
  snippets: [
    {
      prefix: 'pl-async-generator',
      description: 'Async generator that pages through an API lazily, and a `for await` loop consuming it',
      javascript: false,
      body: [
        'async function* ${1:paginate}(firstUrl: string): AsyncGenerator<${2:unknown}, void, undefined> {',
        '\tlet url: string | undefined = firstUrl;',
        '\twhile (url !== undefined) {',
        '\t\tconst response: Response = await fetch(url);',
        '\t\tconst page = (await response.json()) as { items: ${2:unknown}[]; next?: string };',
        '\t\tyield* page.items;',
        '\t\turl = page.next;',
        '\t}',
        '}',
        '',
        'async function ${3:main}(): Promise<void> {',
        '\tfor await (const ${4:item} of ${1:paginate}(${5:\'https://example.com/api/items\'})) {',
        '\t\t${6:console.log(${4:item});}',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    return generatorListeners(context, true, {
      [ts.SyntaxKind.ForOfStatement](node) {
        const statement = node as ts.ForOfStatement;
        if (statement.awaitModifier) {
          context.report({ start: statement.getStart(context.sourceFile), end: statement.awaitModifier.end });
        }
      },
    });
  },
};
