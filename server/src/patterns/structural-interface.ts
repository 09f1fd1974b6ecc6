import * as ts from 'typescript';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import type { PatternDefinition } from './types';

/**
 * The rule for a behavioural contract, kept conservative so that data shapes never get the hover:
 * at least one method signature (`close(): void`), and every other member a method signature or a
 * `readonly` property. Any writable property, index signature, call or construct signature (that
 * is a callable object), getter or setter disqualifies the type.
 */
function isBehaviouralContract(members: ts.NodeArray<ts.TypeElement>): boolean {
  let methods = 0;
  for (const member of members) {
    if (member.kind === ts.SyntaxKind.MethodSignature) methods++;
    else if (member.kind !== ts.SyntaxKind.PropertySignature || !hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)) return false;
  }
  return methods > 0;
}

/**
 * Inside `declare global { }` or `declare module 'x' { }` an interface usually augments an existing
 * one (`interface Array<T> { last(): T }`): declaration merging, not a contract of its own.
 */
function isAugmentation(ancestors: readonly ts.Node[]): boolean {
  for (const ancestor of ancestors) {
    if (
      ancestor.kind === ts.SyntaxKind.ModuleDeclaration &&
      ((ancestor as ts.ModuleDeclaration).name.kind === ts.SyntaxKind.StringLiteral || (ancestor.flags & ts.NodeFlags.GlobalAugmentation) !== 0)
    ) {
      return true;
    }
  }
  return false;
}

export const structuralInterface: PatternDefinition = {
  id: 'structural-interface',
  kind: 'pattern',
  category: 'types',
  seeds: ['000', '003'],
  prose: {
    title: 'Structural contract (interface, `satisfies`)',
    summary:
      'An interface of methods that any object with matching members fulfils, no `implements` needed; or `value satisfies Type`, which checks a value against a type without changing its inferred type.',
    what:
      'TypeScript compares object types by their members, not by their declarations: any value with a matching `close(): Promise<void>` is a `Closeable`, and a class\'s `implements Closeable` only asks the checker to verify the class early. `satisfies` (TypeScript 4.9) runs the same check on an expression, reporting missing or misspelled keys, yet the expression keeps its own narrower type, where an annotation (`const x: T = ...`) would widen it to `T`. Both vanish from the emitted JavaScript.',
    when:
      'Accept the smallest contract a function needs (`{ close(): Promise<void> }`) so that tests can pass object literals and third-party classes fit without adapters. Put `satisfies` on configuration objects, route tables and lookup maps: typos against `Record<Keys, T>` are caught while literal keys and value types stay available for autocompletion.',
    whenNot:
      'When two types have the same shape but must never be mixed (user ids and order ids, both `string`; metres and seconds): structural typing lets one pass for the other, so add a brand such as `string & { readonly [brand]: "UserId" }`. Prefer an annotation to `satisfies` when a variable must later accept any value of the wider type.',
    pitfall:
      'Excess-property checks only apply to an object literal written directly where the type is expected: `const opts = { timeout: 5, retires: 3 }; connect(opts)` compiles, and the misspelled key is silently ignored. Interfaces are erased too, so there is no `instanceof Closeable`: untrusted data needs a type guard or a schema.',
  },
  python: {
    name: '`typing.Protocol`',
    example: 'class Closeable(Protocol):\n    def close(self) -> None: ...',
    note:
      'In TypeScript every interface is structural, so each one already behaves like a `Protocol` without inheriting from anything. There is no `@runtime_checkable` counterpart: interfaces do not exist at run time, so an `isinstance`-style test has to be written as a type guard.',
  },
  example: `/** Anything that can be closed: no class has to say \`implements Closeable\`. */
export interface Closeable {
  close(): Promise<void>;
}

export async function closeAll(resources: readonly Closeable[]): Promise<void> {
  for (const resource of [...resources].reverse()) await resource.close();
}

class TempDir {
  constructor(readonly path: string) {}

  async close(): Promise<void> {
    console.log(\`removing \${this.path}\`);
  }
}

type LogLevel = 'debug' | 'info' | 'warn';

// Checked against the type, but \`config.logLevel\` keeps its literal type 'info'.
export const config = {
  port: 8080,
  logLevel: 'info',
} satisfies { port: number; logLevel: LogLevel };

void closeAll([new TempDir('/tmp/build'), { close: async () => console.log('socket closed') }]);
`,
  links: [
    { title: 'TypeScript 4.9: the satisfies operator', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-9.html#the-satisfies-operator' },
    { title: 'Handbook: Type Compatibility', url: 'https://www.typescriptlang.org/docs/handbook/type-compatibility.html' },
    { title: 'Handbook: Object Types', url: 'https://www.typescriptlang.org/docs/handbook/2/objects.html' },
  ],
  snippets: [
    {
      prefix: 'pl-branded-type',
      description: 'Branded (nominal) type on top of a structural one, with a checking constructor function',
      javascript: false,
      body: [
        'declare const ${1:userId}Brand: unique symbol;',
        '',
        '/** A ${3:string} that has been checked to be a ${2:UserId}; plain ${3:string}s are not assignable to it. */',
        'export type ${2:UserId} = ${3:string} & { readonly [${1:userId}Brand]: true };',
        '',
        'export function to${2:UserId}(value: ${3:string}): ${2:UserId} {',
        '\t${4:if (!value) throw new TypeError(\'empty id\');}',
        '\treturn value as ${2:UserId};',
        '}',
      ],
    },
    {
      prefix: 'pl-satisfies-config',
      description: 'Configuration object checked with `satisfies`, keeping its literal keys and value types',
      javascript: false,
      body: [
        'interface ${1:Route} {',
        '\tpath: string;',
        '\tmethod: \'GET\' | \'POST\';',
        '}',
        '',
        'export const ${2:routes} = {',
        '\t${3:home}: { path: \'/\', method: \'GET\' },',
        '\t${4:login}: { path: \'/login\', method: \'POST\' },',
        '} satisfies Record<string, ${1:Route}>;',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.InterfaceDeclaration](node) {
        const declaration = node as ts.InterfaceDeclaration;
        if (isBehaviouralContract(declaration.members) && !isAugmentation(context.ancestors)) context.report(declaration.name);
      },
      [ts.SyntaxKind.TypeAliasDeclaration](node) {
        const declaration = node as ts.TypeAliasDeclaration;
        const type = declaration.type;
        if (type.kind === ts.SyntaxKind.TypeLiteral && isBehaviouralContract((type as ts.TypeLiteralNode).members)) {
          context.report(declaration.name);
        }
      },
      [ts.SyntaxKind.SatisfiesExpression](node) {
        const expression = node as ts.SatisfiesExpression;
        // `x satisfies never` is an exhaustiveness check (see discriminated-union-switch), not a contract.
        if (expression.type.kind === ts.SyntaxKind.NeverKeyword) return;
        const keyword = tokenAt(context.sourceFile, expression.expression.end);
        if (keyword.kind !== ts.SyntaxKind.SatisfiesKeyword) return;
        context.report({ start: keyword.start, end: expression.type.end });
      },
    };
  },
};
