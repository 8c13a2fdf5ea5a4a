#!/usr/bin/env bash
# Publishes the worker as it ships: the container image (the Dockerfile runs this script) and the local run
# (scripts/run-local.sh). ReadyToRun for the runtime this SDK runs on, so a new process starts from precompiled code
# instead of JIT-compiling its hot paths under its first load (bench/RESULTS.md, 2026-12-07: the cold row). Its
# intermediate files go to artifacts/publish-build, apart from the solution build's, which stays portable.
#   scripts/publish.sh OUTPUT_DIR [dotnet publish arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:?usage: publish.sh OUTPUT_DIR [dotnet publish arguments]}; shift
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish src/ScanWorker/ScanWorker.csproj -c Release -o "$out" -nologo \
  --use-current-runtime --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false --artifacts-path artifacts/publish-build "$@"
