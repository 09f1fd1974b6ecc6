import * as ts from 'typescript';
import { isAssignmentOperator, skipOuterExpressions } from './expressions';
import { isFunctionBoundary, isFunctionLike, isFunctionOrStaticBlock } from './functions';
import { hasModifier } from './modifiers';

/**
 * Bindings, name resolution and references, for trees without parent pointers: a name is resolved
 * from the chain of its ancestors (root first, nearest last).
 *
 * Two resolutions answer two kinds of question:
 * - `findDeclaration` finds the node that declares a name, scope by scope outwards, and says at which
 *   ancestor it stopped. A declaration is found in the statement list it is written in (a `var` also from
 *   anywhere in its function or file), and the first one wins.
 * - `resolveBinding` follows JavaScript's scoping exactly (a `var` belongs to its function only) and
 *   answers `unknown` when that scope declares the name more than once: for rules that must see every
 *   value a variable can hold.
 */

// ── Binding names ──────────────────────────────────────────────────────────────────────────────────

/** The identifiers a binding name declares: itself, or those of a destructuring pattern. */
export function boundIdentifiers(name: ts.BindingName, into: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(name)) into.push(name);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) boundIdentifiers(element.name, into);
  return into;
}

/** Whether a binding name (identifier or destructuring pattern) binds `name`. */
export function bindsName(binding: ts.BindingName, name: string): boolean {
  if (binding.kind === ts.SyntaxKind.Identifier) return binding.text === name;
  for (const element of binding.elements) {
    if (element.kind !== ts.SyntaxKind.OmittedExpression && bindsName(element.name, name)) return true;
  }
  return false;
}

/** Whether a declaration list is `let`, `const`, `using` or `await using` (not `var`). */
export function isBlockScopedList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) !== 0;
}

/** The nodes that own the `var`s declared inside them: functions, class static blocks, namespaces and the file. */
export function isVarScope(node: ts.Node): boolean {
  return isFunctionOrStaticBlock(node) || node.kind === ts.SyntaxKind.SourceFile || node.kind === ts.SyntaxKind.ModuleBlock;
}

interface VarDeclaration {
  readonly identifier: ts.Identifier;
  readonly list: ts.VariableDeclarationList;
}

/** Syntax trees do not change, so what a node declares is gathered once per node. */
const varsByNode = new WeakMap<ts.Node, ReadonlyMap<string, readonly VarDeclaration[]>>();

/** The `var` declarations anywhere under `node` that belong to it (hoisting), not those of nested functions and classes; by name, in order. */
function varDeclarations(node: ts.Node): ReadonlyMap<string, readonly VarDeclaration[]> {
  let vars = varsByNode.get(node);
  if (!vars) {
    const found = new Map<string, VarDeclaration[]>();
    const visit = (child: ts.Node): void => {
      if (isFunctionBoundary(child)) return;
      if (ts.isVariableDeclarationList(child) && !isBlockScopedList(child)) {
        for (const declaration of child.declarations) {
          for (const identifier of boundIdentifiers(declaration.name)) {
            const list = found.get(identifier.text);
            if (list) list.push({ identifier, list: child });
            else found.set(identifier.text, [{ identifier, list: child }]);
          }
        }
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    vars = found;
    varsByNode.set(node, vars);
  }
  return vars;
}

// ── findDeclaration: the declaring node, scope by scope ────────────────────────────────────────────

export interface Declaration {
  /**
   * The declaring node: a variable declaration (the whole one for a destructuring), a parameter, a
   * function, class, enum or namespace declaration, an import clause, specifier or namespace import, an
   * `import =`, a catch variable, a named function or class expression (its own name), or the function
   * whose `arguments` it is.
   */
  readonly node: ts.Node;
  /** Set for a `const`, `let` or `var` declaration with an identifier name. */
  readonly variable?: ts.VariableDeclaration;
  /** Set for a parameter with an identifier name. */
  readonly parameter?: ts.ParameterDeclaration;
  /** Whether `variable` is declared `const` (or `await using`). */
  readonly isConst: boolean;
  /** The `const`/`let`/`var` statement, when the variable is declared by one in the scope's own statements. */
  readonly statement?: ts.VariableStatement;
}

function fromVariableList(list: ts.VariableDeclarationList, name: string, statement?: ts.VariableStatement): Declaration | undefined {
  for (const declaration of list.declarations) {
    if (!bindsName(declaration.name, name)) continue;
    if (!ts.isIdentifier(declaration.name)) return { node: declaration, isConst: false };
    return { node: declaration, variable: declaration, isConst: (list.flags & ts.NodeFlags.Const) !== 0, statement };
  }
  return undefined;
}

/** The declaration of `name` a statement makes in its own statement list (variables, functions, classes, imports...). */
function declaredByStatement(statement: ts.Statement, name: string): Declaration | undefined {
  switch (statement.kind) {
    case ts.SyntaxKind.VariableStatement:
      return fromVariableList((statement as ts.VariableStatement).declarationList, name, statement as ts.VariableStatement);
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.ImportEqualsDeclaration: {
      const declared = (statement as ts.DeclarationStatement).name;
      return declared && ts.isIdentifier(declared) && declared.text === name ? { node: statement, isConst: false } : undefined;
    }
    case ts.SyntaxKind.ImportDeclaration: {
      const clause = (statement as ts.ImportDeclaration).importClause;
      if (!clause) return undefined;
      if (clause.name?.text === name) return { node: clause, isConst: false };
      const bindings = clause.namedBindings;
      if (!bindings) return undefined;
      if (ts.isNamespaceImport(bindings)) return bindings.name.text === name ? { node: bindings, isConst: false } : undefined;
      const specifier = bindings.elements.find((element) => element.name.text === name);
      return specifier && { node: specifier, isConst: false };
    }
    default:
      return undefined;
  }
}

function fromStatements(statements: readonly ts.Statement[], name: string): Declaration | undefined {
  for (const statement of statements) {
    const found = declaredByStatement(statement, name);
    if (found) return found;
  }
  return undefined;
}

/** The first `var` declaration of `name` that belongs to `node` (a function body or the file). */
function hoistedVar(node: ts.Node, name: string): Declaration | undefined {
  const first = varDeclarations(node).get(name)?.[0];
  return first && fromVariableList(first.list, name);
}

/** The declaration of `name` that `scope` itself makes (not one of the scopes nested in it), or undefined. */
export function declarationIn(scope: ts.Node, name: string): Declaration | undefined {
  switch (scope.kind) {
    case ts.SyntaxKind.SourceFile:
      return fromStatements((scope as ts.SourceFile).statements, name) ?? hoistedVar(scope, name);
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ModuleBlock:
      return fromStatements((scope as ts.Block).statements, name);
    case ts.SyntaxKind.CaseBlock:
      for (const clause of (scope as ts.CaseBlock).clauses) {
        const found = fromStatements(clause.statements, name);
        if (found) return found;
      }
      return undefined;
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement: {
      const initializer = (scope as ts.ForStatement).initializer;
      return initializer && ts.isVariableDeclarationList(initializer) ? fromVariableList(initializer, name) : undefined;
    }
    case ts.SyntaxKind.CatchClause: {
      const variable = (scope as ts.CatchClause).variableDeclaration;
      return variable && bindsName(variable.name, name) ? { node: variable, isConst: false } : undefined;
    }
    case ts.SyntaxKind.ClassExpression:
      return (scope as ts.ClassExpression).name?.text === name ? { node: scope, isConst: false } : undefined;
    default: {
      if (!isFunctionLike(scope)) return undefined;
      for (const parameter of scope.parameters) {
        if (!bindsName(parameter.name, name)) continue;
        return ts.isIdentifier(parameter.name) ? { node: parameter, parameter, isConst: false } : { node: parameter, isConst: false };
      }
      if (scope.kind === ts.SyntaxKind.FunctionExpression && scope.name?.text === name) return { node: scope, isConst: false };
      // Every function but an arrow has an `arguments` of its own.
      if (name === 'arguments' && scope.kind !== ts.SyntaxKind.ArrowFunction) return { node: scope, isConst: false };
      return scope.body && ts.isBlock(scope.body) ? hoistedVar(scope.body, name) : undefined;
    }
  }
}

/**
 * The declaration `name` refers to, seen from a node whose ancestors are `ancestors`, searching the scopes
 * from `ancestors[from]` outwards, with the index of the ancestor that declares it. Undefined for globals
 * and names this resolution cannot see.
 */
export function findDeclaration(
  name: string,
  ancestors: readonly ts.Node[],
  from = ancestors.length - 1,
): (Declaration & { readonly index: number }) | undefined {
  for (let index = from; index >= 0; index--) {
    const found = declarationIn(ancestors[index]!, name);
    if (found) return { ...found, index };
  }
  return undefined;
}

/**
 * The field `name` of the class `this` refers to at the end of `ancestors`: only through arrow functions
 * from an instance method, accessor, constructor or field initializer of that class.
 */
export function thisFieldDeclaration(name: string, ancestors: readonly ts.Node[]): ts.PropertyDeclaration | ts.ParameterDeclaration | undefined {
  for (let i = ancestors.length - 1; i > 0; i--) {
    const node = ancestors[i]!;
    if (ts.isArrowFunction(node)) continue;
    if (!isFunctionBoundary(node)) continue;
    const owner = ancestors[i - 1]!;
    if (!ts.isClassDeclaration(owner) && !ts.isClassExpression(owner)) return undefined;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isClassStaticBlockDeclaration(node)) return undefined;
    if (hasModifier(node, ts.SyntaxKind.StaticKeyword)) return undefined;
    for (const member of owner.members) {
      if (ts.isPropertyDeclaration(member) && !hasModifier(member, ts.SyntaxKind.StaticKeyword)) {
        if ((ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) && member.name.text === name) return member;
      }
      if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (parameter.modifiers?.some((m) => m.kind !== ts.SyntaxKind.Decorator) && ts.isIdentifier(parameter.name) && parameter.name.text === name) {
            return parameter;
          }
        }
      }
    }
    return undefined;
  }
  return undefined;
}

// ── resolveBinding: JavaScript's scoping, every declaration ────────────────────────────────────────

/** The declarations of a statement list that are scoped to it (`let`, `const`, classes, functions...). */
function addLexicalDeclarations(statements: readonly ts.Statement[], add: (identifier: ts.Identifier) => void): void {
  for (const statement of statements) {
    switch (statement.kind) {
      case ts.SyntaxKind.VariableStatement: {
        const list = (statement as ts.VariableStatement).declarationList;
        if (isBlockScopedList(list)) for (const declaration of list.declarations) boundIdentifiers(declaration.name).forEach(add);
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const name = (statement as ts.DeclarationStatement).name;
        if (name && ts.isIdentifier(name)) add(name);
        break;
      }
      case ts.SyntaxKind.ImportDeclaration: {
        const clause = (statement as ts.ImportDeclaration).importClause;
        if (!clause) break;
        if (clause.name) add(clause.name);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name);
        else if (bindings) for (const element of bindings.elements) add(element.name);
        break;
      }
      default:
        break;
    }
  }
}

function addVarDeclarations(node: ts.Node, add: (identifier: ts.Identifier) => void): void {
  for (const declarations of varDeclarations(node).values()) for (const { identifier } of declarations) add(identifier);
}

const bindingsByScope = new WeakMap<ts.Node, ReadonlyMap<string, readonly ts.Identifier[]>>();
const NO_BINDINGS: ReadonlyMap<string, readonly ts.Identifier[]> = new Map();

/** The names `scope` binds itself (not those of scopes nested in it), each with its declaring identifiers. */
function bindingsOf(scope: ts.Node): ReadonlyMap<string, readonly ts.Identifier[]> {
  let cached = bindingsByScope.get(scope);
  if (cached) return cached;
  const found = new Map<string, ts.Identifier[]>();
  const add = (identifier: ts.Identifier) => {
    const list = found.get(identifier.text);
    if (list) list.push(identifier);
    else found.set(identifier.text, [identifier]);
  };
  switch (scope.kind) {
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.ModuleBlock:
      addLexicalDeclarations((scope as ts.SourceFile | ts.ModuleBlock).statements, add);
      addVarDeclarations(scope, add);
      break;
    case ts.SyntaxKind.Block:
      addLexicalDeclarations((scope as ts.Block).statements, add);
      break;
    case ts.SyntaxKind.CaseBlock:
      for (const clause of (scope as ts.CaseBlock).clauses) addLexicalDeclarations(clause.statements, add);
      break;
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement: {
      const initializer = (scope as ts.ForStatement).initializer;
      if (initializer && ts.isVariableDeclarationList(initializer) && isBlockScopedList(initializer)) {
        for (const declaration of initializer.declarations) boundIdentifiers(declaration.name).forEach(add);
      }
      break;
    }
    case ts.SyntaxKind.CatchClause: {
      const declaration = (scope as ts.CatchClause).variableDeclaration;
      if (declaration) boundIdentifiers(declaration.name).forEach(add);
      break;
    }
    case ts.SyntaxKind.ClassStaticBlockDeclaration:
      addVarDeclarations(scope, add);
      break;
    default:
      if (isFunctionLike(scope)) {
        if (scope.kind === ts.SyntaxKind.FunctionExpression && scope.name) add(scope.name);
        for (const parameter of scope.parameters) boundIdentifiers(parameter.name).forEach(add);
        if (scope.body) addVarDeclarations(scope.body, add);
      }
      break;
  }
  cached = found.size > 0 ? found : NO_BINDINGS;
  bindingsByScope.set(scope, cached);
  return cached;
}

export type Resolution =
  | { readonly kind: 'declared'; readonly declaration: ts.Identifier; readonly scope: ts.Node }
  | { readonly kind: 'global' }
  | { readonly kind: 'unknown' };

/**
 * What the identifier `name`, written inside the nodes of `chain` (root first, innermost last), refers
 * to: its one declaration and the scope declaring it, no declaration at all (a global), or unknown when
 * the nearest scope declaring it declares it more than once.
 */
export function resolveBinding(name: string, chain: readonly ts.Node[]): Resolution {
  for (let i = chain.length - 1; i >= 0; i--) {
    const scope = chain[i]!;
    const declarations = bindingsOf(scope).get(name);
    if (!declarations) continue;
    return declarations.length === 1 ? { kind: 'declared', declaration: declarations[0]!, scope } : { kind: 'unknown' };
  }
  return { kind: 'global' };
}

// ── References ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether an identifier (whose parent is `parent`) is a name that is not a reference to a variable: a
 * property name, an import's or export's outer name, a label, or a name in a type position.
 */
export function isNonReference(id: ts.Identifier, parent: ts.Node | undefined): boolean {
  if (!parent) return true;
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).name === id;
    case ts.SyntaxKind.QualifiedName:
    case ts.SyntaxKind.TypeReference:
    case ts.SyntaxKind.TypeQuery:
    case ts.SyntaxKind.ExpressionWithTypeArguments:
      return true;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumMember:
    case ts.SyntaxKind.JsxAttribute:
      return (parent as ts.PropertyAssignment).name === id;
    case ts.SyntaxKind.BindingElement:
      return (parent as ts.BindingElement).propertyName === id;
    case ts.SyntaxKind.ImportSpecifier:
      // `import { a as b }`: `a` names the export; `b` is declared.
      return (parent as ts.ImportSpecifier).propertyName === id;
    case ts.SyntaxKind.ExportSpecifier: {
      // `export { a as b }`: `a` is the local variable, `b` only the name it is exported under.
      const specifier = parent as ts.ExportSpecifier;
      return specifier.propertyName !== undefined && specifier.name === id;
    }
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      return true;
    default:
      return false;
  }
}

/** Whether an identifier is the name a declaration introduces (a variable, parameter, function, class, import, type...). */
export function isDeclarationName(id: ts.Identifier, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  switch (parent.kind) {
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
      return (parent as ts.NamedDeclaration).name === id;
    default:
      return false;
  }
}

/** Whether an identifier reads or writes a variable when the code runs. */
export function isValueReference(id: ts.Identifier, parent: ts.Node | undefined): boolean {
  return !isNonReference(id, parent) && !isDeclarationName(id, parent);
}

/**
 * Calls `visit` with every identifier in `node` that reads or writes a variable named `name`, with its
 * parent. Does not follow shadowing: callers decide what a nested declaration means.
 */
export function forEachReference(node: ts.Node, name: string, visit: (identifier: ts.Identifier, parent: ts.Node) => void): void {
  const walk = (child: ts.Node, parent: ts.Node): void => {
    if (child.kind === ts.SyntaxKind.Identifier) {
      if ((child as ts.Identifier).text === name && isValueReference(child as ts.Identifier, parent)) visit(child as ts.Identifier, parent);
      return;
    }
    ts.forEachChild(child, (grandchild) => walk(grandchild, child));
  };
  ts.forEachChild(node, (child) => walk(child, node));
}

/** Whether `node` (a function-like or block) declares `name` anywhere inside it (a conservative shadowing test). */
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

// ── Writes ─────────────────────────────────────────────────────────────────────────────────────────

/** Whether `target` (the left side of an assignment) writes to the identifier `name`, destructuring included. */
function writesName(target: ts.Node, name: string): boolean {
  const node = ts.isParenthesizedExpression(target) ? skipOuterExpressions(target) : target;
  if (ts.isIdentifier(node)) return node.text === name;
  if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) {
    let found = false;
    const visit = (child: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(child) && child.text === name) found = true;
      else ts.forEachChild(child, visit);
    };
    visit(node);
    return found;
  }
  return false;
}

export interface Write {
  /** The right-hand side of a plain `name = value`; undefined for `+=`, `++`, destructuring, a `for...of` target. */
  readonly value: ts.Expression | undefined;
  /** The nodes from the scope (excluded) down to the write (excluded), to resolve names in `value`. */
  readonly path: readonly ts.Node[];
}

/** The writes to `name` inside `scope`, nested scopes included and shadowing ignored: errs towards finding writes. */
export function writesTo(scope: ts.Node, name: string): Write[] {
  const writes: Write[] = [];
  const path: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.BinaryExpression: {
        const { left, operatorToken, right } = node as ts.BinaryExpression;
        if (isAssignmentOperator(operatorToken.kind) && writesName(left, name)) {
          const plain = operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuterExpressions(left));
          writes.push({ value: plain ? right : undefined, path: path.slice() });
        }
        break;
      }
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const { operator, operand } = node as ts.PrefixUnaryExpression;
        if ((operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken) && writesName(operand, name)) {
          writes.push({ value: undefined, path: [] });
        }
        break;
      }
      case ts.SyntaxKind.ForInStatement:
      case ts.SyntaxKind.ForOfStatement: {
        const initializer = (node as ts.ForOfStatement).initializer;
        if (!ts.isVariableDeclarationList(initializer) && writesName(initializer, name)) writes.push({ value: undefined, path: [] });
        break;
      }
      default:
        break;
    }
    path.push(node);
    ts.forEachChild(node, visit);
    path.pop();
  };
  ts.forEachChild(scope, visit);
  return writes;
}
