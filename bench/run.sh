#!/usr/bin/env bash
# Throughput and latency of Jackdaw against the reference server, measured in one run.
#
# Each server is pinned to one core (taskset), redis-benchmark to another; both servers stay
# up and the tests alternate between them, so drift on a shared machine hits both alike.
# The figure to read is the ratio Jackdaw/reference of each line, not the absolute numbers.
#
# Usage: bench/run.sh [-n requests] [-r keyspace] [-t seconds-of-warm-up]
# Env:   SERVER_CPU (default 0), CLIENT_CPU (default 1), REF_SERVER (default: redis-server on PATH)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

requests=200000
keyspace=1000000
warmup=400000
while getopts "n:r:w:" opt; do
  case $opt in
    n) requests=$OPTARG ;;
    r) keyspace=$OPTARG ;;
    w) warmup=$OPTARG ;;
    *) echo "usage: $0 [-n requests] [-r keyspace] [-w warm-up requests]" >&2; exit 2 ;;
  esac
done

ref_bin=${REF_SERVER:-$(command -v redis-server || true)}
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is needed (apt-get install redis-tools)" >&2; exit 1; }




jd_port=$(free_port)
taskset -c "$server_cpu" "$JAVA_HOME/bin/java" ${JACKDAW_JVM_OPTS:-$JACKDAW_DEFAULT_JVM_OPTS} \
  -jar "$jar" --port "$jd_port" --bind 127.0.0.1 --io-threads 1 --save "" >"$work/jackdaw.log" 2>&1 &
pids+=($!)
wait_port "$jd_port" || { cat "$work/jackdaw.log"; exit 1; }

ref_port=""
if [ -n "$ref_bin" ]; then
  ref_port=$(free_port)
  taskset -c "$server_cpu" "$ref_bin" --port "$ref_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$work" >"$work/ref.log" 2>&1 &
  pids+=($!)
  wait_port "$ref_port" || { cat "$work/ref.log"; exit 1; }
  ref_version=$(redis-cli -p "$ref_port" info server | sed -n 's/^redis_version:\(.*\)\r$/\1/p')
else
  echo "No reference server installed: printing Jackdaw's figures only." >&2
fi

bench() { # port test size pipeline -> "rps p50 p99 max"
  taskset -c "$client_cpu" redis-benchmark -p "$1" -t "$2" -d "$3" -P "$4" -c 50 -n "$requests" \
    -r "$keyspace" --csv 2>/dev/null | tr -d '"' | awk -F, 'NR==2 { print $2, $5, $7, $8 }'
}

# Warm-up: the JIT compiles the request path, and GET finds the keys SET made.
for size in 16 1024; do
  taskset -c "$client_cpu" redis-benchmark -p "$jd_port" -t set,get -d "$size" -P 16 -c 50 -n "$warmup" \
    -r "$keyspace" -q >/dev/null 2>&1
  [ -n "$ref_port" ] && taskset -c "$client_cpu" redis-benchmark -p "$ref_port" -t set -d "$size" -P 16 -c 50 \
    -n "$warmup" -r "$keyspace" -q >/dev/null 2>&1
done

printf '%-5s %6s %3s | %10s %7s %7s %7s | %10s %7s %7s %7s | %6s %6s\n' test size P \
  "jd rps" p50 p99 max "ref rps" p50 p99 max "rps x" "p99 x"
for pipeline in 1 16; do
  for size in 16 1024; do
    for test in set get; do
      read -r jr j50 j99 jmax <<<"$(bench "$jd_port" "$test" "$size" "$pipeline")"
      if [ -n "$ref_port" ]; then
        read -r rr r50 r99 rmax <<<"$(bench "$ref_port" "$test" "$size" "$pipeline")"
        ratio=$(awk -v a="$jr" -v b="$rr" 'BEGIN { printf "%.2f", a / b }')
        lat=$(awk -v a="$j99" -v b="$r99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      else
        rr="-"; r50="-"; r99="-"; rmax="-"; ratio="-"; lat="-"
      fi
      printf '%-5s %6s %3s | %10s %7s %7s %7s | %10s %7s %7s %7s | %6s %6s\n' \
        "$test" "$size" "$pipeline" "$jr" "$j50" "$j99" "$jmax" "$rr" "$r50" "$r99" "$rmax" "$ratio" "$lat"
    done
  done
done
echo "(latencies in ms; reference: ${ref_bin:-none} ${ref_version:-}; Jackdaw RSS: $(ps -o rss= -p "${pids[0]}") KiB;" \
  "reference RSS: $([ -n "$ref_port" ] && ps -o rss= -p "${pids[1]}" || echo -) KiB)"
