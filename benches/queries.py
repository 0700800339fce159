#!/usr/bin/env python3
"""Reads benches/queries.txt and turns each line into the command of each
tool, so that every tool runs the same queries.

Imported by proc_latency.py; run alone it prints the translations."""
import os
import re
import sys


def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        text, _, filters = line.partition(" | ")
        q = {"text": text.strip(), "speaker": [], "since": None, "until": None}
        for f in filters.split():
            k, _, v = f.partition("=")
            if k == "speaker":
                q["speaker"].append(v.replace("_", " "))
            elif k in ("since", "until"):
                q[k] = v
            else:
                raise SystemExit(f"unknown filter {f!r} in {line!r}")
        out.append(q)
    return out


def label(q):
    extra = "".join(f" speaker={s}" for s in q["speaker"])
    extra += f" since={q['since']}" if q["since"] else ""
    extra += f" until={q['until']}" if q["until"] else ""
    return q["text"] + (" |" + extra if extra else "")


def newsidx_cmd(exe, index, q, limit=10):
    cmd = [exe, "-i", index, "search", q["text"], "-n", str(limit)]
    for s in q["speaker"]:
        cmd += ["--speaker", s]
    if q["since"]:
        cmd += ["--since", q["since"]]
    if q["until"]:
        cmd += ["--until", q["until"]]
    return cmd


def tantivy_cmd(exe, index, q):
    # tantivy-cli's default query parser: words are OR-ed, "..." is a phrase.
    return [exe, "search", "-i", index, "-q", q["text"]]


def tantivy_top10_cmd(exe, index, q, tmpdir):
    path = os.path.join(tmpdir, "q%08x.txt" % (hash(q["text"]) & 0xFFFFFFFF))
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(q["text"] + "\n")
    return [exe, "bench", "-i", index, "-q", path, "-n", "1"]


def fts5_match(text):
    """Words OR-ed (as newsidx and tantivy match any word), phrases kept;
    every token quoted so FTS5 never reads it as an operator."""
    tokens = re.findall(r'"[^"]*"|\S+', text)
    parts = []
    for t in tokens:
        t = t.strip('"')
        words = re.findall(r"\w+", t)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " OR ".join(parts)


def fts5_sql(q, limit=10):
    m = fts5_match(q["text"]).replace("'", "''")
    return (
        "SELECT rowid, title, snippet(docs, 1, '[', ']', '...', 24) FROM docs "
        f"WHERE docs MATCH '{m}' ORDER BY bm25(docs) LIMIT {limit};"
    )


def fts5_cmd(exe, db, q):
    return [exe, db, fts5_sql(q)]


if __name__ == "__main__":
    for q in load(sys.argv[1] if len(sys.argv) > 1 else "benches/queries.txt"):
        print(label(q), "=>", fts5_match(q["text"]))
