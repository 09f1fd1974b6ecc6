import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The options every example, snippet and fixed output is type-checked with. */
export const CHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.esnext.d.ts'],
  types: ['node'],
  jsx: ts.JsxEmit.Preserve,
  noEmit: true,
  skipLibCheck: true,
  // Each example, snippet and fixed output is its own module, as it would be in a project.
  moduleDetection: ts.ModuleDetectionKind.Force,
};

export interface CheckedFile {
  readonly name: string;
  readonly errors: readonly string[];
}

/**
 * The lib and package declarations never change during a test run: parsed once, they are shared by
 * every program (hundreds of fixtures would otherwise each hold their own copy of `lib.esnext` and
 * `@types/node`).
 */
const SHARED_FILES = new Map<string, ts.SourceFile>();

/**
 * One program over in-memory modules, resolving `node:*` and packages from this repo's node_modules.
 * `files` maps a file name (e.g. `generator.ts`) to its text; `sourceFile(name)` finds one again.
 */
export function programFor(files: ReadonlyMap<string, string>, options: ts.CompilerOptions = CHECK_OPTIONS) {
  const dir = path.join(ROOT, '.virtual-examples');
  const virtual = new Map([...files].map(([name, text]) => [path.join(dir, name), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = virtual.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let shared = SHARED_FILES.get(key);
    if (!shared) {
      shared = getSourceFile.call(host, fileName, languageVersion, ...rest);
      if (shared) SHARED_FILES.set(key, shared);
    }
    return shared;
  };
  host.fileExists = (fileName) => virtual.has(path.resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return { program, fileNames: [...virtual.keys()], sourceFile: (name: string) => program.getSourceFile(path.join(dir, name))! };
}

/** Type-checks in-memory modules as one program (see `programFor`). */
export function typeCheck(files: ReadonlyMap<string, string>, options: ts.CompilerOptions = CHECK_OPTIONS): CheckedFile[] {
  const { program, fileNames } = programFor(files, options);
  const global = program.getGlobalDiagnostics().map(format);
  return fileNames.map((fileName) => {
    const sourceFile = program.getSourceFile(fileName)!;
    const errors = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map(format);
    return { name: path.basename(fileName), errors: [...global, ...errors] };
  });
}

function format(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`;
}
