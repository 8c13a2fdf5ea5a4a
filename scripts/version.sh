#!/usr/bin/env bash
# The version of this checkout, as MinVer computes it from the nearest vX.Y.Z tag (docs/releasing.md): "1.2.0" on a
# tagged commit, "1.2.1-alpha.0.3" three commits after it, "0.0.0-alpha.0.N" before the first tag.
#   bash scripts/version.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet msbuild src/Contracts/Contracts.csproj -restore -nologo -v:q \
  -t:MinVer -getProperty:MinVerVersion
