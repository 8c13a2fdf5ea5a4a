#!/usr/bin/env bash
# Memory of the worker under the hostile inputs of the REST facade: starts clamd and an HTTP-only worker
# (Http__HeadersTimeout 5 s, MAX_FILE_SIZE 1M), lays out a hostile tree, runs bench/hostile_inputs.py and prints
# the worker's RSS after each step as a table for bench/RESULTS.md.
#   bash bench/hostile-memory.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=$(mktemp -d /tmp/scanworker-hostile.XXXXXX)
clamd_port=${BENCH_CLAMD_PORT:-3398}
http_port=${BENCH_HTTP_PORT:-9398}
export CLAMD_DIR=$dir/clamd CLAMD_TCP_PORT=$clamd_port CLAMD_STREAM_MAX=1M CLAMD_MAX_THREADS=4
worker=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [[ -n $worker ]] && kill "$worker" 2>/dev/null && wait "$worker" 2>/dev/null
  bash scripts/servers/stop-all.sh "$dir" >/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
bash scripts/servers/clamd.sh install >/dev/null
bash scripts/servers/clamd.sh start
# shellcheck source=scripts/build.sh
source scripts/build.sh
build_solution >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }

root=$dir/root
mkdir -p "$root/hostile/.hidden"
printf 'hello\n' >"$root/hostile/clean.txt"
printf 'hidden\n' >"$root/hostile/.hidden/a.txt"
ln -s / "$root/hostile/root"
ln -s .. "$root/hostile/up"
ln -s . "$root/hostile/self"

(cd "$SCANWORKER_WORKER_DIR" && exec env -i PATH="$PATH" HOME="$HOME" Messaging__Enabled=false \
  CLAMD_PORT="tcp://127.0.0.1:$clamd_port" PORT="$http_port" MAX_FILE_SIZE=1M Http__ScanRoots__0="$root" \
  Http__HeadersTimeout=00:00:05 Logging__LogLevel__Default=Warning dotnet ScanWorker.dll) &
worker=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$http_port/health/live" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "worker pid $worker on port $http_port, $(nproc) cores, $(date -u +%Y-%m-%d)"
/usr/bin/python3 bench/hostile_inputs.py "$http_port" "$worker" "$root"
