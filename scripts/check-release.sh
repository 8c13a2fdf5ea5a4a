#!/usr/bin/env bash
# A tagged commit is a versioned release (docs/releasing.md): in a throw-away clone, tag HEAD vX.Y.Z and check that
# MinVer says X.Y.Z (scripts/version.sh) and that the contracts package packed there is ScanWorker.Contracts.X.Y.Z
# with X.Y.Z in its assembly. (The image's labels and --version are checked by scripts/containers/image-check.sh,
# from the same scripts/version.sh.)
#   bash scripts/check-release.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fail() { printf 'check-release: FAIL %s\n' "$*" >&2; exit 1; }
clone=$(mktemp -d /tmp/scanworker-release.XXXXXX)
trap 'rm -rf "$clone"' EXIT
git clone -q . "$clone"
git -C "$clone" -c user.name=ci -c user.email=ci@localhost tag -a v9.8.7 -m "check-release" HEAD
version=$(bash "$clone/scripts/version.sh")
[[ $version == 9.8.7 ]] || fail "a commit tagged v9.8.7 is version '$version' (scripts/version.sh)"
package=$(bash "$clone/scripts/pack-contracts.sh" "$clone/artifacts/packages" 2>/dev/null | tail -n 1)
[[ $package == */ScanWorker.Contracts.9.8.7.nupkg ]] || fail "the contracts package of a v9.8.7 commit is '$package'"
assembly=$clone/artifacts/bin/Contracts/release/ScanWorker.Contracts.dll
grep -aq "9.8.7+$(git rev-parse HEAD)" "$assembly" || fail "ScanWorker.Contracts.dll does not carry 9.8.7+<commit>"
printf 'check-release: ok   a commit tagged v9.8.7 builds as 9.8.7 (MinVer), packs ScanWorker.Contracts.9.8.7 and stamps 9.8.7+<commit>\n'
