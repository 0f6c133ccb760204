#!/usr/bin/env python3
"""Times `mcpsite build` (a full build, written to disk) on the repository's own content and on a
generated site, and the `mcpsite check` run on the real content.

Usage: bench/build-time.py [--bin PATH] [--runs N] [--groups N]

Builds target/release/mcpsite unless --bin is given. Every run uses `--today 2026-11-24`, a fresh
output folder and the same inputs; prints min / p50 / max wall-clock times in milliseconds.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, cwd):
    """Wall-clock ms, CPU ms in the process itself (user), CPU ms in the kernel (sys), exit code."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    stderr = p.stderr.read().decode(errors="replace")
    return elapsed, ru.ru_utime * 1000, ru.ru_stime * 1000, os.waitstatus_to_exitcode(status), stderr


def bench(name, cmd, cwd, runs, ok_codes=(0,)):
    times, users, syss = [], [], []
    for i in range(runs + 1):
        ms, user, sys_ms, code, stderr = timed(cmd, cwd)
        if code not in ok_codes:
            sys.exit(f"{name}: exit {code}\n{stderr}")
        if i > 0:  # the first run warms the page cache
            times.append(ms)
            users.append(user)
            syss.append(sys_ms)
    times.sort()
    print(f"{name:<40} runs={runs:<3} min={times[0]:7.1f} ms  p50={statistics.median(times):7.1f} ms  "
          f"max={times[-1]:7.1f} ms  (p50 user {statistics.median(users):5.1f} ms, sys {statistics.median(syss):5.1f} ms)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--groups", type=int, default=1000)
    args = ap.parse_args()
    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target/release/mcpsite")
    binary = os.path.abspath(binary)

    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.join(tmp, "real")
        os.makedirs(real)
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(real, "content"))
        shutil.copy(os.path.join(REPO, "mcpsite.toml"), real)
        gen = os.path.join(tmp, "generated")
        subprocess.run([sys.executable, os.path.join(REPO, "bench/gen-site.py"), gen, str(args.groups)], check=True,
                       stdout=subprocess.DEVNULL)
        build = [binary, "build", "--today", "2026-11-24", "--output-dir", "public"]
        print(f"machine: {os.cpu_count()} cores; binary: {binary}")
        bench("build: real content (36 groups)", build, real, args.runs)
        bench(f"build: generated ({args.groups} groups)", build, gen, max(3, args.runs // 3))
        # check exits 1 on the real content: the findings are the point.
        bench("check: real content (36 groups)", [binary, "check", "--today", "2026-11-24"], real, args.runs, (0, 1))


if __name__ == "__main__":
    main()
