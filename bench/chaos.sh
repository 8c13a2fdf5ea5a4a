#!/usr/bin/env bash
# The fault run (bench/chaos.py): a 3-node RabbitMQ cluster, competing workers, faults, every result checked.
#   bench/chaos.sh [--messages N] [--workers N] [--no-faults]      (CI: --messages 2000; by hand: 10000)
# Installs what is missing, builds the worker, runs the harness; its last line is the verdict and its exit
# status is 1 on any loss, false clean or conflict.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-prerequisites.sh >/dev/null
# shellcheck source=scripts/build.sh
source scripts/build.sh
build_solution -v quiet >/dev/null
export WORKER_DLL=$SCANWORKER_WORKER_DLL
BENCH_DIR=$(mktemp -d /tmp/scanworker-chaos.XXXXXX)
export BENCH_DIR
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { bash scripts/servers/stop-all.sh "$BENCH_DIR" >/dev/null 2>&1 || true; rm -rf "$BENCH_DIR"; }
trap cleanup EXIT
# Debian's python3 has pika (installed above); a python3 earlier on PATH may not.
/usr/bin/python3 bench/chaos.py "$@"
