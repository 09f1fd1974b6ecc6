import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isStackOverflow, TOO_DEEP } from '../service/analyze';
import { checkDocument, fixDocument, type CheckOptions } from '../service/check';
import { ProjectConfigs } from '../service/config';
import { ruleLevel } from '../service/diagnostics';
import { languageOfFile } from '../service/documents';
import { fileTooLarge, type RuleLevel } from '../service/settings';
import { TypeAwareProjects } from '../service/typeAware';
import type { FileResult } from './format';

/** What a run needs to know to handle any one file: plain data, so worker threads get it as it is. */
export interface RunSettings {
  readonly command: 'check' | 'fix';
  readonly cwd: string;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly typeAware: boolean;
  readonly maxFileSizeKB: number;
  /** Whether the report lists the patterns (SARIF does not, so they are not looked for). */
  readonly patterns: boolean;
}

/** What handling one file gave: plain data, so a worker thread can post it back. */
export interface FileOutcome {
  /** `check`: the file's report. */
  readonly result?: FileResult;
  /** `fix`: the file was rewritten (its path relative to the working directory). */
  readonly fixed?: string;
  /** Reasons for exit status 2. */
  readonly problems: readonly string[];
  /** Said on stderr without changing the exit status. */
  readonly notes: readonly string[];
}

/** Checks or fixes files one at a time; keeps the config and type-aware caches between them. */
export class FileChecker {
  private readonly configs = new ProjectConfigs();
  private readonly typeAware: TypeAwareProjects | undefined;

  constructor(private readonly settings: RunSettings) {
    this.typeAware = settings.typeAware ? new TypeAwareProjects({ maxProjects: 4, maxHeapBytes: 3 * 1024 ** 3 }) : undefined;
  }

  run(file: string): FileOutcome {
    const { settings } = this;
    const relative = path.relative(settings.cwd, file).split(path.sep).join('/') || path.basename(file);
    const problems: string[] = [];
    let text: string;
    try {
      // Checked before reading, so a huge file is never loaded.
      const tooLarge = fileTooLarge(fs.statSync(file).size, settings.maxFileSizeKB);
      if (tooLarge) return { problems: [`${relative}: skipped, ${tooLarge} (--max-file-size-kb)`], notes: [] };
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { problems: [`${relative}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`], notes: [] };
    }
    if (text.includes('\0')) return { problems: [], notes: [`${relative}: skipped, it looks like a binary file`] };
    const config = this.configs.forFile(file);
    if (config.error) problems.push(`${config.error} (its rule levels are ignored)`);
    const checkOptions: CheckOptions = {
      levelOf: (id) => ruleLevel(id, [settings.rules, config.rules]),
      typeAware: this.typeAware,
      fileName: file,
      patterns: settings.patterns,
    };
    const document = TextDocument.create(`file://${file}`, languageOfFile(file)!, 1, text);
    try {
      if (settings.command === 'check') return { result: { path: relative, ...checkDocument(document, checkOptions) }, problems, notes: [] };
      const output = fixDocument(document, checkOptions);
      if (output === undefined) return { problems, notes: [] };
      fs.writeFileSync(file, output);
      return { fixed: relative, problems, notes: [] };
    } catch (error) {
      // A file too deeply nested to parse is reported and passed over; the others are still checked.
      if (!isStackOverflow(error)) throw error;
      return { problems: [...problems, `${relative}: skipped, ${TOO_DEEP}`], notes: [] };
    }
  }
}
