import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeRuleLevels, type RuleLevel } from './settings';

export const CONFIG_FILE = 'pattern-lens.json';

/** A project's Pattern Lens configuration: `pattern-lens.json`, or the `patternLens` key of package.json. */
export interface ProjectConfig {
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** The file it came from; undefined when none was found. */
  readonly file?: string;
  /** Why the file was not used, when it could not be read or parsed. */
  readonly error?: string;
}

const NO_CONFIG: ProjectConfig = { rules: {} };

/**
 * Finds the configuration that applies to files in `directory`: the nearest directory upwards with a
 * `pattern-lens.json`, or a package.json with a `patternLens` key. Reads JSON only: nothing is run.
 * Results are cached per directory; `clear()` forgets them (after a config file changes).
 */
export class ProjectConfigs {
  private readonly byDirectory = new Map<string, ProjectConfig>();

  forFile(fileName: string): ProjectConfig {
    return this.forDirectory(path.dirname(path.resolve(fileName)));
  }

  forDirectory(directory: string): ProjectConfig {
    const cached = this.byDirectory.get(directory);
    if (cached) return cached;
    const config = readConfigIn(directory) ?? (path.dirname(directory) === directory ? NO_CONFIG : this.forDirectory(path.dirname(directory)));
    this.byDirectory.set(directory, config);
    return config;
  }

  clear(): void {
    this.byDirectory.clear();
  }
}

function readConfigIn(directory: string): ProjectConfig | undefined {
  const own = path.join(directory, CONFIG_FILE);
  const ownText = readText(own);
  if (ownText !== undefined) return parseConfig(own, ownText, (json) => json);
  const packageJson = path.join(directory, 'package.json');
  const packageText = readText(packageJson);
  if (packageText === undefined) return undefined;
  const config = parseConfig(packageJson, packageText, (json) => (json as { patternLens?: unknown }).patternLens);
  // A package.json without the key does not stop the search upwards.
  return config.error === undefined && (JSON.parse(packageText) as { patternLens?: unknown }).patternLens === undefined ? undefined : config;
}

function parseConfig(file: string, text: string, section: (json: unknown) => unknown): ProjectConfig {
  try {
    const value = section(JSON.parse(text));
    return { rules: normalizeRuleLevels((value as { rules?: unknown } | undefined)?.rules), file };
  } catch (error) {
    return { rules: {}, file, error: `${file}: ${(error as Error).message}` };
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
