import * as ts from 'typescript';
import { hasModifier } from '../syntax/modifiers';
import { tokenAt } from '../syntax/tokens';
import type { DetectorContext, PatternDefinition, Span } from './types';

/** The name shared by the declarations of one overload set, or undefined (nameless, broken code). */
function functionName(statement: ts.Statement): string | undefined {
  return statement.kind === ts.SyntaxKind.FunctionDeclaration ? (statement as ts.FunctionDeclaration).name?.text : undefined;
}

function isSignature(statement: ts.Statement): statement is ts.FunctionDeclaration {
  return statement.kind === ts.SyntaxKind.FunctionDeclaration && !(statement as ts.FunctionDeclaration).body;
}

/** Code without implementations: a `.d.ts` file, or inside `declare namespace` / `declare module` / `declare global`. */
function isAmbient(context: DetectorContext): boolean {
  if (context.sourceFile.isDeclarationFile) return true;
  for (const ancestor of context.ancestors) {
    if (ancestor.kind === ts.SyntaxKind.ModuleDeclaration && hasModifier(ancestor, ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

/**
 * Function overloads in a statement list: bodiless declarations sharing a name, immediately followed
 * by the implementation of that name; or, where there are no implementations (ambient code, or
 * `declare function`), two or more bodiless declarations in a row.
 */
function reportFunctionOverloads(context: DetectorContext, statements: ts.NodeArray<ts.Statement>): void {
  let ambient: boolean | undefined;
  for (let i = 0; i < statements.length; ) {
    const first = statements[i]!;
    const name = isSignature(first) ? functionName(first) : undefined;
    if (name === undefined) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < statements.length && isSignature(statements[end]!) && functionName(statements[end]!) === name) end++;
    const next = statements[end];
    const implemented = next !== undefined && next.kind === ts.SyntaxKind.FunctionDeclaration && functionName(next) === name;
    let declared = !implemented && end - i >= 2;
    if (declared) {
      for (let k = i; k < end && declared; k++) declared = hasModifier(statements[k]!, ts.SyntaxKind.DeclareKeyword);
      if (!declared) declared = ambient ??= isAmbient(context);
    }
    if (implemented || declared) {
      const names: ts.Node[] = [];
      for (let k = i + 1; k < end; k++) names.push((statements[k] as ts.FunctionDeclaration).name!);
      if (implemented) names.push((next as ts.FunctionDeclaration).name!);
      context.report((first as ts.FunctionDeclaration).name!, names);
    }
    i = implemented ? end + 1 : end;
  }
}

/** What makes two class members the same overload set: kind, `static`, and the property name. */
function memberKey(member: ts.ClassElement, sourceFile: ts.SourceFile): string | undefined {
  if (member.kind === ts.SyntaxKind.Constructor) return 'constructor';
  if (member.kind !== ts.SyntaxKind.MethodDeclaration) return undefined;
  const name = (member as ts.MethodDeclaration).name;
  const text =
    name.kind === ts.SyntaxKind.ComputedPropertyName
      ? `[${name.expression.getText(sourceFile)}]`
      : name.kind === ts.SyntaxKind.Identifier || name.kind === ts.SyntaxKind.PrivateIdentifier || name.kind === ts.SyntaxKind.StringLiteral || name.kind === ts.SyntaxKind.NumericLiteral
        ? name.text
        : undefined;
  if (text === undefined) return undefined;
  return hasModifier(member, ts.SyntaxKind.StaticKeyword) ? `static ${text}` : text;
}

function hasBody(member: ts.ClassElement): boolean {
  return (member as ts.MethodDeclaration | ts.ConstructorDeclaration).body !== undefined;
}

function isBodiless(member: ts.ClassElement): boolean {
  return (member.kind === ts.SyntaxKind.MethodDeclaration || member.kind === ts.SyntaxKind.Constructor) && !hasBody(member);
}

/** The method's name, or the `constructor` keyword of a constructor. */
function memberNameSpan(member: ts.ClassElement, sourceFile: ts.SourceFile): ts.Node | Span {
  if (member.kind !== ts.SyntaxKind.Constructor) return (member as ts.MethodDeclaration).name;
  const modifiers = (member as ts.ConstructorDeclaration).modifiers;
  return tokenAt(sourceFile, modifiers ? modifiers.end : member.pos);
}

/**
 * Method and constructor overloads in a class: bodiless members with one key followed by the member
 * with a body; or, in a `declare class`, ambient code or for `abstract` methods, two or more
 * bodiless members in a row.
 */
function reportMemberOverloads(context: DetectorContext, owner: ts.ClassLikeDeclaration): void {
  const members = owner.members;
  const { sourceFile } = context;
  let ambient: boolean | undefined;
  for (let i = 0; i < members.length; ) {
    const first = members[i]!;
    const key = isBodiless(first) ? memberKey(first, sourceFile) : undefined;
    if (key === undefined) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < members.length && isBodiless(members[end]!) && memberKey(members[end]!, sourceFile) === key) end++;
    const next = members[end];
    const implemented = next !== undefined && hasBody(next) && memberKey(next, sourceFile) === key;
    let declared = !implemented && end - i >= 2;
    if (declared) {
      for (let k = i; k < end && declared; k++) declared = hasModifier(members[k]!, ts.SyntaxKind.AbstractKeyword);
      if (!declared) declared = hasModifier(owner, ts.SyntaxKind.DeclareKeyword) || (ambient ??= isAmbient(context));
    }
    if (implemented || declared) {
      const names: (ts.Node | Span)[] = [];
      for (let k = i + 1; k < end; k++) names.push(memberNameSpan(members[k]!, sourceFile));
      if (implemented) names.push(memberNameSpan(next, sourceFile));
      context.report(memberNameSpan(first, sourceFile), names);
    }
    i = implemented ? end + 1 : end;
  }
}

export const overloads: PatternDefinition = {
  id: 'overloads',
  kind: 'pattern',
  category: 'functions',
  seeds: ['001'],
  prose: {
    title: 'Overload signatures',
    summary:
      'Several bodiless signatures of one function, method or constructor followed by a single implementation: callers see only the signatures, each with its own parameter and return types.',
    what:
      'A call is checked against the overload signatures in order and the first one that fits gives the call its return type. The implementation signature is invisible to callers: it only has to be compatible with every overload, and its body must tell the cases apart at run time (`typeof`, `Array.isArray`, `arguments.length`). The signatures are erased, leaving one JavaScript function. In `.d.ts` files and `declare` code the signatures stand alone, with no implementation.',
    when:
      'When the return type depends on which arguments are passed and a union would lose that link: `parse(text: string): Config` next to `parse(texts: string[]): Config[]`, a factory whose result type follows a string argument, or distinct arities such as `range(end)` and `range(start, end)`.',
    whenNot:
      'When the signatures differ only in one parameter type and return the same thing: `len(x: string | unknown[])` is simpler, and it accepts an argument whose type is the union itself, which matches none of the separate overloads. A generic parameter often replaces a long list of overloads.',
    pitfall:
      'The body is checked only against the implementation signature, not against each overload: returning a `Config[]` where an overload promises a `Config` compiles. Order matters too, since the first matching overload wins: put the most specific signatures first.',
  },
  python: {
    name: '`typing.overload`',
    example: '@overload\ndef parse(raw: str) -> Config: ...',
    note:
      'In both languages the variants exist for the checker and one final, undecorated definition does the work. Python keeps the stubs reachable through `typing.get_overloads` (3.11+); TypeScript erases them and requires them to sit directly before the implementation, in the same scope.',
  },
  example: `export interface Config {
  readonly name: string;
  readonly port: number;
}

export function parseConfig(text: string): Config;
export function parseConfig(texts: readonly string[]): Config[];
export function parseConfig(input: string | readonly string[]): Config | Config[] {
  if (typeof input !== 'string') return input.map((text) => parseConfig(text));
  const [name = 'app', port = '80'] = input.split(':');
  return { name, port: Number(port) };
}

export class Interval {
  readonly start: number;
  readonly end: number;

  constructor(end: number);
  constructor(start: number, end: number);
  constructor(first: number, second?: number) {
    if (second === undefined) {
      this.start = 0;
      this.end = first;
    } else {
      this.start = first;
      this.end = second;
    }
  }
}

export const api: Config = parseConfig('api:8080');
export const workers: Config[] = parseConfig(['queue:5672', 'cache:6379']);
export const firstTen = new Interval(10);
`,
  links: [
    { title: 'Handbook: Function Overloads', url: 'https://www.typescriptlang.org/docs/handbook/2/functions.html#function-overloads' },
    {
      title: 'Declaration files: Do\'s and Don\'ts (overloads)',
      url: 'https://www.typescriptlang.org/docs/handbook/declaration-files/do-s-and-don-ts.html',
    },
  ],
  snippets: [
    {
      prefix: 'pl-overloads',
      description: 'Overloaded function: two signatures whose return type follows the argument, one implementation',
      javascript: false,
      body: [
        'export function ${1:parse}(input: string): ${2:number};',
        'export function ${1:parse}(input: readonly string[]): ${2:number}[];',
        'export function ${1:parse}(input: string | readonly string[]): ${2:number} | ${2:number}[] {',
        '\tif (typeof input !== \'string\') return input.map((item) => ${1:parse}(item));',
        '\t${3:return Number(input);}',
        '}',
      ],
    },
  ],
  create(context) {
    return {
      [ts.SyntaxKind.SourceFile](node) {
        reportFunctionOverloads(context, (node as ts.SourceFile).statements);
      },
      [ts.SyntaxKind.ModuleBlock](node) {
        reportFunctionOverloads(context, (node as ts.ModuleBlock).statements);
      },
      [ts.SyntaxKind.Block](node) {
        reportFunctionOverloads(context, (node as ts.Block).statements);
      },
      [ts.SyntaxKind.ClassDeclaration](node) {
        reportMemberOverloads(context, node as ts.ClassDeclaration);
      },
      [ts.SyntaxKind.ClassExpression](node) {
        reportMemberOverloads(context, node as ts.ClassExpression);
      },
    };
  },
};
