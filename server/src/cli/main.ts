import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { RULES_BY_ID } from '../rules';
import { DEFAULT_MAX_FILE_SIZE_KB, RULE_LEVELS, type RuleLevel } from '../service/settings';
import { FileChecker, type FileOutcome, type RunSettings } from './checkFile';
import { selectFiles } from './files';
import { runOnThreads } from './jobs';
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
  --jobs <n>                  check files on n threads, this one and n - 1 workers (default: 1); output is the same
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
export async function main(argv: readonly string[], io: Io): Promise<number> {
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
  const settings: RunSettings = {
    command: options.command,
    cwd: io.cwd,
    rules: options.rules,
    typeAware: options.typeAware,
    maxFileSizeKB: options.maxFileSizeKB,
    patterns: options.format !== 'sarif',
  };
  let outcomes: FileOutcome[];
  if (options.jobs > 1) outcomes = await runOnThreads(files, settings, options.jobs);
  else {
    const checker = new FileChecker(settings);
    outcomes = files.map((file) => checker.run(file));
  }
  const results: FileResult[] = [];
  let fixed = 0;
  for (const outcome of outcomes) {
    problems.push(...outcome.problems);
    for (const note of outcome.notes) io.err(`pattern-lens: ${note}`);
    if (outcome.result) results.push(outcome.result);
    if (outcome.fixed !== undefined) {
      fixed++;
      io.out(`fixed ${outcome.fixed}`);
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
  readonly jobs: number;
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
      jobs: { type: 'string', default: '1' },
      color: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  const [command, ...paths] = positionals;
  const maxFileSizeKB = Number(values['max-file-size-kb']);
  const jobs = Number(values.jobs);
  const base = { paths, patterns: values.patterns, typeAware: values['type-aware'], maxFileSizeKB, jobs, color: values.color, help: values.help, version: values.version };
  if (values.help || values.version) return { ...base, command: 'check', format: 'text', rules: {} };
  if (command !== 'check' && command !== 'fix') throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  if (!(maxFileSizeKB > 0 && Number.isFinite(maxFileSizeKB))) throw new UsageError(`--max-file-size-kb ${values['max-file-size-kb']}: give a positive number of KB`);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs ${values.jobs}: give a whole number of threads, 1 or more`);
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
