#!/usr/bin/env bash
# Builds the container image of this checkout with its version (docs/releasing.md): the version from git tags
# (scripts/version.sh), stamped into the assemblies, the OCI labels and the start-up log, and the image tagged with it.
#   bash scripts/release-image.sh [IMAGE_NAME]      (default scanworker; prints the tag it built)
# Knobs: CONTAINER_ENGINE (podman, else docker), RELEASE_BUILD_ARGS (more arguments for the build, e.g. --network=host).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name=${1:-scanworker}
engine=${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
version=$(bash scripts/version.sh)
revision=$(git rev-parse HEAD)
[[ -n $version ]] || { echo "release-image: MinVer gave no version" >&2; exit 1; }
# shellcheck disable=SC2086 # RELEASE_BUILD_ARGS is a list of arguments
"$engine" build ${RELEASE_BUILD_ARGS:-} --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
  -t "$name:$version" -f Dockerfile . >&2
echo "$name:$version"
