import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOfFile } from '../../server/src/service/documents';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface ExpectedFinding {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

export interface Fixture {
  readonly name: string;
  readonly document: TextDocument;
  /** The findings the fixture's markers promise, sorted by position. */
  readonly expected: readonly ExpectedFinding[];
}

const OPEN = /\/\*\[([a-z0-9 -]+)\*\//y;
const CLOSE = '/*]*/';

/**
 * Reads a fixture whose expected findings are marked in place: `/*[id other-id*\/` opens a span and
 * `/*]*\/` closes the innermost open one. Markers are comments, so the file is valid code as it is;
 * a span runs from the end of its opening marker to the start of its closing one.
 */
export function readFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const open: { ids: string[]; start: number }[] = [];
  const expected: ExpectedFinding[] = [];
  for (let i = text.indexOf('/*'); i >= 0; i = text.indexOf('/*', i + 2)) {
    OPEN.lastIndex = i;
    const opening = OPEN.exec(text);
    if (opening) {
      open.push({ ids: opening[1]!.trim().split(/\s+/), start: i + opening[0].length });
    } else if (text.startsWith(CLOSE, i)) {
      const span = open.pop();
      if (!span) throw new Error(`${file}: closing marker at offset ${i} has no opening marker`);
      for (const id of span.ids) expected.push({ id, start: span.start, end: i });
    }
  }
  if (open.length > 0) throw new Error(`${file}: ${open.length} marker(s) never closed`);
  expected.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
  const languageId = languageOfFile(file);
  if (!languageId) throw new Error(`${file}: not a TypeScript or JavaScript file`);
  const document = TextDocument.create(`file://${file}`, languageId, 1, text);
  return { name: path.relative(FIXTURES, file), document, expected };
}

export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => languageOfFile(name))
    .sort()
    .map((name) => path.join(dir, name));
}
