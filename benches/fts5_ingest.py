#!/usr/bin/env python3
"""SQLite FTS5 peer: load NDJSON ({"title":..,"body":..} per line) into a
contentful FTS5 table in one transaction.

    python3 benches/fts5_ingest.py CORPUS.ndjson OUT.db

Tokenizer 'porter unicode61' (stemmed, like newsidx's English analyzer)."""
import json
import sqlite3
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            yield doc["title"], doc["body"]


def main():
    src, db = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')"
    )
    con.execute("BEGIN")
    con.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", rows(src))
    con.execute("COMMIT")
    n = con.execute("SELECT count(*) FROM docs").fetchone()[0]
    con.close()
    print(f"fts5_ingest: {n} rows into {db}")


if __name__ == "__main__":
    main()
