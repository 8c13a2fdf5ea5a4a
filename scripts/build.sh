#!/usr/bin/env bash
# The one build: the whole solution, Release, warnings as errors. Outputs go where UseArtifactsOutput
# (Directory.Build.props) puts them, named below, so no script spells out a bin folder.
#   bash scripts/build.sh [dotnet build arguments]    build (incremental: quick when nothing changed)
#   source scripts/build.sh                           only define the paths and build_solution
# (fuzz/run.sh builds the fuzz targets apart, with SharpFuzz's instrumentation; scripts/publish.sh publishes the worker
# as the image and the local run ship it, into $SCANWORKER_PUBLISH_DIR.)
scanworker_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SCANWORKER_WORKER_DIR=$scanworker_root/artifacts/bin/ScanWorker/release
export SCANWORKER_WORKER_DLL=$SCANWORKER_WORKER_DIR/ScanWorker.dll
export SCANWORKER_BENCH_DLL=$scanworker_root/artifacts/bin/ScanWorker.Bench/release/ScanWorker.Bench.dll
# The worker as it ships (ReadyToRun, scripts/publish.sh): what scripts/run-local.sh runs.
export SCANWORKER_PUBLISH_DIR=$scanworker_root/artifacts/publish/ScanWorker

build_solution() {
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build "$scanworker_root/ScanWorker.sln" -c Release -warnaserror -nologo "$@"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  build_solution "$@"
fi
