import * as ts from 'typescript';
import { fileDeclares } from '../syntax/globals';
import { isGlobalMember } from './support-c';
import type { Listeners, PatternDefinition } from './types';

/**
 * The well-known symbols MDN lists, minus `Symbol.dispose` / `Symbol.asyncDispose` (those are the
 * `symbol-dispose` pattern).
 */
const WELL_KNOWN = new Set([
  'asyncIterator',
  'hasInstance',
  'isConcatSpreadable',
  'iterator',
  'match',
  'matchAll',
  'replace',
  'search',
  'species',
  'split',
  'toPrimitive',
  'toStringTag',
  'unscopables',
]);

const MEMBER_KINDS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.PropertyAssignment,
]);

const CONTAINER_KINDS = new Set([
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.ObjectLiteralExpression,
]);

/** Whether an object literal is the target of a destructuring assignment (`({ [k]: v } = o)`). */
function isAssignmentTarget(ancestors: readonly ts.Node[], index: number): boolean {
  let child = ancestors[index]!;
  for (let i = index - 1; i >= 0; i--) {
    const parent = ancestors[i]!;
    if (ts.isParenthesizedExpression(parent)) {
      child = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      return parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.left === child;
    }
    return (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === child;
  }
  return false;
}

export const wellKnownSymbol: PatternDefinition = {
  id: 'well-known-symbol',
  kind: 'pattern',
  category: 'objects',
  seeds: ['004'],
  prose: {
    title: 'Well-known symbol member (`[Symbol.iterator]` and friends)',
    summary:
      'A class or object member keyed by a built-in symbol such as `Symbol.iterator`, `Symbol.asyncIterator`, `Symbol.toPrimitive`, `Symbol.hasInstance` or `Symbol.toStringTag`: a hook the language itself calls.',
    what:
      'The language looks these keys up on your objects: `for...of`, spread and array destructuring call `[Symbol.iterator]()`; `for await` calls `[Symbol.asyncIterator]()`; conversions to a primitive (`+x`, `` `${x}` ``, `x + ""`) call `[Symbol.toPrimitive](hint)` with `"number"`, `"string"` or `"default"`; `v instanceof C` calls `C[Symbol.hasInstance](v)`; `Object.prototype.toString` reads `[Symbol.toStringTag]`. TypeScript checks them like any member, and since 5.3 a `static [Symbol.hasInstance](v): v is T` also narrows `instanceof`.',
    when:
      'To make your own types work with built-in syntax: iterable collections and ranges, value objects that convert sensibly in arithmetic or template strings (money, durations), an `instanceof` check for a structural or branded type, a readable tag in logs (`[object Money]`).',
    whenNot:
      'For behaviour callers should ask for by name: an explicit `toJSON()`, `format()` or `equals()` is easier to find than an implicit conversion. There is no operator overloading in JavaScript: `[Symbol.toPrimitive]` only picks a primitive, so `a + b` on two objects still adds numbers or joins strings.',
    pitfall:
      '`+` and `==` pass the `"default"` hint, not `"number"`, so a `[Symbol.toPrimitive]` that only handles `"number"` and `"string"` surprises in `price + 1`; it must also return a primitive, or the conversion throws a `TypeError`.',
  },
  python: {
    name: 'dunder methods (`__iter__`, `__len__`, ...)',
    example: 'class Deck:\n    def __iter__(self): return iter(self.cards)',
    note:
      'Python finds protocol methods by name (`__iter__`, `__format__`, `__instancecheck__` on the metaclass), JavaScript by symbol, so they never clash with ordinary members. Many dunders have no symbol at all: there is no `__len__`, `__eq__` or `__add__`, and indexing or attribute hooks (`__getitem__`, `__getattr__`) need a `Proxy`.',
  },
  example: `export class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}

  /** +price gives a number, a template string gives a label, and price + 1 passes "default". */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | string {
    return hint === 'string' ? \`\${(this.cents / 100).toFixed(2)} \${this.currency}\` : this.cents / 100;
  }

  get [Symbol.toStringTag](): string {
    return 'Money';
  }
}

export class Ledger implements Iterable<Money> {
  readonly #entries: Money[] = [];

  add(entry: Money): this {
    this.#entries.push(entry);
    return this;
  }

  *[Symbol.iterator](): Iterator<Money> {
    yield* this.#entries;
  }
}

export function total(ledger: Ledger): number {
  let sum = 0;
  for (const entry of ledger) sum += +entry;
  return sum;
}
`,
  links: [
    { title: 'MDN: Symbol, well-known symbols', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Symbol#well-known_symbols' },
    { title: 'MDN: Iteration protocols', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Iteration_protocols' },
    { title: 'MDN: Symbol.toPrimitive', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Symbol/toPrimitive' },
    { title: 'MDN: Symbol.hasInstance', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Symbol/hasInstance' },
    { title: 'TypeScript 5.3: instanceof narrowing through Symbol.hasInstance', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-3.html' },
  ],
  snippets: [
    {
      prefix: 'pl-iterable',
      description: 'Class made iterable with a `*[Symbol.iterator]()` generator method',
      javascript: false,
      body: [
        'class ${1:Collection}<T> implements Iterable<T> {',
        '\treadonly #items: T[] = [];',
        '',
        '\tadd(item: T): this {',
        '\t\tthis.#items.push(item);',
        '\t\treturn this;',
        '\t}',
        '',
        '\t*[Symbol.iterator](): Iterator<T> {',
        '\t\t${2:yield* this.#items;}',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors } = context;
    let candidates: ts.ComputedPropertyName[] | undefined;
    return {
      [ts.SyntaxKind.ComputedPropertyName](node) {
        const expression = (node as ts.ComputedPropertyName).expression;
        if (!isGlobalMember(expression, 'Symbol') || !WELL_KNOWN.has(expression.name.text)) return;
        const last = ancestors.length - 1;
        const member = ancestors[last];
        const container = ancestors[last - 1];
        if (!member || !container || !MEMBER_KINDS.has(member.kind) || !CONTAINER_KINDS.has(container.kind)) return;
        if ((member as ts.NamedDeclaration).name !== node) return;
        if (ts.isObjectLiteralExpression(container) && isAssignmentTarget(ancestors, last - 1)) return;
        (candidates ??= []).push(node as ts.ComputedPropertyName);
      },
      onWalkEnd() {
        if (!candidates || fileDeclares(context.sourceFile, 'Symbol')) return;
        for (const name of candidates) context.report(name);
      },
    } satisfies Listeners;
  },
};
