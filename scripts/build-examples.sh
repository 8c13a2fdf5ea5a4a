#!/usr/bin/env bash
# Builds the producer samples the tests run against a real worker (tests/ScanWorker.Tests/Messaging/ProducerSampleTests):
#   examples/dotnet  MassTransit, consuming ScanWorker.Contracts as a package from the local feed scripts/pack-contracts.sh
#                    writes (artifacts/packages), built into artifacts/examples/dotnet
#   examples/node    amqplib, installed from its package-lock.json (npm ci)
#   examples/scan-request.py needs only python3-pika (scripts/install-prerequisites.sh).
#   bash scripts/build-examples.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
package=$(bash scripts/pack-contracts.sh | tail -n 1)
version=${package##*/ScanWorker.Contracts.}
version=${version%.nupkg}
# The same version number is packed again by every uncommitted change: never restore a stale copy.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/scanworker.contracts/$version"
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build examples/dotnet/ScanRequestProducer.csproj -c Release -nologo -v q \
  -p:ScanWorkerContractsVersion="$version" -o artifacts/examples/dotnet >&2
(cd examples/node && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "build-examples: examples/dotnet (ScanWorker.Contracts $version) and examples/node (amqplib) built" >&2
