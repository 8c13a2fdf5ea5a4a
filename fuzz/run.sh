#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Fuzzes ScanWorker's byte parsers with AFL++ (Debian's afl++) through SharpFuzz, each target for a bounded time,
# starting from the corpus kept in fuzz/corpus/<target>. Fails when AFL found a crash: the crashing inputs are
# copied to fuzz/crashes/<target>/ (commit them: the tests replay every file there as a regression test).
#   bash fuzz/run.sh [seconds per target, default 60] [target ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SERVER_NAME=fuzz
# shellcheck source=../scripts/servers/lib.sh
source scripts/servers/lib.sh
seconds=${1:-60}
shift || true
targets=("$@")
(( ${#targets[@]} )) || targets=(clamd-reply bucket-event scan-id h2-preface)
if [[ -n ${SCANWORKER_FUZZ_DIR:-} ]]; then
  work=$SCANWORKER_FUZZ_DIR
else
  work=$(mktemp -d /tmp/scanworker-fuzz.XXXXXX)
  # shellcheck disable=SC2317 # called by the EXIT trap
  cleanup() { rm -rf "$work"; }
  trap cleanup EXIT
fi
tools=${SCANWORKER_FUZZ_TOOLS:-/tmp/scanworker-fuzz-tools}

command -v afl-fuzz >/dev/null || apt_install afl++
if [[ ! -x $tools/sharpfuzz ]]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

out=$work/build
dotnet build fuzz/ScanWorker.Fuzz -c Release -o "$out" -warnaserror >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
# SharpFuzz instruments the assembly under test so AFL sees which branches an input reaches.
"$tools/sharpfuzz" "$out/ScanWorker.dll" >/dev/null

# A fuzzing box, not a tuned one: no core_pattern or CPU governor changes, no UI, stop after the time given.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  AFL_QUIET=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
crashed=0
for target in "${targets[@]}"; do
  [[ -d fuzz/corpus/$target ]] || die "no corpus for target '$target' in fuzz/corpus"
  findings=$work/findings/$target
  rm -rf "$findings"; mkdir -p "$work/findings"
  log "fuzzing $target for ${seconds}s"
  timeout --kill-after=30 $(( seconds + 120 )) afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -V "$seconds" -t 5000 -m none \
    -- dotnet "$out/ScanWorker.Fuzz.dll" "$target" >"$work/$target.log" 2>&1 || { tail -n 30 "$work/$target.log" >&2; die "afl-fuzz failed for $target"; }
  stats=$findings/default/fuzzer_stats
  execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$stats" 2>/dev/null || echo 0)
  paths=$(awk -F' *: *' '$1 == "corpus_count" { print $2 }' "$stats" 2>/dev/null || echo 0)
  mapfile -t crashes < <(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null)
  log "$target: ${execs:-0} executions, ${paths:-0} inputs in the queue, ${#crashes[@]} crashes"
  if (( ${#crashes[@]} )); then
    mkdir -p "fuzz/crashes/$target"
    for crash in "${crashes[@]}"; do cp "$crash" "fuzz/crashes/$target/$(basename "$crash" | tr ':,' '__')"; done
    crashed=1
  fi
done
(( crashed == 0 )) || die "crashes found: see fuzz/crashes/ (the tests replay them: bash scripts/test.sh fast --filter FullyQualifiedName~FuzzCorpus)"
log "no crashes"
