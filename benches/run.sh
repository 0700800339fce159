#!/usr/bin/env bash
# Benchmarks of issue #5: ingest and query, newsidx side by side with
# tantivy-cli and SQLite FTS5 on the same generated articles.
#
#   benches/run.sh [N...]          (default: 20000 100000 1000000)
#
# For each N: generates (once, cached) N articles from $SOURCE with
# examples/gen_corpus.rs, then
#   ingest  `cat` floor, `newsidx index`, and for N <= $PEERS_MAX also
#           `tantivy index` on the NDJSON and FTS5 (tools interleaved,
#           $REPEAT times): wall, peak RSS, index size;
#   query   for N in $QUERY_AT: in-process p50/p99 (examples/query_latency.rs)
#           and whole-process wall time per tool (benches/proc_latency.py).
# Corpora and newsidx indexes above $CLEAN_ABOVE articles are deleted
# afterwards unless KEEP=1.
# Results: a table on stdout and $WORK/results.tsv (appended).
#
# Environment (defaults): SOURCE=/work/shared/corpora/bbc SEED=42
# WORK=target/bench THREADS=2 MEMORY_MB=256 PEERS_MAX=100000
# QUERY_AT="100000" REPEAT=1 ROUNDS=20 PROC_ROUNDS=5 KEEP=0 CLEAN_ABOVE=100000
# Rows give wall and CPU (user+sys) seconds: on a shared machine the
# CPU column is the steadier one.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOURCE=${SOURCE:-/work/shared/corpora/bbc}
SEED=${SEED:-42}
WORK=${WORK:-$ROOT/target/bench}
THREADS=${THREADS:-2}
MEMORY_MB=${MEMORY_MB:-256}
PEERS_MAX=${PEERS_MAX:-100000}
QUERY_AT=${QUERY_AT-100000}  # QUERY_AT="" runs no queries
REPEAT=${REPEAT:-1}
ROUNDS=${ROUNDS:-20}
PROC_ROUNDS=${PROC_ROUNDS:-5}
KEEP=${KEEP:-0}
CLEAN_ABOVE=${CLEAN_ABOVE:-100000}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(20000 100000 1000000)

START=$(date -u +%FT%TZ)
log() { printf '\n== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------
need_apt=()
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]}"
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi
TANTIVY=$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")
need_peers=0
for N in "${SIZES[@]}"; do [ "$N" -le "$PEERS_MAX" ] && need_peers=1; done
if [ $need_peers = 1 ] && [ ! -x "$TANTIVY" ]; then
    log "installing tantivy-cli"
    # tantivy-cli 0.24's own lock file pins traitobject 0.1.0, which
    # current Rust refuses (E0119); the newest compatible versions build.
    cargo install --locked tantivy-cli || cargo install tantivy-cli
fi
python3 -c 'import sqlite3; c = sqlite3.connect(":memory:"); c.execute("create virtual table t using fts5(a)")' \
    || { echo "python3's sqlite3 has no FTS5" >&2; exit 1; }

log "building newsidx and the bench examples (release)"
(cd "$ROOT" && cargo build --release --quiet --bin newsidx --example gen_corpus --example query_latency)
NEWSIDX=$ROOT/target/release/newsidx
GEN=$ROOT/target/release/examples/gen_corpus
QLAT=$ROOT/target/release/examples/query_latency
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
HEADER=$(printf 'date\tN\ttool\trun\twall_s\tcpu_s\tpeak_rss_mb\tindex_mb\tcorpus_mb\tarticles_per_s\tmb_per_s')
if [ -f "$RESULTS" ] && [ "$(head -1 "$RESULTS")" != "$HEADER" ]; then
    mv "$RESULTS" "$RESULTS.old"   # columns of an older run.sh
fi
[ -f "$RESULTS" ] || printf 'date\tN\ttool\trun\twall_s\tcpu_s\tpeak_rss_mb\tindex_mb\tcorpus_mb\tarticles_per_s\tmb_per_s\n' >"$RESULTS"

{
    echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "newsidx $(git -C "$ROOT" rev-parse --short HEAD)  $("$TANTIVY" --version 2>/dev/null | head -1 || echo tantivy-cli)  sqlite $(sqlite3 --version | cut -d' ' -f1)"
    echo "threads $THREADS, memory ${MEMORY_MB} MB (newsidx --memory, tantivy -m), seed $SEED, source $SOURCE"
} >&2

bytes() { du -sb "$1" | cut -f1; }

# time_run TOOL N RUN INDEX_PATH CORPUS_BYTES -- CMD...: runs CMD under
# /usr/bin/time, appends a row to $RESULTS and prints it.
time_run() {
    local tool=$1 n=$2 run=$3 index=$4 corpus=$5
    shift 6
    local tf rc=0
    tf=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$WORK/last-$tool.log" 2>&1 || rc=$?
    # newsidx index exits 3 when it skipped some files: still a measurement.
    if [ $rc -ne 0 ] && ! { [ "$tool" = newsidx ] && [ $rc -eq 3 ]; }; then
        echo "$tool failed ($rc); see $WORK/last-$tool.log" >&2
        tail -5 "$WORK/last-$tool.log" >&2
        rm -f "$tf"
        return 1
    fi
    local wall user sys rss idx
    read -r wall user sys rss < <(tail -1 "$tf")
    rm -f "$tf"
    idx=0
    [ "$index" != - ] && idx=$(bytes "$index")
    awk -v d="$(date -u +%FT%TZ)" -v n="$n" -v t="$tool" -v r="$run" -v w="$wall" \
        -v cpu="$user $sys" -v rss="$rss" -v i="$idx" -v c="$corpus" 'BEGIN {
        w1 = (w > 0 ? w : 0.01); split(cpu, u, " ")
        printf "%s\t%d\t%s\t%d\t%.2f\t%.2f\t%.0f\t%.1f\t%.1f\t%.0f\t%.1f\n",
            d, n, t, r, w, u[1] + u[2], rss / 1024, i / 1e6, c / 1e6, n / w1, c / 1e6 / w1 }' | tee -a "$RESULTS"
}

tantivy_new() { # an empty tantivy-cli index: title and body, stored, stemmed
    rm -rf "$1" && mkdir -p "$1"
    local field='"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false'
    printf '{"segments":[],"schema":[{"name":"title","type":"text","options":{%s}},{"name":"body","type":"text","options":{%s}}],"opstamp":0}\n' \
        "$field" "$field" >"$1/meta.json"
}

for N in "${SIZES[@]}"; do
    C=$WORK/corpus-$N
    if [ ! -f "$C.done" ]; then
        log "generating $N articles into $C (df: $(df -h --output=avail "$WORK" | tail -1 | tr -d ' ') free)"
        rm -rf "$C" "$C.ndjson"
        "$GEN" "$SOURCE" "$C" -n "$N" --seed "$SEED"
        touch "$C.done"
    fi
    CB=$(find "$C" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}')
    log "ingest, N=$N (corpus: $CB bytes of .txt, $(bytes "$C.ndjson") bytes of NDJSON)"
    printf 'date\tN\ttool\trun\twall_s\tcpu_s\tpeak_rss_mb\tindex_mb\tcorpus_mb\tarticles_per_s\tmb_per_s\n' >&2
    for run in $(seq 1 "$REPEAT"); do
        time_run cat "$N" "$run" - "$CB" -- \
            sh -c "find '$C' -name '*.txt' -print0 | xargs -0 cat >/dev/null"
        rm -rf "$WORK/idx-newsidx-$N"
        time_run newsidx "$N" "$run" "$WORK/idx-newsidx-$N" "$CB" -- \
            "$NEWSIDX" -i "$WORK/idx-newsidx-$N" index "$C" --threads "$THREADS" --memory "$MEMORY_MB"
        if [ "$N" -le "$PEERS_MAX" ]; then
            tantivy_new "$WORK/idx-tantivy-$N"
            time_run tantivy-cli "$N" "$run" "$WORK/idx-tantivy-$N" "$CB" -- \
                "$TANTIVY" index -i "$WORK/idx-tantivy-$N" -f "$C.ndjson" -t "$THREADS" -m $((MEMORY_MB * 1000000))
            rm -f "$WORK/fts5-$N.db"
            time_run fts5 "$N" "$run" "$WORK/fts5-$N.db" "$CB" -- \
                python3 "$ROOT/benches/fts5_ingest.py" "$C.ndjson" "$WORK/fts5-$N.db"
        fi
    done

    if [[ " $QUERY_AT " == *" $N "* ]]; then
        log "queries, N=$N: in-process, newsidx (warm, top 10 with snippets)"
        "$QLAT" "$WORK/idx-newsidx-$N" "$ROOT/benches/queries.txt" --rounds "$ROUNDS" \
            --tsv "$WORK/query-latency-$N.tsv" >&2
        if [ "$N" -le "$PEERS_MAX" ]; then
            log "queries, N=$N: whole process, side by side"
            python3 "$ROOT/benches/proc_latency.py" "$ROOT/benches/queries.txt" --rounds "$PROC_ROUNDS" \
                --newsidx "$NEWSIDX" "$WORK/idx-newsidx-$N" \
                --tantivy "$TANTIVY" "$WORK/idx-tantivy-$N" \
                --fts5 "$(command -v sqlite3)" "$WORK/fts5-$N.db" \
                --tsv "$WORK/proc-latency-$N.tsv" >&2
        else
            python3 "$ROOT/benches/proc_latency.py" "$ROOT/benches/queries.txt" --rounds "$PROC_ROUNDS" \
                --newsidx "$NEWSIDX" "$WORK/idx-newsidx-$N" --tsv "$WORK/proc-latency-$N.tsv" >&2
        fi
    fi

    if [ "$N" -gt "$CLEAN_ABOVE" ] && [ "$KEEP" != 1 ]; then
        log "removing corpus and index of N=$N (KEEP=1 keeps them)"
        rm -rf "$C" "$C.ndjson" "$C.done" "$WORK/idx-newsidx-$N"
    fi
done
log "summary of this run (medians over runs; all rows so far: $RESULTS)"
python3 "$ROOT/benches/summary.py" "$RESULTS" "$START"
