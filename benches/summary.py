#!/usr/bin/env python3
"""Summary of benches/run.sh rows: per N and tool, the median over runs,
and the ratios the targets of issue #5 are about.

    python3 benches/summary.py target/bench/results.tsv [SINCE_ISO_DATE]"""
import csv
import statistics
import sys


def main():
    path = sys.argv[1]
    since = sys.argv[2] if len(sys.argv) > 2 else ""
    rows = [r for r in csv.DictReader(open(path), delimiter="\t") if r["date"] >= since]
    if not rows:
        print("no rows")
        return
    groups = {}
    for r in rows:
        groups.setdefault((int(r["N"]), r["tool"]), []).append(r)
    med = {}
    print(f"{'N':>8} {'tool':<12} {'runs':>4} {'wall s':>8} {'cpu s':>8} {'art/s':>7} "
          f"{'MB/s':>6} {'RSS MB':>7} {'index MB':>9} {'index/text':>10}")
    for (n, tool), rs in sorted(groups.items()):
        def m(k):
            return statistics.median(float(r.get(k) or "nan") for r in rs)
        wall, cpu = m("wall_s"), m("cpu_s")
        rss, idx, corpus = max(float(r["peak_rss_mb"]) for r in rs), m("index_mb"), m("corpus_mb")
        med[(n, tool)] = (wall, cpu, rss, idx, corpus)
        print(f"{n:>8} {tool:<12} {len(rs):>4} {wall:>8.2f} {cpu:>8.2f} {n / wall:>7.0f} "
              f"{corpus / wall:>6.1f} {rss:>7.0f} {idx:>9.1f} "
              f"{(idx / corpus if idx and corpus else float('nan')):>10.2f}")
    print()
    for (n, tool), (wall, cpu, _, _, _) in sorted(med.items()):
        if tool == "newsidx" and (n, "tantivy-cli") in med:
            tw, tc = med[(n, "tantivy-cli")][:2]
            print(f"N={n}: newsidx/tantivy-cli wall {wall / tw:.2f}x, cpu {cpu / tc:.2f}x "
                  "(target <= 1.5x wall, goal 1.0x)")
    sizes = sorted(n for (n, t) in med if t == "newsidx")
    if len(sizes) > 1:
        base = sizes[0]
        for n in sizes[1:]:
            w0, c0 = med[(base, "newsidx")][:2]
            w, c = med[(n, "newsidx")][:2]
            print(f"newsidx {n} vs {base}: wall {w / w0:.1f}x, cpu {c / c0:.1f}x for "
                  f"{n / base:.0f}x the articles (target at 1M vs 20k: <= 60x)")


if __name__ == "__main__":
    main()
