import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../../package.json';
import { RULES_BY_ID } from '../rules';
import { isStackOverflow, TOO_DEEP } from '../service/analyze';
import { checkDocument, fixDocument, type CheckOptions } from '../service/check';
import { ProjectConfigs } from '../service/config';
import { ruleLevel } from '../service/diagnostics';
import { languageOfFile } from '../service/documents';
import { DEFAULT_MAX_FILE_SIZE_KB, fileTooLarge, RULE_LEVELS, type RuleLevel } from '../service/settings';
import { TypeAwareProjects } from '../service/typeAware';
import { selectFiles } from './files';
import { FORMATS, formatJson, formatSarif, formatText, type FileResult, type Format, type RuleDescription } from './format';

const USAGE = `Usage: pattern-lens check [paths...] [options]
       pattern-lens fix [paths...] [options]

check  finds advanced TypeScript patterns and silent gotchas, and reports them.
fix    applies every safe quick fix in place (fixes that could change behaviour are never applied).

Reads .ts .tsx .mts .cts .js .jsx .mjs .cjs files. Directories are walked recursively, honouring
.gitignore and skipping node_modules. Default path: . Rule levels come from the nearest
pattern-lens.json (or the "patternLens" key of package.json), then from --rule.

Options:
  --format <text|json|sarif>  check's output format (default: text)
  --patterns                  text format: list every pattern found, not only problems
  --rule <id>=<level>         set a rule's level: off, hint, info, warning, error (repeatable)
  --no-type-aware             skip the rules that need type information (faster)
  --max-file-size-kb <n>      skip (and report) files larger than n KB (default: ${DEFAULT_MAX_FILE_SIZE_KB})
  --no-color                  plain text output (also when NO_COLOR is set or output is not a terminal)
  -h, --help                  show this help
  -v, --version               show the version

Exit status: 0 no error-level problem, 1 at least one, 2 bad usage or unreadable input.`;

class UsageError extends Error {}

interface Io {
  readonly cwd: string;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
}

/** Runs the CLI; returns the exit status. Output goes through `out` and `err`. */
export function main(argv: readonly string[], io: Io): number {
  let options: Options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
    io.err(`pattern-lens: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) return io.out(USAGE), 0;
  if (options.version) return io.out(version), 0;

  const { files, problems } = selectFiles(options.paths.length > 0 ? options.paths : ['.'], io.cwd);
  const configs = new ProjectConfigs();
  const typeAware = options.typeAware ? new TypeAwareProjects({ maxProjects: 4, maxHeapBytes: 3 * 1024 ** 3 }) : undefined;
  const results: FileResult[] = [];
  let fixed = 0;
  for (const file of files) {
    const relative = path.relative(io.cwd, file).split(path.sep).join('/') || path.basename(file);
    let text: string;
    try {
      // Checked before reading, so a huge file is never loaded.
      const tooLarge = fileTooLarge(fs.statSync(file).size, options.maxFileSizeKB);
      if (tooLarge) {
        problems.push(`${relative}: skipped, ${tooLarge} (--max-file-size-kb)`);
        continue;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${relative}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      continue;
    }
    if (text.includes('\0')) {
      io.err(`pattern-lens: ${relative}: skipped, it looks like a binary file`);
      continue;
    }
    const config = configs.forFile(file);
    if (config.error) problems.push(`${config.error} (its rule levels are ignored)`);
    const checkOptions: CheckOptions = {
      levelOf: (id) => ruleLevel(id, [options.rules, config.rules]),
      typeAware,
      fileName: file,
    };
    const document = TextDocument.create(`file://${file}`, languageOfFile(file)!, 1, text);
    // A file too deeply nested to parse is reported and passed over; the others are still checked.
    const tooDeep = (error: unknown) => {
      if (!isStackOverflow(error)) throw error;
      problems.push(`${relative}: skipped, ${TOO_DEEP}`);
    };
    if (options.command === 'fix') {
      let output: string | undefined;
      try {
        output = fixDocument(document, checkOptions);
      } catch (error) {
        tooDeep(error);
        continue;
      }
      if (output !== undefined) {
        fs.writeFileSync(file, output);
        fixed++;
        io.out(`fixed ${relative}`);
      }
      continue;
    }
    try {
      results.push({ path: relative, ...checkDocument(document, checkOptions) });
    } catch (error) {
      tooDeep(error);
    }
  }

  if (options.command === 'fix') io.out(`${fixed} file${fixed === 1 ? '' : 's'} fixed.`);
  else io.out(render(options.format, results, { color: options.color && io.isTTY && !process.env.NO_COLOR, listPatterns: options.patterns }));
  for (const problem of [...new Set(problems)]) io.err(`pattern-lens: ${problem}`);
  if (problems.length > 0) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

interface Options {
  readonly command: 'check' | 'fix';
  readonly paths: readonly string[];
  readonly format: Format;
  readonly patterns: boolean;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly typeAware: boolean;
  readonly maxFileSizeKB: number;
  readonly color: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

function parse(argv: readonly string[]): Options {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    options: {
      format: { type: 'string', default: 'text' },
      patterns: { type: 'boolean', default: false },
      rule: { type: 'string', multiple: true, default: [] },
      'type-aware': { type: 'boolean', default: true },
      'max-file-size-kb': { type: 'string', default: String(DEFAULT_MAX_FILE_SIZE_KB) },
      color: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  const [command, ...paths] = positionals;
  const maxFileSizeKB = Number(values['max-file-size-kb']);
  const base = { paths, patterns: values.patterns, typeAware: values['type-aware'], maxFileSizeKB, color: values.color, help: values.help, version: values.version };
  if (values.help || values.version) return { ...base, command: 'check', format: 'text', rules: {} };
  if (command !== 'check' && command !== 'fix') throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  if (!(maxFileSizeKB > 0 && Number.isFinite(maxFileSizeKB))) throw new UsageError(`--max-file-size-kb ${values['max-file-size-kb']}: give a positive number of KB`);
  if (!FORMATS.includes(values.format as Format)) throw new UsageError(`unknown format '${values.format}' (use ${FORMATS.join(', ')})`);
  const rules: Record<string, RuleLevel> = {};
  for (const setting of values.rule) {
    const [id, level] = setting.split('=');
    if (!id || !RULES_BY_ID.has(id)) throw new UsageError(`unknown rule '${id ?? setting}' in --rule ${setting}`);
    if (!RULE_LEVELS.includes(level as RuleLevel)) throw new UsageError(`--rule ${setting}: the level must be one of ${RULE_LEVELS.join(', ')}`);
    rules[id] = level as RuleLevel;
  }
  return { ...base, command, format: values.format as Format, rules };
}

function describeRule(id: string): RuleDescription | undefined {
  const rule = RULES_BY_ID.get(id);
  if (!rule) return undefined;
  const fixes = (rule.fixes ?? []).map((f) => `- ${f.title}${f.safe ? ' (safe)' : ''}`).join('\n');
  return {
    id,
    summary: rule.prose.summary,
    help: [rule.prose.what, `When it bites: ${rule.prose.when}`, `Fixing it: ${rule.prose.pitfall}`, fixes].filter(Boolean).join('\n\n'),
    helpUri: rule.links[0]?.url,
  };
}

function render(format: Format, results: readonly FileResult[], textOptions: { color: boolean; listPatterns: boolean }): string {
  switch (format) {
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, { version, describeRule });
    case 'text':
      return formatText(results, textOptions);
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    isTTY: process.stdout.isTTY === true,
  });
}
