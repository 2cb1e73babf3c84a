#!/usr/bin/env bash
# What persistence costs clients, Jackdaw against the reference server in one run.
#
# 1. SET throughput with appendonly yes and appendfsync everysec (16 B values, unpipelined
#    and -P 16), both servers writing their AOF into their own directory.
# 2. BGSAVE of KEYS keys (DEBUG POPULATE, 100 B values) while redis-benchmark SETs run:
#    redis-benchmark runs in chunks of CHUNK requests; the chunks that start and end while
#    rdb_bgsave_in_progress is 1 are "during the save", the same number of chunks without a
#    save are the baseline. Prints rps and p99 of both and the save's duration.
#
# Each server is pinned to one core (taskset, with every thread it starts: Jackdaw's snapshot
# writer and Redis's fork child share the server's core), redis-benchmark to another.
#
# Usage: bench/persistence.sh [-n requests] [-k keys] [-c chunk] [-p aof|bgsave|all]
# Env:   SERVER_CPU (default 0), CLIENT_CPU (default 1), REF_SERVER (default: redis-server on PATH)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

requests=200000
keys=1000000
chunk=2000
part=all
while getopts "n:k:c:p:" opt; do
  case $opt in
    n) requests=$OPTARG ;;
    k) keys=$OPTARG ;;
    c) chunk=$OPTARG ;;
    p) part=$OPTARG ;;
    *) echo "usage: $0 [-n requests] [-k keys] [-c chunk] [-p aof|bgsave|all]" >&2; exit 2 ;;
  esac
done
ref_bin=${REF_SERVER:-$(command -v redis-server || true)}
[ -n "$ref_bin" ] || { echo "the reference redis-server is needed" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is needed (apt-get install redis-tools)" >&2; exit 1; }



start_jackdaw() { # port dir extra...
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  taskset -c "$server_cpu" "$JAVA_HOME/bin/java" ${JACKDAW_JVM_OPTS:-$JACKDAW_DEFAULT_JVM_OPTS} -jar "$jar" --port "$port" \
    --bind 127.0.0.1 --io-threads 1 --save "" --dir "$dir" --enable-debug-command yes "$@" >"$dir/log" 2>&1 &
  pids+=($!)
  wait_port "$port" || { cat "$dir/log"; exit 1; }
}
start_ref() { # port dir extra...
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  taskset -c "$server_cpu" "$ref_bin" --port "$port" --bind 127.0.0.1 --save "" --dir "$dir" --enable-debug-command yes \
    "$@" >"$dir/log" 2>&1 &
  pids+=($!)
  wait_port "$port" || { cat "$dir/log"; exit 1; }
}

bench() { # port pipeline n -> "rps p99"
  taskset -c "$client_cpu" redis-benchmark -p "$1" -t set -d 16 -P "$2" -c 50 -n "$3" -r 1000000 --csv 2>/dev/null \
    | tr -d '"' | awk -F, 'NR==2 { print $2, $7 }'
}

if [ "$part" != bgsave ]; then
echo "== SET with appendonly yes, appendfsync everysec ($requests requests, 16 B values, 50 clients)"
jd=$(free_port); ref=$(free_port)
start_jackdaw "$jd" "$work/jd-aof" --appendonly yes --appendfsync everysec
start_ref "$ref" "$work/ref-aof" --appendonly yes --appendfsync everysec
for p in "$jd" "$ref"; do bench "$p" 16 400000 >/dev/null; done # warm-up
printf '%-3s | %10s %7s | %10s %7s | %6s %6s\n' P "jd rps" p99 "ref rps" p99 "rps x" "p99 x"
for pipeline in 1 16; do
  read -r jr j99 <<<"$(bench "$jd" "$pipeline" "$requests")"
  read -r rr r99 <<<"$(bench "$ref" "$pipeline" "$requests")"
  printf '%-3s | %10.0f %7.3f | %10.0f %7.3f | %6.2f %6.2f\n' "$pipeline" "$jr" "$j99" "$rr" "$r99" \
    "$(echo "$jr / $rr" | bc -l)" "$(echo "$j99 / $r99" | bc -l)"
done
stop_all
fi

in_progress() { redis-cli -p "$1" info persistence | grep -q '^rdb_bgsave_in_progress:1'; }

# Runs chunks while a save is under way (or, for the baseline, a given number of chunks);
# prints "chunks rps-mean p99-max save-seconds".
chunks_during_save() { # port
  local port=$1 n=0 sum=0 worst=0 t0 r p
  redis-cli -p "$port" bgsave >/dev/null
  t0=$(date +%s.%N)
  while in_progress "$port"; do
    read -r r p <<<"$(bench "$port" 1 "$chunk")"
    if in_progress "$port"; then
      n=$((n + 1)); sum=$(echo "$sum + $r" | bc -l)
      worst=$(echo "if ($p > $worst) $p else $worst" | bc -l)
    fi
  done
  local secs; secs=$(echo "$(date +%s.%N) - $t0" | bc -l)
  [ "$n" -gt 0 ] || { echo "0 0 0 $secs"; return; }
  echo "$n $(echo "$sum / $n" | bc -l) $worst $secs"
}
chunks_baseline() { # port count
  local port=$1 count=$2 sum=0 worst=0 r p
  for _ in $(seq 1 "$count"); do
    read -r r p <<<"$(bench "$port" 1 "$chunk")"
    sum=$(echo "$sum + $r" | bc -l); worst=$(echo "if ($p > $worst) $p else $worst" | bc -l)
  done
  echo "$(echo "$sum / $count" | bc -l) $worst"
}

[ "$part" = aof ] && exit 0
echo
echo "== BGSAVE of $keys keys (100 B values) under unpipelined SETs, chunks of $chunk requests"
printf '%-9s | %6s %10s %8s | %10s %8s | %6s %6s | %7s\n' server chunks "rps save" "p99 save" "rps base" "p99 base" \
  "rps x" "p99 x" "save s"
for who in jackdaw reference; do
  port=$(free_port)
  if [ "$who" = jackdaw ]; then start_jackdaw "$port" "$work/jd-rdb"; else start_ref "$port" "$work/ref-rdb"; fi
  redis-cli -p "$port" debug populate "$keys" key 100 >/dev/null
  bench "$port" 1 200000 >/dev/null # warm-up
  read -r n rs ps secs <<<"$(chunks_during_save "$port")"
  [ "$n" -gt 0 ] || { printf '%-9s | save took %.2f s, shorter than one chunk: use -c smaller or -k larger\n' "$who" "$secs"; stop_all; continue; }
  read -r rb pb <<<"$(chunks_baseline "$port" "$n")"
  printf '%-9s | %6d %10.0f %8.3f | %10.0f %8.3f | %6.2f %6.2f | %7.2f\n' "$who" "$n" "$rs" "$ps" "$rb" "$pb" \
    "$(echo "$rs / $rb" | bc -l)" "$(echo "$ps / $pb" | bc -l)" "$secs"
  stop_all
done
