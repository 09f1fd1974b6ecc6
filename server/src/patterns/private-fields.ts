import * as ts from 'typescript';
import { callsNamed } from '../syntax/expressions';
import { isClassLike, objectStaticCallee } from './support-e';
import type { PatternDefinition } from './types';

const SEALING = new Set(['seal', 'preventExtensions']);

export const privateFields: PatternDefinition = {
  id: 'private-fields',
  kind: 'pattern',
  category: 'objects',
  seeds: ['000', '002', '004'],
  prose: {
    title: '`#private` members and sealed objects',
    summary:
      '`#name` fields and methods are private at run time, not only to the type checker; `Object.seal` / `Object.preventExtensions` stop new properties from being added to an object.',
    what:
      'A `#name` can only be written inside the body of the class that declares it: outside code cannot reach it through `obj["#name"]`, `Object.keys` or `JSON.stringify`, and reading it on an object that lacks it throws a `TypeError`, so `#name in obj` (ES2022) tests for it safely. TypeScript\'s `private` is only a compile-time check that emits an ordinary property. `Object.preventExtensions(obj)` forbids adding properties; `Object.seal(obj)` also forbids deleting them, while existing values stay writable.',
    when:
      'State that must stay encapsulated at run time: library internals, fields guarded by setters, secrets that must not leak into logs or serialized output. `Object.seal` suits an object with a fixed set of keys, so that a misspelled assignment fails (a `TypeError` in strict mode) instead of quietly adding a property.',
    whenNot:
      'When subclasses, tests or tools (serializers, mocks, ORMs) need the member: `#name` is invisible even to subclasses, so use `protected` or a documented property. Do not `Object.seal(this)` in the constructor of a class that may be extended: a subclass\'s public fields are defined after `super()` returns and then throw.',
    pitfall:
      'A `Proxy` around an instance breaks its `#private` members: methods called through the proxy receive the proxy as `this`, which has no `#field`, and throw a `TypeError`. Also, `#x` belongs to one class: a subclass cannot read its parent\'s `#x`, and two classes that each declare `#x` have unrelated fields.',
  },
  python: {
    name: '`__slots__` (and `__name` mangling)',
    example: "class Point:\n    __slots__ = ('x', 'y')",
    note:
      '`__slots__` fixes the set of attributes (assigning another raises `AttributeError`) and saves memory. In JavaScript declared fields already give every instance the same properties, `Object.seal` makes adding others fail, and `#private` gives the real privacy that Python\'s `__name` mangling only imitates.',
  },
  example: `export class Session {
  #token: string;
  #expiresAt: number;

  constructor(token: string, ttlMs: number) {
    this.#token = token;
    this.#expiresAt = Date.now() + ttlMs;
  }

  get expired(): boolean {
    return Date.now() >= this.#expiresAt;
  }

  authorize(headers: Record<string, string>): void {
    if (this.expired) throw new Error('session expired');
    headers['authorization'] = \`Bearer \${this.#token}\`;
  }

  static isSession(value: object): value is Session {
    return #token in value;
  }
}

export const limits = Object.seal({ retries: 3, timeoutMs: 5_000 });
`,
  links: [
    {
      title: 'MDN: Private properties',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Classes/Private_properties',
    },
    { title: 'TypeScript handbook: Classes (member visibility)', url: 'https://www.typescriptlang.org/docs/handbook/2/classes.html#member-visibility' },
    { title: 'MDN: Object.seal()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Object/seal' },
  ],
  create(context) {
    const { ancestors } = context;
    const declaration = (node: ts.Node) => {
      const name = (node as ts.ClassElement).name;
      if (name && name.kind === ts.SyntaxKind.PrivateIdentifier && isClassLike(ancestors[ancestors.length - 1])) context.report(name);
    };
    return {
      [ts.SyntaxKind.PropertyDeclaration]: declaration,
      [ts.SyntaxKind.MethodDeclaration]: declaration,
      [ts.SyntaxKind.GetAccessor]: declaration,
      [ts.SyntaxKind.SetAccessor]: declaration,
      // #field in value
      [ts.SyntaxKind.BinaryExpression](node) {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind === ts.SyntaxKind.InKeyword && binary.left.kind === ts.SyntaxKind.PrivateIdentifier) {
          context.report(binary.left);
        }
      },
      calls: callsNamed(SEALING, (node) => {
        const callee = objectStaticCallee(node as ts.CallExpression, SEALING);
        if (callee) context.report(callee);
      }),
    };
  },
};
