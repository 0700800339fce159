#!/usr/bin/env python3
"""Whole-process query wall time, the tools side by side.

    python3 benches/proc_latency.py QUERIES --rounds R \
        --newsidx EXE INDEX [--tantivy EXE INDEX] [--fts5 SQLITE3 DB] [--tsv OUT]

For each round and each query, runs every tool once in turn (interleaved,
so a busy moment of the machine hits all tools alike), stdout to
/dev/null; one untimed warm-up round first. Reports, per tool, the
median over rounds for each query, then p50/p90/max over queries, and the
per-query ratio newsidx/peer. Peers run the text of the query only.

tantivy-cli is timed two ways: `tantivy-top10` (`tantivy bench` on a
one-query file: top 10 + count, then the 10 stored docs fetched) and
`tantivy-search` (`tantivy search`, which prints every match)."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import queries as Q  # noqa: E402


def run(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{cmd!r} failed ({r.returncode}): {r.stderr.decode()[:500]}")
    return dt


def pct(xs, p):
    xs = sorted(xs)
    k = max(1, -(-len(xs) * p // 100))
    return xs[int(k) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("queries")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--newsidx", nargs=2, required=True)
    ap.add_argument("--tantivy", nargs=2)
    ap.add_argument("--fts5", nargs=2)
    ap.add_argument("--tsv")
    a = ap.parse_args()

    qs = Q.load(a.queries)
    tools = {"newsidx": lambda q: Q.newsidx_cmd(a.newsidx[0], a.newsidx[1], q)}
    tmp = tempfile.mkdtemp(prefix="proc_latency.")
    if a.tantivy:
        # `tantivy search` prints every matching document (unranked), so
        # it is timed as the tool's own search command; `tantivy bench` on
        # a one-query file is the top-10 process comparable to newsidx's:
        # open, parse, TopDocs(10) + Count, then the same search again and
        # a fetch of the 10 stored documents (no snippets).
        tools["tantivy-top10"] = lambda q: Q.tantivy_top10_cmd(a.tantivy[0], a.tantivy[1], q, tmp)
        tools["tantivy-search"] = lambda q: Q.tantivy_cmd(a.tantivy[0], a.tantivy[1], q)
    if a.fts5:
        tools["fts5"] = lambda q: Q.fts5_cmd(a.fts5[0], a.fts5[1], q)

    times = {t: [[] for _ in qs] for t in tools}
    for rnd in range(a.rounds + 1):
        for i, q in enumerate(qs):
            for t, mk in tools.items():
                dt = run(mk(q))
                if rnd > 0:
                    times[t][i].append(dt)
    med = {t: [statistics.median(x) * 1e3 for x in times[t]] for t in tools}

    print(f"proc_latency: {len(qs)} queries x {a.rounds} rounds (+1 warm-up), "
          "median per query, then over queries (ms):")
    print(f"  {'tool':<12} {'p50':>8} {'p90':>8} {'max':>8} {'mean':>8}")
    for t in tools:
        m = med[t]
        print(f"  {t:<12} {pct(m, 50):>8.1f} {pct(m, 90):>8.1f} {max(m):>8.1f} "
              f"{statistics.mean(m):>8.1f}")
    shutil.rmtree(tmp, ignore_errors=True)
    for t in tools:
        if t == "newsidx":
            continue
        ratios = [n / p for n, p in zip(med["newsidx"], med[t])]
        print(f"  newsidx/{t}: median of per-query ratios {statistics.median(ratios):.2f}, "
              f"ratio of sums {sum(med['newsidx']) / sum(med[t]):.2f}, "
              f"worst {max(ratios):.2f}")
    if a.tsv:
        with open(a.tsv, "w") as f:
            f.write("query\t" + "\t".join(f"{t}_ms" for t in tools) + "\n")
            for i, q in enumerate(qs):
                f.write(Q.label(q) + "\t" + "\t".join(f"{med[t][i]:.2f}" for t in tools) + "\n")


if __name__ == "__main__":
    main()
