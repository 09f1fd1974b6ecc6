import * as ts from 'typescript';
import type { PatternDefinition } from './types';

export const classDecorator: PatternDefinition = {
  id: 'class-decorator',
  kind: 'pattern',
  category: 'decorators',
  seeds: ['003', '004'],
  prose: {
    title: 'Class decorator',
    summary:
      'A function applied with `@` to a class declaration or class expression: it receives the class and a `ClassDecoratorContext`, and may return a replacement class.',
    what:
      'It is called once, when the class is defined and after every member decorator has been applied, with the constructor and a context holding `kind: "class"`, `name` (a class expression stored in a variable takes the variable\'s name) and `addInitializer`. Returning nothing keeps the class; returning a constructor, often `class extends value { ... }`, replaces what the class name refers to. Functions passed to `context.addInitializer` run once the class is completely defined, static fields included.',
    when:
      'Definition-time bookkeeping: adding the class to a plugin, command or route registry, defining a custom element, recording metadata, or wrapping the constructor to count, validate or freeze instances.',
    whenNot:
      'To give the class new members that callers should use: a decorator cannot change the class\'s TypeScript type, so anything it adds is invisible to the checker (use a base class, a mixin function or explicit members). Frameworks built on `experimentalDecorators` (older Angular, NestJS, TypeORM) expect the legacy `(target)` signature instead.',
    pitfall:
      'The decorator is called before the class\'s `static` field initializers and `static {}` blocks run, so reading a static field of `value` inside it gives `undefined`. Do that work in `context.addInitializer(function () { ... })`, where `this` is the finished class.',
  },
  python: {
    name: 'class decorators, `@dataclass`, metaclasses',
    example: '@dataclass(frozen=True)\nclass Point: x: float; y: float',
    note:
      'A Python class decorator can add methods (`@dataclass` writes `__init__` and `__eq__`) and type checkers understand some of them; a TypeScript class decorator cannot change the declared type. There are no metaclasses: per-class setup at definition time is done with a class decorator, a `static {}` block or a base class.',
  },
  example: `type Command = { run(args: readonly string[]): Promise<number> };
type CommandClass = new () => Command;

const commands = new Map<string, CommandClass>();

function command(name: string) {
  return function (value: CommandClass, context: ClassDecoratorContext<CommandClass>): void {
    context.addInitializer(function () {
      if (commands.has(name)) throw new Error(\`duplicate command \${name}\`);
      commands.set(name, this);
    });
  };
}

@command('build')
export class BuildCommand implements Command {
  async run(args: readonly string[]): Promise<number> {
    console.log('building', args.join(' '));
    return 0;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name = 'build', ...rest] = argv;
  const Found = commands.get(name);
  if (!Found) throw new Error(\`unknown command \${name}\`);
  return new Found().run(rest);
}
`,
  links: [
    { title: 'TypeScript 5.0: Decorators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators' },
    { title: 'TC39 proposal: Decorators (class decorators)', url: 'https://github.com/tc39/proposal-decorators#classes' },
  ],
  snippets: [
    {
      prefix: 'pl-class-decorator',
      description: 'Typed Stage-3 class decorator that registers the class once it is fully defined',
      javascript: false,
      body: [
        'const ${1:registry} = new Map<string, abstract new (...args: never[]) => unknown>();',
        '',
        'function ${2:register}<Class extends abstract new (...args: never[]) => unknown>(',
        '\tvalue: Class,',
        '\tcontext: ClassDecoratorContext<Class>,',
        '): void {',
        '\tcontext.addInitializer(function () {',
        '\t\t${1:registry}.set(context.name ?? value.name, this);',
        '\t});',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.Decorator](node) {
        const owner = context.ancestors[context.ancestors.length - 1];
        if (owner && (owner.kind === ts.SyntaxKind.ClassDeclaration || owner.kind === ts.SyntaxKind.ClassExpression)) {
          context.report(node);
        }
      },
    };
  },
};
