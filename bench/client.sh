#!/usr/bin/env bash
# Benchmarks the clamd client against a real clamd (1 GiB stream limit, 4 threads) started here.
#   bash bench/client.sh [large MB] [small count] [concurrency]
# Paste the printed table into bench/RESULTS.md with the date and machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=$(mktemp -d /tmp/scanworker-bench.XXXXXX)
port=${BENCH_CLAMD_PORT:-3399}
export CLAMD_DIR=$dir/clamd CLAMD_TCP_PORT=$port CLAMD_STREAM_MAX=1024M CLAMD_MAX_THREADS=4
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { bash scripts/servers/stop-all.sh "$dir" >/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
bash scripts/servers/clamd.sh install >/dev/null
bash scripts/servers/clamd.sh start
dotnet run --project bench/ScanWorker.Bench -c Release -- "tcp://127.0.0.1:$port" "$@"
