import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeCacheState, LoadOptions } from '../server/src/startup/loadBundle';

const CHILD = path.join(__dirname, 'support', 'loadBundleChild.ts');

/** `loadBundle` in a fresh process, which writes its cache (if it does) before it exits. */
function load(file: string, options: LoadOptions = {}): { cache?: CodeCacheState; exports?: Record<string, unknown>; threw?: string } {
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', CHILD, file, JSON.stringify(options)], { encoding: 'utf8' }));
}

const made: string[] = [];
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A bundle in a fresh directory, exporting what it sees of its CommonJS environment. */
function bundleWith(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-lens-bundle-'));
  made.push(dir);
  const file = path.join(dir, 'main.bundle.js');
  fs.writeFileSync(file, `exports.filename = __filename;\nexports.dirname = __dirname;\nexports.self = module.exports === exports;\nexports.join = require('node:path').join('a', 'b');\n${body}\n`);
  return file;
}

const cacheFiles = (file: string) => fs.readdirSync(path.join(path.dirname(file), '.code-cache')).filter((name) => name.endsWith('.v8cache'));

describe('loadBundle: a bundle run with a V8 code cache', () => {
  it('runs the bundle as CommonJS, writes a cache beside it, and uses it on the next load with the same results', () => {
    const file = bundleWith('exports.sum = [1, 2, 3].reduce((a, b) => a + b, 0);');
    const first = load(file);
    assert.equal(first.cache, 'absent');
    assert.deepEqual(first.exports, { filename: file, dirname: path.dirname(file), self: true, join: path.join('a', 'b'), sum: 6 });
    assert.equal(cacheFiles(file).length, 1);

    const second = load(file);
    assert.equal(second.cache, 'used');
    assert.deepEqual(second.exports, first.exports);
  });

  it('never reads the cache of another text: a rebuilt bundle gets a new cache and the old files go', () => {
    const file = bundleWith('exports.value = 1;');
    load(file);
    const [before] = cacheFiles(file);
    // What another V8 (an updated VS Code) and an interrupted write left beside it.
    const cacheDir = path.join(path.dirname(file), '.code-cache');
    fs.writeFileSync(path.join(cacheDir, 'main.bundle.js-1.2.3-0123456789abcdef.v8cache'), 'another V8');
    fs.writeFileSync(path.join(cacheDir, `${before}.123-0.tmp`), 'interrupted');

    // Same length, so only the text tells them apart (V8's own check compares lengths).
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('exports.value = 1;', 'exports.value = 2;'));
    const rebuilt = load(file);
    assert.equal(rebuilt.cache, 'absent');
    assert.equal(rebuilt.exports?.value, 2);
    const rebuiltCaches = fs.readdirSync(cacheDir);
    assert.equal(rebuiltCaches.length, 1, rebuiltCaches.join(', '));
    assert.notEqual(rebuiltCaches[0], before);
  });

  it('runs the bundle from its text when the cache is corrupt, and replaces the cache', () => {
    const file = bundleWith('exports.value = "still right";');
    load(file);
    const cacheFile = path.join(path.dirname(file), '.code-cache', cacheFiles(file)[0]!);
    fs.writeFileSync(cacheFile, Buffer.from('not a code cache'));

    const loaded = load(file);
    assert.equal(loaded.cache, 'rejected');
    assert.equal(loaded.exports?.value, 'still right');
    assert.equal(load(file).cache, 'used');
  });

  it('runs without a cache where none can be kept', () => {
    const file = bundleWith('exports.value = 3;');
    // A directory that cannot be made: its parent is a file.
    const loaded = load(file, { cacheDir: path.join(file, 'cache') });
    assert.equal(loaded.cache, 'off');
    assert.equal(loaded.exports?.value, 3);
  });

  it('gives stack traces the positions of the bundle itself, on its first line too', () => {
    const file = bundleWith('');
    fs.writeFileSync(file, "exports.at = new Error('here').stack.split('\\n')[1];\n");
    assert.match(String(load(file).exports?.at), /main\.bundle\.js:1:14\)?$/);
  });

  it('lets the errors of the bundle through, as require would', () => {
    const file = bundleWith('throw new TypeError("from the bundle");');
    assert.deepEqual(load(file), { threw: 'TypeError: from the bundle' });
  });
});
