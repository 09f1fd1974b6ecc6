// Bundles the extension client, the language server and the CLI with esbuild.
// `--dev` keeps the output readable and adds source maps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const dev = process.argv.includes('--dev');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);

// The bundled compiler looks for its lib files (lib.esnext.d.ts, ...) next to the file it runs from,
// dist/. Without them the type-aware phase has no `Symbol.dispose`, `Disposable` or `Promise` types.
const libDir = path.join('node_modules', 'typescript', 'lib');
for (const name of fs.readdirSync(libDir)) {
  if (/^lib\..*\.d\.ts$/.test(name)) fs.copyFileSync(path.join(libDir, name), path.join('dist', name));
}
