/**
 * Applies every code action Pattern Lens offers to real code it was never written against: the
 * corpus of scripts/corpus.ts. Every refactor is asked at every place a user could ask for it (each
 * function, method, accessor, field, variable, class and try statement), and every quick fix of every
 * problem found is applied. Each output must parse with no syntax error the input did not have.
 *
 * With `--types`, the TypeScript files are also checked as a type checker sees them: each file is a
 * program of its own with Node's types and what it imports from its package, the refactors and the
 * type-aware rules get its checker as they would in the editor, and every output must add no type
 * error to its input's. `--max-typed N` (default 3) bounds the outputs type-checked per action and
 * package, since each costs a program.
 *
 * Prints what was offered and applied per action and every failure; exits 1 on any failure.
 * `npx tsx scripts/sweep.ts [--types] [--max-typed N] [--package substring]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../server/src/edits/builder';
import type { Problem, Span, TextEdit } from '../server/src/patterns/types';
import { REFACTORS } from '../server/src/refactors';
import { pathContaining } from '../server/src/refactors/support';
import type { ProjectFacts, RefactorContext, TypeFacts } from '../server/src/refactors/types';
import { RULES, RULES_BY_ID } from '../server/src/rules';
import { analyzeSourceFile } from '../server/src/service/analyze';
import { languageOfFile, parse } from '../server/src/service/documents';
import { walk } from '../server/src/service/walk';
import { corpus } from './corpus';

const { values } = parseArgs({
  options: { types: { type: 'boolean', default: false }, 'max-typed': { type: 'string', default: '3' }, package: { type: 'string' } },
});
const maxTypedPerAction = Number(values['max-typed']);

/** A project that can compile everything the actions write (TypeScript 6, `lib: esnext`). */
const PROJECT: ProjectFacts = { typescriptVersion: ts.version, hasDisposableLib: true, experimentalDecorators: false };
const TYPE_AWARE_RULES = RULES.filter((rule) => rule.requiresTypes);
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.esnext.d.ts'],
  // A Node project's globals (`console`, `performance`), as most projects have them.
  types: ['node'],
  typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')],
  jsx: ts.JsxEmit.Preserve,
  noEmit: true,
  skipLibCheck: true,
};

interface Tally {
  offered: number;
  applied: number;
  typeChecked: number;
}
const tallies = new Map<string, Tally>();
const failures: string[] = [];
const typedPerAction = new Map<string, number>();
let filesSwept = 0;
let placesAsked = 0;

function tally(action: string): Tally {
  let entry = tallies.get(action);
  if (!entry) tallies.set(action, (entry = { offered: 0, applied: 0, typeChecked: 0 }));
  return entry;
}

function syntaxErrors(sourceFile: ts.SourceFile): number {
  return (sourceFile as ts.SourceFile & { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics.length;
}

// Every file but the one being changed is read as it is on disk: parsed once, shared by every program.
const unchangedFiles = new Map<string, ts.SourceFile>();
const baseHost = ts.createCompilerHost(COMPILER_OPTIONS);

/** A program of one file, as `text`, and what it imports. */
function programOf(fileName: string, text: string): { types: TypeFacts; errors: string[] } {
  const host: ts.CompilerHost = {
    ...baseHost,
    getSourceFile(name, languageVersion) {
      if (name === fileName) return ts.createSourceFile(name, text, languageVersion, true);
      let unchanged = unchangedFiles.get(name);
      if (!unchanged) {
        const unchangedText = baseHost.readFile(name);
        if (unchangedText === undefined) return undefined;
        unchangedFiles.set(name, (unchanged = ts.createSourceFile(name, unchangedText, languageVersion, true)));
      }
      return unchanged;
    },
    fileExists: (name) => name === fileName || baseHost.fileExists(name),
    readFile: (name) => (name === fileName ? text : baseHost.readFile(name)),
  };
  const program = ts.createProgram([fileName], COMPILER_OPTIONS, host);
  const sourceFile = program.getSourceFile(fileName)!;
  const errors = program.getSemanticDiagnostics(sourceFile).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  return { types: { checker: program.getTypeChecker(), sourceFile }, errors };
}

/** The errors in `after` that `before` does not have (as a multiset: positions move, messages stay). */
function newErrors(before: readonly string[], after: readonly string[]): string[] {
  const remaining = [...before];
  return after.filter((error) => {
    const index = remaining.indexOf(error);
    if (index < 0) return true;
    remaining.splice(index, 1);
    return false;
  });
}

/** The places a user would put the cursor (or the selection) to ask for a refactor. */
function placesToAsk(sourceFile: ts.SourceFile): Span[] {
  const places: Span[] = [];
  const visit = (node: ts.Node): void => {
    const name = (node as ts.Node & { name?: ts.Node }).name;
    if (
      name &&
      (ts.isMethodDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isVariableDeclaration(node) ||
        ts.isClassDeclaration(node))
    ) {
      places.push({ start: name.end, end: name.end });
    }
    if (ts.isTryStatement(node) && node.finallyBlock) {
      const start = node.getStart(sourceFile);
      places.push({ start: start + 1, end: start + 1 }, { start, end: node.end });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return places;
}

function sweepFile(packageName: string, file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const languageId = languageOfFile(file)!;
  const sourceFile = parse(TextDocument.create(`file://${file}`, languageId, 1, text));
  const inputSyntaxErrors = syntaxErrors(sourceFile);
  const isTypeScript = languageId.startsWith('typescript');
  let typed: { types: TypeFacts; errors: string[] } | undefined;
  const typesOfInput = () => (typed ??= programOf(file, text));
  filesSwept++;

  const check = (action: string, where: number, edits: readonly TextEdit[]): void => {
    const entry = tally(action);
    entry.offered++;
    const at = `${path.relative(process.cwd(), file)}:${sourceFile.getLineAndCharacterOfPosition(where).line + 1} ${action}`;
    if (edits.length === 0) return; // declined when it came to it: allowed, nothing to check
    const output = applyEdits(text, edits);
    const reparsed = parse(TextDocument.create(`file://${file}`, languageId, 2, output));
    if (syntaxErrors(reparsed) > inputSyntaxErrors) {
      failures.push(`${at}: new syntax error`);
      return;
    }
    entry.applied++;
    const key = `${packageName} ${action}`;
    if (!values.types || !isTypeScript || (typedPerAction.get(key) ?? 0) >= maxTypedPerAction) return;
    typedPerAction.set(key, (typedPerAction.get(key) ?? 0) + 1);
    const added = newErrors(typesOfInput().errors, programOf(file, output).errors);
    entry.typeChecked++;
    if (added.length > 0) failures.push(`${at}: new type errors: ${added.join(' | ')}`);
  };

  const sweepRefactors = (types: TypeFacts | undefined): void => {
    for (const span of placesToAsk(sourceFile)) {
      placesAsked++;
      const context: RefactorContext = { sourceFile, span, path: pathContaining(sourceFile, span), project: PROJECT, types, decoratorsModule: undefined };
      for (const refactor of REFACTORS) {
        for (const offer of refactor.getOffers(context)) {
          if (!offer.disabled) check(`${refactor.id}/${offer.action}${types ? ' (typed)' : ''}`, span.start, refactor.doChange(context, offer));
        }
      }
    }
  };

  const sweepFixes = (problems: readonly Problem[]): void => {
    for (const problem of problems) {
      for (const fixId of problem.fixes) {
        const fix = RULES_BY_ID.get(problem.id)!.fixes?.find((f) => f.id === fixId);
        if (fix) check(`${problem.id}/${fixId}`, problem.span.start, fix.doChange(sourceFile, problem.span));
      }
    }
  };

  sweepRefactors(undefined);
  sweepFixes(analyzeSourceFile(sourceFile).problems);
  if (values.types && isTypeScript) {
    const { types } = typesOfInput();
    sweepRefactors(types);
    sweepFixes(walk(types.sourceFile, TYPE_AWARE_RULES, { checker: types.checker }).problems);
  }
}

const started = performance.now();
for (const { spec, files } of corpus()) {
  if (values.package && !spec.includes(values.package)) continue;
  for (const file of files) {
    try {
      sweepFile(spec, file);
    } catch (error) {
      failures.push(`${file}: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

const rows = [...tallies].sort(([a], [b]) => a.localeCompare(b));
const width = Math.max(...rows.map(([action]) => action.length), 6);
console.log(`${'action'.padEnd(width)}  offered  applied  type-checked`);
for (const [action, { offered, applied, typeChecked }] of rows) {
  console.log(`${action.padEnd(width)}  ${String(offered).padStart(7)}  ${String(applied).padStart(7)}  ${String(typeChecked).padStart(12)}`);
}
const sum = (field: keyof Tally) => rows.reduce((n, [, t]) => n + t[field], 0);
console.log(
  `\n${filesSwept} files, ${placesAsked} places asked; ${sum('offered')} actions offered, ${sum('applied')} applied, ` +
    `${sum('typeChecked')} type-checked; ${failures.length} failures (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
for (const failure of failures) console.log(`FAIL ${failure}`);
process.exitCode = failures.length > 0 ? 1 : 0;
