#!/usr/bin/env python3
"""Writes BENCHMARKS.md from one run of the benchmarks.

Reads the medians criterion left in <pass>/<workload>/<contender>/new/estimates.json for
each pass of the timings (a copy of criterion's output directory per pass), the
allocation counts the `allocs` bench target wrote as JSON, the instruction counts
scripts/callgrind.sh wrote as JSON, and the run's metadata (machine, command, duration)
from the command line. Each time is the median of the passes' criterion medians. Every
figure in the report comes from those files; the prose around them is in
benches/NOTES.md, which must hold no figures of its own.

What starts with KEPT_SECTION and runs to the end of the existing output file is not ours
(a real service under load, and the build times of a fresh clone, each written by its own
run): it is kept as it is, after the generated part.

Standard library only.
"""

import argparse
import json
import os
import statistics
import sys

WORKLOADS = [
    ("round-trip", "round trip", "ns per borrow and return, no work"),
    ("small", "small", "ns per borrow, 64-byte write and return"),
    ("two-threads", "two threads", "ns per operation, per thread"),
    ("hold-many", "hold-many", "ns per batch of 64"),
    ("request", "request", "ns per request"),
]

# (id, label, what it is); the order of the table.
CONTENDERS = [
    ("limit", "**limit**: thread-local `Vec<T>` stack", "limit"),
    ("no-pool", "no pool: fresh allocation", "baseline"),
    ("poolable-local", "**poolable**: `Pool` held in a local", "poolable"),
    ("poolable-global", "**poolable**: `global::<T>()`", "poolable"),
    ("poolable-pooled", "**poolable**: `#[pooled]` fn", "poolable"),
    ("lockfree-linear", "lockfree-object-pool `LinearObjectPool`", "peer"),
    ("lockfree-spinlock", "lockfree-object-pool `SpinLockObjectPool`", "peer"),
    ("object-pool", "object-pool `Pool`", "peer"),
    ("opool", "opool `Pool`", "peer"),
    ("sharded-slab", "sharded-slab `Pool`", "peer"),
    ("poolshark-local", "poolshark `LPooled` (thread-local)", "peer"),
    ("poolshark-global", "poolshark `global::Pool`", "peer"),
    ("lifeguard", "lifeguard `Pool` (single-threaded, one per thread)", "peer"),
]

# The deep-reuse comparison on `request`: (id, label). The first two are rows of the
# main table too; the last two run `request` only.
DEEP = [
    ("limit", "limit, std collections: thread-local stack"),
    ("poolable-local", "**poolable** `Pool`, std collections"),
    ("limit-deep", "**deep-reuse limit**: thread-local stack, strings kept by hand"),
    ("poolable-reuse", "**poolable** `Pool`, `ReuseMap` + `ReuseVec`"),
]

# The section at the end of BENCHMARKS.md that another run writes; kept as it is.
KEPT_SECTION = "## A real service under load"

# Instruction targets (callgrind) for a `Pool` in a local, per workload: (workload, most
# instructions, the limit's count when the target was set, label). The target was set
# with another harness, whose limit counted the third figure; the report checks the
# instructions as stated, and the same ratio to the limit measured here.
INSTRUCTION_TARGETS = [
    ("round-trip", 110, 89, "round trip"),
    ("hold-many", 100, 68, "hold-many, per object"),
]

PLAIN = [c for c, _, _ in CONTENDERS]
POOLABLE = [c for c, _, kind in CONTENDERS if kind == "poolable"]
PEERS = [c for c, _, kind in CONTENDERS if kind == "peer"]


def median_ns(criterion_dir, workload, contender):
    path = os.path.join(criterion_dir, workload, contender, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def pass_medians(criterion_dirs, workload, contender):
    """Each pass's criterion median, or None if any pass lacks the benchmark."""
    values = [median_ns(d, workload, contender) for d in criterion_dirs]
    return None if any(v is None for v in values) else values


def fmt_ns(ns):
    if ns is None:
        return "—"
    if ns >= 100:
        return f"{ns:,.0f}"
    return f"{ns:.1f}"


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


def fmt_allocs(a):
    if a is None:
        return "—"
    if abs(a - round(a)) < 0.005:
        return str(int(round(a)))
    return f"{a:.2f}"


def verdict(ok):
    return "**met**" if ok else "**missed**"


def targets(m, allocs, instructions):
    """The issues' targets, checked against the medians `m[workload][contender]`, the
    allocation counts and the instruction counts (None when callgrind did not run)."""
    rows = []

    def ratio(w, c, to="limit"):
        lim, v = m[w].get(to), m[w].get(c)
        return None if lim is None or v is None else v / lim

    def over(r, limit):
        return "" if r is None or r <= limit else f"over by {(r / limit - 1) * 100:.1f}%"

    # small: ≤ 1.15× the limit, and faster than every peer.
    r = ratio("small", "poolable-local")
    peers = {p: m["small"].get(p) for p in PEERS if m["small"].get(p) is not None}
    fastest_peer = min(peers, key=peers.get) if peers else None
    ok = r is not None and r <= 1.15
    rows.append(("small ≤ 1.15× the limit (`Pool` in a local)",
                 f"{fmt_ratio(r)}", verdict(ok), over(r, 1.15)))
    if fastest_peer:
        v, p = m["small"].get("poolable-local"), peers[fastest_peer]
        ok = v is not None and v < p
        rows.append(("small: faster than every peer",
                     f"{fmt_ns(v)} ns vs {fmt_ns(p)} ns (fastest peer: {fastest_peer})",
                     verdict(ok),
                     "" if ok else f"{(v / p - 1) * 100:.1f}% slower than {fastest_peer}"))
    for w, limit, label in [("two-threads", 1.5, "two threads ≤ 1.5× the limit per operation"),
                            ("hold-many", 1.5, "hold-many ≤ 1.5× the limit"),
                            ("request", 1.0, "request no slower than the limit")]:
        r = ratio(w, "poolable-local")
        ok = r is not None and r <= limit
        rows.append((label, fmt_ratio(r), verdict(ok), over(r, limit)))
    # #[pooled] and global::<T>() within 5% of a pool held in a local.
    for c, label in [("poolable-global", "`global::<T>()`"), ("poolable-pooled", "`#[pooled]`")]:
        worst = None
        for w, _, _ in WORKLOADS:
            local, v = m[w].get("poolable-local"), m[w].get(c)
            if local is None or v is None:
                continue
            d = v / local
            if worst is None or d > worst[0]:
                worst = (d, w)
        if worst is None:
            continue
        ok = worst[0] <= 1.05
        rows.append((f"{label} within 5% of a `Pool` in a local (worst workload)",
                     f"{worst[0]:.3f}× in {worst[1]}", verdict(ok), over(worst[0], 1.05)))
    # Instructions per operation (callgrind).
    if instructions:
        for w, most, then, label in INSTRUCTION_TARGETS:
            v = instructions.get("poolable-local", {}).get(w)
            lim = instructions.get("limit", {}).get(w)
            if v is None:
                continue
            ok = v <= most
            rows.append((f"{label} ≤ {most} instructions (`Pool` in a local)",
                         f"{v:,.1f}", verdict(ok), over(v / most, 1.0)))
            if lim:
                r, target = v / lim, most / then
                rows.append((f"{label} ≤ {target:.2f}× the limit's instructions "
                             f"(the same target as a ratio: {most} against {then})",
                             f"{r:.2f}× ({v:,.1f} against {lim:,.1f})", verdict(r <= target),
                             over(r, target)))
    # Deep reuse on `request`.
    a = allocs["contenders"].get("poolable-reuse", {}).get("request")
    if a is not None:
        rows.append(("deep reuse: 0 allocations per request (`ReuseMap` + `ReuseVec`)",
                     fmt_allocs(a), verdict(a < 0.005), ""))
    r = ratio("request", "poolable-reuse", to="limit-deep")
    if r is not None:
        rows.append(("deep reuse ≤ 1.10× the deep-reuse limit", fmt_ratio(r),
                     verdict(r <= 1.10), over(r, 1.10)))
    r = ratio("request", "poolable-reuse", to="poolable-local")
    if r is not None:
        faster = (1 - r) * 100
        ok = r <= 0.75
        rows.append(("deep reuse ≥ 25% faster than the same pool with std collections",
                     f"{faster:.1f}% faster ({fmt_ratio(r)})", verdict(ok),
                     "" if ok else f"short by {25 - faster:.1f} points"))
    return rows


def kept_section(path):
    """The section of the existing report that another run writes, or ''."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        return ""
    at = text.find("\n" + KEPT_SECTION)
    return "" if at < 0 else text[at + 1:].rstrip() + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--criterion", required=True, action="append",
                    help="criterion's output directory of one pass (repeat per pass)")
    ap.add_argument("--allocs", required=True, help="JSON written by the allocs bench")
    ap.add_argument("--callgrind", default="",
                    help="JSON written by scripts/callgrind.sh (left out if not given)")
    ap.add_argument("--notes", required=True, help="prose to include (no figures)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", required=True, help="the command that made this run")
    ap.add_argument("--mode", required=True)
    ap.add_argument("--commit", default="", help="the sources measured")
    ap.add_argument("--cpu", required=True)
    ap.add_argument("--cores", required=True)
    ap.add_argument("--rustc", required=True)
    ap.add_argument("--os", required=True)
    ap.add_argument("--date", required=True)
    ap.add_argument("--seconds", required=True, type=int)
    ap.add_argument("--load", default="", help="load average at the start of the run")
    ap.add_argument("--load-after", default="", help="load average at the end of the run")
    a = ap.parse_args()

    ids = [c for c, _, _ in CONTENDERS] + [c for c, _ in DEEP if c not in PLAIN]
    passes = {w: {c: pass_medians(a.criterion, w, c) for c in ids} for w, _, _ in WORKLOADS}
    m = {w: {c: None if v is None else statistics.median(v) for c, v in row.items()}
         for w, row in passes.items()}
    missing = [f"{w}/{c}" for w in m for c in PLAIN if m[w][c] is None
               and not (w == "hold-many" and c == "poolable-pooled")]
    if missing:
        print("missing criterion results: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)
    with open(a.allocs) as f:
        allocs = json.load(f)
    callgrind = None
    if a.callgrind:
        with open(a.callgrind) as f:
            callgrind = json.load(f)
    instructions = callgrind["contenders"] if callgrind else {}
    with open(a.notes) as f:
        notes = f.read().strip()
    kept = kept_section(a.out)

    out = []
    out.append("# Benchmarks\n")
    out.append("<!-- Generated by scripts/bench.sh from one run; do not edit by hand. "
               "The prose comes from benches/NOTES.md. The sections from \""
               + KEPT_SECTION[3:] + "\" to the end, if any, are written by their own "
               "runs and kept as they are. -->\n")
    out.append("poolable against the pool crates a user would pick instead, against a fresh "
               "allocation each time, and against the limit: a thread-local `Vec<T>` used as "
               "a stack, the least a pool that any thread can use and that costs no more "
               "when several do could cost. One run, same objects, same reset "
               "work (every collection `clear()`ed once per use, capacity kept). "
               "poolable's statistics counting is on in every figure (it cannot be turned "
               "off). The first column, a borrow and return with no work in between, is "
               "the pool's own cost; the instruction counts below measure the same without "
               "the machine's noise.\n")
    out.append("## The run\n")
    out.append(f"- Command: `{a.command}` ({a.mode}; took {a.seconds // 60} min "
               f"{a.seconds % 60} s, build included)")
    if a.commit:
        out.append(f"- Sources: commit {a.commit}")
    out.append(f"- Machine: {a.cpu}, {a.cores} cores; {a.os}")
    out.append(f"- Toolchain: {a.rustc}; `cargo bench` profile (release, `debug = false`)")
    out.append(f"- Date: {a.date}")
    if a.load:
        after = f", when it ended: {a.load_after}" if a.load_after else ""
        out.append(f"- Load average (1, 5, 15 min) when the run started: {a.load}{after}. "
                   "Above 0, other work shared the two cores during the run.")
    n = len(a.criterion)
    how = (f"the median of {n} passes' criterion medians, the contenders in a different "
           "order each pass (forward, reverse, spread)" if n > 1
           else "criterion medians, one pass")
    out.append(f"- Times are {how}. Ratios are to the limit in the same workload: "
               "below 1.00× is the noise, or a contender that does less than the limit "
               "on one thread by giving something up (see *Reading the table*).\n")

    out.append("## Time\n")
    head = "| contender | " + " | ".join(f"{label}<br>({unit})" for _, label, unit in WORKLOADS) + " |"
    out.append(head)
    out.append("|---|" + "---:|" * len(WORKLOADS))
    for c, label, _ in CONTENDERS:
        cells = []
        for w, _, _ in WORKLOADS:
            v, lim = m[w][c], m[w]["limit"]
            if v is None:
                cells.append("n/a")
            else:
                cells.append(f"{fmt_ns(v)} ({fmt_ratio(v / lim)})")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Each cell: median ns (ratio to the limit). `#[pooled]` borrows one object "
               "per parameter per call, so it has no hold-many figure. The deep-reuse "
               "contenders of the `request` group are in their own table below.\n")

    if n > 1:
        out.append("### Spread between passes\n")
        out.append("The smallest and largest of the passes' medians, in ns: where they are "
                   "far apart, so was the machine's load, and a ratio in the table above "
                   "is good to that width only.\n")
        out.append("| contender | " + " | ".join(label for _, label, _ in WORKLOADS) + " |")
        out.append("|---|" + "---:|" * len(WORKLOADS))
        for c, label, _ in CONTENDERS:
            cells = []
            for w, _, _ in WORKLOADS:
                v = passes[w][c]
                cells.append("n/a" if v is None else f"{fmt_ns(min(v))}–{fmt_ns(max(v))}")
            out.append(f"| {label} | " + " | ".join(cells) + " |")
        out.append("")

    if callgrind:
        out.append("## Instructions per operation\n")
        out.append("Counted by valgrind's callgrind (" + callgrind["valgrind"] + "): "
                   "`scripts/callgrind.sh` runs the `callgrind` bench target twice per "
                   "figure, at two iteration counts after the same warm-up, and divides "
                   "the difference of the two totals by the difference of the counts, so "
                   "that start-up cancels. Instruction counts do not move with the "
                   "machine's load: where the times above are within their noise, these "
                   "say which does less. They are not times: a cache miss or a stall "
                   "costs one instruction here and many cycles there. Each figure "
                   "includes the benchmark loop's own counter and branch, the same for "
                   "every contender. `round trip` and `hold-many` do no work on the "
                   "buffer.\n")
        cw = [("round-trip", "round trip<br>(per borrow and return)"),
              ("hold-many", "hold-many<br>(per object, 64 held at once)"),
              ("request", "request<br>(per request)")]
        out.append("| contender | " + " | ".join(label for _, label in cw) + " |")
        out.append("|---|" + "---:|" * len(cw))
        labels = {c: label for c, label, _ in CONTENDERS}
        labels.update({c: label for c, label in DEEP if c not in labels})
        lim = instructions.get("limit", {})
        for c in ids:
            row = instructions.get(c)
            if row is None:
                continue
            cells = []
            for w, _ in cw:
                v = row.get(w)
                if v is None:
                    cells.append("n/a")
                elif lim.get(w):
                    cells.append(f"{v:,.0f} ({v / lim[w]:.2f}×)")
                else:
                    cells.append(f"{v:,.0f}")
            out.append(f"| {labels[c]} | " + " | ".join(cells) + " |")
        out.append("")
        out.append("Each cell: instructions (ratio to the limit). Run on its own with "
                   "`scripts/callgrind.sh` (a few minutes; `--contenders limit,"
                   "poolable-local` for two rows).\n")

    out.append("## Heap allocations per operation\n")
    out.append(f"Counted by a counting global allocator (every `alloc`, `alloc_zeroed` and "
               f"`realloc`), over {allocs['ops']:,} operations after a warm-up; "
               f"hold-many per batch of {allocs['hold']}. `request` makes 20 strings per "
               "use (8 header names, 8 values, 4 tags) whatever the pool, because clearing "
               "a `HashMap<String, String>` or a `Vec<String>` drops its strings: a pool "
               "keeps the containers, not their contents (deep reuse, below, keeps "
               "both).\n")
    out.append("| contender | " + " | ".join(label for _, label, _ in WORKLOADS) + " |")
    out.append("|---|" + "---:|" * len(WORKLOADS))
    for c, label, _ in CONTENDERS:
        row = allocs["contenders"].get(c, {})
        out.append(f"| {label} | " + " | ".join(
            fmt_allocs(row.get(w)) if row.get(w) is not None else "n/a"
            for w, _, _ in WORKLOADS) + " |")
    out.append("")

    out.append("## Deep reuse: the request workload\n")
    out.append("The `request` workload (a path, 8 headers, a 2 KiB body, 4 tags; filled, "
               "checksummed, returned) in one criterion group, written four ways: with std "
               "collections, whose `clear()` drops every string, in the limit and in "
               "poolable's `Pool`; with the strings kept as spares, by hand in the limit "
               "and with poolable's `ReuseMap<String, String>` (headers, filled by "
               "`insert_with(name, |v| v.push_str(value))`) and `ReuseVec<String>` (tags, "
               "`push_default().push_str(tag)`) in poolable's `Pool`.\n")
    dl = m["request"].get("limit-deep")
    std_pool = m["request"].get("poolable-local")
    out.append("| request written as | ns per request | vs the deep-reuse limit "
               "| vs `Pool` with std collections | instructions per request "
               "| allocations per request |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for c, label in DEEP:
        v = m["request"].get(c)
        ins = instructions.get(c, {}).get("request")
        al = allocs["contenders"].get(c, {}).get("request")
        out.append(" | ".join([
            f"| {label}",
            fmt_ns(v),
            "—" if v is None or dl is None else fmt_ratio(v / dl),
            "—" if v is None or std_pool is None else fmt_ratio(v / std_pool),
            "—" if ins is None else f"{ins:,.0f}",
            "—" if al is None else fmt_allocs(al),
        ]) + " |")
    out.append("")
    if m["request"].get("poolable-reuse") is None:
        out.append("The row written with poolable's reuse collections has no figures: "
                   "this build has no such contender.\n")

    out.append("## Targets\n")
    out.append("Checked by the report generator against the figures above.\n")
    out.append("| target | measured | | by how much |")
    out.append("|---|---|---|---|")
    for label, measured, v, by in targets(m, allocs, instructions):
        out.append(f"| {label} | {measured} | {v} | {by} |")
    out.append("")

    out.append(notes)
    out.append("")
    text = "\n".join(out)
    if kept:
        text += "\n" + kept
    with open(a.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
