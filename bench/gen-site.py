#!/usr/bin/env python3
"""Writes a synthetic mcpsite site with N groups, for the serve latency benchmark.

Usage: bench/gen-site.py OUT_DIR [N]   (N defaults to 1000)

Every page is valid: unique `<topic>-<ig|wg>` slugs, unique Discord channels, facilitators,
related groups that exist, and for every other group a weekly or biweekly schedule with an
exception and a few notes links, so feeds and agenda pages have real work to do.
"""
import os
import sys

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo"]


def page(i, n):
    kind = "ig" if i % 2 == 0 else "wg"
    topic = f"topic{i:04d}"
    slug = f"{topic}-{kind}"
    related = []
    for j in (i + 1, i + 7):
        if j < n:
            related.append(f'"topic{j:04d}-{"ig" if j % 2 == 0 else "wg"}"')
    lines = [
        "+++",
        f'kind = "{kind}"',
        f'name = "Synthetic Topic {i}"',
        f'summary = "A generated {"Interest" if kind == "ig" else "Working"} Group number {i}, for benchmarks."',
        'status = "active"',
        f"related = [{', '.join(related)}]",
        "",
        "[lifecycle]",
        "active = 2026-01-07",
        "",
        "[[facilitators]]",
        f'github = "facilitator-{i}"',
        f'name = "Facilitator {i}"',
        'org = "Example"',
        "",
        "[discord]",
        f'channel = "{slug}"',
        "",
    ]
    if i % 2 == 1:
        tz = ZONES[i % len(ZONES)]
        wd = WEEKDAYS[i % len(WEEKDAYS)]
        every = "weekly" if i % 4 == 1 else "biweekly"
        lines += [
            "[[schedule]]",
            'id = "main"',
            f'tz = "{tz}"',
            "start = 2026-01-05T09:00:00".replace("05", f"{5 + WEEKDAYS.index(wd):02d}"),
            "duration = 60",
            f'every = "{every}"',
            f'weekday = "{wd}"',
            "",
        ]
    body = (
        f"Synthetic group {i} exists to give the benchmark a site of realistic size.\n\n"
        "It has a paragraph of prose, a [link](https://modelcontextprotocol.io/), and a list:\n\n"
        "- one\n- two\n- three\n"
    )
    return slug, "\n".join(lines) + "+++\n" + body


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    groups = os.path.join(out, "content", "groups")
    os.makedirs(groups, exist_ok=True)
    with open(os.path.join(out, "mcpsite.toml"), "w") as f:
        f.write('title = "Synthetic groups"\nbase_url = "https://groups.example.org"\n')
    with open(os.path.join(out, "content", "_index.md"), "w") as f:
        f.write('+++\ntitle = "Synthetic groups"\n+++\nA generated directory.\n')
    for i in range(n):
        slug, text = page(i, n)
        with open(os.path.join(groups, slug + ".md"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
