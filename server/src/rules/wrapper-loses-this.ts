import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition, TextEdit } from '../patterns/types';
import { sameChain, skipOuterExpressions } from '../syntax/expressions';
import { isJavaScriptFile } from '../syntax/files';
import { isFunctionLike, usesOwnThis } from '../syntax/functions';
import { identifierWords } from '../syntax/names';
import { declaresAnywhere, findDeclaration } from '../syntax/scopes';
import { quote } from './support/messages';

type Wrapper = ts.FunctionExpression | ts.ArrowFunction | ts.FunctionDeclaration;

/** How the rule knows the wrapped function is a method. */
type Evidence =
  | { readonly kind: 'decorator'; readonly name: string }
  | { readonly kind: 'legacy'; readonly descriptor: string }
  | { readonly kind: 'method-reference'; readonly name: string; readonly usage: ts.Node };

function isWrapper(node: ts.Node): node is Wrapper {
  return (
    node.kind === ts.SyntaxKind.FunctionExpression || node.kind === ts.SyntaxKind.ArrowFunction || node.kind === ts.SyntaxKind.FunctionDeclaration
  );
}

/** The function a variable or function declaration defines (`function f() {}`, `const f = (…) => …`). */
function definedFunction(declaration: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (declaration.kind === ts.SyntaxKind.FunctionDeclaration) return (declaration as ts.FunctionDeclaration).body ? (declaration as ts.FunctionDeclaration) : undefined;
  if (declaration.kind !== ts.SyntaxKind.VariableDeclaration) return undefined;
  const { name, initializer } = declaration as ts.VariableDeclaration;
  if (name.kind !== ts.SyntaxKind.Identifier || !initializer) return undefined;
  const value = skipOuterExpressions(initializer);
  return value.kind === ts.SyntaxKind.FunctionExpression || value.kind === ts.SyntaxKind.ArrowFunction ? (value as ts.FunctionLikeDeclaration) : undefined;
}

/** The functions `fn` returns: function expressions, arrows, or local functions returned by name. */
function returnedFunctions(fn: ts.FunctionLikeDeclaration): Wrapper[] {
  const body = fn.body;
  if (!body) return [];
  if (body.kind !== ts.SyntaxKind.Block) {
    const value = skipOuterExpressions(body as ts.Expression);
    return isWrapper(value) ? [value] : [];
  }
  const found: Wrapper[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (node.kind === ts.SyntaxKind.ReturnStatement) {
      const expression = (node as ts.ReturnStatement).expression;
      const value = expression && skipOuterExpressions(expression);
      if (value && isWrapper(value)) found.push(value);
      else if (value && value.kind === ts.SyntaxKind.Identifier) {
        for (const statement of (body as ts.Block).statements) {
          const local = localFunction(statement, (value as ts.Identifier).text);
          if (local) found.push(local);
        }
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function localFunction(statement: ts.Statement, name: string): Wrapper | undefined {
  if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement;
  if (!ts.isVariableStatement(statement)) return undefined;
  for (const declaration of statement.declarationList.declarations) {
    if (declaration.name.kind !== ts.SyntaxKind.Identifier || declaration.name.text !== name) continue;
    const fn = definedFunction(declaration);
    return fn && isWrapper(fn) ? fn : undefined;
  }
  return undefined;
}

/**
 * The calls in `wrapper` that call `name` without forwarding `this`: `name(…)`, and `name.call(null, …)` /
 * `name.apply(undefined, …)`. Arrows inside the wrapper share its `this` and are searched; other nested
 * functions are not.
 */
function callsWithoutThis(wrapper: Wrapper, name: string): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  if (!wrapper.body || declaresAnywhere(wrapper, name)) return found;
  const visit = (node: ts.Node): void => {
    if ((isFunctionLike(node) && node.kind !== ts.SyntaxKind.ArrowFunction) || ts.isClassLike(node)) return;
    if (node.kind === ts.SyntaxKind.CallExpression && dropsThis(node as ts.CallExpression, name)) found.push(node as ts.CallExpression);
    ts.forEachChild(node, visit);
  };
  visit(wrapper.body);
  return found;
}

function isNothing(node: ts.Expression | undefined): boolean {
  if (!node) return true;
  const value = skipOuterExpressions(node);
  return (
    value.kind === ts.SyntaxKind.NullKeyword ||
    (value.kind === ts.SyntaxKind.Identifier && (value as ts.Identifier).text === 'undefined') ||
    value.kind === ts.SyntaxKind.VoidExpression
  );
}

function dropsThis(call: ts.CallExpression, name: string): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (callee.kind === ts.SyntaxKind.Identifier) return (callee as ts.Identifier).text === name;
  if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return false;
  const { expression, name: method } = callee as ts.PropertyAccessExpression;
  const target = skipOuterExpressions(expression);
  return (
    (method.text === 'call' || method.text === 'apply') &&
    target.kind === ts.SyntaxKind.Identifier &&
    (target as ts.Identifier).text === name &&
    call.arguments.length > 0 &&
    isNothing(call.arguments[0])
  );
}

/** A function's parameters without a leading TypeScript `this` parameter (which takes no argument). */
function valueParameters(fn: ts.FunctionLikeDeclaration): readonly ts.ParameterDeclaration[] {
  const first = fn.parameters[0];
  return first && ts.isIdentifier(first.name) && first.name.text === 'this' ? fn.parameters.slice(1) : fn.parameters;
}

/** The wrapped-function and context parameters of a function shaped like a Stage-3 decorator. */
function decoratorParameters(fn: ts.FunctionLikeDeclaration): readonly [ts.ParameterDeclaration, ts.ParameterDeclaration] | undefined {
  const parameters = valueParameters(fn);
  if (parameters.length < 2 || parameters[0]!.name.kind !== ts.SyntaxKind.Identifier) return undefined;
  return [parameters[0]!, parameters[1]!];
}

/** Whether a decorator's context parameter is typed `ClassMethodDecoratorContext` (alone or in a union). */
function isTypedMethodDecorator(fn: ts.FunctionLikeDeclaration): boolean {
  const context = decoratorParameters(fn)?.[1];
  return context?.type !== undefined && mentionsMethodContext(context.type);
}

function mentionsMethodContext(type: ts.Node): boolean {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName;
    if ((name.kind === ts.SyntaxKind.Identifier ? name.text : name.right.text) === 'ClassMethodDecoratorContext') return true;
  }
  return ts.forEachChild(type, (child) => (mentionsMethodContext(child) ? true : undefined)) === true;
}

function isDescriptorName(name: string): boolean {
  return identifierWords(name).some((word) => word === 'descriptor' || word === 'desc');
}

/** `const original = descriptor.value` declarations in `fn` (outside nested functions): the names of the original method. */
function originalsFromDescriptor(fn: ts.FunctionLikeDeclaration, descriptor: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isPropertyAccessExpression(value) && value.name.text === 'value' && ts.isIdentifier(value.expression) && value.expression.text === descriptor) {
        names.add(node.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return names;
}

// ── The fix ──────────────────────────────────────────────────────────────────────────────────────

interface Site {
  readonly factory: ts.FunctionLikeDeclaration;
  readonly original: string;
  readonly wrapper: Wrapper;
  /** The wrapper is assigned to `descriptor.value`, which gives its `this` a type: no annotation needed. */
  readonly contextual: boolean;
}

/**
 * The function type the wrapped function is declared with, read from syntax: the wrapped parameter's
 * annotation (through a type parameter's constraint), or for a legacy decorator the `F` of a
 * `TypedPropertyDescriptor<F>` descriptor. `null` when the type says nothing about `this` (no annotation,
 * `any`, `Function`, `PropertyDescriptor`); undefined when it cannot be read from syntax.
 */
function wrappedType(site: Site): ts.FunctionTypeNode | null | undefined {
  let type: ts.TypeNode | undefined;
  if (site.contextual) {
    // `const original = descriptor.value`: the descriptor parameter's type tells.
    const descriptor = site.factory.parameters[site.factory.parameters.length - 1];
    type = descriptor?.type;
    if (!type) return null;
    if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    if (type.typeName.text === 'PropertyDescriptor') return null;
    if (type.typeName.text !== 'TypedPropertyDescriptor' || type.typeArguments?.length !== 1) return undefined;
    type = type.typeArguments[0];
  } else {
    const parameter = site.factory.parameters.find((p) => p.name.kind === ts.SyntaxKind.Identifier && p.name.text === site.original);
    if (!parameter) return undefined;
    type = parameter.type;
  }
  if (!type || type.kind === ts.SyntaxKind.AnyKeyword) return null;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    if (name === 'Function') return null;
    const typeParameter = site.factory.typeParameters?.find((p) => p.name.text === name);
    if (!typeParameter?.constraint) return undefined;
    type = typeParameter.constraint;
  }
  return ts.isFunctionTypeNode(type) ? type : undefined;
}

/** The declared `this` parameter of a function type, if any. */
function thisParameterOf(type: ts.FunctionTypeNode): ts.ParameterDeclaration | undefined {
  const first = type.parameters[0];
  return first && ts.isIdentifier(first.name) && first.name.text === 'this' ? first : undefined;
}

/**
 * Whether the TypeScript compiler already reports the plain call: the wrapped function declares a `this`
 * type that `undefined` does not satisfy (TS2684), so the rule stays silent in TypeScript files.
 */
function compilerReports(site: Site, sourceFile: ts.SourceFile): boolean {
  if (isJavaScriptFile(sourceFile)) return false;
  const type = wrappedType(site);
  const declared = type ? thisParameterOf(type)?.type : undefined;
  if (!declared) return false;
  return declared.kind !== ts.SyntaxKind.AnyKeyword && declared.kind !== ts.SyntaxKind.UnknownKeyword && declared.kind !== ts.SyntaxKind.VoidKeyword;
}

/** The `this` type to declare on a wrapper (TypeScript only): the wrapped function's own, else `unknown`. */
function thisTypeFor(site: Site, sourceFile: ts.SourceFile): string | undefined {
  const type = wrappedType(site);
  if (type === undefined) return undefined;
  const declared = type && thisParameterOf(type)?.type;
  return declared ? declared.getText(sourceFile) : 'unknown';
}

interface Plan {
  readonly id: 'forward-this' | 'forward-this-review';
  readonly edits: () => TextEdit[];
}

/** Inserts `.call` after the callee and `this` before the arguments, or replaces a `null` receiver with `this`. */
function callEdits(call: ts.CallExpression, sourceFile: ts.SourceFile): { start: number; end: number; text: string }[] {
  const callee = skipOuterExpressions(call.expression);
  if (callee.kind === ts.SyntaxKind.Identifier) {
    return [
      { start: call.expression.end, end: call.expression.end, text: '.call' },
      { start: call.arguments.pos, end: call.arguments.pos, text: call.arguments.length > 0 ? 'this, ' : 'this' },
    ];
  }
  const receiver = call.arguments[0]!;
  return [{ start: receiver.getStart(sourceFile), end: receiver.end, text: 'this' }];
}

function applyLocal(text: string, start: number, end: number, edits: readonly { start: number; end: number; text: string }[]): string {
  let result = '';
  let cursor = start;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor, end);
}

function isSimpleForward(call: ts.CallExpression, wrapper: Wrapper): boolean {
  const rest = wrapper.parameters[wrapper.parameters.length - 1];
  if (!rest?.dotDotDotToken || rest.name.kind !== ts.SyntaxKind.Identifier) return false;
  if (skipOuterExpressions(call.expression).kind !== ts.SyntaxKind.Identifier || call.arguments.length !== 1) return false;
  const argument = call.arguments[0]!;
  return ts.isSpreadElement(argument) && ts.isIdentifier(argument.expression) && argument.expression.text === rest.name.text;
}

/** What the quick fix does for a site, or undefined when it cannot be done safely from syntax. */
function planFix(site: Site, sourceFile: ts.SourceFile): Plan | undefined {
  const { wrapper } = site;
  const calls = callsWithoutThis(wrapper, site.original);
  if (calls.length === 0 || calls.some((call) => call.questionDotToken || call.typeArguments)) return undefined;
  const typed = !isJavaScriptFile(sourceFile);
  const hasThisParameter = wrapper.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === 'this');
  let thisParameter = '';
  if (typed && !hasThisParameter && !site.contextual) {
    const type = thisTypeFor(site, sourceFile);
    if (type === undefined) return undefined;
    thisParameter = `this: ${type}${wrapper.parameters.length > 0 ? ', ' : ''}`;
  }
  const local = calls.flatMap((call) => callEdits(call, sourceFile));
  if (wrapper.kind !== ts.SyntaxKind.ArrowFunction) {
    const safe = calls.every((call) => isSimpleForward(call, wrapper));
    return {
      id: safe ? 'forward-this' : 'forward-this-review',
      edits() {
        const builder = new EditBuilder(sourceFile);
        if (thisParameter) builder.insertAt(wrapper.parameters.pos, thisParameter);
        for (const edit of local) builder.replaceRange(edit.start, edit.end, edit.text);
        return builder.build();
      },
    };
  }
  // An arrow has no `this` of its own: it becomes a `function`, which is only sound if nothing in it used the outer one.
  if (usesOwnThis(wrapper)) return undefined;
  return {
    id: 'forward-this-review',
    edits() {
      const builder = new EditBuilder(sourceFile);
      const text = sourceFile.text;
      const isAsync = ts.getModifiers(wrapper)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true;
      const typeParameters = wrapper.typeParameters ? `<${text.slice(wrapper.typeParameters.pos, wrapper.typeParameters.end)}>` : '';
      // The text inside the parentheses (or the lone unparenthesized parameter), comments included.
      const parameters = text.slice(wrapper.parameters.pos, wrapper.parameters.end).trim();
      const returnType = wrapper.type ? `: ${builder.textOf(wrapper.type)}` : '';
      const body = wrapper.body;
      // Comments between `=>` and the body stay in front of it.
      const leading = text.slice(wrapper.equalsGreaterThanToken.end, body.getStart(sourceFile)).trimStart();
      const bodyText = leading + applyLocal(text, body.getStart(sourceFile), body.end, local);
      const block = body.kind === ts.SyntaxKind.Block ? bodyText : `{ return ${bodyText}; }`;
      const replacement = `${isAsync ? 'async ' : ''}function ${typeParameters}(${thisParameter}${parameters})${returnType} ${block}`;
      return builder.replaceNode(wrapper, replacement).build();
    },
  };
}

/** Finds the site again from the span of its first call without `this` (see `create`). */
function siteAt(sourceFile: ts.SourceFile, span: { start: number; end: number }): Site | undefined {
  const path = nodePathAt(sourceFile, span, (node) => node.kind === ts.SyntaxKind.CallExpression);
  const call = path?.at(-1) as ts.CallExpression | undefined;
  if (!path || !call) return undefined;
  let callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) callee = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const name = callee.text;
  const resolved = findDeclaration(name, path);
  if (!resolved) return undefined;
  let factoryIndex = resolved.index;
  while (factoryIndex > 0 && !isFunctionLike(path[factoryIndex]!)) factoryIndex--;
  const factory = path[factoryIndex];
  if (!factory || !isFunctionLike(factory)) return undefined;
  let wrapperIndex = factoryIndex + 1;
  while (wrapperIndex < path.length && !isFunctionLike(path[wrapperIndex]!)) wrapperIndex++;
  const wrapper = path[wrapperIndex];
  if (!wrapper || !isWrapper(wrapper)) return undefined;
  if (resolved.node.kind === ts.SyntaxKind.Parameter) {
    if (!returnedFunctions(factory).includes(wrapper)) return undefined;
    return { factory, original: name, wrapper, contextual: false };
  }
  // `const original = descriptor.value; descriptor.value = function (…) {…}`
  let assignmentIndex = wrapperIndex - 1;
  while (assignmentIndex > factoryIndex && path[assignmentIndex]!.kind === ts.SyntaxKind.ParenthesizedExpression) assignmentIndex--;
  const assignment = path[assignmentIndex];
  if (!assignment || !ts.isBinaryExpression(assignment) || skipOuterExpressions(assignment.right) !== wrapper) return undefined;
  return { factory, original: name, wrapper, contextual: true };
}

function fixWith(id: Plan['id']) {
  return (sourceFile: ts.SourceFile, span: { start: number; end: number }): readonly TextEdit[] => {
    const site = siteAt(sourceFile, span);
    const plan = site && planFix(site, sourceFile);
    return plan && plan.id === id ? plan.edits() : [];
  };
}

export const wrapperLosesThis: RuleDefinition = {
  id: 'wrapper-loses-this',
  kind: 'gotcha',
  category: 'decorators',
  seeds: ['003', '004'],
  defaultSeverity: 'warning',
  prose: {
    title: 'Method wrapper that drops `this`',
    summary:
      'A decorator or higher-order function that replaces a method with a wrapper calling the original as `fn(...args)`: the method then runs without its object as `this`.',
    what:
      'In JavaScript `this` is not an argument: it is set by how a function is called. `obj.save()` passes `obj`, but a plain call `fn(...args)` passes `undefined` (class code is always strict mode). So a wrapper that forwards only the arguments calls the method with `this` undefined, and its first `this.x` throws a `TypeError`, or, in sloppy-mode scripts, reads and writes the global object instead. An arrow function used as the wrapper has no `this` of its own at all, so it cannot forward the instance even with `.call(this)`.',
    when:
      'Writing method decorators (Stage 3, with `ClassMethodDecoratorContext`, or legacy ones that replace `descriptor.value`) and higher-order helpers applied to methods (`this.save = withRetry(this.save)`, `Foo.prototype.load = logged(Foo.prototype.load)`).',
    whenNot:
      'Higher-order functions applied to plain functions (`withRetry(fetchUser)`): there is no `this` to lose, so the rule reports a wrapper only when something in the file shows it wraps methods: a `ClassMethodDecoratorContext` parameter, a `context` parameter whose `kind` is read, a legacy `descriptor.value` replacement, use as `@decorator` on a method that reads `this`, or `this.m = wrap(this.m)` / `C.prototype.m = wrap(C.prototype.m)` on a method that reads `this`. Wrappers that forward `this` (`fn.call(this, …)`, `fn.apply(this, args)`, `Reflect.apply(fn, self, args)`) are fine. In TypeScript files it stays silent when the wrapped function declares its `this` type (`(this: This, ...args: Args) => R`): the compiler already reports the plain call (TS2684).',
    pitfall:
      'Forwarding needs a wrapper written with `function`, not an arrow, and `fn.call(this, ...args)` (or `fn.apply(this, args)`). In TypeScript the wrapper then needs a `this` parameter (`function (this: This, ...args: Args)`) under `noImplicitThis`, which `strict` turns on.',
  },
  python: {
    name: 'a decorator without `functools.wraps`',
    example: 'def logged(fn):\n    return functools.wraps(fn)(lambda *args, **kw: fn(*args, **kw))  # self is args[0]',
    note: 'A Python method receives its instance as the first positional argument, so a wrapper that forwards `*args` forwards `self` too; what it loses without `functools.wraps` is the name and docstring. In JavaScript the instance travels outside the arguments, as `this`, and must be passed on explicitly.',
  },
  examples: {
    incorrect: [
      `function logged<Args extends unknown[], Return>(original: (...args: Args) => Return, context: ClassMethodDecoratorContext) {
  return function (...args: Args): Return {
    console.log(\`calling \${String(context.name)}\`);
    return original(...args);
  };
}

export class Counter {
  count = 0;

  @logged
  increment(): number {
    return ++this.count;
  }
}
`,
    ],
    correct: [
      `function logged<This, Args extends unknown[], Return>(
  original: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  return function (this: This, ...args: Args): Return {
    console.log(\`calling \${String(context.name)}\`);
    return original.call(this, ...args);
  };
}

export class Counter {
  count = 0;

  @logged
  increment(): number {
    return ++this.count;
  }
}
`,
      `function withRetry<Args extends unknown[], Return>(fn: (...args: Args) => Promise<Return>) {
  return async (...args: Args): Promise<Return> => {
    try {
      return await fn(...args);
    } catch {
      return fn(...args);
    }
  };
}

export const fetchText = withRetry(async (url: string) => (await fetch(url)).text());
`,
    ],
  },
  links: [
    { title: 'MDN: this', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/this' },
    { title: 'MDN: Function.prototype.call()', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Function/call' },
    { title: 'TypeScript 5.0: Decorators', url: 'https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators' },
    { title: 'TypeScript handbook: Declaring `this` in a function', url: 'https://www.typescriptlang.org/docs/handbook/2/functions.html#declaring-this-in-a-function' },
  ],
  fixes: [
    {
      id: 'forward-this',
      title: 'Forward `this` to the wrapped method: `fn.call(this, ...args)`',
      safe: true,
      doChange: fixWith('forward-this'),
    },
    {
      id: 'forward-this-review',
      title:
        'Forward `this` with `fn.call(this, …)`, turning an arrow wrapper into a `function`: the wrapped function now runs with the wrapper\'s receiver as `this`',
      safe: false,
      doChange: fixWith('forward-this-review'),
    },
  ],
  create(context) {
    const { sourceFile } = context;
    let seen: Set<ts.Node> | undefined;

    const check = (site: Site, evidence: Evidence): void => {
      const calls = callsWithoutThis(site.wrapper, site.original);
      const first = calls[0];
      if (!first || compilerReports(site, sourceFile)) return;
      seen ??= new Set();
      if (seen.has(first)) return;
      seen.add(first);
      const plan = planFix(site, sourceFile);
      const reason =
        site.wrapper.kind === ts.SyntaxKind.ArrowFunction
          ? 'an arrow function has no `this` of its own to pass on'
          : 'the wrapper does not pass its own `this` on';
      let methods: string;
      switch (evidence.kind) {
        case 'decorator':
          methods = `decorated with \`@${evidence.name}\``;
          break;
        case 'legacy':
          methods = `wrapped through \`${evidence.descriptor}.value\``;
          break;
        case 'method-reference':
          methods = `wrapped as in ${quote(evidence.usage, sourceFile)}`;
          break;
      }
      context.report({
        at: first,
        message: `${quote(first, sourceFile)} calls the original method without \`this\` (${reason}), so methods ${methods} run with \`this\` undefined and fail on their first \`this.…\`.`,
        fixes: plan ? [plan.id] : [],
      });
    };

    let checkedDecorators: Set<ts.Node> | undefined;
    const checkFactory = (factory: ts.FunctionLikeDeclaration, parameterIndex: number, evidence: Evidence): void => {
      if (evidence.kind === 'decorator') {
        checkedDecorators ??= new Set();
        if (checkedDecorators.has(factory)) return;
        checkedDecorators.add(factory);
      }
      const parameter = valueParameters(factory)[parameterIndex];
      if (!parameter || parameter.dotDotDotToken || parameter.name.kind !== ts.SyntaxKind.Identifier) return;
      for (const wrapper of returnedFunctions(factory)) {
        check({ factory, original: parameter.name.text, wrapper, contextual: false }, evidence);
      }
    };

    const decoratorName = (fn: ts.FunctionLikeDeclaration): string => (fn.name && ts.isIdentifier(fn.name) ? fn.name.text : 'this decorator');

    const onFunction = (node: ts.Node): void => {
      const fn = node as ts.FunctionLikeDeclaration;
      if (fn.parameters.length < 2 || !isTypedMethodDecorator(fn)) return;
      checkFactory(fn, 0, { kind: 'decorator', name: decoratorName(fn) });
    };

    /** `context.kind` read in a function whose second parameter is `context`: an untyped Stage-3 decorator. */
    const onPropertyAccess = (node: ts.Node): void => {
      const { expression, name } = node as ts.PropertyAccessExpression;
      if (name.text !== 'kind' || expression.kind !== ts.SyntaxKind.Identifier || (expression as ts.Identifier).text !== 'context') return;
      const resolved = findDeclaration('context', context.ancestors);
      const fn = resolved && context.ancestors[resolved.index];
      if (!fn || !isFunctionLike(fn) || decoratorParameters(fn)?.[1] !== resolved.node || isTypedMethodDecorator(fn)) return;
      checkFactory(fn, 0, { kind: 'decorator', name: decoratorName(fn) });
    };

    /** `x.m = hof(x.m)` (or a field `m = hof(this.m)`) where `x.m` is a method: `this.m` of a method using `this`, or `C.prototype.m`. */
    const onMethodReference = (target: ts.Expression, value: ts.Expression, usage: ts.Node): void => {
      const call = skipOuterExpressions(value);
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !isMethodReference(target)) return;
      const index = call.arguments.findIndex((argument) => sameChain(argument, target));
      if (index < 0) return;
      const resolved = findDeclaration(call.expression.text, context.ancestors);
      const factory = resolved && definedFunction(resolved.node);
      if (factory) checkFactory(factory, index, { kind: 'method-reference', name: call.expression.text, usage });
    };

    const isMethodReference = (target: ts.Expression): boolean => {
      if (!ts.isPropertyAccessExpression(target) && !ts.isElementAccessExpression(target)) return false;
      const object = skipOuterExpressions(target.expression);
      if (ts.isPropertyAccessExpression(object) && object.name.text === 'prototype') return true;
      if (object.kind !== ts.SyntaxKind.ThisKeyword || !ts.isPropertyAccessExpression(target)) return false;
      // `this.m`: a method of the enclosing class that uses `this` (an arrow-function field is already bound).
      for (let i = context.ancestors.length - 1; i >= 0; i--) {
        const ancestor = context.ancestors[i]!;
        if (!ts.isClassLike(ancestor)) continue;
        const member = ancestor.members.find(
          (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === target.name.text,
        );
        return member?.body !== undefined && usesOwnThis(member.body);
      }
      return false;
    };

    return {
      [ts.SyntaxKind.FunctionDeclaration]: onFunction,
      [ts.SyntaxKind.FunctionExpression]: onFunction,
      [ts.SyntaxKind.ArrowFunction]: onFunction,
      [ts.SyntaxKind.PropertyAccessExpression]: onPropertyAccess,
      [ts.SyntaxKind.Decorator](node) {
        // A decorator known only from its use: it counts when it decorates a method that uses `this`.
        const owner = context.ancestors[context.ancestors.length - 1];
        if (!owner || owner.kind !== ts.SyntaxKind.MethodDeclaration) return;
        const body = (owner as ts.MethodDeclaration).body;
        if (!body || !usesOwnThis(body)) return;
        const expression = skipOuterExpressions((node as ts.Decorator).expression);
        const isFactoryCall = ts.isCallExpression(expression);
        const callee = isFactoryCall ? skipOuterExpressions(expression.expression) : expression;
        if (!ts.isIdentifier(callee)) return;
        const resolved = findDeclaration(callee.text, context.ancestors);
        const defined = resolved && definedFunction(resolved.node);
        if (!defined) return;
        const evidence: Evidence = { kind: 'decorator', name: callee.text };
        if (!isFactoryCall) {
          checkFactory(defined, 0, evidence);
          return;
        }
        for (const decorator of returnedFunctions(defined)) checkFactory(decorator, 0, evidence);
      },
      [ts.SyntaxKind.BinaryExpression](node) {
        const { left, operatorToken, right } = node as ts.BinaryExpression;
        if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) return;
        const value = skipOuterExpressions(right);
        if (value.kind === ts.SyntaxKind.CallExpression) {
          onMethodReference(left, value, node);
          return;
        }
        // Legacy decorator: `descriptor.value = function (…) { original(…) }` with `const original = descriptor.value`.
        if (left.name.text !== 'value' || !ts.isIdentifier(left.expression) || !isWrapper(value)) return;
        const descriptor = left.expression.text;
        if (!isDescriptorName(descriptor)) return;
        let factory: ts.FunctionLikeDeclaration | undefined;
        for (let i = context.ancestors.length - 1; i >= 0 && !factory; i--) {
          const ancestor = context.ancestors[i]!;
          if (isFunctionLike(ancestor)) factory = ancestor;
        }
        if (!factory) return;
        for (const original of originalsFromDescriptor(factory, descriptor)) {
          check({ factory, original, wrapper: value as Wrapper, contextual: true }, { kind: 'legacy', descriptor });
        }
      },
      [ts.SyntaxKind.PropertyDeclaration](node) {
        const { name, initializer } = node as ts.PropertyDeclaration;
        if (!initializer || !ts.isIdentifier(name)) return;
        const value = skipOuterExpressions(initializer);
        if (!ts.isCallExpression(value)) return;
        const target = value.arguments.find((argument) => {
          const a = skipOuterExpressions(argument);
          return ts.isPropertyAccessExpression(a) && a.name.text === name.text && a.expression.kind === ts.SyntaxKind.ThisKeyword;
        });
        if (target) onMethodReference(skipOuterExpressions(target), value, node);
      },
    };
  },
};
