import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { PATTERNS } from '../server/src/patterns';
import { RULES } from '../server/src/rules';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLES = path.join(ROOT, 'examples');

interface JsonReport {
  files: { path: string; patterns: { id: string }[]; diagnostics: { id: string; severity: string }[] }[];
}

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      fixes?: { artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number; endLine: number } }[] }[] }[];
    }[];
  }[];
}

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The type errors of the project that `dir/tsconfig.json` describes, as `tsc -p dir` would report them. */
function typeErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * Line operations turning `original` into `changed` (a longest-common-subsequence diff): each removed line
 * of `original` and each added line of `changed`, with the 0-based index in `original` where it happens.
 */
function lineDiff(original: readonly string[], changed: readonly string[]): { op: 'removed' | 'added'; at: number }[] {
  const common: number[][] = Array.from({ length: original.length + 1 }, () => new Array<number>(changed.length + 1).fill(0));
  for (let i = original.length - 1; i >= 0; i--) {
    for (let j = changed.length - 1; j >= 0; j--) {
      common[i]![j] = original[i] === changed[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const changes: { op: 'removed' | 'added'; at: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < original.length || j < changed.length) {
    if (i < original.length && j < changed.length && original[i] === changed[j]) {
      i++;
      j++;
    } else if (j < changed.length && (i === original.length || common[i]![j + 1]! >= common[i + 1]![j]!)) {
      changes.push({ op: 'added', at: i });
      j++;
    } else {
      changes.push({ op: 'removed', at: i });
      i++;
    }
  }
  return changes;
}

describe('examples/ (the bundled example project)', () => {
  test('type-checks with its own tsconfig', () => {
    assert.deepEqual(typeErrors(EXAMPLES), []);
  });

  let check: ReturnType<typeof run>;
  let report: JsonReport;
  before(() => {
    check = run(['check', 'examples', '--format', 'json'], ROOT);
    report = JSON.parse(check.stdout) as JsonReport;
  });

  test('the CLI reports every catalog pattern and every rule there, type-aware ones included, and exits 0', () => {
    assert.equal(check.stderr, '');
    assert.equal(check.status, 0);
    const patterns = new Set(report.files.flatMap((f) => f.patterns.map((p) => p.id)));
    assert.deepEqual(PATTERNS.map((p) => p.id).filter((id) => !patterns.has(id)), [], 'patterns never found');
    const rules = new Set(report.files.flatMap((f) => f.diagnostics.map((d) => d.id)));
    assert.deepEqual(RULES.map((r) => r.id).filter((id) => !rules.has(id)), [], 'rules never reported');
  });

  test('its pattern-lens.json lowers the error-level rules to warnings, which keeps the exit status 0', () => {
    const errorRules = RULES.filter((r) => r.defaultSeverity === 'error').map((r) => r.id);
    assert.ok(errorRules.length > 0);
    const levels = new Set(report.files.flatMap((f) => f.diagnostics.filter((d) => errorRules.includes(d.id)).map((d) => `${d.id} ${d.severity}`)));
    assert.deepEqual([...levels].sort(), errorRules.map((id) => `${id} warning`).sort());
    // At their default level the same run fails.
    assert.equal(run(['check', 'examples', '--no-type-aware', ...errorRules.map((id) => `--rule=${id}=error`)], ROOT).status, 1);
  });

  describe('pattern-lens fix on a copy', () => {
    let copy: string;
    let withFixes: SarifLog['runs'][number]['results'];
    let initial: string[];
    let sources: Map<string, string>;
    let fixed: ReturnType<typeof run>;
    let final: JsonReport;

    before(() => {
      copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-examples-'));
      fs.cpSync(EXAMPLES, copy, { recursive: true });
      // Resolve `types: ["node"]` as examples/ does (the CLI never walks into node_modules).
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
      const sarif = JSON.parse(run(['check', '.', '--format', 'sarif'], copy).stdout) as SarifLog;
      withFixes = sarif.runs[0]!.results.filter((r) => r.fixes);
      initial = sarif.runs[0]!.results.map((r) => `${decodeURI(r.locations[0]!.physicalLocation.artifactLocation.uri)} ${r.ruleId}`).sort();
      const files = fs.readdirSync(path.join(copy, 'src')).map((name) => `src/${name}`);
      sources = new Map(files.map((file) => [file, fs.readFileSync(path.join(copy, file), 'utf8')]));
      fixed = run(['fix', '.'], copy);
      final = JSON.parse(run(['check', '.', '--format', 'json'], copy).stdout) as JsonReport;
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    test('there are safe fixes to apply, one rule per safe-fixable instance in gotchas.ts', () => {
      assert.equal(fixed.status, 0);
      // type-only-import-candidate's instance imports a class, whose only fix may change what loads.
      assert.deepEqual(withFixes.map((r) => r.ruleId).sort(), ['buffer-slice', 'includes-in-loop', 'loop-var-closure', 'non-exhaustive-switch', 'wrapper-loses-this']);
    });

    test('only the lines the safe fixes replace change', () => {
      const touched = new Map<string, Set<number>>();
      for (const change of withFixes.flatMap((r) => r.fixes!.flatMap((f) => f.artifactChanges))) {
        const lines = touched.get(decodeURI(change.artifactLocation.uri)) ?? new Set<number>();
        for (const { deletedRegion } of change.replacements) {
          for (let line = deletedRegion.startLine; line <= deletedRegion.endLine; line++) lines.add(line - 1);
        }
        touched.set(decodeURI(change.artifactLocation.uri), lines);
      }
      for (const [file, original] of sources) {
        const lines = touched.get(file) ?? new Set<number>();
        for (const { op, at } of lineDiff(original.split('\n'), fs.readFileSync(path.join(copy, file), 'utf8').split('\n'))) {
          // A removed line must be one a fix replaced; an added one must sit next to such a line.
          const allowed = op === 'removed' ? lines.has(at) : lines.has(at) || lines.has(at - 1);
          assert.ok(allowed, `${file}: line ${at + 1} ${op} outside every safe fix`);
        }
        if (!touched.has(file)) assert.equal(fs.readFileSync(path.join(copy, file), 'utf8'), original, `${file} has no safe fix but changed`);
      }
    });

    test('the fixed copy re-checks clean of the fixed rules, keeps every other problem, and still type-checks', () => {
      const fixedRules = new Set(withFixes.map((r) => r.ruleId));
      const problems = final.files.flatMap((f) => f.diagnostics.map((d) => `${f.path} ${d.id}`)).sort();
      assert.deepEqual(problems.filter((p) => fixedRules.has(p.split(' ')[1]!)), []);
      assert.deepEqual(problems, initial.filter((p) => !fixedRules.has(p.split(' ')[1]!)));
      assert.deepEqual(typeErrors(copy), []);
    });
  });
});
