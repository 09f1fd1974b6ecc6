import * as ts from 'typescript';

/**
 * Syntax helpers of rule group R4 (array-shift-queue, includes-in-loop, unbounded-memo-cache,
 * async-foreach). Everything here is syntactic and conservative: when a question cannot be answered
 * from the tree, the answer is "unknown" and the rules stay silent.
 */

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` assertions. */
export function unwrap(node: ts.Expression): ts.Expression {
  for (;;) {
    switch (node.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        node = (node as ts.ParenthesizedExpression).expression;
        break;
      default:
        return node;
    }
  }
}

/** Nodes that start a new function (or class) body: a loop outside one does not repeat code inside it. */
export function isFunctionBoundary(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.ClassStaticBlockDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.PropertyDeclaration:
      return true;
    default:
      return false;
  }
}

export type LoopStatement = ts.ForStatement | ts.ForOfStatement | ts.ForInStatement | ts.WhileStatement | ts.DoStatement;

export function isLoopStatement(node: ts.Node): node is LoopStatement {
  switch (node.kind) {
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Whether `child`, a direct child of `loop`, runs on every iteration (not the initializer or the iterated expression). */
export function isRepeatedPart(loop: LoopStatement, child: ts.Node): boolean {
  switch (loop.kind) {
    case ts.SyntaxKind.ForStatement:
      return child === loop.condition || child === loop.incrementor || child === loop.statement;
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
      return child === loop.statement;
    default:
      return true;
  }
}

/** The condition a `while`, `do` or `for` loop tests before each iteration. */
export function loopCondition(loop: LoopStatement): ts.Expression | undefined {
  switch (loop.kind) {
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return loop.expression;
    case ts.SyntaxKind.ForStatement:
      return loop.condition;
    default:
      return undefined;
  }
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.some((m) => m.kind === kind);
}

/** `queue` for `queue`, `this.queue` for `this.queue` (and `this.#queue`), else undefined. */
export function referenceKey(expression: ts.Expression): string | undefined {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) {
    return `this.${value.name.text}`;
  }
  return undefined;
}

/** Whether `value` is the number literal `n` (`-1` as a prefix minus on `1`). */
export function isNumber(value: ts.Expression, n: number): boolean {
  const node = unwrap(value);
  if (n < 0) {
    return (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(node.operand) &&
      Number(node.operand.text) === -n
    );
  }
  return ts.isNumericLiteral(node) && Number(node.text) === n;
}

// ── Is it an array? ────────────────────────────────────────────────────────────────────────────────

export type ArrayEvidence = 'array' | 'other' | 'unknown';

/** `T[]`, `readonly T[]`, tuples, `Array<T>`, `ReadonlyArray<T>`: an array. Any other written type: not one. */
export function typeEvidence(type: ts.TypeNode): ArrayEvidence {
  let node = type;
  while (ts.isParenthesizedTypeNode(node)) node = node.type;
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) node = node.type;
  if (ts.isArrayTypeNode(node) || ts.isTupleTypeNode(node)) return 'array';
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    return name === 'Array' || name === 'ReadonlyArray' ? 'array' : 'other';
  }
  return 'other';
}

/** Methods that return a new array whatever array they are called on (and that strings do not have). */
const ARRAY_RETURNING_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flat',
  'flatMap',
  'toSorted',
  'toReversed',
  'toSpliced',
  'split',
]);

const OBJECT_ARRAY_FUNCTIONS: ReadonlySet<string> = new Set(['keys', 'values', 'entries', 'getOwnPropertyNames']);

/**
 * What an initializer says about being an array: literals, `Array.from`/`Array.of`/`new Array`,
 * `Object.keys/values/entries`, and results of `.map`/`.filter`/`.split` and the like are arrays;
 * `new Foo()`, object, string and number literals are not; anything else is unknown.
 */
export function expressionEvidence(expression: ts.Expression): ArrayEvidence {
  const node = unwrap(expression);
  switch (node.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
      return 'array';
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return 'other';
    case ts.SyntaxKind.NewExpression: {
      const callee = (node as ts.NewExpression).expression;
      return ts.isIdentifier(callee) && callee.text === 'Array' ? 'array' : 'other';
    }
    case ts.SyntaxKind.CallExpression: {
      const callee = (node as ts.CallExpression).expression;
      if (ts.isIdentifier(callee)) return callee.text === 'Array' ? 'array' : 'unknown';
      if (!ts.isPropertyAccessExpression(callee)) return 'unknown';
      const method = callee.name.text;
      if (ts.isIdentifier(callee.expression)) {
        const owner = callee.expression.text;
        if (owner === 'Array') return method === 'from' || method === 'of' ? 'array' : 'unknown';
        if (owner === 'Object') return OBJECT_ARRAY_FUNCTIONS.has(method) ? 'array' : 'unknown';
      }
      return ARRAY_RETURNING_METHODS.has(method) ? 'array' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

// ── Bindings ───────────────────────────────────────────────────────────────────────────────────────

export interface Binding {
  /** The declaration: a variable or a parameter with this identifier as its name, or another kind of node. */
  readonly declaration: ts.Node;
  /** Set for a `const`, `let` or `var` declaration with an identifier name. */
  readonly variable?: ts.VariableDeclaration;
  /** Set for a parameter with an identifier name. */
  readonly parameter?: ts.ParameterDeclaration;
  readonly isConst: boolean;
  /** The `const`/`let`/`var` statement, when the variable has one. */
  readonly statement?: ts.VariableStatement;
}

function bindingNameDeclares(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  for (const element of name.elements) {
    if (ts.isBindingElement(element) && bindingNameDeclares(element.name, text)) return true;
  }
  return false;
}

function fromVariableList(list: ts.VariableDeclarationList, text: string, statement?: ts.VariableStatement): Binding | undefined {
  for (const declaration of list.declarations) {
    if (!bindingNameDeclares(declaration.name, text)) continue;
    if (!ts.isIdentifier(declaration.name)) return { declaration, isConst: false };
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    return statement ? { declaration, variable: declaration, isConst, statement } : { declaration, variable: declaration, isConst };
  }
  return undefined;
}

function fromStatements(statements: readonly ts.Statement[], text: string): Binding | undefined {
  for (const statement of statements) {
    switch (statement.kind) {
      case ts.SyntaxKind.VariableStatement: {
        const found = fromVariableList((statement as ts.VariableStatement).declarationList, text, statement as ts.VariableStatement);
        if (found) return found;
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const name = (statement as ts.FunctionDeclaration).name;
        if (name && ts.isIdentifier(name) && name.text === text) return { declaration: statement, isConst: false };
        break;
      }
      case ts.SyntaxKind.ImportDeclaration: {
        const clause = (statement as ts.ImportDeclaration).importClause;
        if (!clause) break;
        if (clause.name?.text === text) return { declaration: statement, isConst: false };
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === text) return { declaration: statement, isConst: false };
        if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === text)) {
          return { declaration: statement, isConst: false };
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** Per function body (or file): the `var` declarations anywhere in it, by name. Trees are immutable, so this is cached. */
const hoistedVars = new WeakMap<ts.Node, ReadonlyMap<string, Binding>>();

/** `var` declarations nested in blocks of a function body (or of the file): they belong to the function. */
function hoistedVar(node: ts.Node, text: string): Binding | undefined {
  let vars = hoistedVars.get(node);
  if (!vars) {
    const found = new Map<string, Binding>();
    const visit = (child: ts.Node): void => {
      if (isFunctionBoundary(child)) return;
      if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.BlockScoped) === 0) {
        for (const declaration of child.declarations) {
          for (const name of boundNames(declaration.name)) {
            if (!found.has(name)) found.set(name, fromVariableList(child, name)!);
          }
        }
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    vars = found;
    hoistedVars.set(node, vars);
  }
  return vars.get(text);
}

function boundNames(name: ts.BindingName, into: string[] = []): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const element of name.elements) if (ts.isBindingElement(element)) boundNames(element.name, into);
  return into;
}

function declaredIn(scope: ts.Node, text: string): Binding | undefined {
  switch (scope.kind) {
    case ts.SyntaxKind.SourceFile:
      return fromStatements((scope as ts.SourceFile).statements, text) ?? hoistedVar(scope, text);
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ModuleBlock:
      return fromStatements((scope as ts.Block).statements, text);
    case ts.SyntaxKind.CaseBlock:
      for (const clause of (scope as ts.CaseBlock).clauses) {
        const found = fromStatements(clause.statements, text);
        if (found) return found;
      }
      return undefined;
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement: {
      const initializer = (scope as ts.ForStatement).initializer;
      return initializer && ts.isVariableDeclarationList(initializer) ? fromVariableList(initializer, text) : undefined;
    }
    case ts.SyntaxKind.CatchClause: {
      const variable = (scope as ts.CatchClause).variableDeclaration;
      return variable && bindingNameDeclares(variable.name, text) ? { declaration: variable, isConst: false } : undefined;
    }
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor: {
      const fn = scope as ts.FunctionLikeDeclaration;
      for (const parameter of fn.parameters) {
        if (!bindingNameDeclares(parameter.name, text)) continue;
        return ts.isIdentifier(parameter.name) ? { declaration: parameter, parameter, isConst: false } : { declaration: parameter, isConst: false };
      }
      if (ts.isFunctionExpression(fn) && fn.name?.text === text) return { declaration: fn, isConst: false };
      if (text === 'arguments' && !ts.isArrowFunction(fn)) return { declaration: fn, isConst: false };
      return fn.body && ts.isBlock(fn.body) ? hoistedVar(fn.body, text) : undefined;
    }
    case ts.SyntaxKind.ClassExpression: {
      const name = (scope as ts.ClassExpression).name;
      return name?.text === text ? { declaration: scope, isConst: false } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The declaration `name` refers to, seen from a node whose ancestors are `ancestors` (nearest last),
 * searching the scopes from `ancestors[from]` outwards. Undefined for globals and unresolvable names.
 */
export function resolveBinding(name: string, ancestors: readonly ts.Node[], from = ancestors.length - 1): Binding | undefined {
  for (let i = from; i >= 0; i--) {
    const found = declaredIn(ancestors[i]!, name);
    if (found) return found;
  }
  return undefined;
}

/** What a binding's declaration says about holding an array. */
export function bindingEvidence(binding: Binding | undefined): ArrayEvidence {
  const holder = binding?.variable ?? binding?.parameter;
  if (!holder) return 'unknown';
  if (holder.type) return typeEvidence(holder.type);
  if (holder.initializer) return expressionEvidence(holder.initializer);
  return 'unknown';
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

/** What is known about `expression` holding an array, where `ancestors` are its ancestors. */
export function arrayEvidenceOf(expression: ts.Expression, ancestors: readonly ts.Node[]): ArrayEvidence {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return bindingEvidence(resolveBinding(node.text, ancestors));
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const field = thisFieldDeclaration(node.name.text, ancestors);
    if (!field) return 'unknown';
    if (field.type) return typeEvidence(field.type);
    return field.initializer ? expressionEvidence(field.initializer) : 'unknown';
  }
  return expressionEvidence(node);
}

// ── Uses of an array variable ──────────────────────────────────────────────────────────────────────

const MUTATING_ARRAY_METHODS: ReadonlySet<string> = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);

const READING_ARRAY_METHODS: ReadonlySet<string> = new Set([
  'at',
  'concat',
  'entries',
  'every',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flat',
  'flatMap',
  'forEach',
  'includes',
  'indexOf',
  'join',
  'keys',
  'lastIndexOf',
  'map',
  'reduce',
  'reduceRight',
  'slice',
  'some',
  'toLocaleString',
  'toReversed',
  'toSorted',
  'toSpliced',
  'toString',
  'values',
  'with',
]);

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Whether `node` is written to: the target of `=`/`+=`/..., of `++`/`--`, or of `delete`. */
function isWriteTarget(node: ts.Node, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  if (ts.isBinaryExpression(parent)) return parent.left === node && isAssignmentOperator(parent.operatorToken.kind);
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return ts.isDeleteExpression(parent);
}

/**
 * Whether an identifier at the end of `path` (its ancestors before it) is a name that is not a
 * reference: a property name, a declaration's own name, a label, a type position.
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
    case ts.SyntaxKind.ExportSpecifier:
      return (parent as ts.ImportSpecifier).propertyName === id;
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      return true;
    default:
      return false;
  }
}

/** Whether an identifier is the name a declaration introduces (a variable, parameter, function, class, import). */
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
      return (parent as ts.VariableDeclaration).name === id;
    default:
      return false;
  }
}

export type ArrayUse = 'read' | 'mutate' | 'escape';

/**
 * How a reference to an array variable uses it: `read` (a non-mutating method, `.length`, an element
 * read, `for...of`, a spread, `new Set(list)`), `mutate` (a mutating method or a write), or `escape`
 * (handed to code that could do anything with it).
 */
export function arrayUse(id: ts.Identifier, parent: ts.Node, grandparent: ts.Node | undefined): ArrayUse {
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = parent as ts.PropertyAccessExpression;
      const name = access.name.text;
      if (grandparent && ts.isCallExpression(grandparent) && grandparent.expression === access) {
        if (MUTATING_ARRAY_METHODS.has(name)) return 'mutate';
        return READING_ARRAY_METHODS.has(name) ? 'read' : 'escape';
      }
      if (name === 'length') return isWriteTarget(access, grandparent) ? 'mutate' : 'read';
      return 'escape';
    }
    case ts.SyntaxKind.ElementAccessExpression:
      if ((parent as ts.ElementAccessExpression).expression !== id) return 'read';
      return isWriteTarget(parent, grandparent) ? 'mutate' : 'read';
    case ts.SyntaxKind.ForOfStatement:
      return (parent as ts.ForOfStatement).expression === id ? 'read' : 'mutate';
    case ts.SyntaxKind.SpreadElement:
      return 'read';
    case ts.SyntaxKind.NewExpression: {
      const callee = (parent as ts.NewExpression).expression;
      return ts.isIdentifier(callee) && (callee.text === 'Set' || callee.text === 'Map') && callee !== id ? 'read' : 'escape';
    }
    case ts.SyntaxKind.BinaryExpression: {
      const binary = parent as ts.BinaryExpression;
      if (binary.left === id && isAssignmentOperator(binary.operatorToken.kind)) return 'mutate';
      switch (binary.operatorToken.kind) {
        case ts.SyntaxKind.EqualsEqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsEqualsToken:
        case ts.SyntaxKind.EqualsEqualsToken:
        case ts.SyntaxKind.ExclamationEqualsToken:
        case ts.SyntaxKind.InstanceOfKeyword:
          return 'read';
        default:
          return 'escape';
      }
    }
    case ts.SyntaxKind.TypeOfExpression:
      return 'read';
    default:
      return 'escape';
  }
}

/**
 * The uses of the variable `name` inside `root` (nested functions included): the worst of `read`,
 * `escape`, `mutate`, or undefined when `root` does not mention it.
 */
export function worstUseIn(root: ts.Node, name: string): ArrayUse | undefined {
  let byName = worstUses.get(root);
  if (byName?.has(name)) return byName.get(name);
  const worst = computeWorstUse(root, name);
  if (!byName) worstUses.set(root, (byName = new Map()));
  byName.set(name, worst);
  return worst;
}

/** Trees are immutable: the answer for a node and a name never changes. */
const worstUses = new WeakMap<ts.Node, Map<string, ArrayUse | undefined>>();

function computeWorstUse(root: ts.Node, name: string): ArrayUse | undefined {
  let worst: ArrayUse | undefined;
  const stack: ts.Node[] = [];
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = stack[stack.length - 1];
      if (!isNonReference(node, parent) && !isDeclarationName(node, parent) && parent) {
        const use = arrayUse(node, parent, stack[stack.length - 2]);
        if (use === 'mutate') {
          worst = 'mutate';
          return true;
        }
        if (use === 'escape' || worst === undefined) worst = use;
      }
      return false;
    }
    stack.push(node);
    const stop = ts.forEachChild(node, visit) === true;
    stack.pop();
    return stop;
  };
  stack.push(root);
  ts.forEachChild(root, visit);
  return worst;
}

/** The worst use of each of `names` in the whole file (absent: not used), in one walk. */
export function worstUsesInFile(sourceFile: ts.SourceFile, names: ReadonlySet<string>): Map<string, ArrayUse> {
  const escaped = new Set([...names].map((name) => ts.escapeLeadingUnderscores(name) as string));
  const found = new Map<string, ArrayUse>();
  const stack: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.Identifier) {
      const id = node as ts.Identifier;
      if (!escaped.has(id.escapedText as string)) return;
      const parent = stack[stack.length - 1];
      if (parent && !isNonReference(id, parent) && !isDeclarationName(id, parent)) {
        const use = arrayUse(id, parent, stack[stack.length - 2]);
        const before = found.get(id.text);
        if (before !== 'mutate' && (before === undefined || use !== 'read')) found.set(id.text, use);
      }
      return;
    }
    stack.push(node);
    ts.forEachChild(node, visit);
    stack.pop();
  };
  visit(sourceFile);
  return found;
}

/** Whether some identifier in the file is spelled `name` (a name for new code must not be). */
export function identifierUsed(sourceFile: ts.SourceFile, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text === name) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return ts.forEachChild(sourceFile, visit) === true;
}

/** Whether `node` contains an `await` (or `for await`) of its own, not one of a nested function. */
export function containsOwnAwait(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean => {
    if (isFunctionBoundary(child)) return false;
    if (ts.isAwaitExpression(child)) return true;
    if (ts.isForOfStatement(child) && child.awaitModifier) return true;
    if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) return true;
    return ts.forEachChild(child, visit) === true;
  };
  return visit(node);
}

/** Whether `node` sits directly in a list of statements (where a line can be inserted before it). */
export function isStatementListParent(node: ts.Node | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.ModuleBlock:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.DefaultClause:
      return true;
    default:
      return false;
  }
}

/** The statements of a statement-list parent. */
export function statementsOf(node: ts.Node): readonly ts.Statement[] {
  switch (node.kind) {
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.ModuleBlock:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.DefaultClause:
      return (node as ts.Block).statements;
    default:
      return [];
  }
}
