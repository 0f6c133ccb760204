#!/usr/bin/env python3
"""Two or more mcpsite binaries on one corpus, interleaved: for a change too small for scale.py.

    python3 bench/ab.py --runs 6 --corpus target/bench-scale/corpus-10000/mcpsite BEFORE AFTER [...]
    python3 bench/ab.py --check --runs 4 --corpus ... BEFORE AFTER      # `check` instead of `build`
    python3 bench/ab.py --runs 8 --corpus ... BIN --malloc-conf thp:default   # BIN, and BIN with a jemalloc setting
    python3 bench/ab.py --runs 15 --corpus ... BIN --floor   # BIN, and BIN with page templates that render nothing

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

`--floor` adds the first binary building the same content with a theme whose pages render
nothing: a copy of the built-in theme (`themes/default`) in which the group, archive, calendar,
directory, kind and health page templates are only `base.html` with an empty content block,
set as `theme` in a copy of the corpus's `mcpsite.toml` beside a link to its `content/`. Every
other stage runs as before (loading, the rules, expansion, the views and their template values,
cards, feeds, JSON, writing), so its time is what a build costs before the theme's page
templates render anything: a floor no change to the templates can go below.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time

OUT = "/dev/shm/mcpsite-ab-out"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The page templates `--floor` empties; the components, `base.html` and the partials stay.
FLOOR_PAGES = ["group.html", "archive.html", "calendar.html", "index.html", "kind.html", "health.html"]
EMPTY_PAGE = '{% extends "base.html" %}\n{% block content %}{% endblock content %}\n'


def floor_site(corpus, work):
    """A site in `work` with `corpus`'s content and settings and the built-in theme with its
    page templates emptied (`--floor`): its root."""
    root = os.path.join(work, "floor")
    theme = os.path.join(root, "themes", "floor")
    shutil.copytree(os.path.join(REPO, "themes", "default"), theme)
    for page in FLOOR_PAGES:
        with open(os.path.join(theme, "templates", page), "w") as f:
            f.write(EMPTY_PAGE)
    os.symlink(os.path.abspath(os.path.join(corpus, "content")), os.path.join(root, "content"))
    with open(os.path.join(corpus, "mcpsite.toml")) as f:
        settings = re.sub(r"(?m)^theme\s*=.*\n?", "", f.read())
    with open(os.path.join(root, "mcpsite.toml"), "w") as f:
        # A top-level key comes before any table.
        f.write('theme = "floor"\n' + settings)
    return root


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
    ap.add_argument("--floor", action="store_true",
                    help="also the first binary with page templates that render nothing")
    ap.add_argument("binaries", nargs="+", help="mcpsite binaries; the first is the baseline")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mcpsite-ab-") as work:
        compare(args, work)


def compare(args, work):
    """The interleaved rounds and their medians; `work` holds the `--floor` site."""
    first = args.binaries[0]
    # Each side: its label, its binary, its site and what it adds to the environment.
    sides = [(b, b, args.corpus, {}) for b in args.binaries]
    sides += [(f"{first} with {c}", first, args.corpus, {"_RJEM_MALLOC_CONF": c})
              for c in args.malloc_conf]
    if args.floor:
        sides.append((f"{first}, pages rendering nothing", first, floor_site(args.corpus, work), {}))
    runs = {label: [] for label, _, _, _ in sides}
    for r in range(args.runs):
        for label, b, site, env in (sides if r % 2 == 0 else sides[::-1]):
            runs[label].append(build(b, site, args.check, env))
    shutil.rmtree(OUT, ignore_errors=True)
    base = statistics.median(w for w, _ in runs[sides[0][0]])
    for label, _, _, _ in sides:
        wall = statistics.median(w for w, _ in runs[label])
        cpu = statistics.median(c for _, c in runs[label])
        print(f"{label}: wall median {wall:.3f} s, CPU median {cpu:.3f} s, wall ratio {wall / base:.3f} ({args.runs} runs)")


if __name__ == "__main__":
    main()
