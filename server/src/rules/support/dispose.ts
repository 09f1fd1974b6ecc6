import * as ts from 'typescript';

/** Which of `[Symbol.dispose]` / `[Symbol.asyncDispose]` a type has, asked of the checker. */

/** The property names (`__@dispose@NN`) of `Symbol.dispose` and `Symbol.asyncDispose` in one checker. */
interface DisposeKeys {
  readonly dispose?: ts.__String;
  readonly asyncDispose?: ts.__String;
}

const disposeKeysByChecker = new WeakMap<ts.TypeChecker, DisposeKeys>();

function uniqueSymbolName(checker: ts.TypeChecker, constructorType: ts.Type, name: string): ts.__String | undefined {
  const property = checker.getPropertyOfType(constructorType, name);
  if (!property) return undefined;
  const type = checker.getTypeOfSymbol(property);
  return type.flags & ts.TypeFlags.UniqueESSymbol ? (type as ts.UniqueESSymbolType).escapedName : undefined;
}

/**
 * The names under which the checker keys properties declared `[Symbol.dispose]` and
 * `[Symbol.asyncDispose]`: the unique symbol types of `SymbolConstructor`'s `dispose` and
 * `asyncDispose`. A user's own `const dispose = Symbol()` gets another name, so it never matches.
 */
function disposeKeys(checker: ts.TypeChecker): DisposeKeys {
  let keys = disposeKeysByChecker.get(checker);
  if (!keys) {
    const symbol = checker.resolveName('Symbol', undefined, ts.SymbolFlags.Value, false);
    const constructorType = symbol && checker.getTypeOfSymbol(symbol);
    keys = constructorType
      ? { dispose: uniqueSymbolName(checker, constructorType, 'dispose'), asyncDispose: uniqueSymbolName(checker, constructorType, 'asyncDispose') }
      : {};
    disposeKeysByChecker.set(checker, keys);
  }
  return keys;
}

export interface DisposeMethods {
  /** Has `[Symbol.dispose]`. */
  readonly sync: boolean;
  /** Has `[Symbol.asyncDispose]`. */
  readonly async: boolean;
}

/** Which of `[Symbol.dispose]` / `[Symbol.asyncDispose]` a type has (on every member, for a union). */
export function disposeMethodsOf(checker: ts.TypeChecker, type: ts.Type): DisposeMethods {
  const keys = disposeKeys(checker);
  if (!keys.dispose && !keys.asyncDispose) return { sync: false, async: false };
  let sync = false;
  let async = false;
  for (const property of checker.getPropertiesOfType(type)) {
    if (property.escapedName === keys.dispose) sync = true;
    else if (property.escapedName === keys.asyncDispose) async = true;
  }
  return { sync, async };
}
