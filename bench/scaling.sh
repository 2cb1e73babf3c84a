#!/usr/bin/env bash
# Multi-core scaling: SET/GET throughput of Jackdaw with io-threads N pinned to N cores
# (N = 1, 2, 4, 8), and of the reference redis-server on one core, under redis-benchmark
# (8 threads, 200 clients, random keys) pinned to the upper half of the machine's cores.
# Meant for the 16-core device machine, which has no JDK: DIR holds what to run there:
#   DIR/jre (a jlink runtime), DIR/jackdaw.jar and DIR/lib, DIR/bin/{redis-server,redis-benchmark,redis-cli},
#   DIR/so (their shared libraries).
# Usage: bench/scaling.sh DIR [requests]
set -uo pipefail
dir=$1
n=${2:-2000000}
export LD_LIBRARY_PATH="$dir/so${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cores=$(nproc)
half=$((cores / 2))
client_cpus="$half-$((cores - 1))"
opts="-XX:+UseCompactObjectHeaders -XX:+UseG1GC -XX:G1HeapRegionSize=2m -Xms4g -Xmx4g -XX:+AlwaysPreTouch"
bench() { # port pipeline test
  taskset -c "$client_cpus" "$dir/bin/redis-benchmark" -p "$1" -t "$3" -n "$n" -r 1000000 -d 16 -c 200 \
    --threads 8 -P "$2" --csv 2>/dev/null | awk -F, 'NR > 1 { gsub(/"/, ""); print $1, "rps=" $2, "p50=" $5, "p99=" $7 }'
}
wait_port() { for _ in $(seq 1 200); do "$dir/bin/redis-cli" -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
run_all() { # label port
  for p in 1 16; do
    taskset -c "$client_cpus" "$dir/bin/redis-benchmark" -p "$2" -t set -n 500000 -r 1000000 -d 16 -c 200 --threads 8 -P 16 -q >/dev/null 2>&1
    for t in set get; do echo "$1 P=$p $(bench "$2" "$p" "$t")"; done
  done
}
echo "cores=$cores client_cpus=$client_cpus requests=$n"
for threads in 1 2 4 8; do
  [ "$threads" -le "$half" ] || continue
  port=$((7600 + threads))
  taskset -c "0-$((threads - 1))" "$dir/jre/bin/java" $opts --enable-native-access=ALL-UNNAMED -jar "$dir/jackdaw.jar" \
    --port "$port" --bind 127.0.0.1 --io-threads "$threads" --save "" >"/tmp/jackdaw-scaling-$threads.log" 2>&1 &
  pid=$!
  wait_port "$port" && run_all "jackdaw io-threads=$threads" "$port"
  kill "$pid"; wait "$pid" 2>/dev/null
done
taskset -c 0 "$dir/bin/redis-server" --port 7699 --bind 127.0.0.1 --save "" --appendonly no >/tmp/redis-scaling.log 2>&1 &
pid=$!
wait_port 7699 && run_all "redis-server 1 core" 7699
kill "$pid"; wait "$pid" 2>/dev/null
