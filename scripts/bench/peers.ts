import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The peers (ESLint with typescript-eslint and unicorn, oxlint, Biome) are pinned in
 * scripts/bench/peers/package.json and its lockfile, and installed into .cache/bench/peers, outside
 * the extension's own dependencies, so the bench adds nothing to `npm ci` or the .vsix.
 */
const SOURCE = path.join(__dirname, 'peers');
export const PEERS_DIR = path.join(__dirname, '..', '..', '.cache', 'bench', 'peers');
const FILES = ['package.json', 'package-lock.json', 'eslint.config.mjs', 'oxlintrc.json', 'biome.json'];

/** Installs the pinned peers unless the installed copy was made from the same files. */
export function installPeers(log: (line: string) => void): void {
  const current = FILES.every((name) => fs.existsSync(path.join(PEERS_DIR, name)) && fs.readFileSync(path.join(PEERS_DIR, name), 'utf8') === fs.readFileSync(path.join(SOURCE, name), 'utf8'));
  if (current && fs.existsSync(path.join(PEERS_DIR, 'node_modules'))) return;
  log('installing the peers (pinned) into .cache/bench/peers ...');
  fs.rmSync(PEERS_DIR, { recursive: true, force: true });
  fs.mkdirSync(PEERS_DIR, { recursive: true });
  for (const name of FILES) fs.copyFileSync(path.join(SOURCE, name), path.join(PEERS_DIR, name));
  // `npm install` on the committed lockfile installs exactly the locked versions. (`npm ci` would refuse:
  // the registry here lacks some other platforms' optional binaries of oxlint and Biome, so the lockfile
  // cannot list them.)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, stdio: 'inherit' });
}

/** The installed version of a peer package. */
export function peerVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
