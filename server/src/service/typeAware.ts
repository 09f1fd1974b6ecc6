import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Problem } from '../patterns/types';
import { RULES } from '../rules';
import { walk, type CancellationToken, type WalkResult } from './walk';

/** The rules of the second phase: the ones that need the type checker. */
export const TYPE_AWARE_RULES = RULES.filter((rule) => rule.requiresTypes);

/** Options for files that belong to no tsconfig project. */
const LOOSE_FILE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
  strict: true,
  allowJs: true,
  jsx: ts.JsxEmit.Preserve,
  noEmit: true,
  skipLibCheck: true,
};

export interface OpenFile {
  readonly fileName: string;
  readonly text: string;
}

export interface TypeAwareOptions {
  /** Language services kept at once; the least recently used is dropped beyond this. */
  readonly maxProjects: number;
  /** Above this heap size every language service is dropped and the phase pauses until memory falls. */
  readonly maxHeapBytes: number;
  readonly log?: (message: string) => void;
}

interface Project {
  readonly service: ts.LanguageService;
  readonly rootNames: Set<string>;
}

interface ProjectConfig {
  readonly key: string;
  readonly options: ts.CompilerOptions;
  readonly fileNames: readonly string[];
}

/**
 * The type-aware phase. Builds, when first needed, one `ts.LanguageService` per tsconfig project (or per
 * loose file), serves open documents from memory and everything else from disk, and walks a file with
 * the type-aware rules and the project's checker. Reads tsconfig files only: nothing is executed.
 */
export class TypeAwareProjects {
  private readonly projects = new Map<string, Project>();
  /** The project a file belongs to, by the file's absolute name. */
  private readonly configOfFile = new Map<string, ProjectConfig>();
  /** Open documents, each with a generation that changes whenever its text does. */
  private readonly openFiles = new Map<string, OpenFile & { readonly generation: number }>();
  private generations = 0;
  private readonly registry = ts.createDocumentRegistry();

  constructor(private readonly options: TypeAwareOptions) {}

  /** Keeps the language services' view of an open document current. */
  setOpenFile(file: OpenFile): void {
    const key = path.resolve(file.fileName);
    const known = this.openFiles.get(key);
    // Not the document's version: versions start again at 1 when a document is closed and reopened,
    // and a language service that saw the same version before would keep its old text.
    this.openFiles.set(key, { ...file, generation: known?.text === file.text ? known.generation : ++this.generations });
  }

  closeFile(fileName: string): void {
    this.openFiles.delete(path.resolve(fileName));
  }

  /** Drops every language service (after tsconfig or settings changes); they are rebuilt on demand. */
  reset(): void {
    for (const project of this.projects.values()) project.service.dispose();
    this.projects.clear();
    this.configOfFile.clear();
  }

  /** The type-aware problems of an open file, or undefined when the phase cannot run now. */
  problems(fileName: string, token: CancellationToken): WalkResult | undefined {
    if (TYPE_AWARE_RULES.length === 0) return { findings: [], problems: [], failures: [] };
    if (process.memoryUsage().heapUsed > this.options.maxHeapBytes) {
      this.reset();
      this.options.log?.('Pattern Lens: type-aware checks paused, the server is over its memory bound.');
      return undefined;
    }
    const absolute = path.resolve(fileName);
    const project = this.projectFor(absolute);
    const program = project.service.getProgram();
    const sourceFile = program?.getSourceFile(absolute);
    if (!program || !sourceFile) return undefined;
    return walk(sourceFile, TYPE_AWARE_RULES, { token, checker: program.getTypeChecker() });
  }

  /**
   * The checker and tree of a file, only if a language service already holds it with exactly `text`:
   * never builds one (a lightbulb must stay instant).
   */
  existingTypes(fileName: string, text: string): { checker: ts.TypeChecker; sourceFile: ts.SourceFile } | undefined {
    const absolute = path.resolve(fileName);
    const config = this.configOfFile.get(absolute);
    const program = config && this.projects.get(config.key)?.service.getProgram();
    const sourceFile = program?.getSourceFile(absolute);
    return program && sourceFile && sourceFile.text === text ? { checker: program.getTypeChecker(), sourceFile } : undefined;
  }

  private projectFor(fileName: string): Project {
    const config = this.configFor(fileName);
    let project = this.projects.get(config.key);
    if (project) {
      // Most recently used last.
      this.projects.delete(config.key);
      this.projects.set(config.key, project);
    } else {
      project = this.createProject(config);
      this.projects.set(config.key, project);
      while (this.projects.size > this.options.maxProjects) {
        const [oldestKey, oldest] = this.projects.entries().next().value!;
        oldest.service.dispose();
        this.projects.delete(oldestKey);
      }
    }
    project.rootNames.add(fileName);
    return project;
  }

  /** The nearest tsconfig.json that includes the file, else the file on its own. */
  private configFor(fileName: string): ProjectConfig {
    const cached = this.configOfFile.get(fileName);
    if (cached) return cached;
    const configFile = ts.findConfigFile(path.dirname(fileName), ts.sys.fileExists);
    const parsed = configFile
      ? ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
      : undefined;
    const config: ProjectConfig =
      parsed && parsed.fileNames.some((f) => path.resolve(f) === fileName)
        ? { key: configFile!, options: parsed.options, fileNames: parsed.fileNames }
        : { key: `loose:${fileName}`, options: LOOSE_FILE_OPTIONS, fileNames: [] };
    if (config.key !== `loose:${fileName}`) for (const member of config.fileNames) this.configOfFile.set(path.resolve(member), config);
    this.configOfFile.set(fileName, config);
    return config;
  }

  private createProject(config: ProjectConfig): Project {
    const rootNames = new Set(config.fileNames.map((f) => path.resolve(f)));
    const options = { ...config.options, noEmit: true };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...rootNames],
      getScriptVersion: (fileName) => {
        const open = this.openFiles.get(path.resolve(fileName));
        if (open) return `open:${open.generation}`;
        try {
          return `disk:${fs.statSync(fileName).mtimeMs}`;
        } catch {
          return 'missing';
        }
      },
      getScriptSnapshot: (fileName) => {
        const open = this.openFiles.get(path.resolve(fileName));
        const text = open?.text ?? ts.sys.readFile(fileName);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => path.dirname(config.key.startsWith('loose:') ? config.key.slice('loose:'.length) : config.key),
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (fileName) => this.openFiles.has(path.resolve(fileName)) || ts.sys.fileExists(fileName),
      readFile: (fileName) => this.openFiles.get(path.resolve(fileName))?.text ?? ts.sys.readFile(fileName),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    return { service: ts.createLanguageService(host, this.registry), rootNames };
  }
}

/** The problems of both phases of one document, for publishing together. */
export function mergeProblems(syntactic: readonly Problem[], typeAware: readonly Problem[]): Problem[] {
  return [...syntactic, ...typeAware].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
