#!/usr/bin/env bash
# EVALSHA of a rate-limiter script (INCR + EXPIRE on its one declared key) on Jackdaw and the
# reference server, measured in one run, servers pinned to one core and redis-benchmark to
# another, alternating between the servers. Also a script making 10 redis.call per run, to
# show the cost per call. The figure to read is the ratio Jackdaw/reference; the CPU each
# server spent per request (user + system, from /proc) is printed beside it, being steadier
# than throughput on a shared machine. Both servers first get 1M requests of each script
# (unpipelined, then 16 deep): the JVM compiles the path on the server's own core, and a
# measurement taken before that is over counts the compiler (seen: 34 us of CPU per request
# in the first 200k requests of a fresh server, 11.7-15 us from 400k on).
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
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)
bench_once() { # port, pid, args...: "rps cpu_us_per_request" of one redis-benchmark run
  local port=$1 pid=$2; shift 2
  local t0 t1 r
  t0=$(cpu_ticks "$pid")
  r=$(taskset -c "$client_cpu" redis-benchmark -p "$port" -c 50 -n "$requests" -r "$keyspace" -q "$@" 2>/dev/null \
    | tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1)
  t1=$(cpu_ticks "$pid")
  echo "$r $(echo "($t1 - $t0) * 1000000 / $tck / $requests" | bc -l)"
}
jd_pid=${pids[0]}
ref_pid=${pids[1]}
printf '%-24s %11s %11s %6s %9s %9s\n' test jackdaw reference ratio 'jd cpu/r' 'ref cpu/r'
for name in limiter ten; do
  body=${!name}
  sha_j=$(redis-cli -p "$jd_port" script load "$body")
  sha_r=$(redis-cli -p "$ref_port" script load "$body")
  warm=$requests
  for pipe in 1 16; do
    requests=500000
    bench_once "$jd_port" "$jd_pid" -P "$pipe" evalsha "$sha_j" 1 "rl:__rand_int__" 60 >/dev/null
    bench_once "$ref_port" "$ref_pid" -P "$pipe" evalsha "$sha_r" 1 "rl:__rand_int__" 60 >/dev/null
  done
  requests=$warm
  for pipe in 1 16; do
    read -r j jc < <(bench_once "$jd_port" "$jd_pid" -P "$pipe" evalsha "$sha_j" 1 "rl:__rand_int__" 60)
    read -r r rc < <(bench_once "$ref_port" "$ref_pid" -P "$pipe" evalsha "$sha_r" 1 "rl:__rand_int__" 60)
    printf '%-24s %11s %11s %6.2f %7.2fus %7.2fus\n' "EVALSHA $name -P $pipe" "$j" "$r" "$(echo "$j / $r" | bc -l)" "$jc" "$rc"
  done
done
