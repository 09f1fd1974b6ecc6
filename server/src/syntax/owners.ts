import * as ts from 'typescript';
import { isOuterExpression } from './expressions';
import { isFunctionOrStaticBlock } from './functions';
import { hasModifier } from './modifiers';
import { isBlockScopedList, isVarScope } from './scopes';

/**
 * What a `new X()` is stored in (a variable or a field), and the method calls made on it
 * (`stack.use(...)`, `this.#als.run(...)`), with conservative handling of shadowing. Everything here
 * runs only once a detector has matched, never for ordinary nodes.
 */

/** Where the value of a `new` expression is kept. */
export type Owner =
  | {
      readonly kind: 'variable';
      readonly name: string;
      /** The node whose subtree is the binding's scope (a block, a `for`, a function, the file). */
      readonly scope: ts.Node;
      readonly declaration: ts.Node;
    }
  | {
      readonly kind: 'field';
      /** The member name as written (`#stack` for a private name). */
      readonly name: string;
      readonly classNode: ts.ClassLikeDeclaration;
      readonly isStatic: boolean;
    };

/** Nodes that rebind `this`: a member call through `this` inside them is about another object. */
const THIS_BOUNDARY = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
]);

const BLOCK_SCOPES = new Set([
  ts.SyntaxKind.Block,
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.CatchClause,
]);

/** The scope of a binding declared by `list`, whose node is `path[index]`. */
function scopeOfList(list: ts.VariableDeclarationList, path: readonly ts.Node[], index: number): ts.Node | undefined {
  const blockScoped = isBlockScopedList(list);
  for (let i = index - 1; i >= 0; i--) {
    const node = path[i]!;
    if (blockScoped ? BLOCK_SCOPES.has(node.kind) : isVarScope(node)) return node;
  }
  return undefined;
}

function isStaticMember(member: ts.Node): boolean {
  if (member.kind === ts.SyntaxKind.ClassStaticBlockDeclaration) return true;
  return hasModifier(member, ts.SyntaxKind.StaticKeyword);
}

function memberNameText(name: ts.Node): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/**
 * What `expression` (the node being visited, with `ancestors` nearest last) is stored in: a
 * `const`/`let`/`var`/`using` variable, a class field (`#stack = new X()`), or a field assigned in a
 * constructor or method (`this.stack = new X()`). Undefined for anything else (an argument, a
 * return value, a destructuring pattern).
 */
export function ownerOf(expression: ts.Node, ancestors: readonly ts.Node[]): Owner | undefined {
  let child: ts.Node = expression;
  let i = ancestors.length - 1;
  while (i >= 0 && isOuterExpression(ancestors[i]!)) child = ancestors[i--]!;
  const parent = ancestors[i];
  if (!parent) return undefined;

  if (ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name)) {
    const list = ancestors[i - 1];
    if (!list || !ts.isVariableDeclarationList(list)) return undefined;
    const scope = scopeOfList(list, ancestors, i - 1);
    return scope ? { kind: 'variable', name: parent.name.text, scope, declaration: parent } : undefined;
  }

  if (ts.isPropertyDeclaration(parent) && parent.initializer === child) {
    const name = memberNameText(parent.name);
    const classNode = ancestors[i - 1];
    if (name === undefined || !classNode || !ts.isClassLike(classNode)) return undefined;
    return { kind: 'field', name, classNode, isStatic: isStaticMember(parent) };
  }

  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === child &&
    ts.isPropertyAccessExpression(parent.left) &&
    parent.left.expression.kind === ts.SyntaxKind.ThisKeyword
  ) {
    const name = memberNameText(parent.left.name);
    if (name === undefined) return undefined;
    // `this` is the instance only up to the nearest non-arrow function, which must be a member.
    for (let j = i - 1; j >= 1; j--) {
      const node = ancestors[j]!;
      if (node.kind === ts.SyntaxKind.ArrowFunction) continue;
      if (!isFunctionOrStaticBlock(node) && !THIS_BOUNDARY.has(node.kind)) continue;
      const classNode = ancestors[j - 1]!;
      const isMember =
        node.kind === ts.SyntaxKind.Constructor ||
        node.kind === ts.SyntaxKind.MethodDeclaration ||
        node.kind === ts.SyntaxKind.GetAccessor ||
        node.kind === ts.SyntaxKind.SetAccessor;
      if (!isMember || !ts.isClassLike(classNode)) return undefined;
      return { kind: 'field', name, classNode, isStatic: isStaticMember(node) };
    }
  }
  return undefined;
}

/** The identifiers a declaration-like node binds directly (not those of nested scopes). */
function boundIdentifier(node: ts.Node): ts.Identifier | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.ImportEqualsDeclaration: {
      const name = (node as ts.NamedDeclaration).name;
      return name && ts.isIdentifier(name) ? name : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The region a shadowing declaration of the name hides, given the path from the scope root to the
 * declaration (the declaration last). Errs on the large side: hiding too much only loses hovers.
 */
function shadowRegion(path: readonly ts.Node[]): ts.Node | undefined {
  const index = path.length - 1;
  const node = path[index]!;
  switch (node.kind) {
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassExpression:
      return node; // the name is visible inside the expression only
    case ts.SyntaxKind.Parameter:
      for (let i = index - 1; i >= 0; i--) if (isFunctionOrStaticBlock(path[i]!)) return path[i];
      return undefined;
    case ts.SyntaxKind.FunctionDeclaration:
      for (let i = index - 1; i >= 0; i--) if (isVarScope(path[i]!)) return path[i];
      return undefined;
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.VariableDeclaration: {
      // Up to the declaration that owns the pattern, then to its list (or its catch clause).
      let i = index;
      while (i > 0 && !ts.isVariableDeclaration(path[i]!) && !ts.isParameter(path[i]!)) i--;
      const owner = path[i]!;
      if (ts.isParameter(owner)) return shadowRegion(path.slice(0, i + 1));
      const list = path[i - 1];
      if (list && ts.isVariableDeclarationList(list)) return scopeOfList(list, path, i - 1);
      if (list && ts.isCatchClause(list)) return list;
      return undefined;
    }
    default:
      for (let i = index - 1; i >= 0; i--) if (BLOCK_SCOPES.has(path[i]!.kind)) return path[i];
      return undefined;
  }
}

function isInside(node: ts.Node, region: ts.Node): boolean {
  return node.pos >= region.pos && node.end <= region.end;
}

/**
 * The property names of the calls `name.method(...)` (or `name?.method(...)`) made on the variable
 * `owner` within its scope, for methods in `methods`. Regions where another declaration of the same
 * name shadows it are skipped; a redeclaration in the scope itself gives up (returns nothing).
 */
function variableCalls(owner: Extract<Owner, { kind: 'variable' }>, methods: ReadonlySet<string>): ts.MemberName[] {
  const calls: ts.MemberName[] = [];
  const shadows: ts.Node[] = [];
  let conflict = false;
  const path: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (conflict) return;
    path.push(node);
    if (node !== owner.declaration) {
      const bound = boundIdentifier(node);
      if (bound && bound.text === owner.name) {
        const region = shadowRegion(path);
        if (!region || region === owner.scope || !isInside(region, owner.scope) || isInside(owner.declaration, region)) {
          conflict = true;
        } else {
          shadows.push(region);
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.name) &&
        methods.has(callee.name.text) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === owner.name
      ) {
        calls.push(callee.name);
      }
    }
    ts.forEachChild(node, visit);
    path.pop();
  };
  visit(owner.scope);
  if (conflict) return [];
  return shadows.length === 0 ? calls : calls.filter((call) => !shadows.some((region) => isInside(call, region)));
}

/** The property names of `this.<field>.method(...)` calls in the members of the owning class. */
function fieldCalls(owner: Extract<Owner, { kind: 'field' }>, methods: ReadonlySet<string>): ts.MemberName[] {
  const calls: ts.MemberName[] = [];
  const visit = (node: ts.Node): void => {
    if (THIS_BOUNDARY.has(node.kind)) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.name) &&
        methods.has(callee.name.text) &&
        ts.isPropertyAccessExpression(callee.expression) &&
        callee.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        memberNameText(callee.expression.name) === owner.name
      ) {
        calls.push(callee.name);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const member of owner.classNode.members) {
    if (isStaticMember(member) !== owner.isStatic) continue;
    ts.forEachChild(member, visit);
  }
  return calls;
}

/** The property names of the calls of `methods` made on what `owner` holds. */
export function methodCallNames(owner: Owner, methods: ReadonlySet<string>): ts.MemberName[] {
  return owner.kind === 'variable' ? variableCalls(owner, methods) : fieldCalls(owner, methods);
}

/**
 * Whether the file declares (other than by importing) a binding with one of `names` anywhere: a
 * local class, function, variable or parameter of that name means a `new Name()` is not the global.
 */
export function declaresLocally(sourceFile: ts.SourceFile, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const bound = boundIdentifier(node);
    if (bound && names.has(bound.text)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
