import * as ts from 'typescript';
import { isAssignmentOperator, skipOuterExpressions } from '../../syntax/expressions';
import { findDeclaration, isValueReference, thisFieldDeclaration, type Declaration } from '../../syntax/scopes';
import { isWriteTarget, MUTATING_ARRAY_METHODS } from './mutations';

/**
 * Whether a value is an array, from syntax alone (`unknown` when the tree cannot tell, and the rules stay
 * silent), and how code uses an array variable: reads it, changes it, or lets it escape.
 */

// ── Is it an array? ────────────────────────────────────────────────────────────────────────────────

export type ArrayEvidence = 'array' | 'other' | 'unknown';

/** `T[]`, `readonly T[]`, tuples, `Array<T>`, `ReadonlyArray<T>`: an array. Any other written type: not one. */
export function typeEvidence(type: ts.TypeNode): ArrayEvidence {
  let node = type;
  while (ts.isParenthesizedTypeNode(node)) node = node.type;
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) node = node.type;
  if (ts.isArrayTypeNode(node) || ts.isTupleTypeNode(node)) return 'array';
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    return name === 'Array' || name === 'ReadonlyArray' ? 'array' : 'other';
  }
  return 'other';
}

/** Methods that return a new array whatever array they are called on (and that strings do not have). */
const ARRAY_RETURNING_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flat',
  'flatMap',
  'toSorted',
  'toReversed',
  'toSpliced',
  'split',
]);

const OBJECT_ARRAY_FUNCTIONS: ReadonlySet<string> = new Set(['keys', 'values', 'entries', 'getOwnPropertyNames']);

/**
 * What an initializer says about being an array: literals, `Array.from`/`Array.of`/`new Array`,
 * `Object.keys/values/entries`, and results of `.map`/`.filter`/`.split` and the like are arrays;
 * `new Foo()`, object, string and number literals are not; anything else is unknown.
 */
export function expressionEvidence(expression: ts.Expression): ArrayEvidence {
  const node = skipOuterExpressions(expression);
  switch (node.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
      return 'array';
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return 'other';
    case ts.SyntaxKind.NewExpression: {
      const callee = (node as ts.NewExpression).expression;
      return ts.isIdentifier(callee) && callee.text === 'Array' ? 'array' : 'other';
    }
    case ts.SyntaxKind.CallExpression: {
      const callee = (node as ts.CallExpression).expression;
      if (ts.isIdentifier(callee)) return callee.text === 'Array' ? 'array' : 'unknown';
      if (!ts.isPropertyAccessExpression(callee)) return 'unknown';
      const method = callee.name.text;
      if (ts.isIdentifier(callee.expression)) {
        const owner = callee.expression.text;
        if (owner === 'Array') return method === 'from' || method === 'of' ? 'array' : 'unknown';
        if (owner === 'Object') return OBJECT_ARRAY_FUNCTIONS.has(method) ? 'array' : 'unknown';
      }
      return ARRAY_RETURNING_METHODS.has(method) ? 'array' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** What a declaration says about holding an array: its variable's or parameter's type, else its initializer. */
export function declarationEvidence(declaration: Declaration | undefined): ArrayEvidence {
  const holder = declaration?.variable ?? declaration?.parameter;
  if (!holder) return 'unknown';
  if (holder.type) return typeEvidence(holder.type);
  if (holder.initializer) return expressionEvidence(holder.initializer);
  return 'unknown';
}

/** What is known about `expression` holding an array, where `ancestors` are its ancestors. */
export function arrayEvidenceOf(expression: ts.Expression, ancestors: readonly ts.Node[]): ArrayEvidence {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) return declarationEvidence(findDeclaration(node.text, ancestors));
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const field = thisFieldDeclaration(node.name.text, ancestors);
    if (!field) return 'unknown';
    if (field.type) return typeEvidence(field.type);
    return field.initializer ? expressionEvidence(field.initializer) : 'unknown';
  }
  return expressionEvidence(node);
}

// ── Uses of an array variable ──────────────────────────────────────────────────────────────────────

const READING_ARRAY_METHODS: ReadonlySet<string> = new Set([
  'at',
  'concat',
  'entries',
  'every',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flat',
  'flatMap',
  'forEach',
  'includes',
  'indexOf',
  'join',
  'keys',
  'lastIndexOf',
  'map',
  'reduce',
  'reduceRight',
  'slice',
  'some',
  'toLocaleString',
  'toReversed',
  'toSorted',
  'toSpliced',
  'toString',
  'values',
  'with',
]);

export type ArrayUse = 'read' | 'mutate' | 'escape';

/**
 * How a reference to an array variable uses it: `read` (a non-mutating method, `.length`, an element
 * read, `for...of`, a spread, `new Set(list)`), `mutate` (a mutating method or a write), or `escape`
 * (handed to code that could do anything with it).
 */
function arrayUse(id: ts.Identifier, parent: ts.Node, grandparent: ts.Node | undefined): ArrayUse {
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = parent as ts.PropertyAccessExpression;
      const name = access.name.text;
      if (grandparent && ts.isCallExpression(grandparent) && grandparent.expression === access) {
        if (MUTATING_ARRAY_METHODS.has(name)) return 'mutate';
        return READING_ARRAY_METHODS.has(name) ? 'read' : 'escape';
      }
      if (name === 'length') return isWriteTarget(access, grandparent) ? 'mutate' : 'read';
      return 'escape';
    }
    case ts.SyntaxKind.ElementAccessExpression:
      if ((parent as ts.ElementAccessExpression).expression !== id) return 'read';
      return isWriteTarget(parent, grandparent) ? 'mutate' : 'read';
    case ts.SyntaxKind.ForOfStatement:
      return (parent as ts.ForOfStatement).expression === id ? 'read' : 'mutate';
    case ts.SyntaxKind.SpreadElement:
      return 'read';
    case ts.SyntaxKind.NewExpression: {
      const callee = (parent as ts.NewExpression).expression;
      return ts.isIdentifier(callee) && (callee.text === 'Set' || callee.text === 'Map') && callee !== id ? 'read' : 'escape';
    }
    case ts.SyntaxKind.BinaryExpression: {
      const binary = parent as ts.BinaryExpression;
      if (binary.left === id && isAssignmentOperator(binary.operatorToken.kind)) return 'mutate';
      switch (binary.operatorToken.kind) {
        case ts.SyntaxKind.EqualsEqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsEqualsToken:
        case ts.SyntaxKind.EqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsToken:
        case ts.SyntaxKind.InstanceOfKeyword:
          return 'read';
        default:
          return 'escape';
      }
    }
    case ts.SyntaxKind.TypeOfExpression:
      return 'read';
    default:
      return 'escape';
  }
}

/**
 * The uses of the variable `name` inside `root` (nested functions included): the worst of `read`,
 * `escape`, `mutate`, or undefined when `root` does not mention it.
 */
export function worstUseIn(root: ts.Node, name: string): ArrayUse | undefined {
  let byName = worstUses.get(root);
  if (byName?.has(name)) return byName.get(name);
  const worst = computeWorstUse(root, name);
  if (!byName) worstUses.set(root, (byName = new Map()));
  byName.set(name, worst);
  return worst;
}

/** Trees are immutable: the answer for a node and a name never changes. */
const worstUses = new WeakMap<ts.Node, Map<string, ArrayUse | undefined>>();

function computeWorstUse(root: ts.Node, name: string): ArrayUse | undefined {
  let worst: ArrayUse | undefined;
  const stack: ts.Node[] = [];
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = stack[stack.length - 1];
      if (parent && isValueReference(node, parent)) {
        const use = arrayUse(node, parent, stack[stack.length - 2]);
        if (use === 'mutate') {
          worst = 'mutate';
          return true;
        }
        if (use === 'escape' || worst === undefined) worst = use;
      }
      return false;
    }
    stack.push(node);
    const stop = ts.forEachChild(node, visit) === true;
    stack.pop();
    return stop;
  };
  stack.push(root);
  ts.forEachChild(root, visit);
  return worst;
}

/** The worst use of each of `names` in the whole file (absent: not used), in one walk. */
export function worstUsesInFile(sourceFile: ts.SourceFile, names: ReadonlySet<string>): Map<string, ArrayUse> {
  const escaped = new Set([...names].map((name) => ts.escapeLeadingUnderscores(name) as string));
  const found = new Map<string, ArrayUse>();
  const stack: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.Identifier) {
      const id = node as ts.Identifier;
      if (!escaped.has(id.escapedText as string)) return;
      const parent = stack[stack.length - 1];
      if (parent && isValueReference(id, parent)) {
        const use = arrayUse(id, parent, stack[stack.length - 2]);
        const before = found.get(id.text);
        if (before !== 'mutate' && (before === undefined || use !== 'read')) found.set(id.text, use);
      }
      return;
    }
    stack.push(node);
    ts.forEachChild(node, visit);
    stack.pop();
  };
  visit(sourceFile);
  return found;
}
