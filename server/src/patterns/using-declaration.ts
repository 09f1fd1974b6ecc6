import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { PatternDefinition } from './types';

export const usingDeclaration: PatternDefinition = {
  id: 'using-declaration',
  kind: 'pattern',
  category: 'resources',
  seeds: ['003', '004'],
  prose: {
    title: '`using` declaration',
    summary:
      'A block-scoped, `const`-like binding whose value gets its `[Symbol.dispose]()` method called automatically when the enclosing block is left, however it is left.',
    what:
      'At the declaration the value must be `null`, `undefined` or an object with a `[Symbol.dispose]` method (anything else throws a `TypeError` on the spot); when control leaves the block by any path, the remembered disposers run in reverse order of declaration, and a disposer that throws while another error is already propagating produces a `SuppressedError` holding both. In `for (using x of items)` each item is disposed at the end of its own iteration. TypeScript compiles it since 5.2 (types from `lib` `esnext` or `esnext.disposable`), and Node 24 runs it natively.',
    when:
      'A value that holds something the garbage collector does not release promptly (a file descriptor, a lock, a temporary directory, a pooled connection, a subscription) and that is used inside one block: the release also happens on early `return` and on errors, without a `try`/`finally` around the code. Several `using` lines in one block are released last-first, like a stack.',
    whenNot:
      'A value that must outlive the block (returned, stored in a field, captured by a callback that runs later), or a number of resources only known at run time: a `using` in a loop body releases each one at the end of its iteration, so collect them in one `DisposableStack` instead. An object that only has `close()` needs adapting first (`DisposableStack#adopt`, or a `[Symbol.dispose]` method).',
    pitfall:
      'Disposal runs after the `return` expression is evaluated but before the caller gets the value, so `using conn = open(); return conn;` hands back an object that is already closed. To give a resource away, register it on a `DisposableStack` and `return stack.move()`, or let the caller write the `using`.',
  },
  python: {
    name: 'the `with` statement',
    example: 'with open("audit.log", "a") as log:\n    log.write(entry)',
    note:
      'Both release the resource however the block is left. Python binds what `__enter__` returns and has a block of its own; `using` binds the value itself, lasts until the end of the enclosing block, and its disposer cannot swallow an exception the way a truthy `__exit__` return does.',
  },
  example: `import { closeSync, openSync, writeSync } from 'node:fs';

class AuditLog implements Disposable {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
  }

  write(line: string): void {
    writeSync(this.#fd, \`\${new Date().toISOString()} \${line}\\n\`);
  }

  [Symbol.dispose](): void {
    closeSync(this.#fd);
  }
}

export function recordLogins(path: string, users: readonly string[]): number {
  using log = new AuditLog(path);
  let written = 0;
  for (const user of users) {
    if (user === '') return written; // the file is closed here too
    log.write(\`login \${user}\`);
    written++;
  }
  return written;
}
`,
  links: [
    {
      title: 'TypeScript 5.2: using declarations',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-2.html#using-declarations-and-explicit-resource-management',
    },
    { title: 'MDN: using', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/using' },
    { title: 'TC39 proposal: Explicit Resource Management', url: 'https://github.com/tc39/proposal-explicit-resource-management' },
  ],
  snippets: [
    {
      prefix: 'pl-using',
      description: '`using` declaration: the value is disposed when the enclosing block is left',
      javascript: true,
      body: [
        'using ${1:resource} = {',
        '\t[Symbol.dispose]() {',
        "\t\t${2:console.log('released');}",
        '\t},',
        '};',
        '$0',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.VariableDeclarationList](node) {
        if ((node.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Using) return;
        const keyword = tokenAt(context.sourceFile, node.pos);
        if (keyword.kind !== ts.SyntaxKind.UsingKeyword) return;
        context.report({ start: keyword.start, end: keyword.end });
      },
    };
  },
};
