#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test against real RabbitMQ,
# clamd and S3 servers, which the test fixture starts on free loopback ports and stops at the end.
# Prints "N passed, M failed" (from the TRX results) as its last line; exits non-zero on any failure.
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Clamd]
# Knobs: SCANWORKER_TEST_RESULTS (TRX dir, default artifacts/test-results),
#        SCANWORKER_SERVERS_DIR (server data dirs, default a fresh temp dir),
#        SCANWORKER_TEST_SERVERS=auto|containers|processes (where RabbitMQ comes from; README, "Tests on containers"),
#        SCANWORKER_TEST_CLAMD / _AMQP / _S3 ... to use servers you run yourself (see README).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
results=${SCANWORKER_TEST_RESULTS:-$PWD/artifacts/test-results}
export SCANWORKER_TEST_RESULTS=$results # the fixture writes servers.log and servers-used.tsv there
export SCANWORKER_SERVERS_DIR=${SCANWORKER_SERVERS_DIR:-$(mktemp -d /tmp/scanworker-tests.XXXXXX)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  # The fixture stops its servers itself; this catches a run that was killed before it could.
  bash scripts/servers/stop-all.sh "$SCANWORKER_SERVERS_DIR" >/dev/null 2>&1 || true
  rm -rf "$SCANWORKER_SERVERS_DIR"
}
trap cleanup EXIT

logs=$(mktemp -d /tmp/scanworker-setup.XXXXXX)
# apt/npm and the build do not depend on each other: run them side by side.
bash scripts/install-prerequisites.sh >"$logs/install.log" 2>&1 &
install_pid=$!
dotnet build ScanWorker.sln -c Release -warnaserror >"$logs/build.log" 2>&1 &
build_pid=$!
wait "$install_pid" || { cat "$logs/install.log" >&2; echo "0 passed, 1 failed (prerequisites could not be installed)"; exit 1; }
wait "$build_pid" || { grep -E 'error|warn' "$logs/build.log" >&2 || cat "$logs/build.log" >&2; echo "0 passed, 1 failed (build failed)"; exit 1; }
tail -n 3 "$logs/build.log"

rm -rf "$results"
timeout --signal=INT --kill-after=60 45m \
  dotnet test ScanWorker.sln -c Release --no-build --logger trx --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

# How many tests used each server from where (the fixture printed each choice as it made it; both are
# kept in $results: servers.log, servers-used.tsv).
if [[ -f $results/servers-used.tsv ]]; then
  cut -f1,2 "$results/servers-used.tsv" | sort | uniq -c | awk '{ printf "test servers: %d tests used %s from %s\n", $1, $2, $3 }'
fi

# The closing line CI reads, summed over every TRX file written.
summary=$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  function count(name) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) : 0 }
  { passed += count("passed"); failed += count("failed") + count("error") + count("timeout") + count("aborted") }
  END { if (NR) printf "%d passed, %d failed", passed, failed }')
if [[ -z $summary ]]; then
  summary="0 passed, 1 failed (no test results were written)"
  (( status != 0 )) || status=1
fi
echo "$summary"
exit "$status"
