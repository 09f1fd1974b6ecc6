// Bundles the extension client, the language server and the CLI with esbuild.
// `--dev` keeps the output readable and adds source maps.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const dev = process.argv.includes('--dev');
const require = createRequire(import.meta.url);

// TypeScript's CommonJS build exports its API through getters, and esbuild's interop wraps each of them
// in a getter again, so every `ts.x` in the engine cost two calls (about a third of the walk's time).
// The bundles import a module that reads each export once into a plain binding instead.
const typescriptReadOnce = {
  name: 'typescript-read-once',
  setup(build) {
    const typescript = require.resolve('typescript');
    const names = Object.keys(require('typescript')).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
    build.onResolve({ filter: /^typescript$/ }, ({ namespace }) =>
      namespace === 'typescript-read-once' ? { path: typescript } : { path: 'typescript', namespace: 'typescript-read-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'typescript-read-once' }, () => ({
      contents: `import ts from 'typescript';\n${names.map((name) => `export const ${name} = ts.${name};`).join('\n')}\nexport default ts;\n`,
      loader: 'js',
    }));
  },
};

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

// Each public entry (package.json's main and bin, the server the client starts) is a small loader that runs
// its bundle with a V8 code cache (server/src/startup/loadBundle.ts); the bundles are what esbuild makes of
// the sources.
const loader = (bundle, outfile, banner) =>
  esbuild.build({
    ...common,
    stdin: {
      contents: `const { loadBundle } = require('./server/src/startup/loadBundle');\nmodule.exports = loadBundle(require('node:path').join(__dirname, ${JSON.stringify(bundle)}), module).exports;\n`,
      resolveDir: '.',
      sourcefile: `${outfile} (loader)`,
      loader: 'js',
    },
    outfile,
    banner,
  });

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.bundle.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.bundle.js', plugins: [typescriptReadOnce] }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.bundle.js', plugins: [typescriptReadOnce] }),
  loader('extension.bundle.js', 'dist/extension.js'),
  loader('server.bundle.js', 'dist/server.js'),
  loader('cli.bundle.js', 'dist/cli.js', { js: '#!/usr/bin/env node' }),
]);

// The bundled compiler looks for its lib files (lib.esnext.d.ts, ...) next to the file it runs from,
// dist/. Without them the type-aware phase has no `Symbol.dispose`, `Disposable` or `Promise` types.
const libDir = path.join('node_modules', 'typescript', 'lib');
for (const name of fs.readdirSync(libDir)) {
  if (/^lib\..*\.d\.ts$/.test(name)) fs.copyFileSync(path.join(libDir, name), path.join('dist', name));
}
