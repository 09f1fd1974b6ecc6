import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import { accessorHeadSpan, isThis, memberOf, staticNameText, staticOwnerName, thisOrClassMember } from './support-e';
import type { PatternDefinition } from './types';

/** `??=` and `||=`: assign only when the target is missing. */
function isCachingAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && isCachingOperator(node.operatorToken.kind);
}

function isCachingOperator(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken;
}

function isPlainAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function isNullish(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  if (bare.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(bare)) return bare.text === 'undefined';
  return ts.isVoidExpression(bare);
}

function isUndefinedString(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  return (ts.isStringLiteral(bare) || ts.isNoSubstitutionTemplateLiteral(bare)) && bare.text === 'undefined';
}

/** The cache slot `S` an expression denotes (see `thisOrClassMember`), or undefined. */
const slotOf = thisOrClassMember;

/**
 * What a condition says about a cache slot: `missing` for `!S`, `S === undefined`, `S == null`,
 * `typeof S === 'undefined'`; present (`missing: false`) for `S`, `S !== undefined`, `S != null`.
 */
function testedSlot(condition: ts.Expression, className: string | undefined): { slot: string; missing: boolean } | undefined {
  const bare = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.ExclamationToken) {
    const slot = slotOf(bare.operand, className);
    return slot === undefined ? undefined : { slot, missing: true };
  }
  if (ts.isBinaryExpression(bare)) {
    const operator = bare.operatorToken.kind;
    const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
    const notEqual = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !notEqual) return undefined;
    return comparedSlot(bare.left, bare.right, equal, className) ?? comparedSlot(bare.right, bare.left, equal, className);
  }
  const slot = slotOf(bare, className);
  return slot === undefined ? undefined : { slot, missing: false };
}

/** `S == null`-like or `typeof S == 'undefined'`-like comparison with S on `side`. */
function comparedSlot(
  side: ts.Expression,
  other: ts.Expression,
  missing: boolean,
  className: string | undefined,
): { slot: string; missing: boolean } | undefined {
  if (isNullish(other)) {
    const slot = slotOf(side, className);
    if (slot !== undefined) return { slot, missing };
  }
  const typeOf = skipOuterExpressions(side);
  if (ts.isTypeOfExpression(typeOf) && isUndefinedString(other)) {
    const slot = slotOf(typeOf.expression, className);
    if (slot !== undefined) return { slot, missing };
  }
  return undefined;
}

/** The statements of an `if` branch: the block's statements, or the single statement. */
function branchStatements(statement: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(statement) ? statement.statements : [statement];
}

/** `S = value` as an expression statement among `statements` (from index `from`), or undefined. */
function findAssignment(
  statements: readonly ts.Statement[],
  from: number,
  slot: string,
  className: string | undefined,
): ts.BinaryExpression | undefined {
  for (let i = from; i < statements.length; i++) {
    const statement = statements[i]!;
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = skipOuterExpressions(statement.expression);
    if (isPlainAssignment(expression) && slotOf(expression.left, className) === slot) return expression;
  }
  return undefined;
}

/** `return S = value` (or `return (S = value)`) among `statements` from index `from`, or undefined. */
function findReturnedAssignment(
  statements: readonly ts.Statement[],
  from: number,
  slot: string,
  className: string | undefined,
): ts.BinaryExpression | undefined {
  for (let i = from; i < statements.length; i++) {
    const statement = statements[i]!;
    if (!ts.isReturnStatement(statement) || !statement.expression) continue;
    const returned = skipOuterExpressions(statement.expression);
    if (isPlainAssignment(returned) && slotOf(returned.left, className) === slot) return returned;
  }
  return undefined;
}

/** Whether some statement from index `from` is `return S` (or `return S!`, `return (S)`). */
function returnsSlot(statements: readonly ts.Statement[], from: number, slot: string, className: string | undefined): boolean {
  for (let i = from; i < statements.length; i++) {
    const statement = statements[i]!;
    if (ts.isReturnStatement(statement) && statement.expression && slotOf(statement.expression, className) === slot) return true;
  }
  return false;
}

/**
 * The syntax that caches the value in a getter body, or undefined when the getter does not cache.
 * Recognized shapes (S as in `slotOf`):
 *   return S ??= compute();            return S ?? (S = compute());
 *   S ??= compute(); return S;
 *   if (S === undefined) S = compute(); return S;
 *   if (S !== undefined) return S; S = compute(); return S;
 *   Object.defineProperty(this, 'name', { value });   (redefines itself as a data property)
 *   delete this.name; return (this.name = compute());  (object literals only)
 */
function findCaching(getter: ts.GetAccessorDeclaration, owner: ts.Node | undefined): ts.Node | undefined {
  const statements = getter.body?.statements;
  if (!statements || statements.length === 0) return undefined;
  const className = staticOwnerName(getter, owner);

  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;

    if (ts.isReturnStatement(statement)) {
      if (!statement.expression) continue;
      const returned = skipOuterExpressions(statement.expression);
      if (!ts.isBinaryExpression(returned)) continue;
      const operator = returned.operatorToken.kind;
      // return S ??= compute()
      if (isCachingOperator(operator)) {
        if (slotOf(returned.left, className) !== undefined) return returned;
        continue;
      }
      // return S ?? (S = compute())
      if (operator !== ts.SyntaxKind.QuestionQuestionToken && operator !== ts.SyntaxKind.BarBarToken) continue;
      const slot = slotOf(returned.left, className);
      const assignment = skipOuterExpressions(returned.right);
      if (slot !== undefined && isPlainAssignment(assignment) && slotOf(assignment.left, className) === slot) return assignment;
      continue;
    }

    if (ts.isExpressionStatement(statement)) {
      const expression = skipOuterExpressions(statement.expression);
      // S ??= compute(); ... return S
      if (isCachingAssignment(expression)) {
        const slot = slotOf(expression.left, className);
        if (slot !== undefined && returnsSlot(statements, i + 1, slot, className)) return expression;
        continue;
      }
      const ownName = staticNameText(getter.name);
      if (ownName === undefined) continue;
      // Object.defineProperty(this, 'name', { value, ... })
      if (ts.isCallExpression(expression)) {
        if (redefinesItself(expression, ownName)) return expression;
        continue;
      }
      // delete this.name; return (this.name = compute())   -- only meaningful on object literals
      if (
        ts.isDeleteExpression(expression) &&
        owner?.kind === ts.SyntaxKind.ObjectLiteralExpression &&
        memberOf(expression.expression, isThis) === ownName &&
        findReturnedAssignment(statements, i + 1, ownName, undefined)
      ) {
        return expression;
      }
      continue;
    }

    if (ts.isIfStatement(statement)) {
      const test = testedSlot(statement.expression, className);
      if (!test) continue;
      const { slot } = test;
      const then = branchStatements(statement.thenStatement);
      if (test.missing) {
        // if (S === undefined) S = compute(); return S
        const assignment = findAssignment(then, 0, slot, className);
        if (assignment && returnsSlot(statements, i + 1, slot, className)) return assignment;
        continue;
      }
      // if (S !== undefined) return S; S = compute(); return S
      if (then.length !== 1 || !returnsSlot(then, 0, slot, className)) continue;
      const assignment = findAssignment(statements, i + 1, slot, className);
      if (assignment && returnsSlot(statements, i + 1, slot, className)) return assignment;
      const returned = findReturnedAssignment(statements, i + 1, slot, className);
      if (returned) return returned;
    }
  }
  return undefined;
}

/** `Object.defineProperty(this, 'name', { value ... })` or the `Reflect` equivalent. */
function redefinesItself(call: ts.CallExpression, name: string): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'defineProperty') return false;
  const receiver = callee.expression;
  if (!ts.isIdentifier(receiver) || (receiver.text !== 'Object' && receiver.text !== 'Reflect')) return false;
  const [target, key, descriptor] = call.arguments;
  if (!target || !key || !descriptor || !isThis(target)) return false;
  const bareKey = skipOuterExpressions(key);
  if (!(ts.isStringLiteral(bareKey) || ts.isNoSubstitutionTemplateLiteral(bareKey)) || bareKey.text !== name) return false;
  const bareDescriptor = skipOuterExpressions(descriptor);
  if (!ts.isObjectLiteralExpression(bareDescriptor)) return false;
  for (const property of bareDescriptor.properties) {
    if ((ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && staticNameText(property.name) === 'value') {
      return true;
    }
  }
  return false;
}

export const lazyGetter: PatternDefinition = {
  id: 'lazy-getter',
  kind: 'pattern',
  category: 'objects',
  seeds: ['001'],
  prose: {
    title: 'Lazy (computed-once) getter',
    summary:
      'A `get` accessor that computes its value on first access and caches it, e.g. `return (this.#value ??= compute())`, so later reads skip the work.',
    what:
      'The first read runs the computation and keeps the result: in a backing field (`this.#x ??= ...` assigns only while the field is `null`/`undefined`), or by redefining the property on the object with `Object.defineProperty(this, name, { value })`, whose own data property then shadows the getter inherited from the prototype. Every later read returns the stored value without running the computation again.',
    when:
      'A property that is costly to build (a parsed file, a compiled regex, a lookup table derived from other fields), may never be read at all, and does not change once built for the lifetime of the object.',
    whenNot:
      'When the value depends on state that can still change: the cache goes stale unless you clear it explicitly. When it is cheap, a plain getter or a field set in the constructor is simpler. To cache a method per argument, use a `Map` keyed by the argument instead.',
    pitfall:
      '`??=` treats a cached `undefined` or `null` as missing, so a computation that legitimately returns `undefined` runs again on every read (with `||=`, so do `0`, `""` and `false`). Keep a separate `#computed` flag, or a sentinel, when that can happen.',
  },
  python: {
    name: '`functools.cached_property`',
    example: '@functools.cached_property\ndef settings(self): return parse_settings(self.path)',
    note:
      '`cached_property` writes the result into the instance `__dict__`, where it shadows the descriptor; `Object.defineProperty(this, ...)` works the same way with an own property over the prototype getter. The `??=` form keeps the getter and caches in a field, and is reset by clearing that field rather than with `del obj.attr`.',
  },
  example: `import { readFileSync } from 'node:fs';

export class Manifest {
  #entries: ReadonlyMap<string, string> | undefined;

  constructor(private readonly path: string) {}

  /** Read and parsed on first access only. */
  get entries(): ReadonlyMap<string, string> {
    return (this.#entries ??= this.#parse());
  }

  #parse(): ReadonlyMap<string, string> {
    const pairs = readFileSync(this.path, 'utf8')
      .split('\\n')
      .filter((line) => line.includes('='))
      .map((line): [string, string] => {
        const [key = '', ...rest] = line.split('=');
        return [key.trim(), rest.join('=').trim()];
      });
    return new Map(pairs);
  }
}
`,
  links: [
    {
      title: 'MDN: getter — smart / self-overwriting / lazy getters',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Functions/get#smart_self-overwriting_lazy_getters',
    },
    {
      title: 'MDN: Nullish coalescing assignment (??=)',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Nullish_coalescing_assignment',
    },
  ],
  snippets: [
    {
      prefix: 'pl-lazy-getter',
      description: 'Getter that computes its value on first access and caches it in a private field',
      javascript: false,
      body: [
        'class ${1:Report} {',
        '\t#${2:summary}: ${3:string} | undefined;',
        '',
        '\tget ${2:summary}(): ${3:string} {',
        '\t\treturn (this.#${2:summary} ??= this.${4:build}());',
        '\t}',
        '',
        '\tprivate ${4:build}(): ${3:string} {',
        '\t\t${5:return \'\';}',
        '\t}',
        '}',
      ],
    },
  ],
  create(context) {
    const { ancestors, sourceFile } = context;
    return {
      [ts.SyntaxKind.GetAccessor](node) {
        const getter = node as ts.GetAccessorDeclaration;
        const owner = ancestors[ancestors.length - 1];
        const evidence = findCaching(getter, owner);
        if (evidence) context.report(accessorHeadSpan(getter, sourceFile), [evidence]);
      },
    };
  },
};
