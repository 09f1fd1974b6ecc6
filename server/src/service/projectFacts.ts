import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { ProjectFacts } from '../refactors/types';

const DISPOSABLE_LIBS = new Set(['lib.esnext.d.ts', 'lib.esnext.full.d.ts', 'lib.esnext.disposable.d.ts']);

/**
 * What the project of a file can compile: the TypeScript it installs, its tsconfig's `lib` and
 * `experimentalDecorators`. Read from JSON files only, cached per directory until `clear()`.
 */
export class ProjectFactsCache {
  private readonly byDirectory = new Map<string, ProjectFacts>();

  forFile(fileName: string): ProjectFacts {
    const directory = path.dirname(path.resolve(fileName));
    let facts = this.byDirectory.get(directory);
    if (!facts) {
      facts = readFacts(directory);
      this.byDirectory.set(directory, facts);
    }
    return facts;
  }

  clear(): void {
    this.byDirectory.clear();
  }
}

function readFacts(directory: string): ProjectFacts {
  const configFile = ts.findConfigFile(directory, ts.sys.fileExists);
  const options = configFile
    ? (ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })?.options ?? {})
    : {};
  return {
    typescriptVersion: installedTypeScript(directory),
    hasDisposableLib: options.lib
      ? options.lib.some((lib) => DISPOSABLE_LIBS.has(path.basename(lib)))
      : DISPOSABLE_LIBS.has(path.basename(ts.getDefaultLibFileName(options))),
    experimentalDecorators: options.experimentalDecorators === true,
  };
}

/** The version in the nearest node_modules/typescript/package.json upwards, if any. */
function installedTypeScript(directory: string): string | undefined {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not installed here; look further up.
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
