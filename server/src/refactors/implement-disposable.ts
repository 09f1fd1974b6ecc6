import * as ts from 'typescript';
import { EditBuilder } from '../edits/builder';
import { tokenAt } from '../syntax/tokens';
import type { RefactorDefinition, RefactorOffer } from './types';
import { nearest, versionAtLeast } from './support';

const RELEASE_METHODS = ['close', 'dispose', 'release', 'destroy'];

interface Plan {
  /** The class's position in the path: its start offset, to find it again. */
  readonly classStart: number;
  readonly method: string;
  readonly isAsync: boolean;
  readonly declareImplements: boolean;
}

function isClass(node: ts.Node): node is ts.ClassDeclaration | ts.ClassExpression {
  return ts.isClassDeclaration(node) || ts.isClassExpression(node);
}

function memberName(member: ts.ClassElement): string | undefined {
  const name = member.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function isDisposeSymbolMember(member: ts.ClassElement, sourceFile: ts.SourceFile): boolean {
  const name = member.name;
  if (!name || !ts.isComputedPropertyName(name)) return false;
  const text = name.expression.getText(sourceFile);
  return text === 'Symbol.dispose' || text === 'Symbol.asyncDispose';
}

/** The release method the new member calls: an instance method, callable without arguments. */
function releaseMethod(node: ts.ClassDeclaration | ts.ClassExpression): ts.MethodDeclaration | undefined {
  for (const name of RELEASE_METHODS) {
    const method = node.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) &&
        m.body !== undefined &&
        memberName(m)?.replace(/^#/, '') === name &&
        !m.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.StaticKeyword || mod.kind === ts.SyntaxKind.AbstractKeyword) &&
        m.parameters.every((p) => p.questionToken !== undefined || p.initializer !== undefined || p.dotDotDotToken !== undefined),
    );
    if (method) return method;
  }
  return undefined;
}

function isAsyncMethod(method: ts.MethodDeclaration): boolean {
  if (method.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  const type = method.type;
  return type !== undefined && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise';
}

export const implementDisposable: RefactorDefinition = {
  id: 'implement-disposable',
  getOffers(context) {
    const found = nearest(context.path, isClass);
    if (!found) return [];
    const { node } = found;
    // Offered from the class's heading or from the release method's name, not from anywhere inside it.
    const method = releaseMethod(node);
    if (!method) return [];
    const onHeading = context.span.end <= (node.members.pos > 0 ? node.members.pos : node.end) && context.span.start >= node.getStart(context.sourceFile);
    const onMethodName = method.name.getStart(context.sourceFile) <= context.span.start && context.span.end <= method.name.end;
    if (!onHeading && !onMethodName) return [];
    if (node.members.some((m) => isDisposeSymbolMember(m, context.sourceFile))) return [];

    const isAsync = isAsyncMethod(method);
    const symbol = isAsync ? 'Symbol.asyncDispose' : 'Symbol.dispose';
    const name = memberName(method)!;
    const isTypeScript = !(context.sourceFile.flags & ts.NodeFlags.JavaScriptFile);
    const disabled = !isTypeScript
      ? undefined
      : !versionAtLeast(context.project.typescriptVersion, '5.2')
        ? `Needs TypeScript 5.2 or later for \`${symbol}\` (the project has ${context.project.typescriptVersion ?? 'no TypeScript installed'}).`
        : !context.project.hasDisposableLib
          ? `Needs \`"lib": ["esnext"]\` or \`"esnext.disposable"\` in tsconfig.json for the \`${isAsync ? 'AsyncDisposable' : 'Disposable'}\` types.`
          : undefined;
    const plan = (declareImplements: boolean): Plan => ({ classStart: node.getStart(context.sourceFile), method: name, isAsync, declareImplements });
    const interfaceName = isAsync ? 'AsyncDisposable' : 'Disposable';
    const hasImplements = node.heritageClauses?.some((c) => c.token === ts.SyntaxKind.ImplementsKeyword) ?? false;
    const offers: RefactorOffer[] = [
      {
        action: 'method',
        title: `Add [${symbol}]() calling ${name}()${hasImplements && isTypeScript ? ` and implement ${interfaceName}` : ''}`,
        description: `Lets \`${isAsync ? 'await using' : 'using'}\` and DisposableStack release this object by calling ${name}().`,
        disabled,
        data: plan(hasImplements && isTypeScript),
      },
    ];
    if (isTypeScript && !hasImplements) {
      offers.push({
        action: 'method-and-implements',
        title: `Add [${symbol}]() calling ${name}() and declare implements ${interfaceName}`,
        disabled,
        data: plan(true),
      });
    }
    return offers;
  },
  doChange(context, offer) {
    const plan = offer.data as Plan;
    const node = context.path.find((n): n is ts.ClassDeclaration | ts.ClassExpression => isClass(n) && n.getStart(context.sourceFile) === plan.classStart);
    const method = node && releaseMethod(node);
    if (!node || !method || memberName(method) !== plan.method) return [];
    const builder = new EditBuilder(context.sourceFile);
    const isTypeScript = !(context.sourceFile.flags & ts.NodeFlags.JavaScriptFile);
    const call = `this.${plan.method}()`;
    const signature = plan.isAsync
      ? `async [Symbol.asyncDispose]()${isTypeScript ? ': Promise<void>' : ''} {`
      : `[Symbol.dispose]()${isTypeScript ? ': void' : ''} {`;
    const indentation = builder.indentationOf(method);
    const unit = indentation.includes('\t') ? '\t' : '  ';
    const lines = ['', '', signature, `${unit}${plan.isAsync ? 'await ' : ''}${call};`, '}'];
    builder.insertAt(method.end, lines.map((line) => (line ? indentation + line : line)).join(builder.newLine));

    if (plan.declareImplements) {
      const interfaceName = plan.isAsync ? 'AsyncDisposable' : 'Disposable';
      const clause = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ImplementsKeyword);
      if (clause) {
        builder.insertAt(clause.types[clause.types.length - 1]!.end, `, ${interfaceName}`);
      } else {
        const after = node.heritageClauses?.[node.heritageClauses.length - 1]?.end ?? node.typeParameters?.end ?? node.name?.end;
        if (after === undefined) return [];
        // After a type parameter list, the clause goes after its closing `>`.
        const insertAt = node.typeParameters && after === node.typeParameters.end ? tokenAt(context.sourceFile, after).end : after;
        builder.insertAt(insertAt, ` implements ${interfaceName}`);
      }
    }
    return builder.build();
  },
};
