import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../../package.json';
import { checkDocument } from '../service/check';
import { languageOfFile } from '../service/documents';
import { selectFiles } from './files';
import { FORMATS, formatJson, formatSarif, formatText, type FileResult, type Format } from './format';

const USAGE = `Usage: pattern-lens check [paths...] [options]

Finds advanced TypeScript patterns and silent gotchas in .ts .tsx .mts .cts .js .jsx .mjs .cjs files.
Directories are walked recursively, honouring .gitignore and skipping node_modules. Default path: .

Options:
  --format <text|json|sarif>  output format (default: text)
  --patterns                  text format: list every pattern found, not only problems
  --no-color                  plain text output (also when NO_COLOR is set or output is not a terminal)
  -h, --help                  show this help
  -v, --version               show the version

Exit status: 0 no error-level problem, 1 at least one, 2 bad usage or unreadable input.`;

class UsageError extends Error {}

/** Runs the CLI; returns the exit status. Output goes through `out` and `err`. */
export function main(argv: readonly string[], io: { cwd: string; out: (s: string) => void; err: (s: string) => void; isTTY: boolean }): number {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
    io.err(`pattern-lens: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (options.version) {
    io.out(version);
    return 0;
  }

  const { files, problems } = selectFiles(options.paths.length > 0 ? options.paths : ['.'], io.cwd);
  const results: FileResult[] = [];
  for (const file of files) {
    const relative = path.relative(io.cwd, file).split(path.sep).join('/') || path.basename(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${relative}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      continue;
    }
    if (text.includes('\0')) {
      io.err(`pattern-lens: ${relative}: skipped, it looks like a binary file`);
      continue;
    }
    const document = TextDocument.create(`file://${file}`, languageOfFile(file)!, 1, text);
    results.push({ path: relative, ...checkDocument(document) });
  }

  io.out(render(options.format, results, { color: options.color && io.isTTY && !process.env.NO_COLOR, listPatterns: options.patterns }));
  for (const problem of problems) io.err(`pattern-lens: ${problem}`);
  if (problems.length > 0) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      patterns: { type: 'boolean', default: false },
      color: { type: 'boolean', default: true },
      'no-color': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  if (values.help || values.version) return { ...values, color: false, paths: [], format: 'text' as Format };
  const [command, ...paths] = positionals;
  if (command !== 'check') throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  if (!FORMATS.includes(values.format as Format)) throw new UsageError(`unknown format '${values.format}' (use ${FORMATS.join(', ')})`);
  return { ...values, color: values.color && !values['no-color'], paths, format: values.format as Format };
}

function render(format: Format, results: readonly FileResult[], textOptions: { color: boolean; listPatterns: boolean }): string {
  switch (format) {
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, { version, describeRule: () => undefined });
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
