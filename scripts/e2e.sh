#!/usr/bin/env bash
# `npm run test:e2e`: the real-editor tests. Installs what they need (scripts/e2e-setup.sh: Debian's
# chromium, Node 24 and code-server into .cache/e2e/), packages pattern-lens.vsix, then runs
# test/e2e/*.test.ts with node's test runner. Screenshots go to docs/images/ (or
# $PATTERN_LENS_E2E_IMAGES); failure screenshots and logs to test-results/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
bash scripts/e2e-setup.sh
setup_done=$(date +%s)

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/tsx ]; then
  echo "[e2e] node_modules is incomplete: npm ci"
  npm ci --no-audit --no-fund
fi

mkdir -p .cache/e2e
if ! npm run package >.cache/e2e/package.log 2>&1; then
  cat .cache/e2e/package.log
  echo "[e2e] npm run package failed"
  exit 1
fi
packaged=$(date +%s)
echo "[e2e] setup $((setup_done - started)) s, package $((packaged - setup_done)) s; running the real-editor tests"

rm -rf test-results/e2e
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec test/e2e/*.test.ts
