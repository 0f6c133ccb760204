#!/usr/bin/env bash
# Builds a release binary optimized with a profile of its own work (profile-guided optimization,
# as rustc's book describes it): for sites of hundreds of groups and more, where a build takes
# seconds. It takes about a tenth off a build's time at 1,000 and 10,000 groups, less at
# 100,000, where writing and memory take most of it (bench/README.md, session 21); the output
# is the same bytes.
#
#   bash scripts/pgo-build.sh [SITE_ROOT ...]
#
# Without a SITE_ROOT it trains on this repository's own site and on 2,000 generated groups
# (bench/corpus.py with a seed of its own, so the corpus the benchmarks measure is not the one
# it learned from; it needs python3).
#
# 1. builds an instrumented binary (target/pgo-instrumented/),
# 2. runs it on each SITE_ROOT: three builds and one check, which record where the time goes,
# 3. merges what they recorded into one profile with LLVM's llvm-profdata (rustup's
#    llvm-tools component, installed here if missing: it must be the LLVM of the pinned rustc),
# 4. builds the release binary again with that profile: target/pgo/release/mcpsite,
# 5. builds each SITE_ROOT with both binaries and compares the two outputs byte for byte.
#
# Train on the sites it will build, or on ones like them. The generated groups are there for
# what only a large site runs (an agenda cut into months, long directory pages); a profile of
# the 36 groups alone measured the same within the machine's noise, so which realistic site it
# learns from matters less than that it learns from one.
# The two release builds take about 4 minutes each on 2 cores; target/release is left alone.
set -euo pipefail

sites=()
for site in "$@"; do
  if [ ! -f "$site/mcpsite.toml" ]; then
    echo "pgo-build: $site has no mcpsite.toml; give the root folder of a site (the one holding content/)" >&2
    exit 2
  fi
  sites+=("$(cd "$site" && pwd)")
done

cd "$(dirname "$0")/.."
repo=$(pwd)
work="$repo/target/pgo-work"
rm -rf "$work"
mkdir -p "$work/raw"
if [ ${#sites[@]} -eq 0 ]; then
  python3 bench/corpus.py "$work/corpus-2000" 2000 --seed pgo
  sites=("$repo" "$work/corpus-2000")
fi

host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  echo "== rustup component add llvm-tools (for llvm-profdata)"
  rustup component add llvm-tools
fi

echo "== 1. instrumented release build"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$work/raw" \
  cargo build --release --locked --target-dir target/pgo-instrumented
instrumented="$repo/target/pgo-instrumented/release/mcpsite"

echo "== 2. training on ${#sites[@]} site(s)"
for site in "${sites[@]}"; do
  for _ in 1 2 3; do
    rm -rf "$work/out"
    "$instrumented" build --root "$site" --output-dir "$work/out"
  done
  # check exits 1 when it has findings, which a real site may have; 2 is a failure.
  status=0
  "$instrumented" check --root "$site" --format json >/dev/null || status=$?
  if [ "$status" -gt 1 ]; then
    echo "pgo-build: mcpsite check failed on $site (exit $status)" >&2
    exit 1
  fi
done
if ! compgen -G "$work/raw/*.profraw" >/dev/null; then
  echo "pgo-build: the instrumented binary recorded no profile in $work/raw" >&2
  exit 1
fi

echo "== 3. merging the profile"
"$profdata" merge -o "$work/merged.profdata" "$work/raw"
# Named by its content: cargo does not watch the file a flag names, so a new profile must change
# the flags for target/pgo to be compiled again.
profile="$work/mcpsite-$(sha256sum "$work/merged.profdata" | cut -c1-16).profdata"
mv "$work/merged.profdata" "$profile"

echo "== 4. release build with the profile"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profile" \
  cargo build --release --locked --target-dir target/pgo
optimized="$repo/target/pgo/release/mcpsite"

echo "== 5. the same output from both binaries"
# One fixed day for both, so that a build on each side of midnight cannot differ.
for site in "${sites[@]}"; do
  rm -rf "$work/a" "$work/b"
  "$instrumented" build --root "$site" --today 2026-11-24 --output-dir "$work/a" >/dev/null
  "$optimized" build --root "$site" --today 2026-11-24 --output-dir "$work/b" >/dev/null
  diff -r "$work/a" "$work/b" >/dev/null || {
    echo "pgo-build: the two binaries built $site differently (diff -r $work/a $work/b)" >&2
    exit 1
  }
done
rm -rf "$work/out" "$work/a" "$work/b" "$work/raw" "$work/corpus-2000" "$work"/.*.mcpsite.lock
echo "done: $optimized (profile: $profile)"
