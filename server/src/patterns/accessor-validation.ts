import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { hasModifier } from '../syntax/modifiers';
import { accessorHeadSpan, isClassLike, staticNameText, staticOwnerName, thisOrClassMember } from './support-e';
import type { PatternDefinition } from './types';

/** The getter declared beside `setter` under the same name and static-ness, if any. */
function matchingGetter(setter: ts.SetAccessorDeclaration, owner: ts.Node | undefined, sourceFile: ts.SourceFile): ts.GetAccessorDeclaration | undefined {
  let members: readonly ts.Node[];
  if (isClassLike(owner)) members = owner.members;
  else if (owner && ts.isObjectLiteralExpression(owner)) members = owner.properties;
  else return undefined;
  const isStatic = hasModifier(setter, ts.SyntaxKind.StaticKeyword);
  const name = nameKey(setter.name, sourceFile);
  if (name === undefined) return undefined;
  for (const member of members) {
    if (!ts.isGetAccessorDeclaration(member)) continue;
    if (hasModifier(member, ts.SyntaxKind.StaticKeyword) !== isStatic) continue;
    if (nameKey(member.name, sourceFile) === name) return member;
  }
  return undefined;
}

/** A comparable key for a member name; computed names compare by their source text. */
function nameKey(name: ts.PropertyName, sourceFile: ts.SourceFile): string | undefined {
  const text = staticNameText(name);
  if (text !== undefined) return (name.kind === ts.SyntaxKind.PrivateIdentifier ? '' : '.') + text;
  if (ts.isComputedPropertyName(name) && name.expression.pos < name.expression.end) return '[' + name.expression.getText(sourceFile);
  return undefined;
}

function isFunctionLike(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
      return true;
    default:
      return false;
  }
}

/** Whether the identifier `name` occurs in `node` (not looking into nested functions). */
function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  if (isFunctionLike(node)) return false;
  return ts.forEachChild(node, (child) => mentions(child, name) || undefined) === true;
}

/** What the setter body does, gathered in one pass that does not enter nested functions. */
interface SetterFacts {
  /** The first `throw` statement. */
  throwAt?: ts.ThrowStatement;
  /** The first `if (...param...) { ... return }` guard. */
  guardAt?: ts.IfStatement;
  /** The first store `this.<backing> = value` to a member other than the accessor itself. */
  store?: ts.BinaryExpression;
}

function gather(
  node: ts.Node,
  facts: SetterFacts,
  parameter: string | undefined,
  ownName: string | undefined,
  className: string | undefined,
): void {
  if (isFunctionLike(node)) return;
  if (ts.isThrowStatement(node)) {
    facts.throwAt ??= node;
  } else if (ts.isIfStatement(node)) {
    if (!facts.guardAt && parameter !== undefined && mentions(node.expression, parameter) && exitsEarly(node.thenStatement)) facts.guardAt = node;
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !facts.store) {
    const target = thisOrClassMember(node.left, className);
    if (target !== undefined && target !== ownName) facts.store = node;
  }
  ts.forEachChild(node, (child) => gather(child, facts, parameter, ownName, className));
}

/** `return;` / `throw ...` as the branch, or as the last statement of the branch block. */
function exitsEarly(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/**
 * Whether the setter validates before storing: it throws, or returns early on a check of the
 * parameter, before the store; or it stores a transformed parameter (`Math.min(v, 100)`,
 * `v.trim()`) instead of the parameter itself.
 */
function validates(setter: ts.SetAccessorDeclaration, owner: ts.Node | undefined): ts.Node | undefined {
  const body = setter.body;
  if (!body) return undefined;
  const declared = setter.parameters[0]?.name;
  const parameter = declared && ts.isIdentifier(declared) ? declared.text : undefined;
  const facts: SetterFacts = {};
  const ownName = staticNameText(setter.name);
  const className = staticOwnerName(setter, owner);
  for (const statement of body.statements) gather(statement, facts, parameter, ownName, className);
  const store = facts.store;
  if (!store) return undefined;
  if (facts.throwAt && facts.throwAt.pos < store.pos) return facts.throwAt;
  if (facts.guardAt && facts.guardAt.pos < store.pos) return facts.guardAt;
  if (parameter === undefined) return undefined;
  const value = skipOuterExpressions(store.right);
  if (ts.isIdentifier(value)) return undefined; // stores the parameter (or a local) as it is
  return mentions(value, parameter) ? value : undefined;
}

export const accessorValidation: PatternDefinition = {
  id: 'accessor-validation',
  kind: 'pattern',
  category: 'objects',
  seeds: ['002', '003', '004'],
  prose: {
    title: 'Validating accessor (`get`/`set` pair, decorated `accessor`)',
    summary:
      'A `set` accessor that checks or normalizes a value before storing it behind a matching `get`, or a decorated `accessor` field whose decorator can intercept every write.',
    what:
      'Assigning `obj.level = v` calls the setter with `v`: it can throw (a `RangeError`), clamp or normalize, then write a private backing field that the getter reads back. An `accessor` field (TypeScript 4.9, from the Stage 3 decorators proposal) declares such a pair over a hidden private slot in one line; its decorator receives the `{ get, set }` pair and may return replacements `{ get, set, init }` that check every write and the initial value.',
    when:
      'An invariant that must hold after every write (a range, a unit, a trimmed non-empty string) while callers keep plain property syntax. When the same rule applies to many fields (`@range(0, 100)`), a decorated `accessor` saves writing each pair by hand.',
    whenNot:
      'Plain data with no invariant: a public field is simpler. Validation that is asynchronous or must report several problems at once belongs in a method or a schema check at the boundary, since a setter can only accept or throw.',
    pitfall:
      'A constructor that writes the backing field (`this.#level = level`) skips the check: assign through the setter (`this.level = level`). And a subclass that redeclares the name as a field (`level = 0`) gets, under standard class-field semantics (the default from target ES2022), an own data property that hides the inherited accessor, so the setter never runs; TypeScript reports it as error TS2610.',
  },
  python: {
    name: '`@property` setters, descriptors and `__set_name__`',
    example: '@level.setter\ndef level(self, value): self._level = min(max(value, 0), 100)',
    note:
      'A `get`/`set` pair is the built-in `@property`. A reusable validator, which Python writes as a descriptor class that learns its attribute name in `__set_name__`, maps to a decorator on an `accessor` field, which reads the name from `context.name`.',
  },
  example: `function range(min: number, max: number) {
  return function <This>(
    target: ClassAccessorDecoratorTarget<This, number>,
    context: ClassAccessorDecoratorContext<This, number>,
  ): ClassAccessorDecoratorResult<This, number> {
    const check = (value: number): number => {
      if (!Number.isFinite(value) || value < min || value > max) {
        throw new RangeError(\`\${String(context.name)} must be between \${min} and \${max}, got \${value}\`);
      }
      return value;
    };
    return {
      init: check,
      set(value) {
        target.set.call(this, check(value));
      },
    };
  };
}

export class Thermostat {
  @range(5, 30) accessor target = 20;

  #unit: 'C' | 'F' = 'C';

  get unit(): 'C' | 'F' {
    return this.#unit;
  }

  set unit(value: string) {
    const normalized = value.trim().toUpperCase();
    if (normalized !== 'C' && normalized !== 'F') throw new TypeError(\`unknown unit: \${value}\`);
    this.#unit = normalized;
  }
}
`,
  links: [
    { title: 'MDN: setter', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Functions/set' },
    { title: 'TypeScript 4.9: Auto-accessors in classes', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-4-9.html#auto-accessors-in-classes' },
    { title: 'TC39 proposal: Decorators (class auto-accessors)', url: 'https://github.com/tc39/proposal-decorators' },
  ],
  snippets: [
    {
      prefix: 'pl-validated-accessor',
      description: 'Getter/setter pair that range-checks the value before storing it in a private field',
      javascript: false,
      body: [
        'class ${1:Gauge} {',
        '\t#${2:level} = ${3:0};',
        '',
        '\tget ${2:level}(): number {',
        '\t\treturn this.#${2:level};',
        '\t}',
        '',
        '\tset ${2:level}(value: number) {',
        '\t\tif (!Number.isFinite(value) || value < ${4:0} || value > ${5:100}) {',
        '\t\t\tthrow new RangeError(`${2:level} must be between ${4:0} and ${5:100}, got \\${value}`);',
        '\t\t}',
        '\t\tthis.#${2:level} = value;',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors, sourceFile } = context;
    return {
      [ts.SyntaxKind.SetAccessor](node) {
        const setter = node as ts.SetAccessorDeclaration;
        if (!setter.body) return;
        const owner = ancestors[ancestors.length - 1];
        const getter = matchingGetter(setter, owner, sourceFile);
        if (!getter) return;
        const evidence = validates(setter, owner);
        if (evidence) context.report(accessorHeadSpan(setter, sourceFile), [accessorHeadSpan(getter, sourceFile)]);
      },
      [ts.SyntaxKind.PropertyDeclaration](node) {
        const modifiers = (node as ts.PropertyDeclaration).modifiers;
        if (!modifiers) return;
        let accessor: ts.ModifierLike | undefined;
        let decorated = false;
        for (const modifier of modifiers) {
          if (modifier.kind === ts.SyntaxKind.AccessorKeyword) accessor = modifier;
          else if (modifier.kind === ts.SyntaxKind.Decorator) decorated = true;
        }
        if (accessor && decorated) context.report(accessor);
      },
    };
  },
};
