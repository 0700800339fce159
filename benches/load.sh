#!/usr/bin/env bash
# Load test of `newsidx serve`: 50 concurrent clients for 30 s against
# /api/search (rotating queries, benches/load.lua), loopback only, with wrk.
#
#   benches/load.sh [INDEX] [CORPUS]
#
# INDEX defaults to /tmp/bbcix; it is built from CORPUS (default
# ../shared/corpora/bbc) when missing. Needs wrk (apt-get install -y wrk)
# and builds the release binary (BIN=path runs another one, for a
# before/after comparison; CLIENTS and DURATION set the load). Exits
# non-zero on any error or non-200.
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:-/tmp/bbcix}
CORPUS=${2:-../shared/corpora/bbc}
CLIENTS=${CLIENTS:-50}
SECONDS_=${DURATION:-30}

command -v wrk >/dev/null || { echo "load.sh: wrk is needed (apt-get install -y wrk)" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/newsidx
fi
[ -e "$INDEX/meta.json" ] || "$BIN" -i "$INDEX" index "$CORPUS"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" -i "$INDEX" serve --addr "127.0.0.1:$PORT" 2>/tmp/newsidx-load-serve.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done

OUT=$(wrk -t2 -c"$CLIENTS" -d"${SECONDS_}s" --timeout 10s --latency \
  -s benches/load.lua "http://127.0.0.1:$PORT/")
echo "$OUT"
echo "$OUT" | grep -q '^errors: connect 0, read 0, write 0, timeout 0, status 0$' || {
  echo "load.sh: there were errors" >&2
  exit 1
}
