import * as ts from 'typescript';
import { callsNamed } from '../syntax/expressions';
import { fileDeclares } from '../syntax/globals';
import { methodName, newCalleeName, newSpan } from './support-f';
import type { PatternDefinition, Span } from './types';

const TYPED_ARRAYS = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** Members that make a file's own `subarray` a look-alike of `TypedArray#subarray`. */
const MEMBER_KINDS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.VariableDeclaration,
]);

/** Whether the file declares a `subarray` of its own (method, property, function or variable); scanned only once a call was seen. */
function declaresSubarray(sourceFile: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (MEMBER_KINDS.has(node.kind)) {
      const name = (node as ts.NamedDeclaration).name;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'subarray') found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * Reports views over existing memory:
 * - `new DataView(...)` (any arguments: a `DataView` is always a view);
 * - `new Uint8Array(buffer, byteOffset[, length])` and the other typed arrays with two or more
 *   arguments, which is only the buffer-view form (one argument may be a length or a copy source);
 * - `Buffer.from(arrayBuffer, byteOffset, length)` (three arguments: two may be string + encoding);
 * - `x.subarray(...)`, on the name `subarray`. Arrays have no `subarray`, so the receiver is a typed
 *   array or a `Buffer` unless the file declares its own `subarray` member or function, in which
 *   case every `subarray` call of the file is left alone. Calls on `this` / `super` are skipped.
 * A file that redeclares `DataView`, `Buffer` or a typed array name is not reported for that name.
 */
export const typedArrayView: PatternDefinition = {
  id: 'typed-array-view',
  kind: 'pattern',
  category: 'runtime',
  seeds: ['002'],
  prose: {
    title: 'Typed array view (`subarray`, `DataView`)',
    summary:
      'A typed array or `DataView` that looks at part of an existing `ArrayBuffer` without copying it, so every read and write goes to the same bytes.',
    what:
      '`new Uint8Array(buffer, byteOffset, length)` and `new DataView(buffer, byteOffset, byteLength)` wrap memory that already exists, and `typed.subarray(begin, end)` returns a new view on the same `ArrayBuffer`: nothing is copied, so a write through one view shows in all of them, whereas `typed.slice()` copies. A `DataView` reads numbers of any width at any byte offset, big-endian unless its last `littleEndian` argument is `true`; typed arrays use the platform byte order and need a `byteOffset` that is a multiple of their element size (`new Uint32Array(buffer, 3)` throws a `RangeError`).',
    when:
      'Parsing or producing binary data (file headers, network frames, WebAssembly memory) where you hand out windows onto one large buffer instead of copying; `DataView` for records that mix field widths or fix a byte order, such as big-endian protocol headers.',
    whenNot:
      'When the consumer must own its bytes (you refill the source buffer, or the consumer keeps the data): copy with `slice()`. A view also keeps its whole `ArrayBuffer` reachable, so a 16-byte `subarray` of a 50 MB read pins all 50 MB.',
    pitfall:
      'A Node `Buffer` is itself a view, often into a shared 8 KiB pool: `new Uint8Array(buf.buffer)` sees unrelated bytes, so pass `buf.byteOffset` and `buf.byteLength` too. And `Buffer#slice` shares memory, unlike `Uint8Array#slice`; Node deprecates it in favour of `subarray`, whose name says what it does.',
  },
  python: {
    name: '`memoryview`',
    example: 'window = memoryview(packet)[4:12]  # no copy\nheader = bytes(window)  # an explicit copy',
    note:
      'Slicing a `memoryview` is the same zero-copy window as `subarray`, and `bytes(view)` copies like `slice()`. `DataView` plays the part of `struct.unpack_from` on a buffer, with an endianness flag per call instead of a format string.',
  },
  example: `/** A frame: an 8-byte big-endian header (version, flags, payload length), then the payload. */
export interface Frame {
  readonly version: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

export function readFrame(bytes: Uint8Array): Frame {
  // A view on the caller's memory: no bytes are copied.
  const header = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const length = header.getUint32(4);
  return {
    version: header.getUint16(0),
    flags: header.getUint16(2),
    payload: bytes.subarray(8, 8 + length),
  };
}
`,
  links: [
    {
      title: 'MDN: TypedArray.prototype.subarray()',
      url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/TypedArray/subarray',
    },
    { title: 'MDN: DataView', url: 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/DataView' },
    { title: 'Node.js: buf.subarray()', url: 'https://nodejs.org/api/buffer.html#bufsubarraystart-end' },
  ],
  create(context) {
    const pending: { name: string; span: Span }[] = [];
    const subarrayCalls: ts.MemberName[] = [];

    return {
      [ts.SyntaxKind.NewExpression](node) {
        const expression = node as ts.NewExpression;
        const name = newCalleeName(expression);
        if (name === undefined) return;
        if (name === 'DataView' || (TYPED_ARRAYS.has(name) && (expression.arguments?.length ?? 0) >= 2)) {
          pending.push({ name, span: newSpan(expression, context.sourceFile) });
        }
      },
      calls: callsNamed(['subarray', 'from'], (node) => {
        const call = node as ts.CallExpression;
        const name = methodName(call);
        if (!name || !ts.isIdentifier(name)) return;
        if (name.text === 'subarray') {
          const receiver = (call.expression as ts.PropertyAccessExpression).expression;
          if (receiver.kind !== ts.SyntaxKind.ThisKeyword && receiver.kind !== ts.SyntaxKind.SuperKeyword) {
            subarrayCalls.push(name);
          }
        } else if (name.text === 'from' && call.arguments.length === 3) {
          const receiver = (call.expression as ts.PropertyAccessExpression).expression;
          if (ts.isIdentifier(receiver) && receiver.text === 'Buffer') {
            pending.push({ name: 'Buffer', span: { start: receiver.getStart(context.sourceFile), end: name.end } });
          }
        }
      }),
      onWalkEnd() {
        for (const { name, span } of pending) if (!fileDeclares(context.sourceFile, name)) context.report(span);
        if (subarrayCalls.length > 0 && !declaresSubarray(context.sourceFile)) for (const name of subarrayCalls) context.report(name);
      },
    };
  },
};
