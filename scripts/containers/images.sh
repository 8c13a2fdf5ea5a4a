#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds, on the engine of engine.sh, the images the tests and the image check need, from Debian
# packages, because no image registry is reachable on these machines:
#   local/debian:bookworm            debootstrap (minbase) of the apt mirror this machine uses
#   local/rabbitmq:test              Debian's rabbitmq-server (rabbitmq/Dockerfile)
#   mcr.microsoft.com/dotnet/sdk:10.0, mcr.microsoft.com/dotnet/aspnet:10.0
#                                    STAND-INS tagged with the official names (dotnet-standin/), made from
#                                    this machine's .NET SDK, so the project's Dockerfile builds unchanged
#   images.sh [all | base | rabbitmq | dotnet]      (an image that already exists is kept)
set -euo pipefail
export SERVER_NAME=images
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../servers/lib.sh
source "$here/../servers/lib.sh"
eval "$(bash "$here/engine.sh" env)"
W=${SCANWORKER_ENGINE_DIR:-/tmp/scanworker-engine}

exists() { podman image exists "$1"; }

# A build context with the host's apt sources (and CA certificates), so apt and NuGet inside a build reach
# the same mirror and proxy as the host.
context() {
  local dir; dir=$(mktemp -d "$W/context.XXXXXX")
  mkdir -p "$dir/apt" "$dir/ca"
  cp -r /etc/apt/sources.list.d /etc/apt/apt.conf.d "$dir/apt/"
  find "$dir/apt/sources.list.d" -name '*.disabled*' -delete
  cp /usr/local/share/ca-certificates/*.crt "$dir/ca/" 2>/dev/null || true
  echo "$dir"
}

base() {
  exists local/debian:bookworm && return 0
  apt_install debootstrap
  local mirror rootfs start_ms; start_ms=$(now_ms)
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  rootfs=$(mktemp -d "$W/rootfs.XXXXXX")
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$W/debootstrap.log" 2>&1 \
    || { tail -n 20 "$W/debootstrap.log" >&2; die "debootstrap failed"; }
  tar -C "$rootfs" -c . | podman import - local/debian:bookworm >/dev/null
  rm -rf "$rootfs"
  log "local/debian:bookworm imported in $(elapsed_s "$start_ms")s"
}

build() { # build TAG DOCKERFILE CONTEXT
  local start_ms; start_ms=$(now_ms)
  podman build --network=host --format docker -q -t "$1" -f "$2" "$3" >/dev/null
  log "$1 built in $(elapsed_s "$start_ms")s"
}

rabbitmq() {
  exists local/rabbitmq:test && return 0
  base
  local dir; dir=$(context)
  build local/rabbitmq:test "$here/rabbitmq/Dockerfile" "$dir"
  rm -rf "$dir"
}

dotnet_standins() {
  base
  local dotnet_root dir
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  if ! exists mcr.microsoft.com/dotnet/sdk:10.0; then
    log "STAND-IN: mcr.microsoft.com/dotnet/sdk:10.0 is built here from $dotnet_root, it is NOT Microsoft's image"
    dir=$(context)
    cp -a "$dotnet_root" "$dir/dotnet"
    build mcr.microsoft.com/dotnet/sdk:10.0 "$here/dotnet-standin/sdk.Dockerfile" "$dir"
    rm -rf "$dir"
  fi
  if ! exists mcr.microsoft.com/dotnet/aspnet:10.0; then
    log "STAND-IN: mcr.microsoft.com/dotnet/aspnet:10.0 is built here from $dotnet_root, it is NOT Microsoft's image"
    dir=$(context)
    mkdir -p "$dir/dotnet"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$dotnet_root/LICENSE.txt" "$dir/dotnet/"
    build mcr.microsoft.com/dotnet/aspnet:10.0 "$here/dotnet-standin/aspnet.Dockerfile" "$dir"
    rm -rf "$dir"
  fi
}

case ${1:-all} in
  all) rabbitmq; dotnet_standins ;;
  base) base ;;
  rabbitmq) rabbitmq ;;
  dotnet) dotnet_standins ;;
  *) die "usage: $0 [all|base|rabbitmq|dotnet]" ;;
esac
