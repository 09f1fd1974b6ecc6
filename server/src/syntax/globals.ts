import * as ts from 'typescript';

/**
 * Built-in globals a file may shadow (`NaN`, `Array`, `Buffer`, `structuredClone`...). The checks are per
 * file and by name: conservative, since one declaration of the name anywhere means the global is not assumed.
 */

/** Declarations that bind a value name through their `name`: what can shadow a global value. */
const VALUE_DECLARATION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
];

/** Declarations of type names only. */
const TYPE_DECLARATION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.TypeParameter,
];

/**
 * How many declarations anywhere in the file (imports and parameters included) have each of `names`, in one
 * scan, for decisions made once, in `onWalkEnd` or a fix. `types` counts interfaces, type aliases and type
 * parameters too, for names whose meaning as a type matters (`Buffer` in an annotation).
 */
export function countDeclarations(sourceFile: ts.SourceFile, names: ReadonlySet<string>, options: { readonly types?: boolean } = {}): Map<string, number> {
  const kinds = options.types ? [...VALUE_DECLARATION_KINDS, ...TYPE_DECLARATION_KINDS] : VALUE_DECLARATION_KINDS;
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (kinds.includes(node.kind)) {
      const name = (node as ts.NamedDeclaration).name;
      if (name && ts.isIdentifier(name) && names.has(name.text)) counts.set(name.text, (counts.get(name.text) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return counts;
}

/** Answers of `fileDeclares`, by file and name. */
const declared = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/**
 * Whether `sourceFile` declares a value named `name` anywhere (a local `NaN`, `Array`, `Proxy`...). Only the
 * places where the name is written are looked at, each by descending the tree to it, and only when a detector
 * asks, which it does once it has found a candidate: most files are never looked at. (Watching every
 * declaration during the walk instead cost each detector that cares about a global a call per declaration.)
 */
export function fileDeclares(sourceFile: ts.SourceFile, name: string): boolean {
  let answers = declared.get(sourceFile);
  if (!answers) declared.set(sourceFile, (answers = new Map()));
  let answer = answers.get(name);
  if (answer === undefined) {
    answer = false;
    const { text } = sourceFile;
    for (let at = text.indexOf(name); at >= 0 && !answer; at = text.indexOf(name, at + name.length)) {
      const whole = !isIdentifierChar(text.charCodeAt(at - 1)) && !isIdentifierChar(text.charCodeAt(at + name.length));
      answer = whole && declaresAt(sourceFile, at, name);
    }
    answers.set(name, answer);
  }
  return answer;
}

function isIdentifierChar(code: number): boolean {
  return !Number.isNaN(code) && ts.isIdentifierPart(code, ts.ScriptTarget.Latest);
}

/** Whether the name written at `at` is the name of a value declaration: found by descending to it. */
function declaresAt(sourceFile: ts.SourceFile, at: number, name: string): boolean {
  let node: ts.Node | undefined = sourceFile;
  while (node) {
    if (VALUE_DECLARATION_KINDS.includes(node.kind)) {
      const bound = (node as ts.NamedDeclaration).name;
      if (bound && ts.isIdentifier(bound) && bound.end === at + name.length && bound.text === name) return true;
    }
    node = ts.forEachChild(node, (child) => (child.pos <= at && at < child.end ? child : undefined));
  }
  return false;
}
