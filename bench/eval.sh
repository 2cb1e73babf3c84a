#!/usr/bin/env bash
# EVALSHA of a rate-limiter script (INCR + EXPIRE on its one declared key) on Jackdaw and the
# reference server, measured in one run, servers pinned to one core and redis-benchmark to
# another, alternating between the servers. Also a script making 10 redis.call per run, to
# show the cost per call. The figure to read is the ratio Jackdaw/reference.
#
# Usage: bench/eval.sh [-n requests] [-r keyspace]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

requests=200000
keyspace=100000
while getopts "n:r:" opt; do
  case $opt in
    n) requests=$OPTARG ;;
    r) keyspace=$OPTARG ;;
    *) echo "usage: $0 [-n requests] [-r keyspace]" >&2; exit 2 ;;
  esac
done


jd_port=$(free_port)
taskset -c "$server_cpu" "$JAVA_HOME/bin/java" ${JACKDAW_JVM_OPTS:-$JACKDAW_DEFAULT_JVM_OPTS} \
  -jar "$jar" --port "$jd_port" --bind 127.0.0.1 --io-threads 1 --save "" >"$work/jackdaw.log" 2>&1 &
pids+=($!)
wait_port "$jd_port" || { cat "$work/jackdaw.log"; exit 1; }
ref_port=$(free_port)
taskset -c "$server_cpu" redis-server --port "$ref_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/ref.log" 2>&1 &
pids+=($!)
wait_port "$ref_port" || { cat "$work/ref.log"; exit 1; }

limiter="local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end return n"
ten="for i = 1, 10 do redis.call('incr', KEYS[1]) end return 1"
rps() { # port, args...: requests per second of one redis-benchmark run
  local port=$1; shift
  taskset -c "$client_cpu" redis-benchmark -p "$port" -c 50 -n "$requests" -r "$keyspace" -q "$@" 2>/dev/null \
    | tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1
}
printf '%-28s %12s %12s %7s\n' test jackdaw reference ratio
for name in limiter ten; do
  body=${!name}
  sha_j=$(redis-cli -p "$jd_port" script load "$body")
  sha_r=$(redis-cli -p "$ref_port" script load "$body")
  for pipe in 1 16; do
    rps "$jd_port" -P "$pipe" evalsha "$sha_j" 1 "rl:__rand_int__" 60 >/dev/null # warm-up
    rps "$ref_port" -P "$pipe" evalsha "$sha_r" 1 "rl:__rand_int__" 60 >/dev/null
    j=$(rps "$jd_port" -P "$pipe" evalsha "$sha_j" 1 "rl:__rand_int__" 60)
    r=$(rps "$ref_port" -P "$pipe" evalsha "$sha_r" 1 "rl:__rand_int__" 60)
    printf '%-28s %12s %12s %7.2f\n' "EVALSHA $name -P $pipe" "$j" "$r" "$(echo "$j / $r" | bc -l)"
  done
done
