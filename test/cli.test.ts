import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { formatSarif, formatText, type FileResult } from '../server/src/cli/format';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('pattern-lens check', () => {
  test('JSON: version 1, relative paths, LSP ranges', () => {
    const dir = tempProject({ 'src/a.ts': 'class A {\n  @dec m() {}\n}\ndeclare function dec(v: unknown, c: unknown): void;\n' });
    const { status, stdout } = run(['check', 'src', '--format', 'json'], dir);
    assert.equal(status, 0);
    assert.deepEqual(JSON.parse(stdout), {
      version: 1,
      files: [
        {
          path: 'src/a.ts',
          patterns: [{ id: 'method-decorator', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } } }],
          diagnostics: [],
        },
      ],
    });
  });

  test('walks directories, honours nested .gitignore files and skips node_modules', () => {
    const dir = tempProject({
      '.gitignore': 'generated/\n',
      'src/.gitignore': 'skip-*.ts\n',
      'src/keep.ts': '',
      'src/skip-me.ts': '',
      'src/view.tsx': '',
      'src/notes.md': '',
      'generated/out.ts': '',
      'node_modules/pkg/index.ts': '',
      'lib/x.mjs': '',
    });
    const { stdout } = run(['check', '--format', 'json'], dir);
    assert.deepEqual((JSON.parse(stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['lib/x.mjs', 'src/keep.ts', 'src/view.tsx']);
  });

  test('text: linter-style lines with --patterns, and a summary', () => {
    const dir = tempProject({ 'a.ts': 'class A {\n  @dec m() {}\n}\n' });
    const { status, stdout } = run(['check', '.', '--patterns'], dir);
    assert.equal(status, 0);
    assert.equal(stdout, 'a.ts\n  2:3  pattern  Class member decorator (Stage 3)  method-decorator\n\nNo problems; 1 pattern found in 1 file.\n');
  });

  test('exit 2 with a clear message on bad usage or unreadable input', () => {
    const missing = run(['check', 'no/such/dir']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no\/such\/dir: no such file or directory/);
    const format = run(['check', '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /unknown format 'xml'/);
    const command = run(['lint']);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /unknown command 'lint'/);
    const notSource = run(['check', 'README.md']);
    assert.equal(notSource.status, 2);
    assert.match(notSource.stderr, /README\.md: not a TypeScript or JavaScript file/);
  });

  test('binary files are skipped with a message, broken syntax is analysed', () => {
    const dir = tempProject({ 'blob.ts': 'abc\0\x01\x02', 'broken.ts': 'class {{{ @ (' });
    const { status, stdout, stderr } = run(['check', '.', '--format', 'json'], dir);
    assert.equal(status, 0);
    assert.match(stderr, /blob\.ts: skipped, it looks like a binary file/);
    assert.deepEqual((JSON.parse(stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['broken.ts']);
  });

  test('a file too deeply nested to parse is reported, and the others are still checked', () => {
    const dir = tempProject({ 'deep.ts': `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`, 'ok.ts': 'class A {\n  @dec m() {}\n}\n' });
    const { status, stdout, stderr } = run(['check', '.', '--format', 'json'], dir);
    assert.equal(status, 2);
    assert.match(stderr, /deep\.ts: skipped, it is nested too deeply for the TypeScript parser/);
    assert.deepEqual((JSON.parse(stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['ok.ts']);
  });

  test('--jobs: worker threads give the same report, in the same order, as one thread', () => {
    const files: Record<string, string> = {
      'deep.ts': `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`,
      'blob.ts': 'a\0b',
      'nan.ts': 'declare const v: number;\nif (v == NaN) {}\n',
    };
    for (let i = 0; i < 12; i++) files[`src/f${i}.ts`] = `class A${i} {\n  @dec m() {}\n}\nexport function f() {\n  for (var i = 0; i < ${i}; i++) setTimeout(() => i);\n}\n`;
    const dir = tempProject(files);
    const single = run(['check', '.', '--format', 'json', '--no-type-aware'], dir);
    assert.equal(single.status, 2);
    for (const jobs of ['2', '3']) assert.deepEqual(run(['check', '.', '--format', 'json', '--no-type-aware', '--jobs', jobs], dir), single);
    assert.equal(run(['check', '.', '--jobs', '0'], dir).status, 2);

    const copy = tempProject(files);
    const fixed = run(['fix', '.'], dir);
    assert.match(fixed.stdout, /^fixed src\/f0\.ts$/m);
    assert.deepEqual(run(['fix', '.', '--jobs', '2'], copy), fixed);
    for (const name of Object.keys(files)) assert.equal(fs.readFileSync(path.join(copy, name), 'utf8'), fs.readFileSync(path.join(dir, name), 'utf8'));
  });

  test('--help and --version', () => {
    assert.match(run(['--help']).stdout, /Usage: pattern-lens check/);
    assert.equal(run(['--version']).stdout.trim(), (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('report formats', () => {
  const results: FileResult[] = [
    {
      path: 'src/a b.ts',
      patterns: [],
      diagnostics: [
        { id: 'loose-equality', severity: 'warning', message: '`==` converts types', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } } },
        { id: 'nan-comparison', severity: 'error', message: 'always false', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } } },
      ],
    },
  ];

  test('text orders by position and counts by severity', () => {
    assert.equal(
      formatText(results, { color: false, listPatterns: false }),
      'src/a b.ts\n  1:1  error  always false  nan-comparison\n  3:5  warning  `==` converts types  loose-equality\n\n2 problems (1 error, 1 warning, 0 info, 0 hints); 0 patterns found in 1 file.',
    );
  });

  test('SARIF 2.1.0: rules, 1-based regions, levels, encoded relative uris', () => {
    const sarif = JSON.parse(
      formatSarif(results, {
        version: '1.2.3',
        describeRule: (id) => ({ id, summary: `summary of ${id}`, help: `help for ${id}`, helpUri: `https://example.invalid/${id}` }),
      }),
    );
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'Pattern Lens');
    assert.deepEqual(run0.tool.driver.rules.map((r: { id: string }) => r.id), ['loose-equality', 'nan-comparison']);
    assert.deepEqual(run0.results.map((r: { ruleId: string; ruleIndex: number; level: string }) => [r.ruleId, r.ruleIndex, r.level]), [
      ['loose-equality', 0, 'warning'],
      ['nan-comparison', 1, 'error'],
    ]);
    assert.deepEqual(run0.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/a%20b.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 7 },
    });
  });
});

/** One safe-fixable problem (a `var` captured by a timer callback) and one whose only fix is unsafe (`==`). */
const MIXED = `export function schedule(names: string[]) {
  for (var i = 0; i < names.length; i++) {
    setTimeout(() => console.log(names[i]), 10);
  }
}
export const isDefault = (port: string | number) => port == 80;
`;

interface JsonReport {
  files: { path: string; diagnostics: { id: string; severity: string }[] }[];
}

const problemsOf = (stdout: string) => (JSON.parse(stdout) as JsonReport).files.flatMap((f) => f.diagnostics.map((d) => `${f.path} ${d.id} ${d.severity}`));

describe('pattern-lens check: SARIF from the CLI', () => {
  interface Region {
    startLine: number;
    startColumn: number;
    endLine: number;
    endColumn: number;
  }
  interface Result {
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Region } }[];
    fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[] }[];
  }

  type Log = {
    $schema: string;
    version: string;
    runs: { tool: { driver: { name: string; semanticVersion: string; rules: { id: string; shortDescription: { text: string }; help: { text: string }; helpUri: string }[] } }; columnKind: string; results: Result[] }[];
  };
  let dir: string;
  let status: number | null;
  let log: Log;
  before(() => {
    dir = tempProject({ 'src/mixed.ts': MIXED });
    const checked = run(['check', '.', '--format', 'sarif', '--no-type-aware'], dir);
    status = checked.status;
    log = JSON.parse(checked.stdout) as Log;
  });

  test('a 2.1.0 log with one run, the tool and one rule descriptor per reported rule, with help and helpUri', () => {
    assert.equal(status, 0);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0]!.tool;
    assert.equal(driver.name, 'Pattern Lens');
    assert.equal(driver.semanticVersion, (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    assert.deepEqual(driver.rules.map((r) => r.id), ['loop-var-closure', 'loose-equality']);
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, rule.id);
      assert.ok(rule.help.text.length > rule.shortDescription.text.length, rule.id);
      assert.equal(new URL(rule.helpUri).protocol, 'https:', rule.id);
    }
  });

  test('the same problems as the JSON report, though the patterns are not looked for: over examples/, every rule', () => {
    type Reported = { path: string; diagnostics: { id: string; message: string; range: { start: { line: number; character: number } } }[] };
    const args = ['check', 'examples', '--no-type-aware'];
    const json = JSON.parse(run([...args, '--format', 'json']).stdout) as { files: Reported[] };
    const sarif = JSON.parse(run([...args, '--format', 'sarif']).stdout) as Log;
    const fromJson = json.files.flatMap((f) => f.diagnostics.map((d) => `${f.path} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.id} ${d.message}`));
    const fromSarif = sarif.runs[0]!.results.map(({ ruleId, message, locations: [location] }) => {
      const { artifactLocation, region } = location!.physicalLocation;
      return `${decodeURI(artifactLocation.uri)} ${region.startLine}:${region.startColumn} ${ruleId} ${message.text}`;
    });
    assert.ok(json.files.some((f) => f.diagnostics.length > 0) && fromJson.length >= 15, 'examples/ report a problem of every rule');
    assert.deepEqual(fromSarif, fromJson);
  });

  test('results: ruleId and ruleIndex agree, SARIF levels, a message, and 1-based regions in UTF-16 columns', () => {
    const { results, columnKind, tool } = log.runs[0]!;
    assert.equal(columnKind, 'utf16CodeUnits');
    assert.deepEqual(results.map((r) => [r.ruleId, tool.driver.rules[r.ruleIndex]!.id, r.level]), [
      ['loop-var-closure', 'loop-var-closure', 'warning'],
      ['loose-equality', 'loose-equality', 'warning'],
    ]);
    for (const result of results) assert.ok(result.message.text.length > 0);
    const lines = MIXED.split('\n');
    assert.deepEqual(results[1]!.locations[0]!.physicalLocation, {
      artifactLocation: { uri: 'src/mixed.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: lines[5]!.indexOf('==') + 1, endLine: 6, endColumn: lines[5]!.indexOf('==') + 3 },
    });
  });

  test('fixes: only where a safe fix exists, and applying them gives what pattern-lens fix writes', () => {
    const [loopVar, loose] = log.runs[0]!.results;
    assert.equal(loose!.fixes, undefined);
    assert.equal(loopVar!.fixes!.length, 1);
    const [change, ...others] = loopVar!.fixes![0]!.artifactChanges;
    assert.deepEqual(others, []);
    assert.equal(change!.artifactLocation.uri, 'src/mixed.ts');
    // Apply the replacements back to front, turning 1-based line/column regions into offsets.
    const lineStarts = MIXED.split('\n').reduce<number[]>((starts, line) => [...starts, starts[starts.length - 1]! + line.length + 1], [0]);
    const offset = (line: number, column: number) => lineStarts[line - 1]! + column - 1;
    let text = MIXED;
    for (const { deletedRegion: r, insertedContent } of [...change!.replacements].reverse()) {
      text = text.slice(0, offset(r.startLine, r.startColumn)) + insertedContent.text + text.slice(offset(r.endLine, r.endColumn));
    }
    assert.equal(run(['fix', '.', '--no-type-aware'], dir).status, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'mixed.ts'), 'utf8'), text);
  });
});

// The rules these tests use are syntactic: the type-aware phase only adds start-up time.
describe('pattern-lens: rule levels', () => {
  test('--rule id=off drops the rule, --rule id=error makes it an error and the exit status 1', () => {
    const dir = tempProject({ 'mixed.ts': MIXED });
    const off = run(['check', '.', '--format', 'json', '--rule', 'loose-equality=off', '--no-type-aware'], dir);
    assert.equal(off.status, 0);
    assert.deepEqual(problemsOf(off.stdout), ['mixed.ts loop-var-closure warning']);
    const error = run(['check', '.', '--format', 'json', '--rule', 'loose-equality=error', '--rule', 'loop-var-closure=hint', '--no-type-aware'], dir);
    assert.equal(error.status, 1);
    assert.deepEqual(problemsOf(error.stdout), ['mixed.ts loop-var-closure hint', 'mixed.ts loose-equality error']);
  });

  test('--rule with an unknown rule or level is bad usage (exit 2)', () => {
    const unknownRule = run(['check', '--rule', 'no-such-rule=off', '--no-type-aware']);
    assert.equal(unknownRule.status, 2);
    assert.match(unknownRule.stderr, /unknown rule 'no-such-rule'/);
    const unknownLevel = run(['check', '--rule', 'loose-equality=loud', '--no-type-aware']);
    assert.equal(unknownLevel.status, 2);
    assert.match(unknownLevel.stderr, /the level must be one of off, hint, info, warning, error/);
  });

  test('pattern-lens.json and package.json "patternLens": the nearest applies, a package.json without the key is passed over, --rule wins', () => {
    const dir = tempProject({
      'pattern-lens.json': JSON.stringify({ rules: { 'loose-equality': 'error' } }),
      'root.ts': MIXED,
      'quiet/package.json': JSON.stringify({ name: 'quiet', patternLens: { rules: { 'loose-equality': 'off', 'loop-var-closure': 'info' } } }),
      'quiet/q.ts': MIXED,
      'plain/package.json': JSON.stringify({ name: 'plain' }),
      'plain/p.ts': MIXED,
    });
    const { status, stdout } = run(['check', '.', '--format', 'json', '--no-type-aware'], dir);
    assert.equal(status, 1);
    assert.deepEqual(problemsOf(stdout), [
      'plain/p.ts loop-var-closure warning',
      'plain/p.ts loose-equality error',
      'quiet/q.ts loop-var-closure info',
      'root.ts loop-var-closure warning',
      'root.ts loose-equality error',
    ]);
    const overridden = run(['check', '.', '--format', 'json', '--rule', 'loose-equality=warning', '--no-type-aware'], dir);
    assert.equal(overridden.status, 0);
    assert.deepEqual(problemsOf(overridden.stdout).filter((p) => p.includes('loose-equality')), ['plain/p.ts loose-equality warning', 'quiet/q.ts loose-equality warning', 'root.ts loose-equality warning']);
  });

  test('an unreadable config file is reported (exit 2) and its levels ignored', () => {
    const dir = tempProject({ 'pattern-lens.json': '{ "rules": ', 'a.ts': MIXED });
    const { status, stdout, stderr } = run(['check', '.', '--format', 'json', '--no-type-aware'], dir);
    assert.equal(status, 2);
    assert.match(stderr, /pattern-lens\.json: .*\(its rule levels are ignored\)/);
    assert.deepEqual(problemsOf(stdout), ['a.ts loop-var-closure warning', 'a.ts loose-equality warning']);
  });
});

describe('pattern-lens fix', () => {
  test('applies safe fixes only, in place, and says which files it changed', () => {
    const clean = 'export const same = (a: number, b: number) => a === b;\n';
    const dir = tempProject({ 'src/mixed.ts': MIXED, 'src/clean.ts': clean });
    const { status, stdout } = run(['fix', 'src', '--no-type-aware'], dir);
    assert.equal(status, 0);
    assert.equal(stdout, 'fixed src/mixed.ts\n1 file fixed.\n');
    // `var` became `let`; `==` stayed, since `===` may change the result.
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'mixed.ts'), 'utf8'), MIXED.replace('var i', 'let i'));
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'clean.ts'), 'utf8'), clean);
    assert.deepEqual(problemsOf(run(['check', 'src', '--format', 'json', '--no-type-aware'], dir).stdout), ['src/mixed.ts loose-equality warning']);
  });

  test('a rule turned off is not fixed', () => {
    const dir = tempProject({ 'mixed.ts': MIXED, 'pattern-lens.json': JSON.stringify({ rules: { 'loop-var-closure': 'off' } }) });
    const { status, stdout } = run(['fix', '.', '--no-type-aware'], dir);
    assert.equal(status, 0);
    assert.equal(stdout, '0 files fixed.\n');
    assert.equal(fs.readFileSync(path.join(dir, 'mixed.ts'), 'utf8'), MIXED);
  });
});
