/**
 * The real-world corpus: the TypeScript sources that well-known npm packages ship, at pinned versions,
 * fetched from the npm registry with `npm pack` into .cache/corpus (once) and never committed.
 * Used to review rules for false positives, to apply every offered action to real code, by the fuzz
 * suite's mutations and by the benchmark. `npx tsx scripts/corpus.ts` fetches it and prints its size.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS_PACKAGES = [
  'effect@3.17.0',
  'zod@3.25.76',
  'rxjs@7.8.2',
  'mobx@6.13.7',
  'immer@10.1.1',
  'msw@2.10.4',
  '@trpc/server@11.4.3',
  '@tanstack/query-core@5.83.0',
  '@reduxjs/toolkit@2.8.2',
  '@loopback/core@6.1.0',
  '@microsoft/signalr@8.0.7',
  '@effect/platform@0.90.0',
  '@effect/schema@0.75.5',
  '@effect/cli@0.69.0',
  '@effect/experimental@0.54.0',
  '@effect/ai@0.26.0',
  '@tanstack/router-core@1.129.8',
  '@tanstack/table-core@8.21.3',
  '@tanstack/react-query@5.83.0',
  '@trpc/client@11.4.3',
] as const;

const ROOT = path.join(__dirname, '..', '.cache', 'corpus');

export interface CorpusPackage {
  readonly spec: string;
  /** Absolute paths of the .ts/.tsx/.mts/.cts sources (declaration files excluded), sorted. */
  readonly files: readonly string[];
}

/** Fetches any missing package (one `npm pack` each) and lists the sources. */
export function corpus(): CorpusPackage[] {
  return CORPUS_PACKAGES.map((spec) => {
    const dir = path.join(ROOT, spec.replace(/[@/]/g, '_'));
    if (!fs.existsSync(path.join(dir, 'package'))) {
      fs.mkdirSync(dir, { recursive: true });
      const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
      execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir]);
      fs.rmSync(path.join(dir, tarball));
    }
    return { spec, files: sources(path.join(dir, 'package')) };
  });
}

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const name = entry.name;
    if (entry.isFile() && /\.(ts|tsx|mts|cts)$/.test(name) && !/\.d\.[mc]?ts$/.test(name) && !entry.parentPath.includes('node_modules')) {
      found.push(path.join(entry.parentPath, name));
    }
  }
  return found.sort();
}

if (require.main === module) {
  let lines = 0;
  let bytes = 0;
  for (const { spec, files } of corpus()) {
    const text = files.map((f) => fs.readFileSync(f, 'utf8'));
    const packageLines = text.reduce((n, t) => n + t.split('\n').length, 0);
    lines += packageLines;
    bytes += text.reduce((n, t) => n + t.length, 0);
    console.log(`${spec.padEnd(32)} ${String(files.length).padStart(5)} files ${String(packageLines).padStart(8)} lines`);
  }
  console.log(`total: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB`);
}
