// The client's activation time outside VS Code: loading dist/extension.js and calling activate(), as the
// extension host does, against a stand-in `vscode` module whose every member is a callable,
// constructible no-op. What VS Code itself does around it (its own APIs, starting the extension host)
// is not counted. The language server is not started: activate() only asks the client to start it
// and returns. Prints the milliseconds as JSON.
const Module = require('node:module');
const path = require('node:path');

/** Members made on first use, each a stand-in too; never a thenable, never iterable. */
function members() {
  const made = new Map();
  return new Proxy(Object.create(null), {
    get: (_, key) => {
      if (typeof key === 'symbol' || key === 'then') return undefined;
      if (!made.has(key)) made.set(key, standIn());
      return made.get(key);
    },
  });
}

/** Anything vscode.* the client touches: a function returning another stand-in. */
function standIn() {
  const own = members();
  return new Proxy(function () {}, { get: (_, key) => own[key], apply: () => standIn(), construct: () => standIn() });
}

// The module object inherits its members, as the bundle's import interop reads them through the
// prototype; the client checks `version` against its engine range.
const vscode = Object.create(members(), { version: { value: require('../../package.json').engines.vscode.replace(/^\^/, ''), enumerable: true } });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

// The client starts its server by forking dist/server.js; here that child is not wanted.
const childProcess = require('node:child_process');
childProcess.fork = () => standIn();
childProcess.spawn = () => standIn();

const root = path.join(__dirname, '..', '..');
const start = performance.now();
const extension = require(path.join(root, 'dist', 'extension.js'));
const loaded = performance.now();
extension.activate({ subscriptions: [], extensionPath: root, extensionUri: standIn(), asAbsolutePath: (p) => path.join(root, p), globalState: standIn(), workspaceState: standIn() });
const activated = performance.now();
process.stdout.write(`${JSON.stringify({ loadMs: loaded - start, activateMs: activated - loaded, totalMs: activated - start })}\n`);
process.exit(0);
