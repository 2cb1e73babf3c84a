# Sourced by the bench scripts: the JDK, a current jar, free ports, servers started in the
# background and stopped on exit. Sets root, jar, work (a scratch directory) and pids.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk-env.sh"
jackdaw_ensure_jar "$root"
jar="$root/target/jackdaw.jar"
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

work=$(mktemp -d)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap 'stop_all; rm -rf "$work"' EXIT
