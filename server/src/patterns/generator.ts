import { generatorListeners } from './support-c';
import type { PatternDefinition } from './types';

export const generator: PatternDefinition = {
  id: 'generator',
  kind: 'pattern',
  category: 'generators',
  seeds: ['000'],
  prose: {
    title: 'Generator function (`function*`)',
    summary:
      'A function declared with `function*` (or a `*method()`) that returns a lazy iterator: its body only runs as the caller asks for values, pausing at each `yield`.',
    what:
      'Calling a generator function runs none of its body: it returns a `Generator` object that is both an iterator and an iterable. Each `next()` resumes the body up to the next `yield` (giving `{ value, done: false }`) or to its end (`{ value: returnValue, done: true }`). `yield* other` delegates to another iterable and evaluates to that iterator\'s return value. TypeScript types the object as `Generator<Yield, Return, Next>` (precise since TypeScript 3.6).',
    when:
      'Sequences that are long, endless or expensive to build up front: walking a tree, paging or chunking, id streams, pipelines that stop early. Also the shortest way to write `[Symbol.iterator]()` for your own collection. Consumers use `for...of`, spread, destructuring, `Array.from`, and on Node 22+ (with `lib` `esnext`, TypeScript 5.6+) iterator helpers such as `.map()`, `.filter()` and `.take()`.',
    whenNot:
      'When the data is small and already in memory: an array can be indexed, measured and iterated twice, while a generator object is single-use (once exhausted, a second `for...of` sees nothing). When the values arrive asynchronously, use an `async function*` instead.',
    pitfall:
      'Nothing in the body runs until the first `next()`, so argument validation at the top of a generator throws late, at the first iteration, far from the call. And `break` in a `for...of` calls the generator\'s `return()`: code after the paused `yield` never runs, only its `finally` blocks do.',
  },
  python: {
    name: 'generators (`yield`, `yield from`)',
    example: 'def countdown(n):\n    while n > 0: yield n; n -= 1',
    note:
      'The same lazy, single-use iterator; `yield*` is `yield from` (and likewise evaluates to the delegate\'s return value). JavaScript signals the end with `done: true` rather than `StopIteration`, and has no generator-expression syntax: write a `function*` or chain iterator helpers.',
  },
  example: `export interface TreeNode {
  readonly name: string;
  readonly children: readonly TreeNode[];
}

/** Depth-first paths, produced one at a time: nothing is visited until the caller asks. */
export function* paths(node: TreeNode, prefix = ''): Generator<string, void, undefined> {
  const path = \`\${prefix}/\${node.name}\`;
  yield path;
  for (const child of node.children) {
    yield* paths(child, path);
  }
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[], void, undefined> {
  for (let start = 0; start < items.length; start += size) {
    yield items.slice(start, start + size);
  }
}

export function firstMatching(root: TreeNode, suffix: string): string | undefined {
  for (const path of paths(root)) {
    if (path.endsWith(suffix)) return path; // stops the walk: the rest is never visited
  }
  return undefined;
}
`,
  links: [
    { title: 'MDN: function*', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/function*' },
    { title: 'MDN: Generator', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Generator' },
    { title: 'MDN: yield*', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/yield*' },
    { title: 'TypeScript 3.6: Stricter generators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-6.html#stricter-generators' },
  ],
  create(context) {
    return generatorListeners(context, false);
  },
};
