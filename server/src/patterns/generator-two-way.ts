import * as ts from 'typescript';
import { callsNamed, skipOuterExpressions } from '../syntax/expressions';
import { isFunctionLike } from '../syntax/functions';
import { asGenerator, owningGenerator } from './support-c';
import type { PatternDefinition } from './types';

const DRIVING_METHODS = new Set(['next', 'return', 'throw']);

/**
 * Whether the value of `node` (an expression whose ancestors are given, nearest last) is used:
 * false for an expression statement, `void`, the left of a comma, a `for` header's initializer or
 * incrementor, and the operands of `&&` / `||` / `??` / `?:` that are themselves discarded.
 */
function valueIsUsed(ancestors: readonly ts.Node[], node: ts.Node): boolean {
  let child = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i]!;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        break;
      case ts.SyntaxKind.ExpressionStatement:
      case ts.SyntaxKind.VoidExpression:
        return false;
      case ts.SyntaxKind.ForStatement: {
        const loop = parent as ts.ForStatement;
        return loop.condition === child;
      }
      case ts.SyntaxKind.ConditionalExpression:
        if ((parent as ts.ConditionalExpression).condition === child) return true;
        break;
      case ts.SyntaxKind.BinaryExpression: {
        const binary = parent as ts.BinaryExpression;
        const operator = binary.operatorToken.kind;
        if (operator === ts.SyntaxKind.CommaToken) {
          if (binary.left === child) return false;
          break;
        }
        if (
          operator === ts.SyntaxKind.AmpersandAmpersandToken ||
          operator === ts.SyntaxKind.BarBarToken ||
          operator === ts.SyntaxKind.QuestionQuestionToken
        ) {
          if (binary.right === child) break;
        }
        return true;
      }
      default:
        return true;
    }
    child = parent;
  }
  return false;
}

/** Where a `let`/`const`/`var` declared here is visible: the nearest block-like ancestor. */
function declarationScope(ancestors: readonly ts.Node[]): ts.Node | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const kind = ancestors[i]!.kind;
    if (kind !== ts.SyntaxKind.VariableDeclarationList && kind !== ts.SyntaxKind.VariableStatement) return ancestors[i];
  }
  return undefined;
}

export const generatorTwoWay: PatternDefinition = {
  id: 'generator-two-way',
  kind: 'pattern',
  category: 'generators',
  seeds: ['000'],
  prose: {
    title: 'Two-way generator (`next(value)`, `return`, `throw`)',
    summary:
      'A generator that also receives values: the argument of `next(value)` becomes the result of the paused `yield`, and `return()` / `throw()` finish it or raise an error inside it.',
    what:
      '`const x = yield y` hands `y` out and pauses; the caller\'s next `it.next(v)` resumes the body with `x === v`. `it.return(v)` resumes as if `return v` stood at the paused `yield` (its `finally` blocks run), and `it.throw(e)` raises `e` there, where a `try/catch` in the body may handle it. TypeScript types the values sent in with the third parameter of `Generator<Yield, Return, Next>`.',
    when:
      'A coroutine-style state machine driven from outside: a parser or protocol handler fed one chunk or message at a time, a running aggregate (average, checksum), or a test stepping through a saga or workflow, checking each value it yields and sending back fake results.',
    whenNot:
      'When the consumer only reads: `for...of` and spread never pass anything to `next`, so every `yield` would evaluate to `undefined`. When the exchange is really asynchronous, an `async` function with `await`, an `EventEmitter` or a stream says it more plainly than hand-pumping `next()`.',
    pitfall:
      'The first `next(value)` only starts the body and its argument is silently dropped, since no `yield` is paused yet to receive it. Prime the generator with a bare `next()` first, or pass the initial data as an argument of the generator function.',
  },
  python: {
    name: 'enhanced generators (`send`, `throw`, `close`)',
    example: 'received = yield current   # inside the generator\naverager.send(42)          # the caller resumes it with a value',
    note:
      '`next(v)` is `send(v)`, `throw(e)` is `throw(e)`, and `return(v)` plays the part of `close()` but also sets the final value. Python rejects a non-`None` value sent to a just-started generator with a `TypeError`; JavaScript silently ignores it.',
  },
  example: `/** Receives numbers through next(value) and yields the running average after each one. */
export function* averager(): Generator<number, number, number> {
  let total = 0;
  let count = 0;
  let average = 0;
  try {
    for (;;) {
      const value = yield average;
      total += value;
      count += 1;
      average = total / count;
    }
  } finally {
    console.log(\`averaged \${count} values\`);
  }
}

export function averageOf(values: readonly number[]): number {
  const running = averager();
  running.next(); // start the body: it pauses at the first yield (an argument here would be lost)
  let last = 0;
  for (const value of values) {
    const step = running.next(value);
    if (!step.done) last = step.value;
  }
  running.return(last); // runs the finally block
  return last;
}
`,
  links: [
    { title: 'MDN: Generator.prototype.next()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Generator/next' },
    { title: 'MDN: yield', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/yield' },
    { title: 'MDN: Generator.prototype.return()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Generator/return' },
    { title: 'MDN: Generator.prototype.throw()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Generator/throw' },
    { title: 'TypeScript 3.6: Stricter generators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-6.html#stricter-generators' },
  ],
  snippets: [
    {
      prefix: 'pl-two-way-generator',
      description: 'Generator that receives values through `next(value)`, primed with a first `next()`',
      javascript: false,
      body: [
        'function* ${1:runningTotal}(): Generator<number, void, number> {',
        '\tlet total = 0;',
        '\tfor (;;) {',
        '\t\ttotal += yield total;',
        '\t}',
        '}',
        '',
        'const ${2:totals} = ${1:runningTotal}();',
        '${2:totals}.next(); // runs to the first yield; a value passed here would be ignored',
        'console.log(${2:totals}.next(${3:5}).value);',
      ],
    },
  ],
  create(context) {
    const { sourceFile, ancestors } = context;
    // Generator functions declared in the file, by name (`function* g` or `const g = function* ...`).
    let generatorNames: Set<string> | undefined;
    // Every `x = ...` declaration with an identifier name, with the node its scope is.
    const declarations: ts.VariableDeclaration[] = [];
    const scopes: ts.Node[] = [];
    // Calls `x.next(v)` / `x.return(...)` / `x.throw(...)`, with the declaration `x` resolved to.
    let drives: { readonly method: ts.Identifier; readonly declaration: ts.VariableDeclaration }[] | undefined;

    const addGeneratorName = (name: string): void => {
      (generatorNames ??= new Set()).add(name);
    };

    return {
      [ts.SyntaxKind.FunctionDeclaration](node) {
        const fn = node as ts.FunctionDeclaration;
        if (fn.asteriskToken && fn.body && fn.name) addGeneratorName(fn.name.text);
      },
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (!ts.isIdentifier(declaration.name)) return;
        const scope = declarationScope(ancestors);
        if (!scope) return;
        declarations.push(declaration);
        scopes.push(scope);
        const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (initializer && ts.isFunctionExpression(initializer) && asGenerator(initializer)) {
          addGeneratorName(declaration.name.text);
        }
      },
      [ts.SyntaxKind.YieldExpression](node) {
        const yieldExpression = node as ts.YieldExpression;
        if (yieldExpression.asteriskToken) return; // its value is the delegate's return value, not a sent one
        if (!owningGenerator(ancestors, node) || !valueIsUsed(ancestors, node)) return;
        const start = node.getStart(sourceFile);
        context.report({ start, end: start + 'yield'.length });
      },
      calls: callsNamed(DRIVING_METHODS, (node) => {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name) || !ts.isIdentifier(callee.expression)) return;
        const method = callee.name.text;
        if (method === 'next' && call.arguments.length === 0) return;
        const name = callee.expression.text;
        // The innermost visible declaration of `name`: its scope is the deepest ancestor.
        let best = -1;
        let bestDepth = -1;
        for (let i = declarations.length - 1; i >= 0; i--) {
          if ((declarations[i]!.name as ts.Identifier).text !== name) continue;
          const depth = ancestors.lastIndexOf(scopes[i]!);
          if (depth > bestDepth) {
            best = i;
            bestDepth = depth;
          }
        }
        if (best < 0) return;
        // A parameter of the same name in a function between the declaration and the call shadows it.
        for (let i = bestDepth + 1; i < ancestors.length; i++) {
          const ancestor = ancestors[i]!;
          if (
            isFunctionLike(ancestor) &&
            ancestor.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)
          ) {
            return;
          }
        }
        (drives ??= []).push({ method: callee.name, declaration: declarations[best]! });
      }),
      onWalkEnd() {
        if (!drives || !generatorNames) return;
        for (const { method, declaration } of drives) {
          const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
          if (
            initializer &&
            ts.isCallExpression(initializer) &&
            ts.isIdentifier(initializer.expression) &&
            generatorNames.has(initializer.expression.text)
          ) {
            context.report(method);
          }
        }
      },
    };
  },
};
