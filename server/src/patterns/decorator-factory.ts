import * as ts from 'typescript';
import { isOuterExpression, skipOuterExpressions } from '../syntax/expressions';
import { isFunctionOrStaticBlock } from '../syntax/functions';
import {
  declaredFunctionName,
  DECORATOR_CONTEXT_TYPES,
  LEGACY_DECORATOR_TYPES,
  someReturnedExpression,
  typeReferenceName,
} from './support-a';
import type { PatternDefinition } from './types';

/** Functions a factory can be: declarations, methods, and functions or arrows stored in a variable. */
function isFactoryCandidate(node: ts.Node): node is ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression {
  return (
    ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)
  );
}

/** Nodes of a type annotation that a decorator-context reference can sit inside, up to its function. */
function isTypeLevel(node: ts.Node, owner: ts.Node | undefined): boolean {
  if (ts.isTypeNode(node)) return true;
  switch (node.kind) {
    case ts.SyntaxKind.CallSignature:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodSignature:
      return true;
    case ts.SyntaxKind.Parameter:
      // A parameter of a function *type* (not of a real function).
      return owner !== undefined && (ts.isFunctionTypeNode(owner) || ts.isConstructorTypeNode(owner) || ts.isCallSignatureDeclaration(owner) || ts.isMethodSignature(owner));
    default:
      return false;
  }
}

export const decoratorFactory: PatternDefinition = {
  id: 'decorator-factory',
  kind: 'pattern',
  category: 'decorators',
  seeds: ['003', '004'],
  prose: {
    title: 'Decorator factory',
    summary:
      'A function that takes settings and returns the decorator, applied as `@name(args)`: the call runs first and its result is what decorates the class or member.',
    what:
      'The expression after `@` is evaluated when the class definition is evaluated, so in `@retry(3)` the call `retry(3)` runs once per decorated declaration (not per instance, not per method call) and must return a function with the decorator signature `(value, context)`. That function is then applied exactly as a bare `@decorator` would be, and the factory\'s arguments live on in its closure for every later call of the wrapped member.',
    when:
      'When one decorator needs per-site settings: a retry count, a timeout, a route path (`@get("/users")`), a registry key, a log level. Typing the returned decorator\'s context (`ClassMethodDecoratorContext<This, ...>`) lets TypeScript reject it on the wrong kind of member, such as a field.',
    whenNot:
      'When there is nothing to configure: `@logged` reads better than `@logged()`. Avoid "dual-mode" decorators that inspect their arguments to guess whether they were written `@x` or `@x(options)`: they are hard to type and fail confusingly, so pick one form.',
    pitfall:
      'Forgetting the parentheses: `@retry` on a factory calls `retry(method, context)` and installs the decorator it returns as the method, so calls return a function instead of running. TypeScript reports the mismatch when the factory\'s parameters are typed; plain JavaScript runs it silently.',
  },
  python: {
    name: 'decorator factories (`@retry(times=3)`)',
    example: '@retry(times=3)  # retry(times=3) runs first and returns the real decorator\ndef fetch_price(symbol): return client.get(symbol)',
    note:
      'The same three layers (settings, decorator, wrapper) and the same definition-time call. Python factories are sometimes written to also work bare (`@retry`) by checking `callable(arg)`; in TypeScript that dual mode fights the type checker, so keep factories always called.',
  },
  example: `function retry(times: number) {
  return function <This, Args extends unknown[], Return>(
    original: (this: This, ...args: Args) => Promise<Return>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<Return>>,
  ) {
    const name = String(context.name);
    return async function (this: This, ...args: Args): Promise<Return> {
      let lastError: unknown;
      for (let attempt = 1; attempt <= times; attempt++) {
        try {
          return await original.call(this, ...args);
        } catch (error) {
          lastError = error;
          console.warn(\`\${name}: attempt \${attempt} of \${times} failed\`);
        }
      }
      throw new Error(\`\${name} failed \${times} times\`, { cause: lastError });
    };
  };
}

export class PriceClient {
  constructor(private readonly baseUrl: string) {}

  @retry(3)
  async latest(symbol: string): Promise<number> {
    const response = await fetch(\`\${this.baseUrl}/prices/\${encodeURIComponent(symbol)}\`);
    if (!response.ok) throw new Error(\`HTTP \${response.status}\`);
    const body = (await response.json()) as { price: number };
    return body.price;
  }
}
`,
  links: [
    { title: 'TypeScript 5.0: Decorators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators' },
    { title: 'TC39 proposal: Decorators', url: 'https://github.com/tc39/proposal-decorators' },
  ],
  snippets: [
    {
      prefix: 'pl-decorator-factory',
      description: 'Typed decorator factory: `@retry(times)` for async methods, keeping `this` and the arguments',
      javascript: false,
      body: [
        'function ${1:retry}(${2:times}: number) {',
        '\treturn function <This, Args extends unknown[], Return>(',
        '\t\toriginal: (this: This, ...args: Args) => Promise<Return>,',
        '\t\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<Return>>,',
        '\t) {',
        '\t\treturn async function (this: This, ...args: Args): Promise<Return> {',
        '\t\t\tlet lastError: unknown;',
        '\t\t\tfor (let attempt = 1; attempt <= ${2:times}; attempt++) {',
        '\t\t\t\ttry {',
        '\t\t\t\t\treturn await original.call(this, ...args);',
        '\t\t\t\t} catch (error) {',
        '\t\t\t\t\tlastError = error;',
        '\t\t\t\t}',
        '\t\t\t}',
        '\t\t\tthrow new Error(`\\${String(context.name)} failed \\${${2:times}} times`, { cause: lastError });',
        '\t\t};',
        '\t};',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors } = context;
    let reported: Set<ts.Node> | undefined;

    /** Reports the name of `fn` (at `ancestors[index]`) as a factory, once. */
    const reportFactory = (index: number): void => {
      const fn = ancestors[index]!;
      let parentIndex = index - 1;
      while (parentIndex >= 0 && isOuterExpression(ancestors[parentIndex]!)) parentIndex--;
      const name = declaredFunctionName(fn, ancestors[parentIndex]);
      if (!name || reported?.has(fn)) return;
      (reported ??= new Set()).add(fn);
      context.report(name);
    };

    /** The index of the function that returns the decorator at `ancestors[index]`, or -1. */
    const factoryReturning = (index: number): number => {
      const decorator = ancestors[index]!;
      let scan = index - 1;
      // Returned by name: `function decorator(...) {}` or `const decorator = (...) => ...`, then `return decorator`.
      let name: string | undefined;
      if (ts.isFunctionDeclaration(decorator)) {
        name = decorator.name?.text;
      } else {
        while (scan >= 0 && isOuterExpression(ancestors[scan]!)) scan--;
        const holder = ancestors[scan];
        const child = ancestors[scan + 1] ?? decorator;
        if (!holder) return -1;
        if (ts.isReturnStatement(holder)) {
          // `return (value, context) => ...`: the factory is the function around the `return`.
          for (let i = scan - 1; i >= 0; i--) {
            if (isFunctionOrStaticBlock(ancestors[i]!)) return isFactoryCandidate(ancestors[i]!) ? i : -1;
          }
          return -1;
        }
        if (ts.isArrowFunction(holder) && holder.body === child) return scan; // `(n) => (value, context) => ...`
        if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) name = holder.name.text;
      }
      if (name === undefined) return -1;
      for (let i = scan - 1; i >= 0; i--) {
        const outer = ancestors[i]!;
        if (!isFunctionOrStaticBlock(outer)) continue;
        if (!isFactoryCandidate(outer)) return -1;
        const returnsIt = someReturnedExpression(outer, (expression) => {
          const value = skipOuterExpressions(expression);
          return ts.isIdentifier(value) && value.text === name;
        });
        return returnsIt ? i : -1;
      }
      return -1;
    };

    return {
      [ts.SyntaxKind.Decorator](node) {
        if (ts.isCallExpression(skipOuterExpressions((node as ts.Decorator).expression))) context.report(node);
      },
      [ts.SyntaxKind.TypeReference](node) {
        const name = typeReferenceName(node as ts.TypeReferenceNode);
        const isContext = DECORATOR_CONTEXT_TYPES.has(name);
        if (!isContext && !LEGACY_DECORATOR_TYPES.has(name)) return;
        // Climb out of the type annotation the reference sits in.
        let index = ancestors.length - 1;
        let child: ts.Node = node;
        let throughParameter = false;
        while (index >= 0 && isTypeLevel(ancestors[index]!, ancestors[index - 1])) {
          if (ts.isParameter(ancestors[index]!)) throughParameter = true;
          child = ancestors[index]!;
          index--;
        }
        const holder = ancestors[index];
        if (!holder) return;
        // `function retry(n): (value: unknown, context: ClassMethodDecoratorContext) => void` or `(): MethodDecorator`.
        if (isFactoryCandidate(holder) && holder.type === child) {
          if ((isContext && throughParameter) || (!isContext && !throughParameter)) reportFactory(index);
          return;
        }
        // The second parameter of a decorator (`(value, context: ClassFieldDecoratorContext) => ...`) returned by a factory.
        if (!isContext || !ts.isParameter(holder) || holder.type !== child) return;
        const decorator = ancestors[index - 1];
        if (!decorator || !(ts.isArrowFunction(decorator) || ts.isFunctionExpression(decorator) || ts.isFunctionDeclaration(decorator))) return;
        if (decorator.parameters[1] !== holder) return;
        const factory = factoryReturning(index - 1);
        if (factory >= 0) reportFactory(factory);
      },
    };
  },
};
