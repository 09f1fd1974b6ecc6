import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { CHECK_OPTIONS, typeCheck, type CheckedFile } from './support/typecheck';

const ROOT = path.join(__dirname, '..');

interface Snippet {
  readonly prefix: string;
  readonly body: readonly string[];
}

/** A tab stop or placeholder: `$1`, `${1}`, `${1:default}` (defaults may nest), `${1|one,two|}`. */
interface TabStop {
  readonly index: number;
  readonly value?: readonly Part[];
  readonly choice?: string;
}
type Part = string | TabStop;

/** Parses VS Code snippet syntax (tab stops, placeholders, choices and `\` escapes; no variables). */
function parseSnippet(text: string): Part[] {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${at} in ${JSON.stringify(text)}`);
  };
  const digits = () => {
    const start = at;
    while (at < text.length && text[at]! >= '0' && text[at]! <= '9') at++;
    return start === at ? fail('expected a tab stop number') : Number(text.slice(start, at));
  };
  // `inside` is true within a placeholder's default, which a `}` ends.
  const parts = (inside: boolean): Part[] => {
    const out: Part[] = [];
    let literal = '';
    while (at < text.length) {
      const char = text[at]!;
      if (char === '\\' && '$}\\'.includes(text[at + 1] ?? '')) {
        literal += text[at + 1];
        at += 2;
      } else if (inside && char === '}') {
        break;
      } else if (char === '$' && /[0-9{]/.test(text[at + 1] ?? '')) {
        if (literal) out.push(literal);
        literal = '';
        at++;
        out.push(tabStop());
      } else {
        literal += char;
        at++;
      }
    }
    if (literal) out.push(literal);
    return out;
  };
  const tabStop = (): TabStop => {
    if (text[at] !== '{') return { index: digits() };
    at++;
    const index = digits();
    if (text[at] === '}') return at++, { index };
    if (text[at] === ':') {
      at++;
      const value = parts(true);
      if (text[at] !== '}') fail('unterminated placeholder');
      at++;
      return { index, value };
    }
    if (text[at] === '|') {
      const end = text.indexOf('|}', at);
      if (end < 0) fail('unterminated choice');
      const choice = text.slice(at + 1, end).split(',')[0]!;
      at = end + 2;
      return { index, choice };
    }
    return fail('unexpected character in a tab stop');
  };
  const result = parts(false);
  if (at !== text.length) fail('unexpected }');
  return result;
}

/**
 * The text VS Code inserts when every placeholder keeps its default: a tab stop repeated elsewhere
 * (a mirror) shows the default of its first occurrence that has one; `$0` and bare tab stops are empty.
 */
function expandSnippet(text: string): string {
  const parts = parseSnippet(text);
  const defaults = new Map<number, TabStop>();
  const collect = (list: readonly Part[]) => {
    for (const part of list) {
      if (typeof part === 'string') continue;
      if ((part.value || part.choice !== undefined) && !defaults.has(part.index)) defaults.set(part.index, part);
      if (part.value) collect(part.value);
    }
  };
  collect(parts);
  const render = (list: readonly Part[]): string =>
    list
      .map((part) => {
        if (typeof part === 'string') return part;
        const source = defaults.get(part.index);
        return source?.choice ?? (source?.value ? render(source.value) : '');
      })
      .join('');
  return render(parts);
}

describe('expandSnippet', () => {
  test('defaults, nested and mirrored placeholders, choices, escapes and empty tab stops', () => {
    assert.equal(expandSnippet('const ${1:name} = ${2:make(${3:arg})};$0'), 'const name = make(arg);');
    assert.equal(expandSnippet('function ${1:f}() {}\n${1}(); $1();'), 'function f() {}\nf(); f();');
    assert.equal(expandSnippet("let mode = '${1|fast,slow|}';"), "let mode = 'fast';");
    assert.equal(expandSnippet('`\\${x} costs \\$${1:5}` ${2:{ a: 1 \\}}'), '`${x} costs $5` { a: 1 }');
    assert.throws(() => expandSnippet('${1:open'), /unterminated placeholder/);
  });
});

function snippetsOf(file: string): [string, Snippet][] {
  return Object.entries(JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>);
}

/**
 * Every snippet, expanded with its defaults, is a module of its own in one program: TypeScript ones
 * type-checked with the options every example is checked with, JavaScript ones with `checkJs`.
 */
for (const [file, extension, options] of [
  ['typescript.json', 'ts', CHECK_OPTIONS],
  ['javascript.json', 'js', { ...CHECK_OPTIONS, allowJs: true, checkJs: true }],
] as const) {
  describe(`snippets/${file}: each body, placeholders at their defaults, parses and type-checks`, () => {
    const snippets = snippetsOf(file);
    let checked: Map<string, CheckedFile>;

    before(() => {
      const sources = new Map(snippets.map(([, s]) => [`${s.prefix}.${extension}`, expandSnippet(s.body.join('\n'))]));
      checked = new Map(typeCheck(sources, options).map((f) => [f.name, f]));
    });

    test('has snippets', () => assert.ok(snippets.length > 0));

    for (const [name, snippet] of snippets) {
      test(`${snippet.prefix} (${name})`, () => {
        assert.deepEqual(checked.get(`${snippet.prefix}.${extension}`)!.errors, []);
      });
    }
  });
}
