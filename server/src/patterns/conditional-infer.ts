import * as ts from 'typescript';
import type { PatternDefinition } from './types';

// State of one `collectInfers` run (detectors run synchronously, so module state is safe and
// avoids allocating a closure for every conditional type, most of which have no `infer`).
let firstInfer: ts.InferTypeNode | undefined;
let otherInfers: ts.InferTypeNode[] | undefined;

/**
 * Gathers the `infer X` that belong to the conditional type whose extends clause contains `node`.
 * An `infer` inside the extends clause of a nested conditional belongs to that one instead.
 */
function collectInfers(node: ts.Node): undefined {
  if (node.kind === ts.SyntaxKind.InferType) {
    if (!firstInfer) firstInfer = node as ts.InferTypeNode;
    else (otherInfers ??= []).push(node as ts.InferTypeNode);
    return undefined;
  }
  if (node.kind === ts.SyntaxKind.ConditionalType) {
    const nested = node as ts.ConditionalTypeNode;
    collectInfers(nested.checkType);
    collectInfers(nested.trueType);
    collectInfers(nested.falseType);
    return undefined;
  }
  return ts.forEachChild(node, collectInfers);
}

export const conditionalInfer: PatternDefinition = {
  id: 'conditional-infer',
  kind: 'pattern',
  category: 'types',
  seeds: ['001'],
  prose: {
    title: 'Conditional type with `infer`',
    summary:
      'A type-level `if` (`T extends Pattern ? Yes : No`) whose pattern declares `infer X` placeholders, so the matched part of `T` can be pulled out and used in the `Yes` branch.',
    what:
      'The checker tests whether `T` is assignable to the pattern, inferring each `infer X` from the position it occupies; on success the type resolves to the true branch with `X` bound, otherwise to the false branch. When the checked type is a bare type parameter, a union argument is split and each member tested on its own (`ElementOf<A[] | B[]>` gives `A | B`). Since TypeScript 4.7, `infer X extends string` also constrains what may be inferred. `ReturnType`, `Parameters` and `Awaited` are built this way.',
    when:
      'To derive a type from another instead of restating it: the element of an array, the value of a promise, the parameters of a callback, the props of a component, or the `:param` names of a route string matched with a template literal pattern such as `` `${string}:${infer P}` ``.',
    whenNot:
      'When an indexed access or a built-in already says it: `T["items"][number]` needs no conditional, and `Awaited<T>` beats a hand-written unwrap. Deeply recursive conditional types slow the editor down, can hit the checker\'s instantiation depth limit and make error messages unreadable: keep them at library boundaries.',
    pitfall:
      'Inferring from an overloaded function only sees its last signature: `ReturnType<typeof parse>` is the return type of the final (usually broadest) overload, not a union of all of them, and no argument-based overload resolution happens.',
  },
  python: {
    name: '`typing.get_origin` / `typing.get_args`',
    example: 'hint = dict[str, list[int]]\nassert get_origin(hint) is dict and get_args(hint) == (str, list[int])',
    note:
      'Python takes annotations apart at run time, as ordinary objects. A TypeScript conditional type is evaluated by the checker alone and leaves nothing in the emitted JavaScript: it can transform types, but nothing can inspect `T` while the program runs.',
  },
  example: `/** The element type of any array or tuple. */
export type ElementOf<T> = T extends readonly (infer E)[] ? E : never;

/** The \`:param\` names of a route such as '/users/:id/posts/:postId'. */
export type RouteParams<Path extends string> =
  Path extends \`\${string}:\${infer Param}/\${infer Rest}\`
    ? Param | RouteParams<Rest>
    : Path extends \`\${string}:\${infer Param}\`
      ? Param
      : never;

export function buildPath<P extends string>(path: P, params: Record<RouteParams<P>, string>): string {
  return path.replace(/:(\\w+)/g, (_match, name: string) => params[name as RouteParams<P>]);
}

// The second argument must have exactly \`id\` and \`postId\`.
export const url = buildPath('/users/:id/posts/:postId', { id: '42', postId: '7' });

type Primary = ElementOf<['red', 'green', 'blue']>; // 'red' | 'green' | 'blue'
export const favourite: Primary = 'green';
`,
  links: [
    { title: 'Handbook: Conditional Types', url: 'https://www.typescriptlang.org/docs/handbook/2/conditional-types.html' },
    {
      title: 'TypeScript 4.7: extends constraints on infer',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-7.html#extends-constraints-on-infer-type-variables',
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.ConditionalType](node) {
        firstInfer = undefined;
        otherInfers = undefined;
        collectInfers((node as ts.ConditionalTypeNode).extendsType);
        const first = firstInfer;
        const others = otherInfers;
        firstInfer = undefined;
        otherInfers = undefined;
        if (first) context.report(first, others);
      },
    };
  },
};
