import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOfFile } from '../service/documents';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

export interface FileSelection {
  /** Absolute paths of the files to read, sorted. */
  readonly files: string[];
  /** Paths the user named that cannot be read, with the reason. */
  readonly problems: string[];
}

/**
 * The TypeScript and JavaScript files under `paths`: files named directly, and the files of named
 * directories, walked recursively, honouring every `.gitignore` on the way and skipping node_modules.
 */
export function selectFiles(paths: readonly string[], cwd: string): FileSelection {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      problems.push(`${given}: no such file or directory`);
      continue;
    }
    if (stat.isDirectory()) walkDirectory(absolute, [], files);
    else if (languageOfFile(absolute)) files.add(absolute);
    else problems.push(`${given}: not a TypeScript or JavaScript file`);
  }
  return { files: [...files].sort(), problems };
}

interface IgnoreScope {
  readonly base: string;
  readonly rules: Ignore;
}

function walkDirectory(directory: string, scopes: readonly IgnoreScope[], files: Set<string>): void {
  const gitignore = readIfExists(path.join(directory, '.gitignore'));
  const inScope = gitignore === undefined ? scopes : [...scopes, { base: directory, rules: ignore().add(gitignore) }];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // An unreadable directory inside a walk is passed over, as git would.
  }
  for (const entry of entries) {
    if (ALWAYS_SKIPPED.has(entry.name)) continue;
    const full = path.join(directory, entry.name);
    // Symbolic links are not followed: they can loop, and they lead out of the project.
    const isDirectory = entry.isDirectory();
    if (!isDirectory && !entry.isFile()) continue;
    if (isIgnored(full, isDirectory, inScope)) continue;
    if (isDirectory) walkDirectory(full, inScope, files);
    else if (languageOfFile(entry.name)) files.add(full);
  }
}

function isIgnored(full: string, isDirectory: boolean, scopes: readonly IgnoreScope[]): boolean {
  return scopes.some(({ base, rules }) => {
    const relative = path.relative(base, full).split(path.sep).join('/');
    return rules.ignores(isDirectory ? `${relative}/` : relative);
  });
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
