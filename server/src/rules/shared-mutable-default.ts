import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { chainDepth, chainRoot, skipOuterExpressionsExceptAsConst } from '../syntax/expressions';
import { isFunctionLike } from '../syntax/functions';
import { hasModifier } from '../syntax/modifiers';
import { identifierWords } from '../syntax/names';
import { bindsName, declarationIn, findDeclaration, forEachReference } from '../syntax/scopes';
import { quote } from './support/messages';
import { describeMutation, mutatedTarget, type Mutation } from './support/mutations';

type ContainerKind = 'array' | 'object' | 'Map' | 'Set' | 'WeakMap' | 'WeakSet';

const CONSTRUCTED: ReadonlyMap<string, ContainerKind> = new Map([
  ['Array', 'array'],
  ['Object', 'object'],
  ['Map', 'Map'],
  ['Set', 'Set'],
  ['WeakMap', 'WeakMap'],
  ['WeakSet', 'WeakSet'],
]);

/** The kind of mutable container an initializer creates: a literal or `new Map()` and the like (not `as const`). */
function containerKind(initializer: ts.Expression | undefined): ContainerKind | undefined {
  if (!initializer) return undefined;
  const node = skipOuterExpressionsExceptAsConst(initializer);
  switch (node.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
      return 'array';
    case ts.SyntaxKind.ObjectLiteralExpression:
      return 'object';
    case ts.SyntaxKind.NewExpression: {
      const callee = (node as ts.NewExpression).expression;
      return callee.kind === ts.SyntaxKind.Identifier ? CONSTRUCTED.get((callee as ts.Identifier).text) : undefined;
    }
    default:
      return undefined;
  }
}

/** Names that say an object is meant to be shared and to accumulate: a cache or registry passed as a default on purpose. */
const SHARED_WORDS: ReadonlySet<string> = new Set([
  'cache',
  'caches',
  'cached',
  'memo',
  'memos',
  'registry',
  'store',
  'storage',
  'db',
  'database',
  'repo',
  'repository',
  'pool',
  'queue',
  'bus',
  'emitter',
  'listeners',
  'handlers',
  'subscribers',
  'global',
  'shared',
  'singleton',
]);
/** Names that say an object is a default value, which nobody means to change. */
const DEFAULT_WORDS: ReadonlySet<string> = new Set(['default', 'defaults', 'empty', 'initial', 'init', 'fallback', 'blank', 'template', 'base', 'preset', 'presets']);

/** The outer mutable variable a parameter's default names, resolved from the parameter's ancestors. */
function outerDefault(
  ancestors: readonly ts.Node[],
  parameter: ts.ParameterDeclaration,
): { declaration: ts.VariableDeclaration; kind: ContainerKind; scope: ts.Node } | undefined {
  const fn = ancestors[ancestors.length - 1];
  if (!fn || !isFunctionLike(fn) || !parameter.initializer) return undefined;
  const initializer = skipOuterExpressionsExceptAsConst(parameter.initializer);
  if (initializer.kind !== ts.SyntaxKind.Identifier) return undefined;
  const name = (initializer as ts.Identifier).text;
  // An earlier parameter of the same function (`(a = [], b = a)`) is fresh per call.
  for (const other of fn.parameters) {
    if (other === parameter) break;
    if (bindsName(other.name, name)) return undefined;
  }
  const resolved = findDeclaration(name, ancestors, ancestors.length - 2);
  if (!resolved || resolved.node.kind !== ts.SyntaxKind.VariableDeclaration) return undefined;
  const declaration = resolved.node as ts.VariableDeclaration;
  if (declaration.name.kind !== ts.SyntaxKind.Identifier) return undefined;
  const kind = containerKind(declaration.initializer);
  return kind ? { declaration, kind, scope: ancestors[resolved.index]! } : undefined;
}

/**
 * Whether the outer object is used as nothing but the default of this one parameter in its scope (and is
 * not exported). Read elsewhere, or the default of several functions, it is more likely shared storage.
 */
function usedOnlyAsThisDefault(declaration: ts.VariableDeclaration, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  if (scope.kind === ts.SyntaxKind.SourceFile) {
    const statement = sourceFile.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations.includes(declaration));
    if (!statement || hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return false;
  }
  const name = (declaration.name as ts.Identifier).text;
  let uses = 0;
  let other = false;
  forEachReference(scope, name, (identifier, parent) => {
    uses++;
    if (!(parent.kind === ts.SyntaxKind.Parameter && (parent as ts.ParameterDeclaration).initializer === identifier)) other = true;
  });
  return !other && uses === 1;
}

/** The changes made through parameter `name` in `body` (not where a nested scope declares the same name), or undefined if it is reassigned. */
function mutationsOf(body: ts.Node, name: string): Mutation[] | undefined {
  const found: Mutation[] = [];
  let rebound = false;
  const visit = (node: ts.Node): void => {
    if (rebound) return;
    if (node !== body && declarationIn(node, name)) return;
    const target = mutatedTarget(node);
    if (target) {
      const root = chainRoot(target);
      if (root && root.kind === ts.SyntaxKind.Identifier && root.text === name) {
        const mutation = describeMutation(node);
        if (mutation && chainRoot(mutation.object) === root) {
          if (mutation.rebinds) rebound = true;
          else found.push(mutation);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return rebound ? undefined : found;
}

function copyText(kind: ContainerKind, name: string): string | undefined {
  switch (kind) {
    case 'array':
      return `[...${name}]`;
    case 'object':
      return `{ ...${name} }`;
    case 'Map':
    case 'Set':
      return `new ${kind}(${name})`;
    default:
      return undefined;
  }
}

/** The parameter default the problem at `span` is about, with the outer object it names. */
function locate(sourceFile: ts.SourceFile, span: { start: number; end: number }) {
  const path = nodePathAt(sourceFile, span, (node) => node.kind === ts.SyntaxKind.Identifier);
  if (!path || path.length < 4) return undefined;
  const parameter = path[path.length - 2]!;
  if (parameter.kind !== ts.SyntaxKind.Parameter || !(parameter as ts.ParameterDeclaration).initializer) return undefined;
  const outer = outerDefault(path.slice(0, -2), parameter as ts.ParameterDeclaration);
  return outer && { identifier: path[path.length - 1] as ts.Identifier, ...outer };
}

export const sharedMutableDefault: RuleDefinition = {
  id: 'shared-mutable-default',
  kind: 'gotcha',
  category: 'functions',
  seeds: ['003'],
  defaultSeverity: 'warning',
  prose: {
    title: 'Parameter default that is a shared mutable object',
    summary:
      'A parameter whose default is an outer array, object, `Map` or `Set`, changed in the body: every call that omits the argument changes the same object.',
    what:
      'A default value expression is evaluated on each call that omits the argument, but evaluating a variable name gives the object it holds, not a copy. So `function tag(name, tags = DEFAULT_TAGS) { tags.push(name) }` pushes into `DEFAULT_TAGS` itself: the next call without `tags` starts from what earlier calls left there, and so does every other reader of `DEFAULT_TAGS`. Nothing fails; the results drift from call to call.',
    when:
      'Options objects and accumulators with a named default (`opts = DEFAULT_OPTIONS`, `state = initialState`, `seen = EMPTY_SET`) that the function then fills in, sorts, pushes to or deletes from.',
    whenNot:
      'A literal default (`tags = []`, `opts = {}`, `seen = new Set()`): JavaScript evaluates it again on every call, so each call gets a fresh object (unlike Python, where the default is made once). Also left alone: defaults the body never changes, parameters reassigned in the body (`opts = { ...opts }`), frozen or `as const` objects, and outer objects shared on purpose: named as a `cache`, `registry`, `store`, `storage`, `queue` and the like, or, unless named like a default (`DEFAULT_…`, `initial…`, `empty…`, `fallback…`), read elsewhere, exported, or the default of more than one parameter.',
    pitfall:
      'A shallow copy (`[...DEFAULTS]`, `{ ...DEFAULTS }`) still shares nested objects: if the body changes something nested (`opts.headers.x = …`), only a deep copy separates calls, and `structuredClone` throws on functions. Callers that pass the shared object explicitly still share it.',
  },
  python: {
    name: 'mutable default arguments',
    example: 'def remember(item, seen=[]):   # one list, made when `def` runs\n    seen.append(item); return seen',
    note: 'Python evaluates `seen=[]` once, at definition, so a literal default is already shared. JavaScript evaluates defaults on every call, so `seen = []` is safe; the same bug appears only when the default names an object that lives outside the function.',
  },
  examples: {
    incorrect: [
      `const DEFAULT_TAGS: string[] = ['v1'];

export function tagRun(name: string, tags = DEFAULT_TAGS) {
  tags.push(name);
  return tags;
}
`,
    ],
    correct: [
      `export function tagRun(name: string, tags: string[] = []) {
  tags.push(name);
  return tags;
}
`,
      `const DEFAULT_TAGS: readonly string[] = ['v1'];

export function tagRun(name: string, tags = DEFAULT_TAGS) {
  return [...tags, name];
}
`,
    ],
  },
  links: [
    { title: 'MDN: Default parameters', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Functions/Default_parameters' },
    { title: 'MDN: Shallow copy', url: 'https://developer.mozilla.org/en-US/docs/Glossary/Shallow_copy' },
  ],
  fixes: [
    {
      id: 'copy-default',
      title: 'Give each call a fresh shallow copy of the default: changes no longer carry over to later calls or reach the shared object',
      safe: false,
      doChange(sourceFile, span) {
        const found = locate(sourceFile, span);
        const text = found && copyText(found.kind, found.identifier.text);
        return found && text ? new EditBuilder(sourceFile).replaceNode(found.identifier, text).build() : [];
      },
    },
    {
      id: 'clone-default',
      title: 'Give each call a deep copy of the default (`structuredClone`): changes no longer carry over, and it throws if the default holds functions',
      safe: false,
      doChange(sourceFile, span) {
        const found = locate(sourceFile, span);
        if (!found || (found.kind !== 'array' && found.kind !== 'object')) return [];
        return new EditBuilder(sourceFile).replaceNode(found.identifier, `structuredClone(${found.identifier.text})`).build();
      },
    },
  ],
  create(context) {
    const { sourceFile } = context;
    let mutableNames: Set<string> | undefined;
    let pending: { parameter: ts.ParameterDeclaration; ancestors: ts.Node[] }[] | undefined;
    return {
      [ts.SyntaxKind.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (declaration.name.kind !== ts.SyntaxKind.Identifier || !containerKind(declaration.initializer)) return;
        (mutableNames ??= new Set()).add(declaration.name.text);
      },
      [ts.SyntaxKind.Parameter](node) {
        const parameter = node as ts.ParameterDeclaration;
        if (parameter.name.kind !== ts.SyntaxKind.Identifier || !parameter.initializer) return;
        if (skipOuterExpressionsExceptAsConst(parameter.initializer).kind !== ts.SyntaxKind.Identifier) return;
        const fn = context.ancestors[context.ancestors.length - 1];
        if (!fn || !isFunctionLike(fn) || !fn.body) return;
        (pending ??= []).push({ parameter, ancestors: context.ancestors.slice() });
      },
      onWalkEnd() {
        if (!pending || !mutableNames) return;
        for (const { parameter, ancestors } of pending) {
          const initializer = skipOuterExpressionsExceptAsConst(parameter.initializer!) as ts.Identifier;
          if (!mutableNames.has(initializer.text)) continue;
          const outer = outerDefault(ancestors, parameter);
          if (!outer) continue;
          const parameterName = (parameter.name as ts.Identifier).text;
          const words = [...identifierWords(initializer.text), ...identifierWords(parameterName)];
          if (words.some((word) => SHARED_WORDS.has(word))) continue;
          const fn = ancestors[ancestors.length - 1] as ts.FunctionLikeDeclaration;
          const mutations = mutationsOf(fn.body!, parameterName);
          if (!mutations || mutations.length === 0) continue;
          const namedAsDefault = identifierWords(initializer.text).some((word) => DEFAULT_WORDS.has(word));
          if (!namedAsDefault && !usedOnlyAsThisDefault(outer.declaration, outer.scope, sourceFile)) continue;
          const nested = mutations.some((mutation) => chainDepth(mutation.object) > 0);
          const fixes =
            !nested && copyText(outer.kind, initializer.text)
              ? ['copy-default']
              : nested && (outer.kind === 'array' || outer.kind === 'object')
                ? ['clone-default']
                : [];
          const noun = outer.kind === 'array' ? 'array' : outer.kind === 'object' ? 'object' : `\`${outer.kind}\``;
          context.report({
            at: initializer,
            message: `${quote(parameter.name, sourceFile)} defaults to ${quote(initializer, sourceFile)}, one ${noun} shared by every call, and ${quote(mutations[0]!.node, sourceFile)} changes it: later calls that omit ${quote(parameter.name, sourceFile)} see what earlier calls left.`,
            fixes,
          });
        }
      },
    };
  },
};
