import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, TextEdit } from '../patterns/types';
import { isNumberLiteral, referenceKey, skipOuterExpressions } from '../syntax/expressions';
import { isFunctionBoundary } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { identifierUsed } from '../syntax/names';
import { type Declaration, findDeclaration, thisFieldDeclaration } from '../syntax/scopes';
import { isLoopStatement, isRepeatedPart, isStatementListParent, type LoopStatement, statementsOf } from '../syntax/statements';
import { declarationEvidence, typeEvidence, worstUseIn, worstUsesInFile } from './support/arrays';
import { quote } from './support/messages';

/** Arrays written out with at most this many elements are small enough to scan. */
const SMALL_ARRAY = 8;

/** Array methods whose callback runs once per element: a loop over that collection. */
const ITERATION_METHODS: ReadonlySet<string> = new Set([
  'every',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'forEach',
  'map',
  'reduce',
  'reduceRight',
  'some',
]);

type LookupKind = 'includes' | 'indexOf';

/** `list.includes(x)`, or `list.indexOf(x)` compared with `-1` or `0` to test membership. */
interface Lookup {
  readonly kind: LookupKind;
  /** The reported node: the `includes` call or the whole `indexOf` comparison. */
  readonly node: ts.CallExpression | ts.BinaryExpression;
  readonly callee: ts.PropertyAccessExpression;
  readonly list: ts.Identifier;
  readonly argument: ts.Expression;
  /** An `indexOf` comparison that means "not in the list" (`=== -1`, `< 0`). */
  readonly absent: boolean;
}

function lookupCall(expression: ts.Expression, method: LookupKind) {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (!ts.isCallExpression(node) || node.arguments.length !== 1 || node.questionDotToken) return undefined;
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || callee.name.text !== method) return undefined;
  const list = callee.expression;
  const argument = node.arguments[0]!;
  if (!ts.isIdentifier(list) || ts.isSpreadElement(argument)) return undefined;
  return { call: node, callee, list, argument };
}

function includesLookup(node: ts.Node): Lookup | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const found = lookupCall(node, 'includes');
  return found && { kind: 'includes', node, callee: found.callee, list: found.list, argument: found.argument, absent: false };
}

const MIRRORED: ReadonlyMap<ts.SyntaxKind, ts.SyntaxKind> = new Map([
  [ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanToken],
  [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken],
  [ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanEqualsToken],
  [ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken],
]);

/** `list.indexOf(x) !== -1` and the other spellings of "found" / "not found". */
function indexOfLookup(node: ts.Node): Lookup | undefined {
  if (!ts.isBinaryExpression(node)) return undefined;
  let operator: ts.SyntaxKind = node.operatorToken.kind;
  let found = lookupCall(node.left, 'indexOf');
  let other = node.right;
  if (!found) {
    found = lookupCall(node.right, 'indexOf');
    other = node.left;
    operator = MIRRORED.get(operator) ?? operator;
  }
  if (!found) return undefined;
  let absent: boolean;
  switch (operator) {
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      if (!isNumberLiteral(other, -1)) return undefined;
      absent = false;
      break;
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      if (!isNumberLiteral(other, -1)) return undefined;
      absent = true;
      break;
    case ts.SyntaxKind.GreaterThanToken:
      if (!isNumberLiteral(other, -1)) return undefined;
      absent = false;
      break;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      if (!isNumberLiteral(other, 0)) return undefined;
      absent = false;
      break;
    case ts.SyntaxKind.LessThanToken:
      if (!isNumberLiteral(other, 0)) return undefined;
      absent = true;
      break;
    case ts.SyntaxKind.LessThanEqualsToken:
      if (!isNumberLiteral(other, -1)) return undefined;
      absent = true;
      break;
    default:
      return undefined;
  }
  return { kind: 'indexOf', node, callee: found.callee, list: found.list, argument: found.argument, absent };
}

function lookupOf(node: ts.Node): Lookup | undefined {
  return node.kind === ts.SyntaxKind.CallExpression ? includesLookup(node) : indexOfLookup(node);
}

/** Methods whose result has at most as many elements as their receiver. */
const SHRINKING_METHODS: ReadonlySet<string> = new Set(['filter', 'map', 'slice', 'toSorted', 'toReversed', 'reverse', 'sort']);

/**
 * An array written out in full with few elements (`['a', 'b']`), possibly frozen, `as const`, or
 * filtered / mapped (`[start, end].filter(Boolean)` has at most two).
 */
function isSmallArrayLiteral(expression: ts.Expression): boolean {
  let node = skipOuterExpressions(expression);
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const callee = node.expression;
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'freeze' && node.arguments.length === 1) {
      node = skipOuterExpressions(node.arguments[0]!);
    } else if (SHRINKING_METHODS.has(callee.name.text)) {
      node = skipOuterExpressions(callee.expression);
    } else {
      break;
    }
  }
  return (
    ts.isArrayLiteralExpression(node) &&
    node.elements.length > 0 &&
    node.elements.length <= SMALL_ARRAY &&
    !node.elements.some((e) => ts.isSpreadElement(e))
  );
}

/** Whether `expression` is a small literal array, or a `const` holding one (`const KEYS = ['a', 'b']`). */
function isSmallList(expression: ts.Expression, ancestors: readonly ts.Node[], from: number): boolean {
  if (isSmallArrayLiteral(expression)) return true;
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return false;
  const binding = findDeclaration(node.text, ancestors, from);
  const initializer = binding?.isConst ? binding.variable?.initializer : undefined;
  return initializer !== undefined && isSmallArrayLiteral(initializer);
}

/** A loop known to run only a few times: over a small literal array, or `for (...; i < 3; ...)`. */
function isShortLoop(loop: LoopStatement, ancestors: readonly ts.Node[], index: number): boolean {
  if (ts.isForOfStatement(loop)) return isSmallList(loop.expression, ancestors, index - 1);
  if (ts.isForStatement(loop) && loop.condition && ts.isBinaryExpression(loop.condition)) {
    const bound = skipOuterExpressions(loop.condition.right);
    const kind = loop.condition.operatorToken.kind;
    return (
      (kind === ts.SyntaxKind.LessThanToken || kind === ts.SyntaxKind.LessThanEqualsToken) &&
      ts.isNumericLiteral(bound) &&
      Number(bound.text) <= SMALL_ARRAY
    );
  }
  return false;
}

/** A loop around the lookup: a loop statement, or the callback of `other.filter(...)` and the like. */
interface Loop {
  /** The loop statement, or the callback function. */
  readonly node: ts.Node;
  /** Its index in the ancestors. */
  readonly index: number;
}

/**
 * The nearest loop around `child` whose body repeats it, searching `ancestors` from `from` outwards
 * without leaving the function (a callback of an iteration method counts as a loop). Undefined when
 * there is none, or when the loop is short or runs over `name` itself.
 */
function enclosingLoop(ancestors: readonly ts.Node[], from: number, child: ts.Node, name: string): Loop | undefined {
  for (let i = from; i >= 0; i--) {
    const node = ancestors[i]!;
    if (isLoopStatement(node)) {
      // `while`, `do` and `for (; cond;)` loops run until something happens (a token, a condition), not over a collection.
      if (ts.isWhileStatement(node) || ts.isDoStatement(node) || (ts.isForStatement(node) && !node.incrementor)) return undefined;
      if (isRepeatedPart(node, child)) {
        if (isShortLoop(node, ancestors, i)) return undefined;
        if (ts.isForOfStatement(node) && referenceKey(node.expression) === name) return undefined;
        return { node, index: i };
      }
    } else if (isFunctionBoundary(node)) {
      const call = ancestors[i - 1];
      if (
        (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
        call &&
        ts.isCallExpression(call) &&
        call.arguments[0] === node &&
        ts.isPropertyAccessExpression(call.expression) &&
        ITERATION_METHODS.has(call.expression.name.text)
      ) {
        const receiver = call.expression.expression;
        if (isSmallList(receiver, ancestors, i - 2) || referenceKey(receiver) === name) return undefined;
        return { node, index: i };
      }
      return undefined;
    }
    child = node;
  }
  return undefined;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

interface Analysis {
  readonly binding: Declaration;
  readonly declaration: ts.VariableDeclaration | ts.ParameterDeclaration;
  /** The statement `const listSet = new Set(list);` goes before, if the fix can be offered at all. */
  readonly anchor?: ts.Statement;
  readonly anchorParent?: ts.Node;
}

/** Where a hoisted Set can be declared: just before the outermost loop (or the statement holding the callback). */
function anchorOf(loop: Loop, ancestors: readonly ts.Node[]): { anchor: ts.Statement; parent: ts.Node } | undefined {
  let index = loop.index;
  if (!isLoopStatement(loop.node)) {
    index--;
    while (index > 0 && !(isStatementListParent(ancestors[index - 1]) && statementsOf(ancestors[index - 1]!).includes(ancestors[index] as ts.Statement))) {
      if (isFunctionBoundary(ancestors[index]!)) return undefined;
      index--;
    }
  }
  while (index > 0 && ts.isLabeledStatement(ancestors[index - 1]!)) index--;
  const parent = ancestors[index - 1];
  if (index <= 0 || !isStatementListParent(parent)) return undefined;
  return { anchor: ancestors[index] as ts.Statement, parent: parent! };
}

/**
 * Whether the lookup is in a loop and scans an array that the loop does not change; with the place
 * for a hoisted Set when the list can be hoisted at all.
 */
function analyze(lookup: Lookup, ancestors: readonly ts.Node[]): Analysis | undefined {
  const name = lookup.list.text;
  let loop = enclosingLoop(ancestors, ancestors.length - 1, lookup.node, name);
  if (!loop) return undefined;
  const binding = findDeclaration(name, ancestors);
  const declaration = binding?.variable ?? binding?.parameter;
  if (!binding || !declaration || declarationEvidence(binding) !== 'array') return undefined;
  if (declaration.initializer && isSmallArrayLiteral(declaration.initializer)) return undefined;
  if (contains(loop.node, declaration) || worstUseIn(loop.node, name) !== 'read') return undefined;
  // Hoist above every loop around it that leaves the list alone.
  for (;;) {
    const outer = enclosingLoop(ancestors, loop.index - 1, loop.node, name);
    if (!outer || contains(outer.node, declaration) || worstUseIn(outer.node, name) !== 'read') break;
    loop = outer;
  }
  const place = anchorOf(loop, ancestors);
  return place ? { binding, declaration, anchor: place.anchor, anchorParent: place.parent } : { binding, declaration };
}

/**
 * Whether `new Set(list)` before the anchor always holds exactly what `list` holds at each lookup:
 * `list` is a non-exported `const` initialized with a new array (a literal, `Array.from`, a `.map` or
 * `.filter` of an array, ...: no other code holds it), declared before the anchor, and nothing in the
 * file mutates it or hands it to other code.
 */
function canHoist(analysis: Analysis, ancestors: readonly ts.Node[], sourceFile: ts.SourceFile): boolean {
  const name = hoistableName(analysis, ancestors, sourceFile);
  return name !== undefined && worstUsesInFile(sourceFile, new Set([name])).get(name) === 'read';
}

/** Everything `canHoist` checks but the uses of the list in the file: the list's name, or undefined. */
function hoistableName(analysis: Analysis, ancestors: readonly ts.Node[], sourceFile: ts.SourceFile): string | undefined {
  const { binding, anchor } = analysis;
  const variable = binding.variable;
  if (!anchor || !variable?.initializer || !binding.isConst || !binding.statement || !ts.isIdentifier(variable.name)) return undefined;
  if (hasModifier(binding.statement, ts.SyntaxKind.ExportKeyword) || hasModifier(binding.statement, ts.SyntaxKind.DeclareKeyword)) return undefined;
  if (binding.statement.end > anchor.getStart(sourceFile)) return undefined;
  // Resolve names in the initializer from where it is written.
  let depth = 0;
  while (depth < ancestors.length && contains(ancestors[depth]!, variable)) depth++;
  return isNewArray(variable.initializer, ancestors.slice(0, depth)) ? variable.name.text : undefined;
}

/** Methods that return a new array when called on an array. */
const COPYING_METHODS: ReadonlySet<string> = new Set(['concat', 'filter', 'flat', 'flatMap', 'map', 'slice', 'toReversed', 'toSorted', 'toSpliced', 'with']);

/** Whether `expression` makes a new array that nothing else references. */
function isNewArray(expression: ts.Expression, ancestors: readonly ts.Node[], depth = 0): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(node)) return true;
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'Array';
  if (depth > 4 || !ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.questionDotToken) return false;
  const { expression: owner, name } = node.expression;
  if (ts.isIdentifier(owner) && owner.text === 'Array') return name.text === 'from' || name.text === 'of';
  if (ts.isIdentifier(owner) && owner.text === 'Object') return name.text === 'keys' || name.text === 'values' || name.text === 'entries';
  // `ids.map(...)` copies only when `ids` is an array: an unknown `list.filter(...)` may be another
  // collection, with an `includes` of its own.
  return COPYING_METHODS.has(name.text) && (isNewArray(owner, ancestors, depth + 1) || isArrayVariable(owner, ancestors, depth + 1));
}

/** A variable or `this` field declared as an array (`T[]`) or initialized with a new array. */
function isArrayVariable(expression: ts.Expression, ancestors: readonly ts.Node[], depth: number): boolean {
  const node = skipOuterExpressions(expression);
  let holder: ts.VariableDeclaration | ts.ParameterDeclaration | ts.PropertyDeclaration | undefined;
  if (ts.isIdentifier(node)) {
    const binding = findDeclaration(node.text, ancestors);
    holder = binding?.variable ?? binding?.parameter;
  } else if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    holder = thisFieldDeclaration(node.name.text, ancestors);
  }
  if (!holder) return false;
  if (holder.type) return typeEvidence(holder.type) === 'array';
  if (!holder.initializer) return false;
  // Resolve the initializer's names from where it is written.
  let scope = 0;
  while (scope < ancestors.length && contains(ancestors[scope]!, holder)) scope++;
  return isNewArray(holder.initializer, ancestors.slice(0, scope), depth);
}

/** An existing `const <name> = new Set(list);` right before the anchor (from an earlier fix). */
function existingSet(anchor: ts.Statement, parent: ts.Node, list: string): string | undefined {
  const statements = statementsOf(parent);
  const previous = statements[statements.indexOf(anchor) - 1];
  if (!previous || !ts.isVariableStatement(previous) || !(previous.declarationList.flags & ts.NodeFlags.Const)) return undefined;
  const [declaration, ...rest] = previous.declarationList.declarations;
  if (!declaration || rest.length > 0 || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const init = declaration.initializer;
  if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'Set') return undefined;
  const argument = init.arguments?.length === 1 ? init.arguments[0]! : undefined;
  return argument && ts.isIdentifier(argument) && argument.text === list ? declaration.name.text : undefined;
}

/**
 * A name for the Set hoisted before `anchor`, unused in the file. Every anchor of the same list gets
 * its own name (numbered in document order), so fixes applied together never declare one name twice.
 */
function freshSetName(sourceFile: ts.SourceFile, analysis: Analysis, list: string): string {
  const anchors: ts.Node[] = [];
  const stack: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    const lookup = node.kind === ts.SyntaxKind.CallExpression || node.kind === ts.SyntaxKind.BinaryExpression ? lookupOf(node) : undefined;
    if (lookup && lookup.list.text === list) {
      const other = analyze(lookup, stack);
      if (other?.anchor && other.declaration === analysis.declaration && !anchors.includes(other.anchor)) anchors.push(other.anchor);
    }
    stack.push(node);
    ts.forEachChild(node, visit);
    stack.pop();
  };
  visit(sourceFile);
  const base = /^[A-Z][A-Z0-9_]*$/.test(list) ? `${list}_SET` : `${list}Set`;
  let skip = Math.max(0, anchors.indexOf(analysis.anchor!));
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    if (identifierUsed(sourceFile, name)) continue;
    if (skip-- === 0) return name;
  }
}

/**
 * The lookups of `kind` in the anchor that share its list and its anchor; the fix rewrites them all
 * at once (the walk offers it on the first of them only).
 */
function groupOf(kind: LookupKind, analysis: Analysis, path: readonly ts.Node[]): Lookup[] {
  const anchor = analysis.anchor!;
  const stack = path.slice(0, path.indexOf(anchor));
  const group: Lookup[] = [];
  const visit = (node: ts.Node): void => {
    const lookup = node.kind === ts.SyntaxKind.CallExpression || node.kind === ts.SyntaxKind.BinaryExpression ? lookupOf(node) : undefined;
    if (lookup && lookup.kind === kind) {
      const other = analyze(lookup, stack);
      if (other && other.declaration === analysis.declaration && other.anchor === anchor) group.push(lookup);
    }
    stack.push(node);
    ts.forEachChild(node, visit);
    stack.pop();
  };
  visit(anchor);
  if (kind === 'includes') return group;
  // A comparison inside another one's argument stays as it is: the outer rewrite replaces its text whole.
  return group.filter((member) => !group.some((other) => other !== member && contains(other.node, member.node)));
}

function hoistSet(kind: LookupKind) {
  return (sourceFile: ts.SourceFile, span: { start: number; end: number }): readonly TextEdit[] => {
    const path = nodePathAt(sourceFile, span, (node) => lookupOf(node)?.kind === kind);
    const lookup = path && lookupOf(path[path.length - 1]!);
    if (!path || !lookup) return [];
    const ancestors = path.slice(0, -1);
    const analysis = analyze(lookup, ancestors);
    if (!analysis?.anchor || !analysis.anchorParent || !canHoist(analysis, ancestors, sourceFile)) return [];
    const list = lookup.list.text;
    const builder = new EditBuilder(sourceFile);
    let setName = existingSet(analysis.anchor, analysis.anchorParent, list);
    if (!setName) {
      setName = freshSetName(sourceFile, analysis, list);
      builder.insertLinesBefore(analysis.anchor, [`const ${setName} = new Set(${list});`]);
    }
    for (const member of groupOf(kind, analysis, path)) {
      if (member.kind === 'includes') {
        builder.replaceNode(member.callee, `${setName}.has`);
      } else {
        builder.replaceNode(member.node, `${member.absent ? '!' : ''}${setName}.has(${builder.textOf(member.argument)})`);
      }
    }
    return builder.build();
  };
}

export const includesInLoop: RuleDefinition = {
  id: 'includes-in-loop',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['004'],
  defaultSeverity: 'info',
  prose: {
    title: 'Array membership test inside a loop',
    summary:
      '`list.includes(x)` (or `list.indexOf(x) !== -1`) inside a loop or a per-element callback scans `list` from the start on every iteration.',
    what:
      'An array has no index by value: `includes` and `indexOf` compare `x` with each element in turn until one matches, so a miss costs a full pass. Inside a loop over another collection of m items, the lookups cost O(n × m) in all: quadratic as both grow. A `Set` built once answers `has(x)` in sublinear time (a hash lookup in practice) and compares with the same SameValueZero equality as `includes`.',
    when:
      'Filtering one collection against another (`items.filter((i) => allowed.includes(i.id))`), de-duplicating against a list of known keys, checking tokens against a keyword list: code that is fast in tests and slows down as real data grows.',
    whenNot:
      'The rule only reports lists it knows to be arrays (an array literal, `Array.from`, `Object.keys`, a `.map`/`.filter`/`.split` result, a `T[]` annotation), never strings (`str.includes` is a substring search). It counts `for`, `for...of`, `for...in` loops and per-element callbacks (`filter`, `map`, `some`, `forEach`, ...), not `while`/`do` loops, which run until something happens rather than over a collection. It leaves alone arrays written out with at most 8 elements (also when filtered or mapped), loops over such a short list or up to a small constant, lists declared inside the loop, lists the loop itself changes (`seen.push(x)` after `seen.includes(x)`) or hands to other code, and a loop over the very list being searched.',
    pitfall:
      'A hoisted Set is a snapshot: if the array changes after the Set is built, the Set is stale. The quick fix is offered only for a non-exported `const` that holds a new array (a literal, `Array.from`, `Object.keys`, a `.map`/`.filter` of an array: no other code holds it) which nothing in the file mutates or passes on, and for `includes` it is applied by "fix all": `Set#has` uses the same SameValueZero comparison. For `indexOf` it changes one result: `indexOf` uses strict equality and never finds `NaN`, while `Set#has` does, so that fix is only offered one at a time.',
  },
  python: {
    name: '`x in list` versus `x in set`',
    example: 'kept = [w for w in words if w not in stop_list]   # scans stop_list for every word\nstop = set(stop_list); kept = [w for w in words if w not in stop]',
    note: 'Python\'s `in` on a list is a linear scan just like `includes`, and the cure is the same: build a `set` (a `Set`) once, outside the loop. Unlike Python\'s `set`, which compares with `__eq__`/`__hash__`, a JavaScript `Set` compares objects by identity.',
  },
  examples: {
    incorrect: [
      "export function keepAllowed(ids: number[], rows: { id: number }[]) {\n  const allowed = ids.filter((id) => id > 0);\n  return rows.filter((row) => allowed.includes(row.id));\n}\n",
    ],
    correct: [
      "export function keepAllowed(ids: number[], rows: { id: number }[]) {\n  const allowed = new Set(ids.filter((id) => id > 0));\n  return rows.filter((row) => allowed.has(row.id));\n}\n",
      "const UNITS = ['px', 'em', 'rem'];\nexport function known(values: string[]) {\n  return values.filter((value) => UNITS.includes(value));\n}\n",
    ],
  },
  links: [
    { title: 'MDN: Array.prototype.includes()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/includes' },
    { title: 'MDN: Set', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Set' },
    { title: 'TC39: Array.prototype.includes proposal (SameValueZero versus indexOf)', url: 'https://github.com/tc39/Array.prototype.includes' },
  ],
  fixes: [
    {
      id: 'hoist-set',
      title: 'Build a `Set` of the list once before the loop and use `.has()`',
      safe: true,
      doChange: hoistSet('includes'),
    },
    {
      id: 'hoist-set-for-index-of',
      title: 'Build a `Set` of the list once before the loop and use `.has()`: unlike `indexOf`, `.has()` also finds `NaN`',
      safe: false,
      doChange: hoistSet('indexOf'),
    },
  ],
  create(context) {
    const { sourceFile } = context;
    /** Lookups found in the walk; whether each offers the fix is decided at the end, with one pass over the file. */
    let found: { lookup: Lookup; analysis: Analysis; hoistable?: string }[] | undefined;
    const check = (node: ts.Node): void => {
      const lookup = lookupOf(node);
      if (!lookup) return;
      const analysis = analyze(lookup, context.ancestors);
      if (!analysis) return;
      const hoistable = analysis.anchor ? hoistableName(analysis, context.ancestors, sourceFile) : undefined;
      (found ??= []).push(hoistable ? { lookup, analysis, hoistable } : { lookup, analysis });
    };
    const onWalkEnd = (): void => {
      if (!found) return;
      const names = new Set<string>();
      for (const { hoistable } of found) if (hoistable) names.add(hoistable);
      const uses = names.size > 0 ? worstUsesInFile(sourceFile, names) : undefined;
      const offered = new Set<string>();
      for (const { lookup, analysis, hoistable } of found) {
        let fixes: string[] = [];
        if (hoistable && uses?.get(hoistable) === 'read') {
          // One action per list and loop: it rewrites every lookup of the list in that loop.
          const key = `${analysis.declaration.pos}:${analysis.anchor!.pos}:${lookup.kind}`;
          if (!offered.has(key)) {
            offered.add(key);
            fixes = [lookup.kind === 'includes' ? 'hoist-set' : 'hoist-set-for-index-of'];
          }
        }
        const name = lookup.list.text;
        context.report({
          at: lookup.node,
          message: `${quote(lookup.node, sourceFile)} scans \`${name}\` element by element on every pass of this loop: O(n) per lookup, O(n × m) for the loop. Build \`new Set(${name})\` once before the loop and call \`.has()\`.`,
          fixes,
        });
      }
    };
    return {
      calls: {
        includes(node) {
          const callee = (node as ts.CallExpression).expression;
          if (callee.kind === ts.SyntaxKind.PropertyAccessExpression) check(node);
        },
      },
      [ts.SyntaxKind.BinaryExpression](node) {
        const { left, right } = node as ts.BinaryExpression;
        if (left.kind === ts.SyntaxKind.CallExpression || right.kind === ts.SyntaxKind.CallExpression || left.kind === ts.SyntaxKind.ParenthesizedExpression || right.kind === ts.SyntaxKind.ParenthesizedExpression) {
          check(node);
        }
      },
      onWalkEnd,
    };
  },
};
