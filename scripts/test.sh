#!/usr/bin/env bash
# Runs every test: the Rust unit and integration tests, then the browser tests in headless
# Chromium. Installs what they need beyond the Rust toolchain (Debian's chromium, and
# playwright-core from npm), so it works on a fresh machine.
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
node tests/browser/run.mjs
