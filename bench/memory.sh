#!/usr/bin/env bash
# Bytes per key: resident memory growth of Jackdaw and of the reference server for the
# same data: DEBUG POPULATE N (keys "key:<n>", values "value:<n>", or -d bytes each), or with
# -t hash N hashes "hash:<n>" of 10 small fields (f0..f9 = "v<n>-<i>"), loaded by redis-cli --pipe.
# Jackdaw's figure is taken after a full GC (jcmd GC.run), so it counts live data only:
# heap, off-heap and JVM alike, as the OS sees them.
#
# Usage: bench/memory.sh [-n keys] [-d value-size] [-t string|hash]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
keys=1000000
size=0
kind=string
while getopts "n:d:t:" opt; do
  case $opt in
    n) keys=$OPTARG ;;
    d) size=$OPTARG ;;
    t) kind=$OPTARG ;;
    *) echo "usage: $0 [-n keys] [-d value-size] [-t string|hash]" >&2; exit 2 ;;
  esac
done
rss() { ps -o rss= -p "$1" | tr -d ' '; }
populate() { # port
  if [ "$kind" = hash ]; then redis-cli -p "$1" --pipe <"$work/hashes.resp" >/dev/null; return; fi
  if [ "$size" -gt 0 ]; then redis-cli -p "$1" debug populate "$keys" key "$size" >/dev/null
  else redis-cli -p "$1" debug populate "$keys" >/dev/null; fi
}
if [ "$kind" = hash ]; then
  python3 - "$keys" >"$work/hashes.resp" <<'PY'
import sys
out = sys.stdout.buffer
def cmd(*args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
for n in range(int(sys.argv[1])):
    args = [b"HSET", b"hash:%d" % n]
    for i in range(10):
        args += [b"f%d" % i, b"v%d-%d" % (n, i)]
    cmd(*args)
PY
fi

jd_port=$(free_port)
"$JAVA_HOME/bin/java" ${JACKDAW_JVM_OPTS:-$JACKDAW_DEFAULT_JVM_OPTS} -jar "$jar" \
  --port "$jd_port" --bind 127.0.0.1 --io-threads 1 --save "" --enable-debug-command yes >"$work/jd.log" 2>&1 &
jd_pid=$!
pids+=($jd_pid)
wait_port "$jd_port"
"$JAVA_HOME/bin/jcmd" "$jd_pid" GC.run >/dev/null
sleep 1
jd_before=$(rss "$jd_pid")
populate "$jd_port"
"$JAVA_HOME/bin/jcmd" "$jd_pid" GC.run >/dev/null
sleep 1
jd_after=$(rss "$jd_pid")
jd_used=$(redis-cli -p "$jd_port" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
jd_dataset=$(redis-cli -p "$jd_port" info memory | sed -n 's/^used_memory_dataset:\([0-9]*\).*/\1/p')
echo "jackdaw:   RSS +$(( (jd_after - jd_before) * 1024 / keys )) bytes/key  (RSS ${jd_before} -> ${jd_after} KiB;" \
  "used_memory_dataset $(( jd_dataset / keys )) bytes/key, used_memory ${jd_used})"

if command -v redis-server >/dev/null; then
  ref_port=$(free_port)
  redis-server --port "$ref_port" --bind 127.0.0.1 --save "" --appendonly no --enable-debug-command yes --dir "$work" >"$work/ref.log" 2>&1 &
  ref_pid=$!
  pids+=($ref_pid)
  wait_port "$ref_port"
  ref_before=$(rss "$ref_pid")
  populate "$ref_port"
  ref_after=$(rss "$ref_pid")
  ref_used=$(redis-cli -p "$ref_port" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
  echo "reference: RSS +$(( (ref_after - ref_before) * 1024 / keys )) bytes/key  (RSS ${ref_before} -> ${ref_after} KiB;" \
    "used_memory ${ref_used}; $(redis-server --version | cut -d' ' -f1-3))"
  awk -v a="$(( jd_after - jd_before ))" -v b="$(( ref_after - ref_before ))" \
    'BEGIN { printf "ratio jackdaw/reference bytes per key: %.2f\n", a / b }'
fi
