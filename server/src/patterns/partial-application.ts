import * as ts from 'typescript';
import { skipOuterExpressions } from '../syntax/expressions';
import type { PatternDefinition, Span } from './types';

/** Whether `node` mentions any of the arrow's parameters by name. */
function mentionsParameter(node: ts.Node, parameters: readonly ts.ParameterDeclaration[]): boolean {
  if (ts.isIdentifier(node)) {
    for (const parameter of parameters) {
      if ((parameter.name as ts.Identifier).text === node.text) return true;
    }
    return false;
  }
  return ts.forEachChild(node, (child) => (mentionsParameter(child, parameters) ? true : undefined)) === true;
}

/** The single call an arrow's body consists of: `=> f(...)`, `=> { return f(...); }` or `=> { f(...); }`. */
function forwardedCall(arrow: ts.ArrowFunction): ts.CallExpression | undefined {
  let expression: ts.Expression | undefined;
  if (ts.isBlock(arrow.body)) {
    if (arrow.body.statements.length !== 1) return undefined;
    const statement = arrow.body.statements[0]!;
    if (ts.isReturnStatement(statement)) expression = statement.expression;
    else if (ts.isExpressionStatement(statement)) expression = statement.expression;
  } else {
    expression = arrow.body;
  }
  if (!expression) return undefined;
  expression = skipOuterExpressions(expression);
  return ts.isCallExpression(expression) ? expression : undefined;
}

/**
 * Whether `arrow` only forwards its own parameters, unchanged and in order, to one call of a named
 * function (`f` or `a.b.f`, not a method of `this`/`super` nor a parameter), and passes at least one
 * other argument that does not depend on them.
 */
function isPartialArrow(arrow: ts.ArrowFunction): boolean {
  const parameters = arrow.parameters;
  if (parameters.length === 0) return false;
  const call = forwardedCall(arrow);
  if (!call) return false;
  for (const parameter of parameters) {
    if (!ts.isIdentifier(parameter.name) || parameter.initializer) return false;
  }
  let root: ts.Expression = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root) || mentionsParameter(root, parameters)) return false;

  let forwarded = 0;
  const prefilled: ts.Expression[] = [];
  for (const argument of call.arguments) {
    const next = parameters[forwarded];
    if (next) {
      const name = (next.name as ts.Identifier).text;
      const passesThrough = next.dotDotDotToken
        ? ts.isSpreadElement(argument) && ts.isIdentifier(argument.expression) && argument.expression.text === name
        : ts.isIdentifier(argument) && argument.text === name;
      if (passesThrough) {
        forwarded++;
        continue;
      }
    }
    prefilled.push(argument);
  }
  // The shape first: searching the other arguments (often whole callbacks) is left for arrows that have it.
  if (forwarded !== parameters.length || prefilled.length === 0) return false;
  return !prefilled.some((argument) => mentionsParameter(argument, parameters));
}

function isNullish(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return (
    value.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(value) && value.text === 'undefined') ||
    ts.isVoidExpression(value)
  );
}

export const partialApplication: PatternDefinition = {
  id: 'partial-application',
  kind: 'pattern',
  category: 'functions',
  seeds: ['000'],
  prose: {
    title: 'Partial application',
    summary:
      'A new function with some arguments already filled in: `fn.bind(null, a)`, or an arrow such as `(b) => add(1, b)` that forwards its own parameters to one call.',
    what:
      '`fn.bind(thisArg, ...args)` returns a bound function that calls `fn` with `thisArg` as `this` and the stored arguments before the new ones; its `length` drops by the number of stored arguments and its `name` becomes `"bound fn"`. A forwarding arrow does the same job, can fill any position (`(s) => parseInt(s, 10)`) and re-evaluates the filled-in expressions on every call.',
    when:
      'Adapting a general function to a callback slot or a clearer name: `texts.map((s) => parseInt(s, 10))` (plain `map(parseInt)` passes the index as the radix), `const warn = log.bind(null, "warn")`, or a handler that needs an id, `(event) => select(id, event)`.',
    whenNot:
      'Prefer the arrow over `bind` in TypeScript: `bind` cannot model overloads (only the last signature is seen) or generics (type parameters become `unknown`), and `bind(null, ...)` on a method drops its `this`. For a single use, just call the function directly.',
    pitfall:
      '`bind` evaluates and stores its arguments once, when it runs; an arrow reads the variables it closes over at each call. `(x) => send(user, x)` sees a later reassignment of `user`, `send.bind(null, user)` keeps the old one: choose on purpose, especially in loops.',
  },
  python: {
    name: '`functools.partial`',
    example: 'from functools import partial\nparse_hex = partial(int, base=16)  # parse_hex("ff") == 255',
    note:
      '`partial` can fill keyword arguments in any order and keeps `.func`, `.args` and `.keywords` for inspection. `bind` only fills leading positional arguments (and fixes `this`); for any other position, or to keep precise types, write the arrow.',
  },
  example: `type Level = 'debug' | 'info' | 'warn' | 'error';

function log(level: Level, scope: string, message: string): void {
  console.log(\`[\${level}] \${scope}: \${message}\`);
}

// bind fixes \`this\` (unused here) and the leading arguments.
export const warn = log.bind(null, 'warn');

// An arrow can fill any position and keeps full type information.
export const dbError = (message: string) => log('error', 'db', message);

export const ports = ['8080', '8081', '9000'].map((text) => Number.parseInt(text, 10));

warn('cache', 'miss rate above 20%');
dbError('connection reset');
`,
  links: [
    { title: 'MDN: Function.prototype.bind()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Function/bind' },
    { title: 'MDN: Arrow function expressions', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Functions/Arrow_functions' },
    { title: 'TypeScript 3.2: strictBindCallApply', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-3-2.html#strictbindcallapply' },
  ],
  create(context) {
    const { sourceFile } = context;
    return {
      calls: {
        bind(node) {
          const call = node as ts.CallExpression;
          if (call.arguments.length < 2) return;
          const callee = call.expression;
          if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return;
          if (isNullish(call.arguments[0]!)) context.report(callee.name);
        },
      },
      [ts.SyntaxKind.ArrowFunction](node) {
        const arrow = node as ts.ArrowFunction;
        if (!isPartialArrow(arrow)) return;
        // The head of the arrow, `(b) =>`, when it is on one line; else the `=>` alone.
        const start = arrow.getStart(sourceFile);
        const arrowToken = arrow.equalsGreaterThanToken;
        // Looking for a line break in the head itself: line numbers would index the whole file's lines.
        const span: Span = /[\r\n\u2028\u2029]/.test(sourceFile.text.slice(start, arrowToken.end))
          ? { start: arrowToken.getStart(sourceFile), end: arrowToken.end }
          : { start, end: arrowToken.end };
        context.report(span);
      },
    };
  },
};
