import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { fileDeclares } from '../syntax/globals';
import { isGlobalMember } from './support-c';
import type { Listeners, PatternDefinition, Span } from './types';

/** `Reflect.xxx(...)` calls anywhere inside an inline handler object, by the span of `Reflect.xxx`. */
function reflectCalls(handler: ts.Node, sourceFile: ts.SourceFile): Span[] {
  const spans: Span[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isGlobalMember(node.expression, 'Reflect')) {
      spans.push({ start: node.expression.getStart(sourceFile), end: node.expression.end });
    }
    ts.forEachChild(node, visit);
  };
  visit(handler);
  return spans;
}

export const proxy: PatternDefinition = {
  id: 'proxy',
  kind: 'pattern',
  category: 'objects',
  seeds: ['004'],
  prose: {
    title: '`Proxy` and `Reflect`',
    summary:
      '`new Proxy(target, handler)` makes an object whose basic operations (property get and set, `in`, `delete`, key listing, calls) run through trap functions of `handler`, which usually forward to `target` with `Reflect`.',
    what:
      'Each trap (`get`, `set`, `has`, `deleteProperty`, `ownKeys`, `apply`, `construct`, ...) intercepts one internal operation; a missing trap falls through to the target. `Reflect.get(target, key, receiver)` and its siblings perform the default operation with the same arguments, so a trap can add behaviour and then forward. The engine enforces invariants: a `get` trap reporting another value for a non-writable, non-configurable property throws a `TypeError`. `Proxy.revocable()` also returns a `revoke()` that disables the proxy.',
    when:
      'Objects whose keys are not known in advance, or whose every access must be observed: change tracking and reactivity, validation on assignment, defaults for missing keys, lazy or remote objects, read-only views, spies and mocks in tests.',
    whenNot:
      'When the keys are known: getters and setters, an `accessor` field or a small wrapper class is faster, easier to debug and type-checks better. TypeScript types `new Proxy(target, handler)` as the type of `target`, so properties invented by a `get` trap are invisible to the checker.',
    pitfall:
      'Inside a method called through the proxy, `this` is the proxy, not the target: built-ins that rely on internal slots and classes with `#private` fields throw a `TypeError` (`new Proxy(new Map(), {}).get("k")`). Bind such methods to the target in the `get` trap.',
  },
  python: {
    name: '`__getattr__` / `__getattribute__`',
    example: 'class Settings:\n    def __getattr__(self, name): return os.environ.get(name.upper())',
    note:
      'A `get` trap sees every property read, like `__getattribute__`; for `__getattr__`\'s "only when missing" behaviour, test `Reflect.has(target, key)` first and forward with `Reflect.get`. The hooks live on a separate handler object wrapped around the target, not on the class itself.',
  },
  example: `/** Reads of missing string keys come from \`fallback\`; everything else is forwarded untouched. */
export function withDefaults<T extends object>(target: T, fallback: (key: string) => unknown): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string' && !Reflect.has(object, key)) return fallback(key);
      return Reflect.get(object, key, receiver);
    },
  });
}

/** Records which top-level properties were assigned, e.g. to save only what changed. */
export function trackChanges<T extends object>(target: T): { readonly value: T; readonly changed: Set<PropertyKey> } {
  const changed = new Set<PropertyKey>();
  const value = new Proxy(target, {
    set(object, key, newValue, receiver) {
      changed.add(key);
      return Reflect.set(object, key, newValue, receiver);
    },
  });
  return { value, changed };
}
`,
  links: [
    { title: 'MDN: Proxy', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Proxy' },
    { title: 'MDN: Reflect', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Reflect' },
    { title: 'MDN: Meta programming', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Meta_programming' },
  ],
  snippets: [
    {
      prefix: 'pl-proxy',
      description: 'Proxy that observes property reads and writes and forwards them with `Reflect`',
      javascript: true,
      body: [
        'const ${1:observed} = new Proxy(${2:process.env}, {',
        '\tget(target, key, receiver) {',
        '\t\t${3:console.log(\'get\', key);}',
        '\t\treturn Reflect.get(target, key, receiver);',
        '\t},',
        '\tset(target, key, value, receiver) {',
        '\t\t${4:console.log(\'set\', key, value);}',
        '\t\treturn Reflect.set(target, key, value, receiver);',
        '\t},',
        '});',
      ],
    },
  ],
  create(context) {
    const { sourceFile } = context;
    // `new Proxy(...)` / `Proxy.revocable(...)`: the span to report and the handler argument.
    let candidates: { readonly span: Span; readonly handler: ts.Expression | undefined }[] | undefined;
    return {
      [ts.SyntaxKind.NewExpression](node) {
        const expression = (node as ts.NewExpression).expression;
        if (!ts.isIdentifier(expression) || expression.text !== 'Proxy') return;
        const args = (node as ts.NewExpression).arguments;
        (candidates ??= []).push({ span: { start: node.getStart(sourceFile), end: expression.end }, handler: args?.[1] });
      },
      calls: {
        revocable(node) {
          const callee = (node as ts.CallExpression).expression;
          if (!isGlobalMember(callee, 'Proxy')) return;
          const args = (node as ts.CallExpression).arguments;
          (candidates ??= []).push({ span: { start: callee.getStart(sourceFile), end: callee.end }, handler: args[1] });
        },
      },
      onWalkEnd() {
        if (!candidates || fileDeclares(sourceFile, 'Proxy')) return;
        for (const { span, handler } of candidates) {
          const inline = handler && skipOuterExpressions(handler);
          const reflects = inline && ts.isObjectLiteralExpression(inline) && !fileDeclares(sourceFile, 'Reflect') ? reflectCalls(inline, sourceFile) : [];
          context.report(span, reflects);
        }
      },
    } satisfies Listeners;
  },
};
