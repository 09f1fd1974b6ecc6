import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { hasModifier } from '../syntax/modifiers';
import { isClassLike } from './support-e';
import type { PatternDefinition } from './types';

/** Constructors whose `new` gives a fresh mutable container. */
const MUTABLE_CONSTRUCTORS = new Set([
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'Array',
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** `[]`, `[...]`, `{}`, `{ ... }`, `new Map()`, `new Set<T>()`, ... (through parentheses and casts). */
function createsMutableValue(initializer: ts.Expression): boolean {
  const value = skipOuterExpressions(initializer);
  switch (value.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.ObjectLiteralExpression:
      return true;
    case ts.SyntaxKind.NewExpression: {
      const constructor = (value as ts.NewExpression).expression;
      return ts.isIdentifier(constructor) && MUTABLE_CONSTRUCTORS.has(constructor.text);
    }
    default:
      return false;
  }
}

export const fieldInitializer: PatternDefinition = {
  id: 'field-initializer',
  kind: 'pattern',
  category: 'objects',
  seeds: ['003'],
  prose: {
    title: 'Per-instance field initializer',
    summary:
      'A class field initialized with a fresh `[]`, `{}`, `new Map()` or `new Set()`: the initializer runs again for every instance, so each object gets its own mutable value.',
    what:
      'Instance field initializers are evaluated on every construction, before the constructor body in a base class and right after `super()` returns in a subclass, so `items: string[] = []` gives each instance a new array. A `static` field is evaluated once, when the class is defined, and its single value is shared (subclasses see it too, through inheritance of static properties).',
    when:
      'Per-object collections and caches (listeners, pending requests, child nodes by id): declared as initialized fields they are visible at a glance and guaranteed to exist before the constructor body runs.',
    whenNot:
      'When the value should be shared by all instances, make it `static` or a module-level constant; when it depends on constructor arguments, assign it in the constructor or use a parameter property. Arrow-function fields (`onClick = () => {}`) likewise allocate one function per instance, unlike prototype methods.',
    pitfall:
      'A subclass\'s fields do not exist yet while the base constructor runs: if it calls an overridden method that uses `this.items`, that method sees `undefined`. And redeclaring an inherited field without an initializer (`items!: string[]`) resets it to `undefined` after `super()` under `useDefineForClassFields` (the default for targets ES2022 and later): write `declare items: string[]` to only narrow the type.',
  },
  python: {
    name: '`dataclasses.field(default_factory=...)`',
    example: '@dataclass\nclass Cart: items: list[str] = field(default_factory=list)',
    note:
      'In a Python class body `items = []` is one list shared by every instance, and a dataclass rejects a list default outright, hence `default_factory`. A TypeScript field initializer already is a factory: it runs per instance. The shared, evaluated-once behaviour is what `static items = []` gives you.',
  },
  example: `export class Cart {
  readonly lines: string[] = [];
  readonly quantities = new Map<string, number>();
  #listeners = new Set<(sku: string) => void>();

  add(sku: string, quantity = 1): void {
    if (!this.quantities.has(sku)) this.lines.push(sku);
    this.quantities.set(sku, (this.quantities.get(sku) ?? 0) + quantity);
    for (const listener of this.#listeners) listener(sku);
  }

  onChange(listener: (sku: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const a = new Cart();
const b = new Cart();
a.add('apple');
console.log(a.lines.length, b.lines.length); // 1 0: each cart has its own array
`,
  links: [
    {
      title: 'MDN: Public class fields',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Classes/Public_class_fields',
    },
    {
      title: 'TypeScript: useDefineForClassFields',
      url: 'https://www.typescriptlang.org/tsconfig/#useDefineForClassFields',
    },
  ],
  create(context) {
    const { ancestors } = context;
    return {
      [ts.SyntaxKind.PropertyDeclaration](node) {
        const field = node as ts.PropertyDeclaration;
        const initializer = field.initializer;
        if (!initializer || !createsMutableValue(initializer)) return;
        if (!isClassLike(ancestors[ancestors.length - 1])) return;
        if (hasModifier(field, ts.SyntaxKind.StaticKeyword) || hasModifier(field, ts.SyntaxKind.DeclareKeyword)) return;
        context.report(field.name);
      },
    };
  },
};
