#!/usr/bin/env bash
# A 2-node OpenSearch 2.19 cluster on loopback for newsidx's backend tests,
# built from Maven Central artifacts by the launcher beside this file.
#
#   cluster.sh start          build the launcher, start both nodes, wait for green
#   cluster.sh stop           stop both nodes
#   cluster.sh start-node N   start node N (1 or 2) again and wait for green
#   cluster.sh kill-node N    stop node N at once (SIGKILL: a node that goes away)
#   cluster.sh url            the HTTP address of node 1
#
# Node 1 is the cluster manager (and holds data), node 2 holds data only,
# so the cluster keeps its manager whichever data node goes away; indexes
# get one replica, so each shard survives the loss of either node.
#
# Environment: NEWSIDX_OS_DIR (state: data, logs, pids, ports; default
# /tmp/newsidx-opensearch), NEWSIDX_OS_PORT (node 1's HTTP port; node 2's
# is the next, transport ports are 100 above; default: the first of 9250,
# 9260, ... whose four ports are free), NEWSIDX_OS_HEAP (per node, default
# 512m).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${NEWSIDX_OS_DIR:-/tmp/newsidx-opensearch}"
heap="${NEWSIDX_OS_HEAP:-512m}"

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The port of a started cluster is kept with its state.
port="${NEWSIDX_OS_PORT:-$(cat "$state/port" 2>/dev/null || echo 9250)}"
choose_port() {
  [ -n "${NEWSIDX_OS_PORT:-}" ] && return 0
  port=9250
  while in_use $port || in_use $((port + 1)) || in_use $((port + 100)) || in_use $((port + 101)); do
    port=$((port + 10))
    if [ $port -gt 9400 ]; then echo "cluster.sh: no free ports from 9250 to 9400" >&2; exit 1; fi
  done
}
http_port() { echo $((port + $1 - 1)); }
transport_port() { echo $((port + 100 + $1 - 1)); }
url() { echo "http://127.0.0.1:$(http_port "${1:-1}")"; }

build() {
  if [ ! -f "$here/target/classpath.txt" ] || [ "$here/src/main/java/newsidx/test/Launcher.java" -nt "$here/target/classpath.txt" ] || [ "$here/pom.xml" -nt "$here/target/classpath.txt" ]; then
    (cd "$here" && mvn -q -B package) >&2
  fi
}

start_node() {
  local n=$1 roles
  if [ "$n" = 1 ]; then roles='[cluster_manager,data,ingest]'; else roles='[data,ingest]'; fi
  mkdir -p "$state/node$n"
  # The JVM's own options as OpenSearch's jvm.options sets them.
  nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dfile.encoding=UTF-8 -Djna.nosys=true -Dio.netty.noUnsafe=true \
    -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" newsidx.test.Launcher \
    cluster.name=newsidx-test "node.name=node$n" "node.roles=$roles" \
    "path.home=$state/node$n" "path.data=$state/node$n/data" "path.logs=$state/node$n/logs" \
    network.host=127.0.0.1 "http.port=$(http_port "$n")" "transport.port=$(transport_port "$n")" \
    "discovery.seed_hosts=[127.0.0.1:$(transport_port 1),127.0.0.1:$(transport_port 2)]" \
    "cluster.initial_cluster_manager_nodes=[node1]" \
    cluster.routing.allocation.disk.threshold_enabled=false \
    action.auto_create_index=false \
    >"$state/node$n.log" 2>&1 </dev/null &
  echo $! >"$state/node$n.pid"
}

# Waits up to $2 seconds for the cluster of $1 nodes to be green.
wait_green() {
  local nodes=$1 deadline=$((SECONDS + $2)) health
  while [ $SECONDS -lt $deadline ]; do
    health=$(curl -s --max-time 5 "$(url)/_cluster/health?wait_for_status=green&wait_for_nodes=$nodes&timeout=5s" || true)
    case "$health" in
      *'"status":"green"'*'"timed_out":false'* | *'"timed_out":false'*'"status":"green"'*)
        if echo "$health" | grep -q "\"number_of_nodes\":$nodes,"; then
          echo "$health" >&2
          return 0
        fi ;;
    esac
    for n in 1 2; do
      if [ -f "$state/node$n.pid" ] && ! kill -0 "$(cat "$state/node$n.pid")" 2>/dev/null; then
        echo "cluster.sh: node $n died; its log:" >&2
        tail -50 "$state/node$n.log" >&2
        return 1
      fi
    done
    sleep 1
  done
  echo "cluster.sh: not green after $2 s: $health" >&2
  return 1
}

stop_node() {
  local n=$1 sig=${2:-TERM} pid
  [ -f "$state/node$n.pid" ] || return 0
  pid=$(cat "$state/node$n.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$state/node$n.pid"
}

case "${1:-}" in
  start)
    build
    for n in 1 2; do stop_node "$n"; done
    rm -rf "$state"
    mkdir -p "$state"
    choose_port
    echo "$port" >"$state/port"
    start_node 1
    start_node 2
    wait_green 2 180
    url ;;
  stop)
    for n in 2 1; do stop_node "$n"; done ;;
  start-node)
    start_node "$2"
    wait_green 2 180 ;;
  kill-node)
    stop_node "$2" KILL ;;
  url)
    url ;;
  *)
    sed -n '2,21p' "$0" >&2
    exit 2 ;;
esac
