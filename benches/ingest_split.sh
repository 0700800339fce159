#!/usr/bin/env bash
# Where ingest CPU goes, newsidx against tantivy-cli, by kind of thread:
# newsidx's own threads (reading, front matter, quote and entity
# extraction) and tantivy's (indexing, doc-store compression).
#
#   benches/ingest_split.sh [N]      (default 20000; ROUNDS=2)
#
# Needs the corpus benches/run.sh generates ($WORK/corpus-N and its
# .ndjson), `perf` and tantivy-cli. Each round runs both tools under
# `perf record` (299 Hz, so a few % of overhead for both), one after the
# other, and prints each tool's wall and CPU seconds with the CPU split
# by thread name; the last column compares with tantivy-cli's whole run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-20000}
WORK=${WORK:-$ROOT/target/bench}
THREADS=${THREADS:-2}
MEMORY_MB=${MEMORY_MB:-256}
ROUNDS=${ROUNDS:-2}
C=$WORK/corpus-$N
TANTIVY=$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")
[ -f "$C.done" ] || { echo "no corpus at $C: run benches/run.sh $N first" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is needed (apt-get install linux-perf)" >&2; exit 1; }
(cd "$ROOT" && cargo build --release --quiet --bin newsidx)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Runs a tool under perf and /usr/bin/time; prints "wall cpu" then one
# "share thread" line per thread name.
measure() {
    /usr/bin/time -f '%e %U %S' -o "$TMP/time" perf record -q -F 299 -o "$TMP/perf.data" "$@" >/dev/null 2>"$TMP/err" \
        || { cat "$TMP/err" >&2; exit 1; }
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$TMP/time"
    perf report -i "$TMP/perf.data" --sort comm -g none 2>/dev/null | awk '/^ +[0-9.]+%/ { sub("%", "", $1); print $1, $2 }'
}

echo "round tool wall_s cpu_s side cpu_share side_cpu_s side_cpu/tantivy-cli_cpu"
for r in $(seq 1 "$ROUNDS"); do
    rm -rf "$TMP/nx"
    measure "$ROOT/target/release/newsidx" -i "$TMP/nx" index "$C" --threads "$THREADS" --memory "$MEMORY_MB" >"$TMP/n"
    rm -rf "$TMP/tx" && mkdir -p "$TMP/tx"
    field='"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false'
    printf '{"segments":[],"schema":[{"name":"title","type":"text","options":{%s}},{"name":"body","type":"text","options":{%s}}],"opstamp":0}\n' \
        "$field" "$field" >"$TMP/tx/meta.json"
    measure "$TANTIVY" index -i "$TMP/tx" -f "$C.ndjson" -t "$THREADS" -m $((MEMORY_MB * 1000000)) >"$TMP/t"
    peer_cpu=$(head -1 "$TMP/t" | cut -d' ' -f2)
    for tool in n t; do
        name=$([ $tool = n ] && echo newsidx || echo tantivy-cli)
        awk -v r="$r" -v name="$name" -v peer="$peer_cpu" '
            NR == 1 { wall = $1; cpu = $2; next }
            { side = ($2 ~ /^(thrd-tantivy|docstore|segment_upd|merge_thr|thread-tantivy)/) ? "tantivy" : "own"; s[side] += $1 }
            END { for (k in s) printf "%d %s %.2f %.2f %s %.1f%% %.2f %.2f\n", r, name, wall, cpu, k, s[k], cpu * s[k] / 100, cpu * s[k] / 100 / peer }
        ' "$TMP/$tool"
    done
done
