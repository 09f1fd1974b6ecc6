import * as ts from 'typescript';
import { callsNamed, skipOuterExpressions } from '../syntax/expressions';
import { hasModifier } from '../syntax/modifiers';
import { isClassLike } from './support-e';
import type { DetectorContext, PatternDefinition } from './types';

/** Collection methods that store their argument. */
const REGISTERING_METHODS = new Set(['set', 'add', 'push', 'register']);

const STATIC_KEYWORD_LENGTH = 'static'.length;

/** `this` or `new.target` as written (inside parentheses or `as` casts). */
function registeredClass(expression: ts.Expression): 'this' | 'new.target' | undefined {
  const bare = skipOuterExpressions(expression);
  if (bare.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isMetaProperty(bare) && bare.keywordToken === ts.SyntaxKind.NewKeyword && bare.name.text === 'target') return 'new.target';
  return undefined;
}

/**
 * Whether the class itself is what `this` / `new.target` denotes here:
 * - `this` in a static method, static accessor or static field initializer of a class (through
 *   arrow functions, which keep `this`); inside a static block the block is reported instead;
 * - `new.target` in a class constructor (through arrow functions).
 */
function denotesClass(what: 'this' | 'new.target', ancestors: readonly ts.Node[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    switch (node.kind) {
      case ts.SyntaxKind.ArrowFunction:
        continue;
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.PropertyDeclaration:
        return what === 'this' && isClassLike(ancestors[i - 1]) && hasModifier(node as ts.HasModifiers, ts.SyntaxKind.StaticKeyword);
      case ts.SyntaxKind.Constructor:
        return what === 'new.target';
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.SourceFile:
        return false;
      default:
        continue;
    }
  }
  return false;
}

function reportRegistration(context: DetectorContext, at: ts.Node, registered: ts.Expression): void {
  context.report(at, [registered]);
}

export const registryStaticBlock: PatternDefinition = {
  id: 'registry-static-block',
  kind: 'pattern',
  category: 'objects',
  seeds: ['002', '003', '004'],
  prose: {
    title: 'Static initialization block / subclass registry',
    summary:
      'A `static { ... }` block, which runs once when the class is defined with `this` bound to the class, or a base class that records its subclasses in a registry.',
    what:
      'Static blocks (ES2022, TypeScript 4.4) run while the class is being evaluated, in source order with the static field initializers, with `this` bound to the class and access to its `#private` names. A subclass can register itself there (`static { Plugin.register(this) }`). A base class can also collect classes in a static method, where `this` is whichever subclass it was called on, or in its constructor through `new.target`, the class `new` was actually applied to.',
    when:
      'Plugin systems, serializers and command tables that look classes up by a key; static setup that needs statements, `try`/`catch`, or several static fields computed together.',
    whenNot:
      'When one module can simply list the classes (`new Map([["csv", CsvPlugin], ...])`): it is explicit and does not depend on import side effects, whereas a self-registering subclass is only registered if the module that defines it is actually imported and evaluated.',
    pitfall:
      'There is no `__init_subclass__` hook: a static block runs only for the class that declares it, never for its subclasses, so each subclass must register itself (or be decorated). Registration through `new.target` waits until the first instance is built, and keys taken from `this.name` change when a minifier renames classes: prefer an explicit `static id`.',
  },
  python: {
    name: '`__init_subclass__`',
    example: 'def __init_subclass__(cls, **kwargs):\n    super().__init_subclass__(**kwargs); REGISTRY[cls.__name__] = cls',
    note:
      'Python calls the base class hook automatically whenever a subclass is defined. JavaScript has no such hook: each subclass opts in with a static block (or a class decorator), or the base registers classes lazily in its constructor via `new.target`.',
  },
  example: `export abstract class Command {
  static readonly registry = new Map<string, new () => Command>();

  static register(name: string, command: new () => Command): void {
    if (Command.registry.has(name)) throw new Error(\`duplicate command: \${name}\`);
    Command.registry.set(name, command);
  }

  abstract run(args: readonly string[]): string;
}

export class Echo extends Command {
  static {
    Command.register('echo', this);
  }

  run(args: readonly string[]): string {
    return args.join(' ');
  }
}

export function dispatch(line: string): string {
  const [name = '', ...args] = line.trim().split(/\\s+/);
  const Found = Command.registry.get(name);
  if (!Found) throw new Error(\`unknown command: \${name}\`);
  return new Found().run(args);
}
`,
  links: [
    {
      title: 'MDN: Static initialization blocks',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Classes/Static_initialization_blocks',
    },
    { title: 'MDN: new.target', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/new.target' },
    { title: 'TC39 proposal: Class static initialization blocks', url: 'https://github.com/tc39/proposal-class-static-block' },
  ],
  snippets: [
    {
      prefix: 'pl-static-registry',
      description: 'Base class with a registry, and a subclass that registers itself in a static block',
      javascript: false,
      body: [
        'abstract class ${1:Plugin} {',
        '\tstatic readonly registry = new Map<string, new () => ${1:Plugin}>();',
        '',
        '\tstatic register(id: string, plugin: new () => ${1:Plugin}): void {',
        '\t\tif (${1:Plugin}.registry.has(id)) throw new Error(`duplicate ${1:Plugin} id: \\${id}`);',
        '\t\t${1:Plugin}.registry.set(id, plugin);',
        '\t}',
        '}',
        '',
        'class ${2:CsvPlugin} extends ${1:Plugin} {',
        '\tstatic {',
        '\t\t${1:Plugin}.register(\'${3:csv}\', this);',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors, sourceFile } = context;
    return {
      [ts.SyntaxKind.ClassStaticBlockDeclaration](node) {
        const start = node.getStart(sourceFile);
        context.report({ start, end: start + STATIC_KEYWORD_LENGTH });
      },
      // registry.set(this.name, this) in a static method; seen.add(new.target) in a constructor
      calls: callsNamed(REGISTERING_METHODS, (node) => {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        for (const argument of call.arguments) {
          const what = registeredClass(argument);
          if (what && denotesClass(what, ancestors)) {
            reportRegistration(context, callee, argument);
            return;
          }
        }
      }),
      // registry[this.name] = this; registry[new.target.name] = new.target
      [ts.SyntaxKind.BinaryExpression](node) {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isElementAccessExpression(binary.left)) return;
        const what = registeredClass(binary.right);
        if (what && denotesClass(what, ancestors)) reportRegistration(context, binary.left, binary.right);
      },
    };
  },
};
