#!/usr/bin/env python3
"""Latency of `mcpsite serve`: from saving a group page to the new page being served and the
reload being signalled.

Usage: bench/serve-latency.py [--bin PATH] [--edits N] [--groups N] [--group I]
                              [--only real|generated]

Without --bin it runs `cargo build --release` first. Two sites are measured, each from a
temporary copy so the repository is never touched:

  real       the repository's own site (mcpsite.toml, content/, themes/, static/); the edited
             page is content/groups/transports-wg.md
  generated  bench/gen-site.py with --groups groups (1,000 by default); the edited page is
             group number --group (the middle one by default, which has no schedule; an odd
             number has a schedule, so its name is also on the calendar page)

For each of N edits: a long poll on /__mcpsite/poll is already waiting; the page is saved the
way vim and JetBrains save (a temporary file renamed over it) with a new name; the clock stops
when the poll has answered with the new build AND a GET of the page returns the new name.
The time includes the watcher's debounce window. Prints min, p50, p90 and max in ms.
"""
import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import json

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def get(port, path, timeout=60):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def poll(port, since):
    status, body = get(port, "/__mcpsite/poll?since=" + since)
    assert status == 200, status
    return json.loads(body)


def start(bin_path, root):
    p = subprocess.Popen(
        [bin_path, "serve", "--root", root, "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    log = []
    while time.time() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        log.append(line)
        m = re.match(r"serving http://127\.0\.0\.1:(\d+)/", line)
        if m:
            # Keep draining stderr so the server never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
            return p, int(m.group(1)), "".join(log)
    p.kill()
    sys.exit("serve did not start:\n" + "".join(log))


def save(path, text):
    tmp = path + "___jb_tmp___"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def measure(bin_path, root, page_rel, url_path, edits):
    page = os.path.join(root, page_rel)
    with open(page) as f:
        original = f.read()
    name = re.search(r'^name = "([^"]*)"', original, re.M)
    assert name, page
    proc, port, startup = start(bin_path, root)
    try:
        first = startup.strip().splitlines()
        status, _ = get(port, url_path)
        assert status == 200, (url_path, status)
        times = []
        for i in range(edits):
            state = poll(port, "")
            result = {}

            def waiter():
                result["state"] = poll(port, state["seq"])
                result["at"] = time.perf_counter()

            t = threading.Thread(target=waiter)
            t.start()
            time.sleep(0.15)  # the poll is waiting before the save
            marker = f"Bench Edit {i}"
            text = original.replace(name.group(0), f'name = "{marker}"', 1)
            t0 = time.perf_counter()
            save(page, text)
            t.join(timeout=60)
            assert "state" in result, "no reload signal within 60 s"
            new = result["state"]
            assert not new["errors"], new["errors"]
            assert new["build"] != state["build"], "no new build"
            # The new page must be served by the time the reload is signalled.
            while True:
                status, body = get(port, url_path)
                if marker.encode() in body:
                    break
                assert time.perf_counter() - t0 < 60, "new content never served"
            t_content = time.perf_counter()
            times.append((max(result["at"], t_content) - t0) * 1000)
            time.sleep(0.1)
        return times, first
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        save(page, original)


def report(label, times, startup):
    times_sorted = sorted(times)
    p90 = times_sorted[max(0, int(round(0.9 * len(times_sorted))) - 1)]
    print(f"{label}")
    for line in startup:
        print(f"  serve: {line}")
    print(
        f"  {len(times)} edits: min {min(times):.1f} ms, p50 {statistics.median(times):.1f} ms, "
        f"p90 {p90:.1f} ms, max {max(times):.1f} ms"
    )


def copy_site(src, dst):
    os.makedirs(dst)
    shutil.copy(os.path.join(src, "mcpsite.toml"), dst)
    for d in ("content", "themes", "static"):
        if os.path.isdir(os.path.join(src, d)):
            shutil.copytree(os.path.join(src, d), os.path.join(dst, d))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="mcpsite binary (default: build target/release/mcpsite)")
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--group", type=int, help="which generated group to edit (default: the middle)")
    ap.add_argument("--only", choices=["real", "generated"])
    args = ap.parse_args()
    bin_path = args.bin
    if not bin_path:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
        bin_path = os.path.join(REPO, "target", "release", "mcpsite")
    print(f"machine: {os.cpu_count()} cores; binary: {bin_path}")
    with tempfile.TemporaryDirectory(prefix="mcpsite-bench-") as tmp:
        if args.only in (None, "real"):
            root = os.path.join(tmp, "real")
            copy_site(REPO, root)
            n = len(os.listdir(os.path.join(root, "content", "groups")))
            times, startup = measure(
                bin_path, root, "content/groups/transports-wg.md", "/groups/transports-wg/", args.edits
            )
            report(f"real content ({n} groups), editing transports-wg", times, startup)
        if args.only in (None, "generated"):
            root = os.path.join(tmp, "generated")
            subprocess.run(
                [sys.executable, os.path.join(REPO, "bench", "gen-site.py"), root, str(args.groups)],
                check=True,
            )
            mid = args.groups // 2 if args.group is None else args.group
            slug = f"topic{mid:04d}-{'ig' if mid % 2 == 0 else 'wg'}"
            times, startup = measure(
                bin_path, root, f"content/groups/{slug}.md", f"/groups/{slug}/", args.edits
            )
            report(f"generated site ({args.groups} groups), editing {slug}", times, startup)


if __name__ == "__main__":
    main()
