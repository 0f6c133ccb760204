#!/usr/bin/env python3
"""One mcpsite build's resident memory and busy cores over time, beside the files it wrote.

    python3 bench/memline.py BINARY CORPUS [--every 0.25] [--out /dev/shm/mcpsite-memline-out]
    _RJEM_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0 python3 bench/memline.py ...

Runs `BINARY build --root CORPUS --today 2026-11-24 --output-dir OUT` and samples the process's
resident size (VmRSS) and CPU time (/proc) every `--every` seconds. After the build it reads
the modification time of every file written and prints one line per sample: the time, the
resident size, how many cores were busy until the next sample, the three kinds of file most
written in that interval and every file over 2 MB written in it. That tells which stage of the
build a peak belongs to. With the `_RJEM_MALLOC_CONF` setting above, jemalloc gives freed
memory back at once, so the resident size follows the heap. Linux only; deletes OUT after.
"""
import argparse
import collections
import os
import shutil
import subprocess
import time


def sample(pid):
    """(resident MiB, CPU seconds) of the process `pid`, or None once it has gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(l.split()[1]) // 1024 for l in f if l.startswith("VmRSS"))
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError, StopIteration, IndexError):
        return None


def kind(path):
    """`groups/*/html` for a group's page, the path itself for a file of the site's root."""
    parts = path.split("/")
    return parts[0] + "/*/" + parts[-1].rsplit(".", 1)[-1] if len(parts) > 2 else path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("corpus", help="a site root (with mcpsite.toml and content/)")
    ap.add_argument("--every", type=float, default=0.25, help="seconds between samples")
    ap.add_argument("--out", default="/dev/shm/mcpsite-memline-out", help="output folder")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    start = time.time()
    cmd = [args.binary, "build", "--root", args.corpus, "--today", "2026-11-24", "--output-dir", args.out]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while proc.poll() is None:
        s = sample(proc.pid)
        if s:
            samples.append((time.time() - start, *s))
        time.sleep(args.every)
    print(f"exit {proc.returncode}, wall {time.time() - start:.1f} s, peak sampled "
          f"{max((s[1] for s in samples), default=0)} MiB")
    files = []
    for folder, _, names in os.walk(args.out):
        for name in names:
            path = os.path.join(folder, name)
            st = os.stat(path)
            files.append((st.st_mtime - start, os.path.relpath(path, args.out), st.st_size))
    shutil.rmtree(args.out, ignore_errors=True)
    for (t, rss, cpu), nxt in zip(samples, samples[1:] + [None]):
        until = nxt[0] if nxt else t + args.every
        cores = (nxt[2] - cpu) / (until - t) if nxt else 0.0
        written = [f for f in files if t <= f[0] < until]
        kinds = dict(collections.Counter(kind(f[1]) for f in written).most_common(3))
        big = " ".join(f"{p} ({size >> 20} MiB)" for _, p, size in written if size > 2 << 20)
        print(f"{t:7.2f} s {rss:6d} MiB {cores:4.2f} cores {kinds} {big}".rstrip())


if __name__ == "__main__":
    main()
