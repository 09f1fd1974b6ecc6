/**
 * Runs the engine over the real-world corpus (scripts/corpus.ts) and prints what a reviewer needs:
 * per-rule and per-pattern counts, detector failures (there must be none), the time of parsing alone
 * against parsing plus the one walk, and a sample of each rule's findings with their line, to be read
 * for false positives. `npx tsx scripts/review.ts [--samples N] [--rule id]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Problem } from '../server/src/patterns/types';
import { analyzeSourceFile } from '../server/src/service/analyze';
import { languageOfFile, parse } from '../server/src/service/documents';
import { corpus } from './corpus';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '8' }, rule: { type: 'string' } } });
const samplesPerRule = Number(values.samples);

const problemsByRule = new Map<string, { file: string; line: number; text: string; message: string }[]>();
const patternCounts = new Map<string, number>();
const failures: string[] = [];
let parseMs = 0;
let walkMs = 0;
let files = 0;

for (const { spec, files: sources } of corpus()) {
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    const document = TextDocument.create(`file://${file}`, languageOfFile(file)!, 1, text);
    const parseStart = performance.now();
    const sourceFile = parse(document);
    const walkStart = performance.now();
    const result = analyzeSourceFile(sourceFile);
    walkMs += performance.now() - walkStart;
    parseMs += walkStart - parseStart;
    files++;
    for (const { id, error } of result.failures) failures.push(`${spec} ${file}: ${id}: ${String(error)}`);
    for (const finding of result.findings) patternCounts.set(finding.id, (patternCounts.get(finding.id) ?? 0) + 1);
    for (const problem of result.problems) record(spec, file, document, problem);
  }
}

function record(spec: string, file: string, document: TextDocument, problem: Problem): void {
  const { line } = document.positionAt(problem.span.start);
  const text = document.getText().split(/\r?\n/)[line]!.trim();
  const list = problemsByRule.get(problem.id) ?? [];
  list.push({ file: `${spec}/${path.relative(path.join(path.dirname(file)), file)}`.replace(/\/[^/]+$/, `/${path.basename(file)}`), line: line + 1, text, message: problem.message });
  problemsByRule.set(problem.id, list);
}

console.log(`${files} files; parse ${parseMs.toFixed(0)} ms; walk (all patterns and syntactic rules) ${walkMs.toFixed(0)} ms (${((walkMs / parseMs) * 100).toFixed(0)}% of parse)`);
console.log(`detector failures: ${failures.length}`);
for (const failure of failures.slice(0, 20)) console.log(`  ${failure}`);
console.log('\npatterns:');
for (const [id, count] of [...patternCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(28)} ${count}`);
console.log('\nrules:');
for (const [id, list] of [...problemsByRule].sort()) console.log(`  ${id.padEnd(28)} ${list.length}`);
for (const [id, list] of [...problemsByRule].sort()) {
  if (values.rule && values.rule !== id) continue;
  console.log(`\n── ${id} (${list.length}) ──`);
  // An even spread over the findings, so one package does not fill the sample.
  const step = Math.max(1, Math.floor(list.length / samplesPerRule));
  for (let i = 0; i < list.length && i / step < samplesPerRule; i += step) {
    const { file, line, text, message } = list[i]!;
    console.log(`  ${file}:${line}\n      ${text.slice(0, 160)}\n      → ${message.slice(0, 200)}`);
  }
}
