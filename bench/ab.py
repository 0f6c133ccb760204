#!/usr/bin/env python3
"""Two or more mcpsite binaries on one corpus, interleaved: for a change too small for scale.py.

    python3 bench/ab.py --runs 6 --corpus target/bench-scale/corpus-10000/mcpsite BEFORE AFTER [...]
    python3 bench/ab.py --check --runs 4 --corpus ... BEFORE AFTER      # `check` instead of `build`
    python3 bench/ab.py --runs 8 --corpus ... BIN --malloc-conf thp:default   # BIN, and BIN with a jemalloc setting

Each round builds with every binary once, in an order that alternates between rounds, into a new
output folder on tmpfs (`/dev/shm`, deleted between builds), as `build --today 2026-11-24`
(with `--check`: `check --today 2026-11-24 --format json`, which writes nothing; its exit code
is not checked, as it is non-zero whenever `check` has findings). It
prints, for each binary, the median wall time and the median CPU time (user + sys of the child,
from `os.times`) and its wall time as a ratio of the first binary's. On a shared machine only
the ratio of one run means anything: both sides see the same load. The corpus is one that
`bench/scale.py` (or `bench/corpus.py`) wrote; it builds no binary itself. Each
`--malloc-conf CONF` adds the first binary run with `_RJEM_MALLOC_CONF=CONF` (jemalloc reads it
after the options the binary embeds, so it overrides them) as one more side.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import time

OUT = "/dev/shm/mcpsite-ab-out"


def build(binary, corpus, check=False, env=None):
    """One build into a new folder, or one `check`, with `env` added to the environment: (wall
    seconds, CPU seconds)."""
    shutil.rmtree(OUT, ignore_errors=True)
    cmd = [binary, "build", "--root", corpus, "--today", "2026-11-24", "--output-dir", OUT]
    if check:
        cmd = [binary, "check", "--root", corpus, "--today", "2026-11-24", "--format", "json"]
    before, start = os.times(), time.perf_counter()
    subprocess.run(cmd, check=not check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=6, help="rounds (each builds with every binary once)")
    ap.add_argument("--corpus", required=True, help="a site root (with mcpsite.toml and content/)")
    ap.add_argument("--check", action="store_true", help="time `check` instead of `build`")
    ap.add_argument("--malloc-conf", action="append", default=[], metavar="CONF",
                    help="also the first binary with _RJEM_MALLOC_CONF=CONF (repeatable)")
    ap.add_argument("binaries", nargs="+", help="mcpsite binaries; the first is the baseline")
    args = ap.parse_args()
    # Each side: its label, its binary and what it adds to the environment.
    sides = [(b, b, {}) for b in args.binaries]
    sides += [(f"{args.binaries[0]} with {c}", args.binaries[0], {"_RJEM_MALLOC_CONF": c})
              for c in args.malloc_conf]
    runs = {label: [] for label, _, _ in sides}
    for r in range(args.runs):
        for label, b, env in (sides if r % 2 == 0 else sides[::-1]):
            runs[label].append(build(b, args.corpus, args.check, env))
    shutil.rmtree(OUT, ignore_errors=True)
    base = statistics.median(w for w, _ in runs[sides[0][0]])
    for label, _, _ in sides:
        wall = statistics.median(w for w, _ in runs[label])
        cpu = statistics.median(c for _, c in runs[label])
        print(f"{label}: wall median {wall:.3f} s, CPU median {cpu:.3f} s, wall ratio {wall / base:.3f} ({args.runs} runs)")


if __name__ == "__main__":
    main()
