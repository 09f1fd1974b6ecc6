import * as ts from 'typescript';
import { fileDeclares } from '../syntax/globals';
import type { PatternDefinition } from './types';

/** Explicit references to the global object. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);

/**
 * Reports calls of the global `structuredClone`, on the callee identifier: `structuredClone(x)`,
 * and `globalThis.structuredClone(x)` (also `window.`, `self.`, `global.`), on the name.
 * Ignored: methods of other objects named `structuredClone` (`cloner.structuredClone(x)`), and
 * every bare call in a file that declares its own `structuredClone` (a local function, a
 * parameter, an imported polyfill).
 */
export const structuredClonePattern: PatternDefinition = {
  id: 'structured-clone',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['003'],
  prose: {
    title: 'Deep copy with `structuredClone`',
    summary:
      'The built-in deep copy: `structuredClone(value)` recursively copies plain objects, arrays, `Map`, `Set`, `Date`, typed arrays and errors, reproducing shared and circular references.',
    what:
      'It runs the structured clone algorithm that `postMessage` and `worker_threads` use, so the copy shares no mutable state with the original, and a cycle in the input becomes the same cycle in the copy instead of infinite recursion. It is a global in browsers and in Node 17 and later. With `{ transfer: [buffer] }`, an `ArrayBuffer` is moved into the copy rather than duplicated, and the original is left detached.',
    when:
      'Snapshotting data before mutating it (undo history, defaults handed to callers, test fixtures), and anywhere `JSON.parse(JSON.stringify(x))` would damage the data: it keeps `Date`, `Map`, `Set`, `undefined`, `NaN`, typed arrays and cycles, which the JSON round trip loses or rejects.',
    whenNot:
      'Class instances that must stay instances, and objects holding functions: give the class a `clone()` method or copy by hand. When one level is enough, spread (`{ ...obj }`, `[...items]`) is cheaper and says plainly that the copy is shallow.',
    pitfall:
      'A function anywhere in the value (say, a callback stored in an options object) makes it throw a `DataCloneError`, and what it can copy it flattens silently: a class instance comes back as a plain object with only its own fields, without its prototype, methods, class getters or `#private` fields. So `structuredClone(order) instanceof Order` is `false`.',
  },
  python: {
    name: '`copy.deepcopy`',
    example: 'import copy\ndraft = copy.deepcopy(settings)',
    note:
      '`deepcopy` copies instances of any class, keeping their type, and lets a class customise it with `__deepcopy__`; `structuredClone` has no hook and knows only built-in data types, so it is closer to a deep copy of JSON-like data plus `Map`, `Set`, `Date` and binary buffers.',
  },
  example: `export interface Draft {
  title: string;
  tags: Set<string>;
  updatedAt: Date;
  sections: { heading: string; body: string }[];
}

/** Keeps every saved version of a draft independent of the one still being edited. */
export class History {
  readonly #versions: Draft[] = [];

  save(current: Draft): void {
    this.#versions.push(structuredClone(current));
  }

  restore(index: number): Draft | undefined {
    const saved = this.#versions[index];
    return saved === undefined ? undefined : structuredClone(saved);
  }
}
`,
  links: [
    { title: 'MDN: structuredClone()', url: 'https://developer.mozilla.org/en-US/docs/Web/API/Window/structuredClone' },
    {
      title: 'MDN: The structured clone algorithm',
      url: 'https://developer.mozilla.org/en-US/docs/Web/API/Web_Workers_API/Structured_clone_algorithm',
    },
    { title: 'Node.js: structuredClone()', url: 'https://nodejs.org/api/globals.html#structuredclonevalue-options' },
  ],
  snippets: [
    {
      prefix: 'pl-structured-clone',
      description: 'Deep copy with structuredClone (keeps Map, Set, Date and cycles; throws on functions)',
      javascript: true,
      body: [
        "const ${1:original} = ${2:new Map([['draft', [1, 2, 3]]])};",
        '// A deep copy: nested arrays, objects, Map, Set and Date are copied too; class instances become plain objects.',
        'const ${3:copy} = structuredClone(${1:original});',
      ],
    },
  ],
  create(context) {
    const bareCalls: ts.Identifier[] = [];
    return {
      calls: {
        structuredClone(node) {
          const callee = (node as ts.CallExpression).expression;
          if (ts.isIdentifier(callee)) bareCalls.push(callee);
          else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && GLOBAL_OBJECTS.has(callee.expression.text)) {
            context.report(callee.name);
          }
        },
      },
      onWalkEnd() {
        if (bareCalls.length === 0 || fileDeclares(context.sourceFile, 'structuredClone')) return;
        for (const callee of bareCalls) context.report(callee);
      },
    };
  },
};
