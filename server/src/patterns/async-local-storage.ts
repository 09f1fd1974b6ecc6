import * as ts from 'typescript';
import { methodCallNames, type Owner, ownerOf } from '../syntax/owners';
import type { PatternDefinition } from './types';

const MODULES: ReadonlySet<string> = new Set(['node:async_hooks', 'async_hooks']);
const CLASS_NAME = 'AsyncLocalStorage';
const STORAGE_METHODS: ReadonlySet<string> = new Set(['run', 'getStore', 'exit', 'enterWith']);

/** `'node:async_hooks'` in `require('node:async_hooks')` or `await import('async_hooks')`. */
function isNodeModuleLoad(expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  const call = ts.isAwaitExpression(expression) ? expression.expression : expression;
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return false;
  const isLoader =
    call.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(call.expression) && call.expression.text === 'require');
  const specifier = call.arguments[0]!;
  return isLoader && ts.isStringLiteralLike(specifier) && MODULES.has(specifier.text);
}

type Candidate = { readonly node: ts.NewExpression; readonly owner: Owner | undefined } & (
  | { readonly via: 'class'; readonly name: string }
  | { readonly via: 'namespace'; readonly name: string }
  | { readonly via: 'module' }
);

export const asyncLocalStorage: PatternDefinition = {
  id: 'async-local-storage',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['001'],
  prose: {
    title: '`AsyncLocalStorage`',
    summary:
      "Node's per-async-context storage: `run(store, fn)` makes `store` what `getStore()` returns inside `fn` and in every callback and promise continuation started from it.",
    what:
      '`als.run(store, fn)` calls `fn` synchronously with `store` as the current value and restores the previous one when `fn` returns or throws; async work started inside (timers, promises, `await` continuations, I/O callbacks) keeps seeing that store, while concurrent requests each see their own. Outside any `run`, `getStore()` returns `undefined`; `exit(fn)` runs `fn` with no store, and `enterWith(store)` switches the store for the rest of the current synchronous execution without a scope. It is part of `node:async_hooks`, stable since Node 16.4, and built on `AsyncContextFrame` by default since Node 24.',
    when:
      'Request-scoped data that many layers need but no one should have to pass along: a request or trace id for every log line, the current user or tenant, a transaction to join. Create one instance per kind of data, at module level, and call `run` once at the entry point (the request handler, the job runner).',
    whenNot:
      'Data that a function can simply take as a parameter: implicit context is harder to test and to follow. Code that must also run in browsers: the API comes from `node:async_hooks` (Deno and Bun provide it too), and the standard counterpart, the TC39 `AsyncContext` proposal, is not shipped yet. Nor is it a global variable: outside `run` there is no store.',
    pitfall:
      '`enterWith` has no end: the store leaks into everything else that runs in the same synchronous execution, for instance the next listeners of the same event, so prefer `run`. And the store object is shared by reference: mutating it in one continuation is visible to all the others of the same `run`.',
  },
  python: {
    name: '`contextvars.ContextVar` with `set` / `reset`',
    example: 'request_id: ContextVar[str | None] = ContextVar("request_id", default=None)\ntoken = request_id.set(new_id)  # later: request_id.reset(token)',
    note:
      'A `ContextVar` is set and later reset with its token; `run(store, fn)` does both at once around `fn`, so there is nothing to forget. `enterWith` is the closest to a bare `set()` without `reset`. Like `ContextVar`s, instances belong at module level.',
  },
  example: `import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

interface RequestContext {
  readonly requestId: string;
  readonly startedAt: number;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

export function log(message: string): void {
  const context = requestContext.getStore();
  const prefix = context ? \`[\${context.requestId} +\${Date.now() - context.startedAt}ms]\` : '[-]';
  console.log(prefix, message);
}

async function loadUser(id: string): Promise<{ id: string }> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  log(\`loaded user \${id}\`); // still knows which request this is
  return { id };
}

export const server = createServer((request, response) => {
  requestContext.run({ requestId: randomUUID(), startedAt: Date.now() }, async () => {
    log(\`\${request.method} \${request.url}\`);
    const user = await loadUser('42');
    response.end(JSON.stringify(user));
  });
});
`,
  links: [
    { title: 'Node.js: class AsyncLocalStorage', url: 'https://nodejs.org/api/async_context.html#class-asynclocalstorage' },
    { title: 'TC39 proposal: AsyncContext', url: 'https://github.com/tc39/proposal-async-context' },
  ],
  snippets: [
    {
      prefix: 'pl-async-local-storage',
      description: 'Module-level `AsyncLocalStorage` with a `run` scope and a `getStore` accessor',
      javascript: false,
      body: [
        "import { AsyncLocalStorage } from 'node:async_hooks';",
        '',
        'interface ${1:RequestContext} {',
        '\t${2:requestId: string;}',
        '}',
        '',
        'const ${3:context} = new AsyncLocalStorage<${1:RequestContext}>();',
        '',
        'export function ${4:withContext}<R>(store: ${1:RequestContext}, fn: () => R): R {',
        '\treturn ${3:context}.run(store, fn);',
        '}',
        '',
        'export function ${5:currentContext}(): ${1:RequestContext} | undefined {',
        '\treturn ${3:context}.getStore();',
        '}',
      ],
    },
  ],
  create(context) {
    let candidates: Candidate[] | undefined;
    let classNames: Set<string> | undefined;
    let namespaces: Set<string> | undefined;

    const addClass = (name: string) => (classNames ??= new Set()).add(name);
    const addNamespace = (name: string) => (namespaces ??= new Set()).add(name);

    return {
      [ts.SyntaxKind.ImportDeclaration](node) {
        const { moduleSpecifier, importClause } = node as ts.ImportDeclaration;
        if (!ts.isStringLiteral(moduleSpecifier) || !MODULES.has(moduleSpecifier.text)) return;
        if (!importClause || importClause.isTypeOnly) return;
        if (importClause.name) addNamespace(importClause.name.text);
        const bindings = importClause.namedBindings;
        if (!bindings) return;
        if (ts.isNamespaceImport(bindings)) {
          addNamespace(bindings.name.text);
          return;
        }
        for (const element of bindings.elements) {
          if (!element.isTypeOnly && (element.propertyName ?? element.name).text === CLASS_NAME) addClass(element.name.text);
        }
      },
      [ts.SyntaxKind.ImportEqualsDeclaration](node) {
        const declaration = node as ts.ImportEqualsDeclaration;
        const reference = declaration.moduleReference;
        if (
          !declaration.isTypeOnly &&
          ts.isExternalModuleReference(reference) &&
          ts.isStringLiteral(reference.expression) &&
          MODULES.has(reference.expression.text)
        ) {
          addNamespace(declaration.name.text);
        }
      },
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (!declaration.initializer || !isNodeModuleLoad(declaration.initializer)) return;
        if (ts.isIdentifier(declaration.name)) {
          addNamespace(declaration.name.text);
        } else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            const property = element.propertyName ?? element.name;
            if (ts.isIdentifier(property) && property.text === CLASS_NAME && ts.isIdentifier(element.name)) {
              addClass(element.name.text);
            }
          }
        }
      },
      [ts.SyntaxKind.NewExpression](node) {
        let expression: ts.Expression = (node as ts.NewExpression).expression;
        while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
        let candidate: Candidate | undefined;
        if (ts.isIdentifier(expression)) {
          // The class name itself (its import may come later in the file) or an alias imported above
          // (`import { AsyncLocalStorage as Als }`); whether it is imported is decided at the end.
          const name = expression.text;
          if (name !== CLASS_NAME && !classNames?.has(name)) return;
          candidate = { node: node as ts.NewExpression, owner: undefined, via: 'class', name };
        } else if (ts.isPropertyAccessExpression(expression) && expression.name.text === CLASS_NAME) {
          const qualifier = expression.expression;
          if (ts.isIdentifier(qualifier)) {
            candidate = { node: node as ts.NewExpression, owner: undefined, via: 'namespace', name: qualifier.text };
          } else if (isNodeModuleLoad(qualifier)) {
            candidate = { node: node as ts.NewExpression, owner: undefined, via: 'module' };
          }
        }
        if (!candidate) return;
        (candidates ??= []).push({ ...candidate, owner: ownerOf(node, context.ancestors) });
      },
      onWalkEnd() {
        if (!candidates || (!classNames && !namespaces && !candidates.some((c) => c.via === 'module'))) return;
        for (const candidate of candidates) {
          const imported =
            candidate.via === 'module' ||
            (candidate.via === 'class' ? classNames?.has(candidate.name) : namespaces?.has(candidate.name));
          if (!imported) continue;
          const { node, owner } = candidate;
          context.report(node, owner ? methodCallNames(owner, STORAGE_METHODS) : undefined);
        }
      },
    };
  },
};
