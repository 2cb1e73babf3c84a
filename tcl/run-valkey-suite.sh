#!/usr/bin/env bash
# Runs files of Valkey's TCL suite in external-server mode against a fresh Jackdaw per file and
# prints ok/err/exception/skip counts. Needs a Valkey source tree you already have (this script
# fetches nothing): VALKEY_DIR=/path/to/valkey tcl/run-valkey-suite.sh unit/expire unit/keyspace
# Tests that need features of later issues are skipped by the patterns in
# tcl/skip-later-issues.txt, or SKIPFILE (docs/compatibility.md says why for each file).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${VALKEY_DIR:?set VALKEY_DIR to a Valkey source tree}"
port=${PORT:-7411}
# The harness's own clients listen from a base port: derive it from PORT so two runs side by side do not clash.
baseport=${BASEPORT:-$((21000 + (port % 100) * 100))}
skipfile=${SKIPFILE:-$root/tcl/skip-later-issues.txt}
for file in "$@"; do
  # A fresh directory per file: the suite's SAVE and DEBUG RELOAD write dump.rdb there, not here.
  datadir=$(mktemp -d /tmp/jackdaw-tcl-data.XXXXXX)
  "$root/bin/jackdaw-server" --port "$port" --enable-debug-command yes --dir "$datadir" >"/tmp/jackdaw-tcl-$port.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  out="/tmp/jackdaw-tcl-$(echo "$file" | tr / _).out"
  (cd "$VALKEY_DIR" && ./runtest --host 127.0.0.1 --port "$port" --baseport "$baseport" --single "$file" --tags -slow \
      --skipfile "$skipfile" 2>&1) | sed 's/\x1b\[[0-9;]*m//g' >"$out"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -rf "$datadir"
  echo "$file ok=$(grep -c '^\[ok\]' "$out") err=$(grep -c '^\[err\]' "$out")" \
    "exception=$(grep -c '^\[exception\]' "$out") skipped=$(grep -c '^\[skip\]' "$out")  ($out)"
  grep -E '^\[err\]|^\[exception\]' -A2 "$out" | head -20
done
