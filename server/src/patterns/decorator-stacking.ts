import * as ts from 'typescript';
import type { PatternDefinition } from './types';

/** Targets whose decorators this pattern looks at: classes and class members (not parameters). */
const STACKABLE = new Set([
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.PropertyDeclaration,
]);

export const decoratorStacking: PatternDefinition = {
  id: 'decorator-stacking',
  kind: 'pattern',
  category: 'decorators',
  seeds: ['003', '004'],
  prose: {
    title: 'Stacked decorators',
    summary:
      'Two or more decorators on one class or member: their expressions are evaluated top to bottom, then the decorators are applied bottom-up, the one nearest the declaration first.',
    what:
      'For `@a @b(1) method() {}` the expressions `a` and `b(1)` are evaluated in source order, then `b(1)`\'s decorator receives the original method and `a` receives whatever `b(1)` returned. The result is `a(b(method))`: at call time the outermost wrapper (`a`, written first) runs first and the innermost (`b`) runs closest to the original code.',
    when:
      'Composing independent, single-purpose behaviours (`@logged`, `@timed`, `@retry(3)`, `@bound`) instead of writing one decorator that does everything. Put the one that must see every attempt or the final result on top, and the one that must stay closest to the real code at the bottom.',
    whenNot:
      'When the order matters but is not obvious: `@cached @retry(3)` caches after retrying, `@retry(3) @cached` retries around a cache. If readers must think hard about that, wrap explicitly or combine the two into one named decorator.',
    pitfall:
      'Reading the order backwards: in `@bound @logged greet()`, `@logged` wraps `greet` first and `@bound` decorates the logged version. Side effects in the decorator bodies (registering, calling `addInitializer`) therefore happen bottom-up, while side effects in factory calls such as `@a()` happen top-down.',
  },
  python: {
    name: 'decorator stacking order',
    example: '@timed           # applied second: wraps the retrying function\n@retry(times=3)  # applied first: fetch = timed(retry(times=3)(fetch))',
    note:
      'The rule is the same in both languages: decorator expressions are evaluated top to bottom when the definition runs, then applied from the one nearest the `def` (or member) upwards. TypeScript only stacks on classes and class members, never on free functions.',
  },
  example: `const order: string[] = [];

function trace(label: string) {
  order.push(\`evaluate \${label}\`);
  return function <This, Args extends unknown[], Return>(
    original: (this: This, ...args: Args) => Return,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ) {
    order.push(\`apply \${label}\`);
    return function (this: This, ...args: Args): Return {
      order.push(\`enter \${label}\`);
      return original.call(this, ...args);
    };
  };
}

export class Report {
  @trace('outer')
  @trace('inner')
  render(title: string): string {
    order.push('render');
    return \`# \${title}\`;
  }
}

new Report().render('Q3');
// evaluate outer, evaluate inner, apply inner, apply outer, enter outer, enter inner, render
console.log(order.join(', '));
`,
  links: [
    { title: 'TypeScript 5.0: Decorators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators' },
    { title: 'TC39 proposal: Decorators (detailed design)', url: 'https://github.com/tc39/proposal-decorators#detailed-design' },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.Decorator](node) {
        const owner = context.ancestors[context.ancestors.length - 1];
        if (!owner || !STACKABLE.has(owner.kind)) return;
        const modifiers = (owner as ts.HasModifiers).modifiers;
        if (!modifiers) return;
        // Report once, from the first decorator, when more follow.
        let first: ts.Decorator | undefined;
        let others: ts.Decorator[] | undefined;
        for (const modifier of modifiers) {
          if (modifier.kind !== ts.SyntaxKind.Decorator) continue;
          if (!first) {
            if (modifier !== node) return;
            first = modifier;
          } else {
            (others ??= []).push(modifier);
          }
        }
        if (first && others) context.report(first, others);
      },
    };
  },
};
