#!/usr/bin/env bash
# The benchmark: queue and REST against a raw INSTREAM client on the same clamd, in one run, with the ratios and
# the CPU split (bench/e2e.sh), then the clamd client and the REST facade in-process with their allocations
# (bench/client.sh). Paste the printed tables into bench/RESULTS.md with the date and machine.
#   bash bench/run.sh            (knobs: see bench/e2e.sh and bench/client.sh; BENCH_CLIENT=0 skips the second part)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash bench/e2e.sh
if [[ ${BENCH_CLIENT:-1} != 0 ]]; then
  echo
  bash bench/client.sh
fi
