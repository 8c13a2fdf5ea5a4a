#!/usr/bin/env bash
# The test command. Two tiers (docs/testing.md):
#   fast     specifications with no server: pure rules, byte parsers, MassTransit's in-memory harness, the worker's
#            Program on WebApplicationFactory, fakes. Needs only the .NET SDK; about a minute.
#   servers  every test marked [RealServers]: real RabbitMQ, clamd and S3 servers, which the test fixture starts on free
#            loopback ports and stops at the end (installed here first: apt, npm).
#   all      (the default) fast, then servers; the installs run beside the build and the fast tier.
# Prints "N passed, M failed" (from the TRX results) as its last line; exits non-zero on any failure.
#   scripts/test.sh [fast|servers|all] [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Clamd]
# Knobs: SCANWORKER_TEST_RESULTS (TRX dir, default artifacts/test-results),
#        SCANWORKER_SERVERS_DIR (server data dirs, default a fresh temp dir),
#        SCANWORKER_TEST_SERVERS=auto|containers|processes (where RabbitMQ comes from; docs/testing.md),
#        SCANWORKER_TEST_CLAMD / _AMQP / _S3 ... to use servers you run yourself (docs/testing.md).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
tier=all
case ${1:-} in fast | servers | all) tier=$1; shift ;; esac
results=${SCANWORKER_TEST_RESULTS:-$PWD/artifacts/test-results}
export SCANWORKER_TEST_RESULTS=$results # the fixture writes servers.log and servers-used.tsv there
export SCANWORKER_SERVERS_DIR=${SCANWORKER_SERVERS_DIR:-$(mktemp -d /tmp/scanworker-tests.XXXXXX)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# shellcheck source=scripts/build.sh
source scripts/build.sh

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  # The fixture stops its servers itself; this catches a run that was killed before it could.
  bash scripts/servers/stop-all.sh "$SCANWORKER_SERVERS_DIR" >/dev/null 2>&1 || true
  rm -rf "$SCANWORKER_SERVERS_DIR"
}
trap cleanup EXIT
summary_of() { # summary_of TRX-FILES...: their "N passed, M failed"
  cat "$@" 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    function count(name) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) : 0 }
    { passed += count("passed"); failed += count("failed") + count("error") + count("timeout") + count("aborted") }
    END { if (NR) printf "%d passed, %d failed", passed, failed }'
}

logs=$(mktemp -d /tmp/scanworker-setup.XXXXXX)
install_pid=
if [[ $tier != fast ]]; then
  # apt/npm and the build do not depend on each other: run them side by side.
  bash scripts/install-prerequisites.sh >"$logs/install.log" 2>&1 &
  install_pid=$!
fi
started=$SECONDS
build_solution >"$logs/build.log" 2>&1 || {
  grep -E 'error|warn' "$logs/build.log" >&2 || cat "$logs/build.log" >&2; echo "0 passed, 1 failed (build failed)"; exit 1; }
echo "test.sh: build $(( SECONDS - started )) s"

rm -rf "$results"
status=0
run_tier() { # run_tier NAME FILTER [env...]: one dotnet test run into $results/NAME
  local name=$1 filter=$2; shift 2
  [[ -z $user_filter ]] || filter="($filter)&($user_filter)"
  local begun=$SECONDS
  env "$@" timeout --signal=INT --kill-after=60 45m \
    dotnet test ScanWorker.sln -c Release --no-build --filter "$filter" --logger trx --logger "console;verbosity=normal" \
    --results-directory "$results/$name" "${extra[@]}" || status=1
  echo "test.sh: $name tier $(( SECONDS - begun )) s: $(summary_of "$results/$name"/*.trx)"
}
# A --filter given to this script narrows each tier's own.
extra=() user_filter=
while (( $# )); do
  if [[ $1 == --filter && $# -gt 1 ]]; then user_filter=$2; shift 2; else extra+=("$1"); shift; fi
done
if [[ $tier != servers ]]; then
  run_tier fast "Tier!=RealServers" SCANWORKER_TEST_TIER=fast
fi
if [[ $tier != fast ]]; then
  wait "$install_pid" || { cat "$logs/install.log" >&2; echo "0 passed, 1 failed (prerequisites could not be installed)"; exit 1; }
  # The producer samples in three languages run against the real worker in this tier (npm comes with the prerequisites).
  bash scripts/build-examples.sh >"$logs/examples.log" 2>&1 || {
    cat "$logs/examples.log" >&2; echo "0 passed, 1 failed (the producer samples could not be built)"; exit 1; }
  run_tier servers "Tier=RealServers"
fi

# How many tests used each server from where (the fixture printed each choice as it made it; both are
# kept in $results: servers.log, servers-used.tsv).
if [[ -f $results/servers-used.tsv ]]; then
  cut -f1,2 "$results/servers-used.tsv" | sort | uniq -c | awk '{ printf "test servers: %d tests used %s from %s\n", $1, $2, $3 }'
fi

# Each failed test by name, with the head of its message, stack and output, next to the closing line, so a log's
# tail says what failed and why (the whole text is above and in the TRX files).
python3 scripts/trx-failures.py "$results"/*/*.trx 2>/dev/null || true

# The closing line CI reads, summed over every TRX file written.
summary=$(summary_of "$results"/*/*.trx)
if [[ -z $summary ]]; then
  summary="0 passed, 1 failed (no test results were written)"
  (( status != 0 )) || status=1
fi
echo "$summary"
exit "$status"
