import * as ts from 'typescript';

/*
 * Helpers of the type-aware rules (group R5).
 */

/** `(x)`, `x!`, `x as T`, `<T>x`, `x satisfies T`: the expression inside. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  for (;;) {
    switch (expression.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
        expression = (expression as ts.ParenthesizedExpression).expression;
        break;
      default:
        return expression;
    }
  }
}

/** Whether a node is a wrapper `skipOuterExpressions` looks through. */
export function isOuterExpression(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
    case ts.SyntaxKind.SatisfiesExpression:
      return true;
    default:
      return false;
  }
}

/** Functions, methods, accessors, constructors, arrows: the nodes whose body runs at another time. */
export function isFunctionLikeWithBody(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.ClassStaticBlockDeclaration:
      return true;
    default:
      return false;
  }
}

/** Whether `node` is a JavaScript file's tree (no type syntax allowed). */
export function isJavaScriptFile(sourceFile: ts.SourceFile): boolean {
  return /\.(?:[cm]?js|jsx)$/i.test(sourceFile.fileName);
}

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

/** Whether a type has a property of this name (looked up directly, no allocation of the whole list). */
export function hasProperty(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  return checker.getPropertyOfType(type, name) !== undefined;
}

/** Whether the compiler treats the file as a module (so a `using` declaration may sit at its top level). */
export function isModuleFile(sourceFile: ts.SourceFile): boolean {
  return ts.isExternalModule(sourceFile);
}

/**
 * Data a detector computes with the checker and its fix needs later, when no checker is at hand
 * (fixes get only the syntax tree of the same text). Kept per document text, for the few most
 * recently analysed texts; a fix that finds nothing here makes no edit.
 */
export class FixDataCache<T> {
  private readonly byText = new Map<string, Map<string, T>>();

  constructor(private readonly maxTexts = 16) {}

  /** Starts the entries of one walk over `text`, replacing those of an earlier walk over the same text. */
  begin(text: string): Map<string, T> {
    const entries = new Map<string, T>();
    this.byText.delete(text);
    this.byText.set(text, entries);
    while (this.byText.size > this.maxTexts) this.byText.delete(this.byText.keys().next().value!);
    return entries;
  }

  get(text: string, start: number, end: number): T | undefined {
    return this.byText.get(text)?.get(FixDataCache.key(start, end));
  }

  static key(start: number, end: number): string {
    return `${start}:${end}`;
  }
}
