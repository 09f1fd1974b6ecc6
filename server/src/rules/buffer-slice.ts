import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { nodePathAt } from '../edits/locate';
import type { RuleDefinition } from '../patterns/types';
import { propertyChainRoot, skipOuterExpressions } from '../syntax/expressions';
import { isJavaScriptFile } from '../syntax/files';
import { countDeclarations } from '../syntax/globals';
import { resolveBinding, writesTo } from '../syntax/scopes';
import { quote } from './support/messages';
import { ModuleBindings } from './support/node-modules';

/** `ts.SyntaxKind`, read once: each `ts.X` is a getter call on the module object. */
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

const FIX_ID = 'use-subarray';
const MODULES: ReadonlySet<string> = new Set(['fs', 'fs/promises', 'buffer']);

/** `Buffer.<name>(...)` calls that return a new Buffer. */
const BUFFER_FACTORIES: ReadonlySet<string> = new Set(['from', 'alloc', 'allocUnsafe', 'allocUnsafeSlow', 'concat', 'of', 'copyBytesFrom']);

/**
 * Members of a Buffer whose type does not depend on the kind of memory behind it (`Buffer<ArrayBuffer>`
 * or `Buffer<ArrayBufferLike>`): using the result of `subarray` through them type-checks wherever
 * using the result of `slice` did. `read*`/`write*` methods count too.
 */
const TYPE_NEUTRAL_MEMBERS: ReadonlySet<string> = new Set([
  'toString',
  'toJSON',
  'equals',
  'compare',
  'copy',
  'indexOf',
  'lastIndexOf',
  'includes',
  'length',
  'byteLength',
  'byteOffset',
]);

function isTypeNeutralMember(name: string): boolean {
  return TYPE_NEUTRAL_MEMBERS.has(name) || /^(read|write)[A-Z]/.test(name);
}

/** What is known of a value: it is a Node Buffer; `backed`: its static type is `Buffer<ArrayBuffer>`. */
interface Known {
  readonly backed: boolean;
}

interface Declaration {
  readonly name: ts.Identifier;
  /** The ancestors of the declaration (root first), to resolve the names in its initializer. */
  readonly ancestors: readonly ts.Node[];
  readonly initializer: ts.Expression | undefined;
  /** `Buffer` written as its type; `backed` when it is `Buffer<ArrayBuffer>`. */
  readonly annotation: Known | undefined;
  readonly isConst: boolean;
}

interface Candidate {
  readonly call: ts.CallExpression;
  readonly callee: ts.PropertyAccessExpression;
  readonly receiver: ts.Expression;
  /** The ancestors of the `slice` call (the call excluded), root first. */
  readonly ancestors: readonly ts.Node[];
}

/** `Buffer` or `Buffer<ArrayBuffer>` as a type annotation. */
function bufferAnnotation(type: ts.TypeNode | undefined): Known | undefined {
  if (!type || type.kind !== K.TypeReference) return undefined;
  const { typeName, typeArguments } = type as ts.TypeReferenceNode;
  if (typeName.kind !== K.Identifier || typeName.text !== 'Buffer') return undefined;
  const argument = typeArguments?.[0];
  const backed =
    !!argument &&
    argument.kind === K.TypeReference &&
    (argument as ts.TypeReferenceNode).typeName.kind === K.Identifier &&
    ((argument as ts.TypeReferenceNode).typeName as ts.Identifier).text === 'ArrayBuffer';
  return { backed };
}

/**
 * Whether an expression has the shape of something that makes a Buffer (decided at the walk's end):
 * `Buffer.from(...)` and the other factories, `readFileSync(...)` / `await readFile(...)` reached
 * through an import of `fs` seen so far, and `slice`/`subarray` of a name in `names` or of those.
 */
function mayMakeBuffer(expression: ts.Expression, names: ReadonlySet<string> | undefined, modules: ModuleBindings): boolean {
  let current = skipOuterExpressions(expression);
  if (current.kind === K.AwaitExpression) current = skipOuterExpressions((current as ts.AwaitExpression).expression);
  if (current.kind !== K.CallExpression) return false;
  const callee = skipOuterExpressions((current as ts.CallExpression).expression);
  let name: string;
  if (callee.kind === K.Identifier) name = (callee as ts.Identifier).text;
  else if (callee.kind === K.PropertyAccessExpression) name = (callee as ts.PropertyAccessExpression).name.text;
  else return false;
  if (name === 'readFileSync' || name === 'readFile') return !modules.isEmpty && modules.pathOf(callee) !== undefined;
  if (callee.kind !== K.PropertyAccessExpression) return false;
  const target = skipOuterExpressions((callee as ts.PropertyAccessExpression).expression);
  if (name === 'slice' || name === 'subarray') {
    return target.kind === K.Identifier ? !!names?.has((target as ts.Identifier).text) : mayMakeBuffer(target, names, modules);
  }
  return BUFFER_FACTORIES.has(name) && target.kind === K.Identifier && (target as ts.Identifier).text === 'Buffer';
}

/** `readFileSync(path)` / `readFile(path, { flag })`: no encoding, so the result is a Buffer. */
function readsBytes(call: ts.CallExpression): boolean {
  if (call.arguments.length === 1) return !ts.isSpreadElement(call.arguments[0]!);
  if (call.arguments.length !== 2) return false;
  const options = skipOuterExpressions(call.arguments[1]!);
  return (
    ts.isObjectLiteralExpression(options) &&
    options.properties.every(
      (property) =>
        (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
        ts.isIdentifier(property.name) &&
        property.name.text !== 'encoding',
    )
  );
}

/** `Buffer.from('text')`, `Buffer.from([1, 2])`, `Buffer.from(text, 'hex')`: typed `Buffer<ArrayBuffer>`. */
function fromMakesArrayBufferBacked(call: ts.CallExpression): boolean {
  const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!first) return false;
  if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first) || ts.isArrayLiteralExpression(first)) return true;
  const second = call.arguments[1];
  return call.arguments.length === 2 && !!second && ts.isStringLiteralLike(skipOuterExpressions(second));
}

export const bufferSlice: RuleDefinition = {
  id: 'buffer-slice',
  kind: 'gotcha',
  category: 'runtime',
  seeds: ['002'],
  defaultSeverity: 'warning',
  prose: {
    title: '`Buffer#slice` (a view, not a copy)',
    summary:
      '`buf.slice(start, end)` on a Node `Buffer` returns a view sharing its memory, unlike `slice` on arrays and other typed arrays, which copies; it is deprecated in favour of `subarray`, which does the same.',
    what:
      'A Buffer is a `Uint8Array`, but Node overrides `slice` on it: the result shares memory with the original, so writing into the "slice" changes the original and writing into the original changes the "slice". Code that slices to take a snapshot (a header kept while the buffer is reused, a chunk handed to another part of the program) sees its bytes change under it. Node deprecated `Buffer#slice` for this reason (DEP0158, documentation-only) and points to `buf.subarray`, which returns the same view.',
    when:
      'Parsing binary data and keeping pieces of it, reusing one buffer for several reads, or code written for `Uint8Array` (where `slice` copies) that receives a Buffer: `Uint8Array` code may rely on the copy.',
    whenNot:
      'The rule reports only `slice` calls on values it can see are Node Buffers: results of `Buffer.from`/`alloc`/`allocUnsafe`/`concat`/`of`, of `fs.readFileSync` and `fs/promises` `readFile` without an encoding, variables and parameters declared as `Buffer`, and `slice`/`subarray` results of those, when no other declaration of `Buffer` is in the file and the variable is not reassigned with something else. It never reports `slice` on strings, arrays, typed arrays or values of unknown type.',
    pitfall:
      'The quick fix (`subarray`) keeps behaviour exactly: `Buffer#slice` is implemented as `subarray`. If the code needs an independent copy, the fix does not provide it: copy with `Uint8Array.prototype.slice.call(buf, start, end)` or `Buffer.from(buf.subarray(start, end))`. In TypeScript with recent `@types/node`, `subarray` keeps the buffer\'s memory type (`Buffer<ArrayBufferLike>` for a plain `Buffer`) where `slice` returned `Buffer<ArrayBuffer>`; the fix is offered only where that cannot matter (JavaScript files, buffers known to be `Buffer<ArrayBuffer>`, results only read through members such as `toString` or `length`).',
  },
  python: {
    name: '`memoryview` slices (views) versus `bytes`/`bytearray` slices (copies)',
    example: 'data = bytearray(b"header"); copy, view = data[:3], memoryview(data)[:3]\ndata[0] = ord("H"); print(bytes(copy), bytes(view))   # b\'hea\' b\'Hea\'',
    note: 'Slicing `bytes` or `bytearray` copies, like `Uint8Array#slice`; slicing a `memoryview` shares memory, like `Buffer#slice` and `subarray`. In Node the familiar name `slice` is the memoryview behaviour.',
  },
  examples: {
    incorrect: [
      `export function splitHeader(packet: Buffer): { header: string; body: Buffer } {
  const header = packet.slice(0, 4).toString('hex');
  return { header, body: packet.subarray(4) };
}
`,
    ],
    correct: [
      `export function splitHeader(packet: Buffer): { header: string; body: Buffer } {
  const header = packet.subarray(0, 4).toString('hex');
  return { header, body: packet.subarray(4) };
}
`,
      `export function firstWord(line: string, words: string[]): string {
  return line.slice(0, line.indexOf(' ')) + words.slice(0, 1).join('');
}
`,
    ],
  },
  links: [
    { title: 'Node.js: buf.subarray([start[, end]])', url: 'https://nodejs.org/api/buffer.html#bufsubarraystart-end' },
    { title: 'Node.js: buf.slice([start[, end]]) (deprecated)', url: 'https://nodejs.org/api/buffer.html#bufslicestart-end' },
    { title: 'Node.js: DEP0158 buffer.slice(start, end)', url: 'https://nodejs.org/api/deprecations.html#DEP0158' },
    { title: 'MDN: TypedArray.prototype.slice() (copies)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/TypedArray/slice' },
    { title: 'MDN: TypedArray.prototype.subarray() (a view)', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/TypedArray/subarray' },
  ],
  fixes: [
    {
      id: FIX_ID,
      title: 'Use `subarray` (the same view, without the deprecated name)',
      safe: true,
      doChange(sourceFile, span) {
        const callee = nodePathAt(sourceFile, span, (node) => ts.isPropertyAccessExpression(node) && node.name.text === 'slice')?.at(-1);
        if (!callee || !ts.isPropertyAccessExpression(callee)) return [];
        return new EditBuilder(sourceFile).replaceNode(callee.name, 'subarray').build();
      },
    },
  ],
  create(context) {
    const modules = new ModuleBindings(MODULES);
    let declarations: Map<ts.Identifier, Declaration> | undefined;
    let declaredNamesSeen: Set<string> | undefined;
    let candidates: Candidate[] | undefined;

    const record = (declaration: Declaration) => {
      (declarations ??= new Map()).set(declaration.name, declaration);
      (declaredNamesSeen ??= new Set()).add(declaration.name.text);
    };

    return [modules.listeners, {
      [K.VariableDeclaration](node) {
        const declaration = node as ts.VariableDeclaration;
        if (declaration.name.kind !== K.Identifier) return;
        const annotation = bufferAnnotation(declaration.type);
        const initializer = declaration.initializer;
        if (!annotation && !(initializer && mayMakeBuffer(initializer, declaredNamesSeen, modules))) return;
        const list = context.ancestors[context.ancestors.length - 1];
        const isConst = !!list && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
        record({ name: declaration.name, ancestors: context.ancestors.slice(), initializer, annotation, isConst });
      },
      [K.Parameter](node) {
        const parameter = node as ts.ParameterDeclaration;
        if (!parameter.type || parameter.name.kind !== K.Identifier || parameter.dotDotDotToken) return;
        const annotation = bufferAnnotation(parameter.type);
        if (!annotation) return;
        record({ name: parameter.name as ts.Identifier, ancestors: context.ancestors.slice(), initializer: undefined, annotation, isConst: false });
      },
      calls: {
        slice(node) {
          const call = node as ts.CallExpression;
          const callee = call.expression as ts.PropertyAccessExpression;
          if (callee.kind !== K.PropertyAccessExpression) return;
          const receiver = skipOuterExpressions(callee.expression);
          if (receiver.kind === K.Identifier ? !declaredNamesSeen?.has((receiver as ts.Identifier).text) : !mayMakeBuffer(receiver, declaredNamesSeen, modules)) {
            return;
          }
          (candidates ??= []).push({ call, callee, receiver, ancestors: context.ancestors.slice() });
        },
      },
      onWalkEnd() {
        if (!candidates) return;
        const sourceFile = context.sourceFile;

        // Names whose import decides what they are must be declared once in the file (the import), and
        // `Buffer` nowhere (the global) or only by its import from `node:buffer`. One scan of the file,
        // made only once a candidate reaches a Buffer factory, a `Buffer` type or an `fs` function.
        let counts: Map<string, number> | undefined;
        const count = (name: string): number =>
          (counts ??= countDeclarations(sourceFile, new Set(['Buffer', ...modules.names()]), { types: true })).get(name) ?? 0;
        let nodeBufferMemo: boolean | undefined;
        const isNodeBuffer = (): boolean =>
          (nodeBufferMemo ??= count('Buffer') === 0 || (count('Buffer') === 1 && modules.bindingOf('Buffer') === 'buffer#Buffer'));
        const trusted = (expression: ts.Expression): string | undefined => {
          if (modules.isEmpty) return undefined;
          const root = propertyChainRoot(expression);
          if (root && count(root.text) !== 1) return undefined;
          return modules.pathOf(expression);
        };

        const memo = new Map<Declaration, Known | null>();
        const inProgress = new Set<Declaration>();

        /** What is known of `expression`, written inside `ancestors`. */
        const evaluate = (expression: ts.Expression, ancestors: readonly ts.Node[]): Known | undefined => {
          let current = skipOuterExpressions(expression);
          if (ts.isIdentifier(current)) return evaluateName(current.text, ancestors);
          const awaited = ts.isAwaitExpression(current);
          if (awaited) current = skipOuterExpressions((current as ts.AwaitExpression).expression);
          if (!ts.isCallExpression(current)) return undefined;
          const callee = skipOuterExpressions(current.expression);
          const path = trusted(callee);
          if (awaited) {
            const promises = path === 'fs/promises#readFile' || path === 'fs#promises#readFile';
            return promises && readsBytes(current) ? { backed: true } : undefined;
          }
          if (path === 'fs#readFileSync') return readsBytes(current) ? { backed: true } : undefined;
          if (!ts.isPropertyAccessExpression(callee)) return undefined;
          const method = callee.name.text;
          const target = skipOuterExpressions(callee.expression);
          if (BUFFER_FACTORIES.has(method) && ts.isIdentifier(target) && target.text === 'Buffer') {
            return isNodeBuffer() ? { backed: method !== 'from' || fromMakesArrayBufferBacked(current) } : undefined;
          }
          if (method === 'slice' || method === 'subarray') return evaluate(target, ancestors);
          return undefined;
        };

        const evaluateName = (name: string, ancestors: readonly ts.Node[]): Known | undefined => {
          const resolution = resolveBinding(name, ancestors);
          if (resolution.kind !== 'declared') return undefined;
          const declaration = declarations?.get(resolution.declaration);
          return declaration ? evaluateDeclaration(declaration, resolution.scope) : undefined;
        };

        /** A declaration's value, if every value it can hold is a Buffer. */
        const evaluateDeclaration = (declaration: Declaration, scope: ts.Node): Known | undefined => {
          const cached = memo.get(declaration);
          if (cached !== undefined) return cached ?? undefined;
          if (inProgress.has(declaration)) return undefined;
          inProgress.add(declaration);
          let known: Known | undefined = declaration.annotation && isNodeBuffer() ? declaration.annotation : undefined;
          if (!known && declaration.initializer) known = evaluate(declaration.initializer, declaration.ancestors);
          if (known && !declaration.isConst && !declaration.annotation) {
            // Not declared as `Buffer`: every assignment must store a Buffer too.
            const scopeIndex = declaration.ancestors.indexOf(scope);
            const outer = scopeIndex >= 0 ? declaration.ancestors.slice(0, scopeIndex + 1) : undefined;
            for (const { value, path } of writesTo(scope, declaration.name.text)) {
              if (!value || !outer || !storesBuffer(value, declaration.name.text, [...outer, ...path])) {
                known = undefined;
                break;
              }
            }
          }
          inProgress.delete(declaration);
          memo.set(declaration, known ?? null);
          return known;
        };

        /** Whether `value`, assigned to `self` at `ancestors`, is a Buffer: `self.slice(4)` or any known Buffer. */
        const storesBuffer = (value: ts.Expression, self: string, ancestors: readonly ts.Node[]): boolean => {
          const current = skipOuterExpressions(value);
          if (ts.isCallExpression(current)) {
            const callee = skipOuterExpressions(current.expression);
            if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'slice' || callee.name.text === 'subarray')) {
              const target = skipOuterExpressions(callee.expression);
              if (ts.isIdentifier(target) && target.text === self) return true;
            }
          }
          return evaluate(current, ancestors) !== undefined;
        };

        const javascript = isJavaScriptFile(sourceFile);
        for (const candidate of candidates) {
          const known = evaluate(candidate.receiver, candidate.ancestors);
          if (!known) continue;
          const { call, receiver } = candidate;
          const offered = javascript || known.backed || isTypeNeutralUse(candidate);
          context.report({
            at: candidate.callee,
            message: `${quote(call, sourceFile)} returns a view that shares memory with ${quote(receiver, sourceFile)}: writes to either one show in the other, whereas \`slice\` on arrays and other typed arrays copies. \`Buffer#slice\` is deprecated (DEP0158); \`subarray\` does the same and says so, and \`Uint8Array.prototype.slice.call(…)\` copies.`,
            fixes: offered ? [FIX_ID] : [],
          });
        }
      },
    }];
  },
};

/**
 * Whether the result of the `slice` call is used only where its exact Buffer type cannot matter, so
 * that `subarray` (typed `Buffer<T>` like its receiver, where `slice` gives `Buffer<ArrayBuffer>`)
 * type-checks wherever `slice` did.
 */
function isTypeNeutralUse(candidate: Candidate): boolean {
  const { ancestors, receiver } = candidate;
  let child: ts.Node = candidate.call;
  let i = ancestors.length - 1;
  while (i >= 0 && ancestors[i]!.kind === K.ParenthesizedExpression) child = ancestors[i--]!;
  const parent = ancestors[i];
  if (!parent) return false;
  if (isNeutralPosition(child, parent, ancestors[i - 1])) return true;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === K.EqualsToken && parent.right === child) {
    // `buf = buf.slice(4)`: the variable keeps its declared type, which the receiver has.
    const left = skipOuterExpressions(parent.left);
    return ts.isIdentifier(left) && ts.isIdentifier(receiver) && left.text === receiver.text;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === child && !parent.type && ts.isIdentifier(parent.name)) {
    const list = ancestors[i - 1];
    if (!list || !ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return false;
    // The scope of a `const`: the nearest block-like ancestor.
    for (let j = i - 2; j >= 0; j--) {
      const scope = ancestors[j]!;
      if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseBlock(scope) || ts.isIterationStatement(scope, false)) {
        return usesAreTypeNeutral(scope, parent.name);
      }
    }
  }
  return false;
}

/** `x.toString()`, `x.length`, `x[0]`, `` `${x}` ``, an element of `Buffer.concat([...])`, or a discarded value. */
function isNeutralPosition(child: ts.Node, parent: ts.Node, grandparent: ts.Node | undefined): boolean {
  switch (parent.kind) {
    case K.ExpressionStatement:
    case K.TemplateSpan:
      return true;
    case K.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).expression === child && isTypeNeutralMember((parent as ts.PropertyAccessExpression).name.text);
    case K.ElementAccessExpression:
      return (parent as ts.ElementAccessExpression).expression === child;
    case K.ArrayLiteralExpression: {
      if (!grandparent || !ts.isCallExpression(grandparent)) return false;
      const callee = skipOuterExpressions(grandparent.expression);
      return (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'concat' &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'Buffer'
      );
    }
    default:
      return false;
  }
}

/** Whether every use of the `const` named by `name` in `scope` is a type-neutral position. */
function usesAreTypeNeutral(scope: ts.Node, name: ts.Identifier): boolean {
  let ok = true;
  const path: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (node.kind === K.Identifier) {
      if ((node as ts.Identifier).text !== name.text || node === name) return;
      const parent = path[path.length - 1]!;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return;
      // A redeclaration (shadowing) or a use whose type matters: give up.
      if (!isNeutralPosition(node, parent, path[path.length - 2])) ok = false;
      return;
    }
    path.push(node);
    forEachChild(node, visit);
    path.pop();
  };
  visit(scope);
  return ok;
}
