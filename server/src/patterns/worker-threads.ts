import * as ts from 'typescript';
import { fileDeclares } from '../syntax/globals';
import { newCalleeName, newSpan } from './support-f';
import type { PatternDefinition } from './types';

const MODULES = new Set(['node:worker_threads', 'worker_threads']);


function isWorkerThreadsSpecifier(node: ts.Node | undefined): node is ts.StringLiteralLike {
  return node !== undefined && ts.isStringLiteralLike(node) && MODULES.has(node.text);
}

/**
 * Reports:
 * - the module specifier of every runtime import of `node:worker_threads` / `worker_threads`
 *   (`import ... from`, `export ... from`, `import x = require(...)`, `require(...)`, `import(...)`);
 *   `import type` declarations are ignored (they load nothing);
 * - `new Worker(...)` when `Worker` is bound by such an import (named, renamed, destructured from
 *   `require`/`await import`, or `ns.Worker` through a namespace/default/`require` binding);
 *   a browser `Worker` global or a `Worker` from another package is not reported;
 * - `Atomics.xxx(...)` (span `Atomics.xxx`) and `new SharedArrayBuffer(...)`, unless the file
 *   declares its own `Atomics` / `SharedArrayBuffer`.
 */
export const workerThreads: PatternDefinition = {
  id: 'worker-threads',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['003', '004'],
  prose: {
    title: 'Worker threads and shared memory',
    summary:
      "Node's `worker_threads` runs JavaScript on other threads, each with its own heap and event loop; a `SharedArrayBuffer`, operated on with `Atomics`, is the only memory they share.",
    what:
      'A `Worker` runs a script on an independent thread with its own JavaScript engine instance: no variables are shared, and `workerData` and every `postMessage` payload are copied with the structured clone algorithm. An `ArrayBuffer` listed in `transferList` is moved instead (the sender is left with a detached, empty buffer), and a `SharedArrayBuffer` is visible to both sides at once; `Atomics` performs indivisible reads, writes and `wait`/`notify` on it.',
    when:
      'CPU-bound JavaScript that would otherwise stall the event loop: parsing, compression, hashing or image work in pure JS. Start a small pool once and reuse it, since each worker pays for its own engine start-up and memory.',
    whenNot:
      "I/O-bound work: Node's asynchronous I/O already overlaps the waiting on one thread, and workers only add overhead. Use `child_process` when you need a separate process (crash isolation, another program).",
    pitfall:
      '`workerData` and messages are cloned, not shared: a function inside throws `DataCloneError`, a class instance arrives as a plain object without its methods, and what the worker changes stays invisible to the parent until it posts it back. `Atomics.wait` blocks its thread: browsers forbid it on the main thread, and in Node it freezes the event loop of whichever thread calls it.',
  },
  python: {
    name: 'the GIL: threads vs processes vs `asyncio`',
    example: 'with ProcessPoolExecutor() as pool:\n    totals = list(pool.map(checksum, chunks))',
    note:
      "JavaScript needs no GIL because threads share no objects: a worker behaves like a Python process (arguments are copied, as with pickling) that can still share raw bytes through `SharedArrayBuffer`. For I/O concurrency, Node's event loop is the counterpart of `asyncio`.",
  },
  example: `import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

interface Job {
  readonly numbers: readonly number[];
  /** One Int32 counter of finished jobs, shared by every thread. */
  readonly done: SharedArrayBuffer;
}

/** Sums the squares of each chunk on its own thread (a real service would reuse a pool). */
export async function sumOfSquares(chunks: readonly (readonly number[])[]): Promise<number> {
  const done = new SharedArrayBuffer(4);
  const partials = await Promise.all(
    chunks.map(
      (numbers) =>
        new Promise<number>((resolve, reject) => {
          const job: Job = { numbers, done };
          const worker = new Worker(__filename, { workerData: job });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  console.log(\`\${Atomics.load(new Int32Array(done), 0)} chunks processed\`);
  return partials.reduce((sum, part) => sum + part, 0);
}

if (!isMainThread && parentPort) {
  const { numbers, done } = workerData as Job;
  const total = numbers.reduce((sum, n) => sum + n * n, 0);
  Atomics.add(new Int32Array(done), 0, 1);
  parentPort.postMessage(total);
}
`,
  links: [
    { title: 'Node.js: Worker threads', url: 'https://nodejs.org/api/worker_threads.html' },
    {
      title: 'MDN: SharedArrayBuffer',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/SharedArrayBuffer',
    },
    { title: 'MDN: Atomics', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Atomics' },
  ],
  snippets: [
    {
      prefix: 'pl-worker',
      description: 'worker_threads: run a task on a worker thread that executes this same file (CommonJS)',
      javascript: false,
      body: [
        "import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';",
        '',
        'interface ${1:Task} {',
        '\t${2:n}: number;',
        '}',
        '',
        '/** Runs one task on a new worker thread; a busy service would keep a pool of workers. */',
        'export function ${3:runInWorker}(task: ${1:Task}): Promise<number> {',
        '\treturn new Promise((resolve, reject) => {',
        '\t\tconst worker = new Worker(__filename, { workerData: task });',
        "\t\tworker.once('message', resolve);",
        "\t\tworker.once('error', reject);",
        "\t\tworker.once('exit', (code) => {",
        "\t\t\tif (code !== 0) reject(new Error('worker stopped with exit code ' + code));",
        '\t\t});',
        '\t});',
        '}',
        '',
        'if (!isMainThread && parentPort) {',
        '\tconst task = workerData as ${1:Task};',
        '\tparentPort.postMessage(${4:task.${2:n} * 2});',
        '}',
      ],
    },
  ],
  create(context) {
    /** Local names bound to the module's `Worker` class, and to the module itself. */
    const workerNames = new Set<string>();
    const moduleNames = new Set<string>();
    const candidates: ts.NewExpression[] = [];
    const globals: { name: string; node: ts.NewExpression | ts.CallExpression }[] = [];

    const bindFromPattern = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) {
        moduleNames.add(name.text);
      } else if (ts.isObjectBindingPattern(name)) {
        for (const element of name.elements) {
          const imported = element.propertyName ?? element.name;
          if (ts.isIdentifier(imported) && imported.text === 'Worker' && ts.isIdentifier(element.name)) {
            workerNames.add(element.name.text);
          }
        }
      }
    };

    /** `const x = require(...)` / `const { Worker } = await import(...)`: what the call is bound to. */
    const bindCall = (): void => {
      const { ancestors } = context;
      let index = ancestors.length - 1;
      if (ancestors[index]?.kind === ts.SyntaxKind.AwaitExpression) index--;
      while (ancestors[index]?.kind === ts.SyntaxKind.ParenthesizedExpression) index--;
      const declaration = ancestors[index];
      if (declaration && ts.isVariableDeclaration(declaration)) bindFromPattern(declaration.name);
    };

    return {
      [ts.SyntaxKind.ImportDeclaration](node) {
        const declaration = node as ts.ImportDeclaration;
        if (!isWorkerThreadsSpecifier(declaration.moduleSpecifier)) return;
        const clause = declaration.importClause;
        if (clause?.isTypeOnly) return;
        context.report(declaration.moduleSpecifier);
        if (clause?.name) moduleNames.add(clause.name.text);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
          moduleNames.add(bindings.name.text);
        } else if (bindings) {
          for (const element of bindings.elements) {
            if (!element.isTypeOnly && (element.propertyName ?? element.name).text === 'Worker') {
              workerNames.add(element.name.text);
            }
          }
        }
      },
      [ts.SyntaxKind.ExportDeclaration](node) {
        const declaration = node as ts.ExportDeclaration;
        if (!declaration.isTypeOnly && isWorkerThreadsSpecifier(declaration.moduleSpecifier)) {
          context.report(declaration.moduleSpecifier);
        }
      },
      [ts.SyntaxKind.ImportEqualsDeclaration](node) {
        const declaration = node as ts.ImportEqualsDeclaration;
        const reference = declaration.moduleReference;
        if (declaration.isTypeOnly || !ts.isExternalModuleReference(reference)) return;
        if (!isWorkerThreadsSpecifier(reference.expression)) return;
        context.report(reference.expression);
        moduleNames.add(declaration.name.text);
      },
      [ts.SyntaxKind.CallExpression](node) {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
          const specifier = call.arguments[0];
          if (call.arguments.length >= 1 && isWorkerThreadsSpecifier(specifier)) {
            context.report(specifier);
            bindCall();
          }
        } else if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'Atomics'
        ) {
          globals.push({ name: 'Atomics', node: call });
        }
      },
      [ts.SyntaxKind.NewExpression](node) {
        const expression = node as ts.NewExpression;
        const name = newCalleeName(expression);
        if (name === 'SharedArrayBuffer') {
          globals.push({ name, node: expression });
        } else if (
          name !== undefined ||
          (ts.isPropertyAccessExpression(expression.expression) && expression.expression.name.text === 'Worker')
        ) {
          candidates.push(expression);
        }
      },
      onWalkEnd() {
        for (const expression of candidates) {
          const callee = expression.expression;
          const isWorker = ts.isIdentifier(callee)
            ? workerNames.has(callee.text)
            : ts.isPropertyAccessExpression(callee) &&
              ts.isIdentifier(callee.expression) &&
              moduleNames.has(callee.expression.text);
          if (isWorker) context.report(newSpan(expression, context.sourceFile));
        }
        for (const { name, node } of globals) {
          if (fileDeclares(context.sourceFile, name)) continue;
          context.report(ts.isNewExpression(node) ? newSpan(node, context.sourceFile) : node.expression);
        }
      },
    };
  },
};
