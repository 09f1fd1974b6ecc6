import * as ts from 'typescript';

/**
 * Syntax helpers of rule group R2 (shallow-copy-mutation, shared-mutable-default, wrapper-loses-this):
 * access chains, mutations, and a conservative resolution of a name to its declaration that walks the
 * ancestor chain (the tree has no parent pointers).
 */

/** Strips parentheses, `!`, `as T` (not `as const`), `satisfies T` and `<T>x`. */
export function unwrap(node: ts.Expression): ts.Expression {
  for (;;) {
    switch (node.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        node = (node as ts.ParenthesizedExpression).expression;
        continue;
      case ts.SyntaxKind.AsExpression: {
        const type = (node as ts.AsExpression).type;
        if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const') return node;
        node = (node as ts.AsExpression).expression;
        continue;
      }
      default:
        return node;
    }
  }
}

export function isAccess(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return node.kind === ts.SyntaxKind.PropertyAccessExpression || node.kind === ts.SyntaxKind.ElementAccessExpression;
}

/**
 * The root of an access chain (`a` in `a.b[0].c`, through `!` and parentheses) when it is an identifier or
 * `this`, else undefined. Allocates nothing.
 */
export function chainRoot(node: ts.Expression): ts.Identifier | ts.ThisExpression | undefined {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.ParenthesizedExpression:
        current = (current as ts.PropertyAccessExpression).expression;
        continue;
      case ts.SyntaxKind.Identifier:
        // A missing identifier in broken code has no text.
        return (current as ts.Identifier).text === '' ? undefined : (current as ts.Identifier);
      case ts.SyntaxKind.ThisKeyword:
        return current as ts.ThisExpression;
      default:
        return undefined;
    }
  }
}

/** How many property or element accesses lead from the root to `node` (`a` 0, `a.b` 1, `a.b[0]` 2). */
export function chainDepth(node: ts.Expression): number {
  let depth = 0;
  let current = node;
  for (;;) {
    if (isAccess(current)) depth++;
    else if (current.kind !== ts.SyntaxKind.NonNullExpression && current.kind !== ts.SyntaxKind.ParenthesizedExpression) return depth;
    current = (current as ts.PropertyAccessExpression).expression;
  }
}

/** The access applied directly to the root of a chain of depth >= 1 (`a.b` in `a.b[0].c`). */
export function firstAccess(node: ts.Expression): ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined;
  let current = node;
  for (;;) {
    if (isAccess(current)) found = current;
    else if (current.kind !== ts.SyntaxKind.NonNullExpression && current.kind !== ts.SyntaxKind.ParenthesizedExpression) return found;
    current = (current as ts.PropertyAccessExpression).expression;
  }
}

/** The property an access names when it is known from syntax (`.b`, `['b']`, `[0]`), else undefined. */
export function accessKey(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (access.kind === ts.SyntaxKind.PropertyAccessExpression) return access.name.text;
  const argument = unwrap(access.argumentExpression);
  if (ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument)) return argument.text;
  return undefined;
}

/** Whether two access chains are the same syntax (`this.save` and `this.save`), ignoring trivia. */
export function sameChain(a: ts.Expression, b: ts.Expression): boolean {
  a = unwrap(a);
  b = unwrap(b);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case ts.SyntaxKind.Identifier:
      return (a as ts.Identifier).text === (b as ts.Identifier).text;
    case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression:
      return (
        (a as ts.PropertyAccessExpression).name.text === (b as ts.PropertyAccessExpression).name.text &&
        sameChain((a as ts.PropertyAccessExpression).expression, (b as ts.PropertyAccessExpression).expression)
      );
    case ts.SyntaxKind.ElementAccessExpression: {
      const keyA = accessKey(a as ts.ElementAccessExpression);
      return (
        keyA !== undefined &&
        keyA === accessKey(b as ts.ElementAccessExpression) &&
        sameChain((a as ts.ElementAccessExpression).expression, (b as ts.ElementAccessExpression).expression)
      );
    }
    default:
      return false;
  }
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Methods that change the array, `Map`, `Set` (or `WeakMap`/`WeakSet`) they are called on. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);

/**
 * A change made to an object through an access chain: `object` is the expression of the object that
 * changes (`a.b` in `a.b.c = 1`, `a.b.push(x)`, `delete a.b.c`, `a.b.c++`, `Object.assign(a.b, x)`),
 * `key` the property set or deleted (undefined for method calls and `Object.assign`). `rebinds` is set
 * when the variable itself is assigned (`a = ...`, `a++`), `object` then being the identifier.
 */
export interface Mutation {
  readonly node: ts.Expression;
  readonly object: ts.Expression;
  readonly property?: ts.PropertyAccessExpression | ts.ElementAccessExpression;
  readonly method?: string;
  readonly rebinds: boolean;
}

/**
 * The changed object's expression of a possible mutation node, before any allocation; `describeMutation`
 * gives the whole description. Undefined when `node` changes nothing through an access chain.
 */
export function mutatedTarget(node: ts.Node): ts.Expression | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.BinaryExpression: {
      const { left, operatorToken } = node as ts.BinaryExpression;
      if (!isAssignmentOperator(operatorToken.kind)) return undefined;
      return unwrap(left);
    }
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression: {
      const { operator, operand } = node as ts.PrefixUnaryExpression;
      if (operator !== ts.SyntaxKind.PlusPlusToken && operator !== ts.SyntaxKind.MinusMinusToken) return undefined;
      return unwrap(operand);
    }
    case ts.SyntaxKind.DeleteExpression:
      return unwrap((node as ts.DeleteExpression).expression);
    case ts.SyntaxKind.CallExpression: {
      const { expression, arguments: args } = node as ts.CallExpression;
      if (expression.kind !== ts.SyntaxKind.PropertyAccessExpression) return undefined;
      const callee = expression as ts.PropertyAccessExpression;
      const method = callee.name.text;
      if (MUTATING_METHODS.has(method)) return callee.expression;
      if (
        method === 'assign' &&
        callee.expression.kind === ts.SyntaxKind.Identifier &&
        (callee.expression as ts.Identifier).text === 'Object' &&
        args.length >= 2
      ) {
        return unwrap(args[0]!);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The full description of the mutation `node` makes (see `Mutation`), or undefined. */
export function describeMutation(node: ts.Node): Mutation | undefined {
  const target = mutatedTarget(node);
  if (!target) return undefined;
  if (node.kind === ts.SyntaxKind.CallExpression) {
    const callee = (node as ts.CallExpression).expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    return { node: node as ts.Expression, object: unwrap(target), method: MUTATING_METHODS.has(method) ? method : 'Object.assign', rebinds: false };
  }
  if (target.kind === ts.SyntaxKind.Identifier) return { node: node as ts.Expression, object: target, rebinds: true };
  if (!isAccess(target)) return undefined;
  return { node: node as ts.Expression, object: unwrap(target.expression), property: target, rebinds: false };
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

export function isLoop(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Whether a binding name (identifier or destructuring pattern) binds `name`. */
export function bindsName(binding: ts.BindingName, name: string): boolean {
  if (binding.kind === ts.SyntaxKind.Identifier) return binding.text === name;
  for (const element of binding.elements) {
    if (element.kind === ts.SyntaxKind.OmittedExpression) continue;
    if (bindsName(element.name, name)) return true;
  }
  return false;
}

function listDeclares(list: ts.VariableDeclarationList, name: string): ts.VariableDeclaration | undefined {
  for (const declaration of list.declarations) if (bindsName(declaration.name, name)) return declaration;
  return undefined;
}

/** The declaration of `name` a statement makes in its own block (lexical, function and class declarations, imports). */
function statementDeclares(statement: ts.Statement, name: string): ts.Node | undefined {
  switch (statement.kind) {
    case ts.SyntaxKind.VariableStatement:
      return listDeclares((statement as ts.VariableStatement).declarationList, name);
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration: {
      const declared = (statement as ts.FunctionDeclaration).name;
      return declared && declared.kind === ts.SyntaxKind.Identifier && declared.text === name ? statement : undefined;
    }
    case ts.SyntaxKind.ImportDeclaration: {
      const clause = (statement as ts.ImportDeclaration).importClause;
      if (!clause) return undefined;
      if (clause.name?.text === name) return clause;
      const bindings = clause.namedBindings;
      if (!bindings) return undefined;
      if (bindings.kind === ts.SyntaxKind.NamespaceImport) return bindings.name.text === name ? bindings : undefined;
      return bindings.elements.find((element) => element.name.text === name);
    }
    case ts.SyntaxKind.ImportEqualsDeclaration:
      return (statement as ts.ImportEqualsDeclaration).name.text === name ? statement : undefined;
    default:
      return undefined;
  }
}

const hoistedCache = new WeakMap<ts.Node, ReadonlyMap<string, ts.VariableDeclaration>>();

/**
 * The `var` declaration of `name` anywhere in `node` outside nested functions and classes (hoisting).
 * The names are gathered once per node: syntax trees do not change, so the cache is keyed by node.
 */
export function hoistedVar(node: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let vars = hoistedCache.get(node);
  if (!vars) {
    const found = new Map<string, ts.VariableDeclaration>();
    const addNames = (binding: ts.BindingName, declaration: ts.VariableDeclaration): void => {
      if (binding.kind === ts.SyntaxKind.Identifier) {
        if (!found.has(binding.text)) found.set(binding.text, declaration);
        return;
      }
      for (const element of binding.elements) if (element.kind !== ts.SyntaxKind.OmittedExpression) addNames(element.name, declaration);
    };
    const visit = (child: ts.Node): void => {
      if (isFunctionLike(child) || ts.isClassLike(child)) return;
      if (child.kind === ts.SyntaxKind.VariableDeclarationList && !((child as ts.VariableDeclarationList).flags & ts.NodeFlags.BlockScoped)) {
        for (const declaration of (child as ts.VariableDeclarationList).declarations) addNames(declaration.name, declaration);
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    vars = found;
    hoistedCache.set(node, vars);
  }
  return vars.get(name);
}

/**
 * The node by which `scope` itself declares `name` (a variable declaration, parameter, function, class,
 * import or catch variable), or undefined. Destructuring declarations return the whole declaration.
 */
export function scopeDeclares(scope: ts.Node, name: string): ts.Node | undefined {
  switch (scope.kind) {
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ModuleBlock: {
      for (const statement of (scope as ts.Block).statements) {
        const found = statementDeclares(statement, name);
        if (found) return found;
      }
      return scope.kind === ts.SyntaxKind.SourceFile ? hoistedVar(scope, name) : undefined;
    }
    case ts.SyntaxKind.CaseBlock:
      for (const clause of (scope as ts.CaseBlock).clauses) {
        for (const statement of clause.statements) {
          const found = statementDeclares(statement, name);
          if (found) return found;
        }
      }
      return undefined;
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement: {
      const initializer = (scope as ts.ForStatement).initializer;
      return initializer && ts.isVariableDeclarationList(initializer) ? listDeclares(initializer, name) : undefined;
    }
    case ts.SyntaxKind.CatchClause: {
      const variable = (scope as ts.CatchClause).variableDeclaration;
      return variable && bindsName(variable.name, name) ? variable : undefined;
    }
    case ts.SyntaxKind.ClassExpression:
      return (scope as ts.ClassExpression).name?.text === name ? scope : undefined;
    default:
      if (!isFunctionLike(scope)) return undefined;
      for (const parameter of scope.parameters) if (bindsName(parameter.name, name)) return parameter;
      if (scope.kind === ts.SyntaxKind.FunctionExpression && scope.name?.text === name) return scope;
      return scope.body && scope.body.kind === ts.SyntaxKind.Block ? hoistedVar(scope.body, name) : undefined;
  }
}

/**
 * Resolves `name` as seen from a node whose ancestors (nearest last) are `ancestors`, starting at index
 * `from`: the declaring node and the index of the ancestor that declares it, or undefined when no
 * ancestor does (a global, or a name this resolution cannot see).
 */
export function resolveName(
  ancestors: readonly ts.Node[],
  name: string,
  from = ancestors.length - 1,
): { readonly declaration: ts.Node; readonly index: number } | undefined {
  for (let index = from; index >= 0; index--) {
    const declaration = scopeDeclares(ancestors[index]!, name);
    if (declaration) return { declaration, index };
  }
  return undefined;
}

/** Whether `node` (a function-like or block) declares `name` anywhere inside it (conservative shadowing test). */
export function declaresAnywhere(node: ts.Node, name: string): boolean {
  const visit = (child: ts.Node): boolean | undefined => {
    switch (child.kind) {
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.Parameter:
      case ts.SyntaxKind.BindingElement:
        if (bindsName((child as ts.VariableDeclaration).name, name)) return true;
        break;
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression: {
        const declared = (child as ts.FunctionDeclaration).name;
        if (declared?.text === name) return true;
        break;
      }
      case ts.SyntaxKind.ImportClause:
      case ts.SyntaxKind.ImportSpecifier:
      case ts.SyntaxKind.NamespaceImport:
        if ((child as ts.ImportSpecifier).name?.text === name) return true;
        break;
      default:
        break;
    }
    return ts.forEachChild(child, visit);
  };
  return visit(node) === true;
}

/**
 * Calls `visit` with every identifier in `node` that reads or writes a variable named `name` (not
 * property names, declared names, labels or JSX attribute names), with its parent. Does not follow
 * shadowing: callers decide what a nested declaration means.
 */
export function forEachReference(node: ts.Node, name: string, visit: (identifier: ts.Identifier, parent: ts.Node) => void): void {
  const walk = (child: ts.Node, parent: ts.Node): void => {
    if (child.kind === ts.SyntaxKind.Identifier) {
      if ((child as ts.Identifier).text === name && isReference(child as ts.Identifier, parent)) visit(child as ts.Identifier, parent);
      return;
    }
    ts.forEachChild(child, (grandchild) => walk(grandchild, child));
  };
  ts.forEachChild(node, (child) => walk(child, node));
}

function isReference(identifier: ts.Identifier, parent: ts.Node): boolean {
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).expression === identifier;
    case ts.SyntaxKind.QualifiedName:
      return (parent as ts.QualifiedName).left === identifier;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumMember:
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.JsxAttribute:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration:
      return (parent as ts.NamedDeclaration).name !== identifier;
    case ts.SyntaxKind.BindingElement:
      // `{ a: b }` declares b; `{ a }` declares a; neither reads a variable.
      return false;
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      return false;
    case ts.SyntaxKind.ExportSpecifier:
      // `export { a as b }`: `a` is the local; without `as`, the only name is the local.
      return (parent as ts.ExportSpecifier).propertyName ? (parent as ts.ExportSpecifier).propertyName === identifier : true;
    default:
      return true;
  }
}

/** Whether `node` uses its own `this`, `arguments`, `super` or `new.target` (not those of nested functions). */
export function usesOwnThis(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean | undefined => {
    switch (child.kind) {
      case ts.SyntaxKind.ThisKeyword:
      case ts.SyntaxKind.SuperKeyword:
        return true;
      case ts.SyntaxKind.Identifier:
        return (child as ts.Identifier).text === 'arguments' ? true : undefined;
      case ts.SyntaxKind.MetaProperty:
        return true;
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        return undefined;
      default:
        return ts.forEachChild(child, visit);
    }
  };
  return ts.forEachChild(node, visit) === true;
}

/** Whether a variable statement or declaration carries `export` (checked on the statement). */
export function hasExportModifier(statement: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  return modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) === true;
}

/** The words of an identifier, lower-cased: `DEFAULT_TAGS` and `defaultTags` both give `default`, `tags`. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

export function isJavaScriptFile(sourceFile: ts.SourceFile): boolean {
  return (sourceFile.flags & ts.NodeFlags.JavaScriptFile) !== 0;
}
