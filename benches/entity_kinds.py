#!/usr/bin/env python3
"""Kind consistency of entities across an archive, from `newsidx parse --json` lines.

Usage: benches/entity_kinds.py PRED.jsonl [--show N]   (PRED from `newsidx parse --json DIR`)
Prints: canonical names (case-folded) seen with more than one kind across the archive
(share of names, and of names seen in >= 2 articles), names with more than one kind
inside one article, and title-only names (Mr, Lord, Dr ...).
"""
import json, sys, collections, unicodedata

TITLES = {"mr", "mrs", "ms", "miss", "dr", "lord", "lady", "sir", "dame", "prof", "professor",
          "mr.", "mrs.", "ms.", "dr.", "prof.", "rev", "rev.", "st", "st."}

def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())

path = sys.argv[1]
show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
kinds = collections.defaultdict(collections.Counter)   # name -> kind -> articles
arts = collections.defaultdict(set)
within = 0
within_names = collections.Counter()
titles = collections.Counter()
n_articles = 0
for line in open(path):
    a = json.loads(line)
    n_articles += 1
    seen = collections.defaultdict(set)
    for e in a.get("entities") or []:
        f = fold(e["name"])
        if not f:
            continue
        seen[f].add(e["kind"])
        if f in {fold(t) for t in TITLES}:
            titles[(e["name"], e["kind"])] += 1
    for f, ks in seen.items():
        for k in ks:
            kinds[f][k] += 1
        arts[f].add(n_articles)
        if len(ks) > 1:
            within += 1
            within_names[f] += 1
names = len(kinds)
multi = [f for f in kinds if len(kinds[f]) > 1]
rec = [f for f in kinds if len(arts[f]) >= 2]
multi_rec = [f for f in rec if len(kinds[f]) > 1]
# mentions-weighted: share of (name, article) pairs whose kind is not the name's majority kind
total_pairs = sum(sum(c.values()) for c in kinds.values())
minority = sum(sum(c.values()) - max(c.values()) for c in kinds.values())
print(f"articles {n_articles}, canonical names {names}")
print(f"names with more than one kind across the archive: {len(multi)} ({len(multi)/max(names,1):.3f})")
print(f"  among names in >= 2 articles: {len(multi_rec)}/{len(rec)} ({len(multi_rec)/max(len(rec),1):.3f})")
print(f"(name, article) pairs off the name's majority kind: {minority}/{total_pairs} ({minority/max(total_pairs,1):.3f})")
print(f"names with two kinds inside one article: {within} (article, name) pairs")
print(f"title-only names: {sum(titles.values())} {dict(titles.most_common(8))}")
for f in ["us", "u s", "united states", "mr", "google", "chelsea", "timewarner", "time warner", "warner bros"]:
    if f in kinds:
        print(f"  {f!r}: {dict(kinds[f])}")
if show:
    top = sorted(multi, key=lambda f: -len(arts[f]))[:show]
    for f in top:
        print(f"  {f}: {dict(kinds[f])}")
