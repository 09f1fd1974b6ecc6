import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { PatternDefinition } from './types';

/** A type parameter that says more than "some type": a constraint, a default, `const`, `in` or `out`. */
function isRefined(parameter: ts.TypeParameterDeclaration): boolean {
  if (parameter.constraint || parameter.default) return true;
  const modifiers = parameter.modifiers;
  if (!modifiers) return false;
  for (const modifier of modifiers) {
    const kind = modifier.kind;
    if (kind === ts.SyntaxKind.ConstKeyword || kind === ts.SyntaxKind.InKeyword || kind === ts.SyntaxKind.OutKeyword) return true;
  }
  return false;
}

export const generic: PatternDefinition = {
  id: 'generic',
  kind: 'pattern',
  category: 'types',
  seeds: ['000', '003'],
  prose: {
    title: 'Constrained generic type parameters',
    summary:
      'A type parameter list in which a parameter has a constraint (`extends`), a default (`= Type`), the `const` modifier or an `in`/`out` variance annotation.',
    what:
      'Type parameters are filled in per use, usually inferred from the arguments. `K extends keyof T` limits what callers may pass and lets the body rely on it; `T = string` is the fallback when nothing is written or inferred; `const T` (TypeScript 5.0, on functions, methods and classes) gives literals written in the call their most precise type, as if the caller had added `as const`; `in` / `out` (TypeScript 4.7, on classes, interfaces and type aliases) state that a parameter is contravariant / covariant. All of it is erased: at run time there is no `T`.',
    when:
      'When the result type depends on the argument types: containers and caches (`class Cache<K, V extends object>`), accessors such as `get<T, K extends keyof T>(obj: T, key: K): T[K]`, or builders that should return exact literal types without making every caller write `as const`. Variance annotations document whether a generic type only produces or only consumes `T`, and the checker verifies them.',
    whenNot:
      'When a type parameter appears only once, it adds nothing: `function size<T extends { length: number }>(x: T): number` is just `(x: { length: number }) => number`. Do not add `in`/`out` to silence an assignability error: an annotation that contradicts how the parameter is used is reported as an error of its own.',
    pitfall:
      '`const T` only affects literals written in the call itself: given `f<const T extends readonly string[]>(x: T)`, `f(["a", "b"])` infers `readonly ["a", "b"]`, but `const parts = ["a", "b"]; f(parts)` infers `string[]`, because `parts` was widened when it was declared.',
  },
  python: {
    name: '`Generic[T]`, `TypeVar` and the 3.12 `def f[T]` syntax',
    example:
      'T = TypeVar("T", bound=Hashable)  # the spelling before 3.12\ndef first[K: Hashable](items: Sequence[K]) -> K: return items[0]',
    note:
      'A Python bound (`K: Hashable`, `bound=`) is TypeScript\'s `extends`; type parameter defaults reached Python in 3.13. A classic `TypeVar` declares its variance (`covariant=True`), while the 3.12 syntax infers it as TypeScript always does (`in`/`out` only state it). Nothing in Python matches `const T`.',
  },
  example: `export interface Entity {
  readonly id: string;
}

/** Producers only hand out values, so a Producer<Dog> can stand in for a Producer<Animal>. */
export interface Producer<out T> {
  next(): T;
}

export class Repository<T extends Entity, K extends keyof T = keyof T> {
  readonly #items = new Map<string, T>();

  add(item: T): this {
    this.#items.set(item.id, item);
    return this;
  }

  pluck(key: K): T[K][] {
    return [...this.#items.values()].map((item) => item[key]);
  }
}

/** Returns the exact tuple it is given: \`tuple('a', 1)\` is \`readonly ['a', 1]\`. */
export function tuple<const T extends readonly unknown[]>(...values: T): T {
  return values;
}

const users = new Repository<{ id: string; name: string }>().add({ id: '1', name: 'Ada' });
export const names: string[] = users.pluck('name');
export const point = tuple('x', 1);
`,
  links: [
    { title: 'Handbook: Generics', url: 'https://www.typescriptlang.org/docs/handbook/2/generics.html' },
    { title: 'TypeScript 5.0: const type parameters', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#const-type-parameters' },
    {
      title: 'TypeScript 4.7: variance annotations',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-7.html#optional-variance-annotations-for-type-parameters',
    },
  ],
  create(context) {
    return {
      // A type parameter list is not a node: react to its first parameter, once per list.
      [ts.SyntaxKind.TypeParameter](node) {
        const owner = context.ancestors[context.ancestors.length - 1] as { readonly typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> } | undefined;
        // Mapped types (`[K in keyof T]`) and `infer X` hold a single `typeParameter`, not a list.
        const list = owner?.typeParameters;
        if (!list || list[0] !== node || !list.some(isRefined)) return;
        const { sourceFile } = context;
        const open = list.pos - 1;
        if (sourceFile.text.charCodeAt(open) !== 0x3c /* < */) return;
        const close = tokenAt(sourceFile, list.end);
        if (close.kind !== ts.SyntaxKind.GreaterThanToken) return;
        context.report({ start: open, end: close.end });
      },
    };
  },
};
