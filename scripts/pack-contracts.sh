#!/usr/bin/env bash
# Packs ScanWorker.Contracts as a NuGet package (docs/releasing.md) and checks what a .NET producer gets from it:
# the assembly with its XML docs and embedded symbols, the README, the Apache-2.0 license and the version MinVer gives
# this checkout (scripts/version.sh). Prints the package's path as its last line.
#   bash scripts/pack-contracts.sh [OUTPUT_DIR]      (default artifacts/packages)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-$PWD/artifacts/packages}
fail() { printf 'pack-contracts: FAIL %s\n' "$*" >&2; exit 1; }
version=$(bash scripts/version.sh)
rm -f "$out"/ScanWorker.Contracts.*.nupkg
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet pack src/Contracts/Contracts.csproj -c Release -o "$out" -nologo -v q -warnaserror >&2
package=$out/ScanWorker.Contracts.$version.nupkg
[[ -f $package ]] || fail "no $package (version $version from scripts/version.sh)"
listing=$(unzip -Z1 "$package")
for entry in lib/net10.0/ScanWorker.Contracts.dll lib/net10.0/ScanWorker.Contracts.xml README.md ScanWorker.Contracts.nuspec; do
  grep -qx "$entry" <<<"$listing" || fail "$entry is not in the package"
done
nuspec=$(unzip -p "$package" ScanWorker.Contracts.nuspec)
grep -q '<license type="expression">Apache-2.0</license>' <<<"$nuspec" || fail "the package names no Apache-2.0 license"
grep -q "<version>$version</version>" <<<"$nuspec" || fail "the package's version is not $version"
grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "the package has no readme"
printf 'pack-contracts: ok   ScanWorker.Contracts %s: assembly, XML docs, README, Apache-2.0\n' "$version" >&2
echo "$package"
