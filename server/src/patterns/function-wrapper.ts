import * as ts from 'typescript';
import {
  DECORATOR_CONTEXT_TYPES,
  someReturnedExpression,
  storedFunction,
  typeMentions,
  unwrapType,
} from './support-a';
import type { PatternDefinition } from './types';

type Wrapper = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** `T` when `type` is a plain reference to a type parameter of `fn` (`A`, not `A[]` or `Foo<A>`). */
function ownTypeParameter(fn: Wrapper, type: ts.TypeNode | undefined): ts.TypeParameterDeclaration | undefined {
  if (!type) return undefined;
  const unwrapped = unwrapType(type);
  if (!ts.isTypeReferenceNode(unwrapped) || unwrapped.typeArguments || !ts.isIdentifier(unwrapped.typeName)) return undefined;
  const name = unwrapped.typeName.text;
  return fn.typeParameters?.find((parameter) => parameter.name.text === name);
}

/** Whether `type` is `Parameters<F>` for the type parameter `F`. */
function isParametersOf(type: ts.TypeNode | undefined, f: ts.TypeParameterDeclaration): boolean {
  if (!type) return false;
  const unwrapped = unwrapType(type);
  if (!ts.isTypeReferenceNode(unwrapped) || !ts.isIdentifier(unwrapped.typeName) || unwrapped.typeName.text !== 'Parameters') return false;
  const argument = unwrapped.typeArguments?.[0];
  return argument !== undefined && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) && argument.typeName.text === f.name.text;
}

/**
 * What the wrapped function's parameters are captured by: `A` in `fn: (...args: A) => R`, or `F`
 * in `fn: F` with `F extends (...args: any[]) => any`.
 */
type Capture = { readonly kind: 'rest'; readonly parameter: ts.TypeParameterDeclaration } | { readonly kind: 'function'; readonly parameter: ts.TypeParameterDeclaration };

function captureOf(fn: Wrapper, type: ts.TypeNode | undefined): Capture | undefined {
  if (!type) return undefined;
  const unwrapped = unwrapType(type);
  if (ts.isFunctionTypeNode(unwrapped)) {
    for (const parameter of unwrapped.parameters) {
      if (!parameter.dotDotDotToken) continue;
      const captured = ownTypeParameter(fn, parameter.type);
      return captured ? { kind: 'rest', parameter: captured } : undefined;
    }
    return undefined;
  }
  const f = ownTypeParameter(fn, unwrapped);
  return f?.constraint && ts.isFunctionTypeNode(unwrapType(f.constraint)) ? { kind: 'function', parameter: f } : undefined;
}

/** Whether a function (type) with these parameters takes the captured parameter list as its rest. */
function forwardsCapture(fn: Wrapper, parameters: readonly ts.ParameterDeclaration[], capture: Capture): boolean {
  for (const parameter of parameters) {
    if (!parameter.dotDotDotToken) continue;
    return capture.kind === 'rest'
      ? ownTypeParameter(fn, parameter.type) === capture.parameter
      : isParametersOf(parameter.type, capture.parameter);
  }
  return false;
}

/** Whether `fn` returns a function of the captured shape: by its declared return type, else by what it returns. */
function returnsSameShape(fn: Wrapper, capture: Capture): boolean {
  if (fn.type) {
    const type = unwrapType(fn.type);
    if (ts.isFunctionTypeNode(type)) return forwardsCapture(fn, type.parameters, capture);
    return capture.kind === 'function' && ownTypeParameter(fn, type) === capture.parameter;
  }
  return someReturnedExpression(fn, (expression) => {
    let value: ts.Expression = expression;
    for (;;) {
      if ((ts.isAsExpression(value) || ts.isTypeAssertionExpression(value)) && capture.kind === 'function' && ownTypeParameter(fn, value.type) === capture.parameter) {
        return true; // `return wrapped as F`
      }
      if (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || ts.isNonNullExpression(value) || ts.isTypeAssertionExpression(value)) {
        value = value.expression;
        continue;
      }
      break;
    }
    return (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && forwardsCapture(fn, value.parameters, capture);
  });
}

/** Whether `fn` is a generic wrapper of a plain function (decorators, with a context parameter, are not). */
function isWrapper(fn: Wrapper): boolean {
  if (!fn.typeParameters || fn.typeParameters.length === 0 || !fn.body) return false;
  let capture: Capture | undefined;
  for (const parameter of fn.parameters) capture ??= captureOf(fn, parameter.type);
  // Searching every parameter's type for a decorator context is left for the generic functions that capture a function.
  if (capture === undefined || fn.parameters.some((parameter) => typeMentions(parameter.type, DECORATOR_CONTEXT_TYPES))) return false;
  return returnsSameShape(fn, capture);
}

export const functionWrapper: PatternDefinition = {
  id: 'function-wrapper',
  kind: 'pattern',
  category: 'functions',
  seeds: ['004'],
  prose: {
    title: 'Typed higher-order wrapper',
    summary:
      'A generic function that takes a function and returns one with the same parameters, like `<A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R`.',
    what:
      'The type parameter `A` captures the wrapped function\'s whole parameter list as a tuple (optional and rest elements included) and `R` its result, so the returned function is checked and completed exactly like the original. Since TypeScript 3.4, wrapping a generic function keeps it generic: `timed(identity)` is still `<T>(x: T) => T`.',
    when:
      'Behaviour for plain functions, not only class methods: retries, timing, logging, `once`, debounce, error translation. It is how you "decorate" a free function in TypeScript, because `@` only applies to classes and their members.',
    whenNot:
      'For overloaded functions: inference only sees the last overload signature, so the wrapper exposes one, usually wider, signature. And when the wrapper changes the shape (adds an argument, makes a sync function async), write the new type out rather than claiming `(...args: A) => R`.',
    pitfall:
      'Returning `(...args: A) => fn(...args)` calls the original without a receiver, so a wrapped method sees `this === undefined`. When the wrapper may wrap methods, return `function (this: unknown, ...args: A) { return fn.apply(this, args); }`.',
  },
  python: {
    name: 'typed decorators with `ParamSpec` (`[**P, R]`)',
    example:
      'def timed[**P, R](fn: Callable[P, R]) -> Callable[P, R]:\n    return functools.wraps(fn)(lambda *args, **kwargs: fn(*args, **kwargs))',
    note:
      '`P` captures positional and keyword parameters together (`P.args`, `P.kwargs`; `ParamSpec` since 3.10, the `[**P, R]` syntax since 3.12). JavaScript has no keyword arguments, so one tuple type parameter `A extends unknown[]` captures the whole list, and there is no `@` for free functions: you call the wrapper.',
  },
  example: `export function withRetry<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  attempts = 3,
  delayMs = 200,
): (...args: A) => Promise<R> {
  return async function (this: unknown, ...args: A): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn.apply(this, args);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
      }
    }
  };
}

async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(\`HTTP \${response.status} for \${url}\`);
  return response.json();
}

// Same parameters as fetchJson: (url: string, init?: RequestInit) => Promise<unknown>
export const fetchJsonWithRetry = withRetry(fetchJson);
`,
  links: [
    { title: 'Handbook: Generics', url: 'https://www.typescriptlang.org/docs/handbook/2/generics.html' },
    { title: 'TypeScript 3.0: Rest parameters with tuple types', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-0.html#rest-parameters-with-tuple-types' },
    { title: 'TypeScript 3.4: Higher order type inference from generic functions', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-4.html#higher-order-type-inference-from-generic-functions' },
  ],
  snippets: [
    {
      prefix: 'pl-wrap-function',
      description: 'Generic higher-order wrapper that keeps the wrapped function\'s parameters, result and `this`',
      javascript: false,
      body: [
        'export function ${1:withTiming}<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {',
        '\treturn function (this: unknown, ...args: A): R {',
        '\t\tconst started = performance.now();',
        '\t\ttry {',
        '\t\t\treturn fn.apply(this, args);',
        '\t\t} finally {',
        '\t\t\t${2:console.log(fn.name, performance.now() - started, \'ms\');}',
        '\t\t}',
        '\t};',
        '}',
      ],
    },
  ],
  create(context) {
    const check = (fn: Wrapper, name: ts.Node | undefined): void => {
      if (name && isWrapper(fn)) context.report(name);
    };
    return {
      [ts.SyntaxKind.FunctionDeclaration](node) {
        const fn = node as ts.FunctionDeclaration;
        if (fn.typeParameters && fn.body) check(fn, fn.name);
      },
      [ts.SyntaxKind.MethodDeclaration](node) {
        const fn = node as ts.MethodDeclaration;
        if (fn.typeParameters && fn.body && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) check(fn, fn.name);
      },
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (!declaration.initializer || !ts.isIdentifier(declaration.name)) return;
        const fn = storedFunction(declaration);
        if (fn?.typeParameters) check(fn, declaration.name);
      },
    };
  },
};
