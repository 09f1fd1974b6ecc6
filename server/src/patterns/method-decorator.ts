import * as ts from 'typescript';
import type { PatternDefinition } from './types';

const DECORATABLE_MEMBERS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.PropertyDeclaration,
]);

export const methodDecorator: PatternDefinition = {
  id: 'method-decorator',
  kind: 'pattern',
  category: 'decorators',
  seeds: ['003', '004'],
  prose: {
    title: 'Class member decorator (Stage 3)',
    summary:
      'A function applied with `@` to a method, getter, setter, field or `accessor`, which can replace or wrap that member when the class is defined.',
    what:
      'When the class is defined, the decorator is called with the member (the method function, or `undefined` for a field) and a context object (`ClassMethodDecoratorContext` and friends) giving its `name`, `kind`, `static`/`private` flags and `addInitializer`. A method decorator may return a replacement function; a field decorator may return a function that transforms the initial value. TypeScript 5.0 and later implement these standard decorators without any flag.',
    when:
      'Cross-cutting behaviour that belongs to many methods but to none of their logic: logging, timing, retries, memoization, binding `this`, access checks.',
    whenNot:
      'One-off behaviour (write it in the method), or code that must stay compatible with the older `experimentalDecorators` semantics (`target, key, descriptor`), which are a different, incompatible API. Decorators cannot be placed on plain functions or parameters.',
    pitfall:
      'A replacement written as an arrow function, or one that calls the original as `original(...args)`, loses `this`: write `function (this: This, ...args: Args)` and call `original.call(this, ...args)`.',
  },
  python: {
    name: 'decorators with `functools.wraps`',
    example: '@functools.wraps(func)\ndef wrapper(*args, **kwargs): return func(*args, **kwargs)',
    note:
      'Python decorators also decorate free functions and run on any callable; TypeScript decorators only apply to classes and their members. There is no `wraps`: the replacement keeps its own `name` unless you redefine it.',
  },
  example: `function logged<This, Args extends unknown[], Return>(
  original: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  return function (this: This, ...args: Args): Return {
    console.log(\`calling \${String(context.name)}\`);
    return original.call(this, ...args);
  };
}

export class Greeter {
  constructor(private readonly greeting: string) {}

  @logged
  greet(name: string): string {
    return \`\${this.greeting}, \${name}\`;
  }
}
`,
  links: [
    { title: 'TypeScript 5.0: Decorators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators' },
    { title: 'TC39 proposal: Decorators', url: 'https://github.com/tc39/proposal-decorators' },
  ],
  snippets: [
    {
      prefix: 'pl-method-decorator',
      description: 'Typed Stage-3 method decorator that wraps the method and keeps `this`',
      javascript: false,
      body: [
        'function ${1:logged}<This, Args extends unknown[], Return>(',
        '\toriginal: (this: This, ...args: Args) => Return,',
        '\tcontext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,',
        ') {',
        '\treturn function (this: This, ...args: Args): Return {',
        '\t\t${2:console.log(\'calling\', context.name);}',
        '\t\treturn original.call(this, ...args);',
        '\t};',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.Decorator](node) {
        const owner = context.ancestors[context.ancestors.length - 1];
        if (owner && DECORATABLE_MEMBERS.has(owner.kind)) context.report(node);
      },
    };
  },
};
