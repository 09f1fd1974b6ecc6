import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * What became of the code cache on this load: `used` (V8 took it), `rejected` (it was there but V8 would
 * not take it, e.g. another V8 or other flags), `absent` (no cache yet), `off` (no directory to keep one in).
 * Where it was not used, a new one is written once the bundle has run a while.
 */
export type CodeCacheState = 'used' | 'rejected' | 'absent' | 'off';

export interface LoadedBundle {
  readonly exports: unknown;
  readonly cache: CodeCacheState;
}

export interface LoadOptions {
  /** Where the cache files live; by default CODE_CACHE_DIR_NAME beside the bundle. */
  readonly cacheDir?: string;
}

/** The directory beside each bundle that holds its caches. */
export const CODE_CACHE_DIR_NAME = '.code-cache';
/** Long enough for a server to have analysed its first document, short enough to come before most shutdowns. */
const WRITE_AFTER_MS = 5000;
const CACHE_EXTENSION = '.v8cache';

/**
 * Runs a CommonJS bundle as Node's loader would (its own `module`, `require`, `__filename`), but compiled
 * with a V8 code cache kept beside it, so later starts skip most of compiling it: about 160 ms of every run of
 * the 4 MB CLI and server bundles, and half of the client's activation. The cache is named by a hash of the
 * bundle's text and V8's version, so a rebuilt bundle or another runtime never reads a stale one.
 *
 * The cache lives in the bundle's own directory: whoever can write there could change the bundle itself, so
 * the cache is trusted no more than the code is. Where that directory is read-only there is no cache, and
 * the bundle loads as before. Any failure of the cache (unreadable, unwritable, rejected) costs only the
 * time it would have saved.
 */
export function loadBundle(bundleFile: string, loader: NodeModule, options: LoadOptions = {}): LoadedBundle {
  const source = fs.readFileSync(bundleFile);
  const cacheDir = options.cacheDir ?? path.join(path.dirname(bundleFile), CODE_CACHE_DIR_NAME);
  const prefix = `${path.basename(bundleFile)}-`;
  const key = `${process.versions.v8}-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
  const cacheFile = path.join(cacheDir, `${prefix}${key}${CACHE_EXTENSION}`);
  const cachedData = readIfPresent(cacheFile);

  // Node's module wrapper (its documentation's "The module wrapper"), so the bundle sees what `require` gives it;
  // the column offset keeps the positions in stack traces those of the bundle's own first line.
  const opening = '(function (exports, require, module, __filename, __dirname) {';
  const script = new vm.Script(`${opening}${source.toString('utf8')}\n})`, { filename: bundleFile, columnOffset: -opening.length, cachedData });
  const cache: CodeCacheState = cachedData === undefined ? (canKeep(cacheDir) ? 'absent' : 'off') : script.cachedDataRejected ? 'rejected' : 'used';

  const module = new Module(bundleFile, loader);
  module.filename = bundleFile;
  if (cache === 'absent' || cache === 'rejected') writeLater(script, cacheFile, prefix, WRITE_AFTER_MS);
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  module.loaded = true;
  return { exports: module.exports, cache };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function canKeep(cacheDir: string): boolean {
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    fs.accessSync(cacheDir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the cache once the bundle has run `ms` or when the process exits, whichever comes first: by then
 * V8 has compiled the functions the bundle runs at start, and the cache holds them too. The file is written
 * under a temporary name of its own thread and renamed, so a process starting meanwhile reads a whole cache
 * or none. The bundle's other files go: caches of an older build or another V8 (an updated VS Code), and
 * what an interrupted write left.
 */
function writeLater(script: vm.Script, cacheFile: string, prefix: string, ms: number): void {
  const cacheDir = path.dirname(cacheFile);
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    process.removeListener('exit', write);
    clearTimeout(timer);
    // --jobs workers share the process id; two writers of one temporary file could leave a torn cache.
    const temporary = `${cacheFile}.${process.pid}-${threadId}.tmp`;
    try {
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temporary, cacheFile);
      for (const name of fs.readdirSync(cacheDir)) {
        if (name.startsWith(prefix) && name !== path.basename(cacheFile)) removeQuietly(path.join(cacheDir, name));
      }
    } catch {
      // A cache is only ever a saving: without one the next start compiles the bundle, as it did this time.
      removeQuietly(temporary);
    }
  };
  const timer = setTimeout(write, ms);
  timer.unref();
  process.once('exit', write);
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // It stays until a later write tries again.
  }
}
