import * as ts from 'typescript';
import { objectStaticCallee } from './support-e';
import { tokenAt } from '../syntax/tokens';
import type { DetectorContext, PatternDefinition } from './types';

const READONLY_TYPES = new Set(['Readonly', 'ReadonlyArray', 'ReadonlyMap', 'ReadonlySet']);
const FREEZE = new Set(['freeze']);

/** Reports the `readonly` modifier of a property, parameter property or index signature. */
function reportReadonlyModifier(context: DetectorContext, node: ts.Node): void {
  const modifiers = (node as ts.HasModifiers).modifiers;
  if (!modifiers) return;
  for (const modifier of modifiers) {
    if (modifier.kind === ts.SyntaxKind.ReadonlyKeyword) {
      context.report(modifier);
      return;
    }
  }
}

/** `const` as the type of an assertion: `x as const`, `<const>x`. */
function isConstType(type: ts.TypeNode): boolean {
  return (
    ts.isTypeReferenceNode(type) && !type.typeArguments && ts.isIdentifier(type.typeName) && type.typeName.text === 'const'
  );
}

export const readonlyImmutability: PatternDefinition = {
  id: 'readonly-immutability',
  kind: 'pattern',
  category: 'types',
  seeds: ['003', '004'],
  prose: {
    title: 'Read-only types and frozen objects',
    summary:
      '`readonly` properties and arrays, `as const`, `Readonly<T>` / `ReadonlyArray` / `ReadonlyMap` / `ReadonlySet`, and `Object.freeze`: compile-time and run-time ways to forbid mutation.',
    what:
      '`readonly` and the `Readonly*` types exist only for the type checker and are erased from the emitted JavaScript: they forbid assignment and hide mutating methods such as `push` or `set`. `as const` makes a literal readonly all the way down and keeps its literal types (`readonly ["a", "b"]`). `Object.freeze(obj)` acts at run time: writes to the object\'s own properties fail (a `TypeError` in strict-mode code), and TypeScript types its result as `Readonly<T>`.',
    when:
      'Value objects, configuration and lookup tables that must not change once built; parameters you promise not to mutate (a `readonly string[]` parameter accepts mutable and readonly arrays alike); `as const` on a list to derive a union type from it (`(typeof ROLES)[number]`).',
    whenNot:
      'When data crosses into untyped JavaScript or user input, `readonly` guarantees nothing at run time: freeze or copy it there. When code must update a large structure in place for speed, readonly types force a copy on every change.',
    pitfall:
      'Both are shallow: `Object.freeze` leaves nested objects mutable, and `Readonly<T>` marks only the top-level properties. And a type with `readonly` properties is still assignable to the same type without them (`const p: { x: number } = frozenPoint` compiles), so an alias can mutate it; only `readonly T[]` to `T[]` is rejected.',
  },
  python: {
    name: '`@dataclass(frozen=True)`',
    example: '@dataclass(frozen=True)\nclass Point: x: float; y: float',
    note:
      'A frozen dataclass raises `FrozenInstanceError` on assignment at run time, whereas TypeScript\'s `readonly` is only checked at compile time; the run-time counterpart is `Object.freeze(this)` at the end of the constructor. Like `frozen=True`, neither freezes the objects the fields point to.',
  },
  example: `export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly id: string;
  readonly roles: readonly Role[];
}

export function grant(user: Readonly<User>, role: Role): User {
  return user.roles.includes(role) ? user : { ...user, roles: [...user.roles, role] };
}

export const DEFAULT_USER: User = Object.freeze({ id: 'guest', roles: ['viewer'] as const });
`,
  links: [
    { title: 'TypeScript handbook: readonly properties', url: 'https://www.typescriptlang.org/docs/handbook/2/objects.html#readonly-properties' },
    {
      title: 'TypeScript 3.4: const assertions and readonly arrays',
      url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-4.html',
    },
    { title: 'MDN: Object.freeze()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Object/freeze' },
  ],
  create(context) {
    const { sourceFile } = context;
    const modifier = (node: ts.Node) => reportReadonlyModifier(context, node);
    return {
      [ts.SyntaxKind.PropertyDeclaration]: modifier,
      [ts.SyntaxKind.PropertySignature]: modifier,
      [ts.SyntaxKind.IndexSignature]: modifier,
      [ts.SyntaxKind.Parameter]: modifier,
      // readonly string[], readonly [number, number]
      [ts.SyntaxKind.TypeOperator](node) {
        const operator = node as ts.TypeOperatorNode;
        if (operator.operator !== ts.SyntaxKind.ReadonlyKeyword) return;
        const start = operator.getStart(sourceFile);
        context.report({ start, end: start + 'readonly'.length });
      },
      // { readonly [K in keyof T]: T[K] }
      [ts.SyntaxKind.MappedType](node) {
        const token = (node as ts.MappedTypeNode).readonlyToken;
        if (token && token.kind === ts.SyntaxKind.ReadonlyKeyword) context.report(token);
      },
      [ts.SyntaxKind.TypeReference](node) {
        const name = (node as ts.TypeReferenceNode).typeName;
        if (ts.isIdentifier(name) && READONLY_TYPES.has(name.text)) context.report(name);
      },
      // value as const
      [ts.SyntaxKind.AsExpression](node) {
        const assertion = node as ts.AsExpression;
        if (!isConstType(assertion.type)) return;
        const as = tokenAt(sourceFile, assertion.expression.end);
        const type = assertion.type.getStart(sourceFile);
        // `as` and `const` on separate lines: keep the span on one line, on `const`.
        const text = sourceFile.text;
        for (let i = as.end; i < type; i++) {
          const c = text.charCodeAt(i);
          if (c === 10 || c === 13) return context.report(assertion.type);
        }
        context.report({ start: as.start, end: assertion.type.end });
      },
      // <const>value
      [ts.SyntaxKind.TypeAssertionExpression](node) {
        const assertion = node as ts.TypeAssertion;
        if (isConstType(assertion.type)) context.report(assertion.type);
      },
      calls: {
        freeze(node) {
          const callee = objectStaticCallee(node as ts.CallExpression, FREEZE);
          if (callee) context.report(callee);
        },
      },
    };
  },
};
