#!/usr/bin/env bash
# Publishes the worker exactly as the container image is built (the Dockerfile runs this script), so CI
# can check the image's build stage without a Docker engine.
#   scripts/publish.sh OUTPUT_DIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:?usage: publish.sh OUTPUT_DIR}
dotnet publish src/ScanWorker/ScanWorker.csproj -c Release -o "$out" -p:UseAppHost=false -nologo
