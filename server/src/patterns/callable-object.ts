import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { tokenAt } from '../syntax/tokens';
import { fileDeclares } from '../syntax/globals';
import { isGlobalMember } from './support-c';
import type { Listeners, PatternDefinition, Span } from './types';

/** A call signature from its type parameters or `(` to its return type (or `)`), without the `;`. */
function callSignatureSpan(signature: ts.CallSignatureDeclaration, sourceFile: ts.SourceFile): Span {
  const start = signature.getStart(sourceFile);
  if (signature.type) return { start, end: signature.type.end };
  const closeParen = tokenAt(sourceFile, signature.parameters.end);
  return { start, end: closeParen.kind === ts.SyntaxKind.CloseParenToken ? closeParen.end : signature.parameters.end };
}

export const callableObject: PatternDefinition = {
  id: 'callable-object',
  kind: 'pattern',
  category: 'functions',
  seeds: ['004'],
  prose: {
    title: 'Callable object (call signature with properties)',
    summary:
      'A type that can be called like a function and also has properties: an interface or type literal with a call signature, built at run time with `Object.assign(fn, { ... })`.',
    what:
      'A call signature `(arg: A): R` inside an object type says its values can be called; the other members describe properties of that same function object (functions are objects in JavaScript). At run time it is an ordinary function with extra properties: `Object.assign(fn, props)` copies them onto it, typed `typeof fn & typeof props`, and since TypeScript 3.1 `fn.prop = value` assignments right after a `function` or `const` declaration are understood too.',
    when:
      'An API that is a function plus state or configuration: a callable logger with `.level`, a counter with `.count`, a memoized function exposing `.cache` and `.clear()`, a factory with helpers hung on it (like `styled.div`), or typing such a value exported by a JavaScript library.',
    whenNot:
      'When the "function" is really an object with behaviour and mutable state: a class with a named method (`.run()`) is easier to extend, mock and read. With one operation and no properties, a plain function type `(a: A) => R` says it all.',
    pitfall:
      '`Object.assign` copies with plain assignment, and a function\'s own `name` and `length` are read-only: `Object.assign(fn, { name: "x" })` throws a `TypeError`. Spreading a callable (`{ ...fn }`) keeps its properties but loses the ability to call it.',
  },
  python: {
    name: '`__call__`',
    example: 'class Counter:\n    def __call__(self, step=1): self.count += step; return self.count',
    note:
      'Python makes instances of a class callable with `__call__`; in JavaScript the callable value must really be a function, with the properties attached to it, and TypeScript describes that shape with a call signature. Class instances cannot be made callable, short of returning a function (or a `Proxy` with an `apply` trap around one).',
  },
  example: `/** A counter you call to advance, with its state and a reset on the function itself. */
export interface Counter {
  (step?: number): number;
  count: number;
  reset(): void;
}

export function createCounter(): Counter {
  const counter: Counter = Object.assign((step = 1): number => (counter.count += step), {
    count: 0,
    reset(): void {
      counter.count = 0;
    },
  });
  return counter;
}

export type Logger = {
  (message: string): void;
  level: 'debug' | 'info' | 'warn';
};

export const log: Logger = Object.assign(
  function (message: string): void {
    console.log(\`[\${log.level}] \${message}\`);
  },
  { level: 'info' as const },
);
`,
  links: [
    { title: 'TypeScript handbook: Call signatures', url: 'https://www.typescriptlang.org/docs/handbook/2/functions.html#call-signatures' },
    { title: 'TypeScript 3.1: Properties declarations on functions', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-1.html#properties-declarations-on-functions' },
    { title: 'MDN: Object.assign()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Object/assign' },
  ],
  snippets: [
    {
      prefix: 'pl-callable-object',
      description: 'Interface with a call signature and properties, implemented with `Object.assign`',
      javascript: false,
      body: [
        'interface ${1:Greeter} {',
        '\t(name: string): string;',
        '\tgreeting: string;',
        '}',
        '',
        'const ${2:greet}: ${1:Greeter} = Object.assign(',
        '\t(name: string): string => ${2:greet}.greeting + \', \' + name,',
        '\t{ greeting: ${3:\'Hello\'} },',
        ');',
      ],
    },
  ],
  create(context) {
    const { sourceFile } = context;
    let assigns: ts.PropertyAccessExpression[] | undefined;
    const onMembers = (members: ts.NodeArray<ts.TypeElement>): void => {
      let first: ts.CallSignatureDeclaration | undefined;
      let others: Span[] | undefined;
      let hasProperty = false;
      for (const member of members) {
        if (ts.isCallSignatureDeclaration(member)) {
          if (!first) first = member;
          else (others ??= []).push(callSignatureSpan(member, sourceFile));
        } else if (ts.isPropertySignature(member) || ts.isMethodSignature(member)) {
          hasProperty = true;
        }
      }
      if (first && hasProperty) context.report(callSignatureSpan(first, sourceFile), others);
    };
    return {
      [ts.SyntaxKind.InterfaceDeclaration](node) {
        onMembers((node as ts.InterfaceDeclaration).members);
      },
      [ts.SyntaxKind.TypeLiteral](node) {
        onMembers((node as ts.TypeLiteralNode).members);
      },
      calls: {
        assign(node) {
          const call = node as ts.CallExpression;
          if (!isGlobalMember(call.expression, 'Object')) return;
          if (call.arguments.length < 2) return;
          const target = skipOuterExpressions(call.arguments[0]!);
          if (!ts.isFunctionExpression(target) && !ts.isArrowFunction(target)) return;
          (assigns ??= []).push(call.expression);
        },
      },
      onWalkEnd() {
        if (!assigns || fileDeclares(sourceFile, 'Object')) return;
        for (const assign of assigns) context.report(assign);
      },
    } satisfies Listeners;
  },
};
