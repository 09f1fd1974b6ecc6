import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
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
      'src/a b.ts\n  1:1  error  always false  nan-comparison\n  3:5  warning  `==` converts types  loose-equality\n\n2 problems (1 error, 1 warning, 0 info); 0 patterns found in 1 file.',
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
