#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the project's Dockerfile, unchanged, on the engine of engine.sh and runs the image against a real
# clamd (scripts/servers/clamd.sh): /health/live, a REST scan of a clean file and of EICAR, the image's
# own HEALTHCHECK, a non-root user and a read-only root filesystem. Exits non-zero on the first failure.
#   image-check.sh                    (needs: engine.sh start; builds the stand-in base images if missing)
# On these machines no image registry is reachable: the base images are STAND-INS built by images.sh
# from Debian and this machine's .NET SDK under the official names. A real registry needs none of this.
set -euo pipefail
export SERVER_NAME=image-check
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../servers/lib.sh
source "$here/../servers/lib.sh"
eval "$(bash "$here/engine.sh" env)"
bash "$here/engine.sh" status || die "no engine: run scripts/containers/engine.sh start"

image=scanworker:ci
name=scanworker-image-check-$$
work=$(mktemp -d /tmp/scanworker-image-check.XXXXXX)
clamd_port=$(( 20000 + RANDOM % 20000 ))
# Not the default 9000: clamav-rest's PORT must move the listener and the HEALTHCHECK with it.
http_port=$(( 40000 + RANDOM % 10000 ))
checks=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  podman rm --force --time 5 "$name" >/dev/null 2>&1 || true
  CLAMD_DIR=$work/clamd bash "$root/scripts/servers/clamd.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
pass() { checks=$(( checks + 1 )); printf 'image-check: ok   %s\n' "$*"; }
fail() { printf 'image-check: FAIL %s\n' "$*" >&2; podman logs --tail 40 "$name" >&2 2>/dev/null || true; exit 1; }

log "WARNING: the base images are local STAND-INS for mcr.microsoft.com/dotnet/{sdk,aspnet}:10.0, not Microsoft's images"
bash "$here/images.sh" dotnet
start_ms=$(now_ms)
# As a release is built (docs/releasing.md): the version from git tags in the assemblies, labels and the tag.
built=$(CONTAINER_ENGINE=podman RELEASE_BUILD_ARGS="--network=host --format docker -q" bash "$root/scripts/release-image.sh" scanworker 2>"$work/build.log") \
  || { tail -n 40 "$work/build.log" >&2; fail "scripts/release-image.sh (podman build of the Dockerfile)"; }
podman tag "$built" "$image"
pass "Dockerfile built as $built in $(elapsed_s "$start_ms")s"
version=${built##*:}
[[ $(podman image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$image") == "$version" ]] \
  || fail "the image's org.opencontainers.image.version label is not $version"
[[ $(podman image inspect -f '{{index .Config.Labels "org.opencontainers.image.revision"}}' "$image") == "$(git -C "$root" rev-parse HEAD)" ]] \
  || fail "the image's org.opencontainers.image.revision label is not this commit"
said=$(podman run --rm --network=host --no-healthcheck "$image" --version 2>"$work/version.log") || fail "--version in the image: $(cat "$work/version.log")"
[[ $said == "ScanWorker $version+"* ]] || fail "--version in the image says '$said', expected ScanWorker $version+<commit>"
pass "version $version: OCI labels (version, revision) and --version ($said)"

user=$(podman image inspect -f '{{.Config.User}}' "$image")
[[ -n $user && $user != 0 && $user != root ]] || fail "image user is '${user:-<unset>}', expected a non-root user"
pass "image user is $user (non-root)"
[[ $(podman image inspect -f '{{.Config.Healthcheck.Test}}' "$image") == *scanworker-healthcheck* ]] || fail "image has no HEALTHCHECK"

CLAMD_DIR=$work/clamd CLAMD_TCP_PORT=$clamd_port CLAMD_STREAM_MAX=1M bash "$root/scripts/servers/clamd.sh" start
require_free_port "$http_port"
# The http-only shape of docs/configuration.md, with the root filesystem read-only and only /tmp writable, as
# docker-compose.yml and deploy/k8s run it. Host networking: loopback only, no bridge.
podman run -d --name "$name" --network=host --read-only --tmpfs /tmp:rw,size=64m \
  -e Messaging__Enabled=false -e "CLAMD_PORT=tcp://127.0.0.1:$clamd_port" -e "PORT=$http_port" -e SSL_PORT= \
  "$image" >/dev/null 2>>"$work/podman.log" \
  || fail "podman run"
deadline=$(( $(date +%s) + 60 ))
until curl -fsS --max-time 2 "http://127.0.0.1:$http_port/health/live" >/dev/null 2>&1; do
  [[ $(podman inspect -f '{{.State.Running}}' "$name") == true ]] || fail "the container exited during start"
  (( $(date +%s) < deadline )) || fail "/health/live did not answer within 60s"
  sleep 0.5
done
pass "/health/live answers 200 on PORT=$http_port"
if tcp_open 127.0.0.1 9443; then fail "TLS listens on 9443 although SSL_PORT is empty"; fi
pass "SSL_PORT= turns TLS off (nothing on 9443)"

[[ $(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$name") == true ]] || fail "root filesystem is not read-only"
if podman exec "$name" sh -c 'touch /app/written-at-run-time' 2>/dev/null; then fail "the root filesystem took a write"; fi
pass "root filesystem is read-only (a write to /app fails)"
uid=$(podman exec "$name" id -u)
[[ $uid != 0 ]] || fail "the worker runs as root"
pass "the process runs as uid $uid"

printf 'Just an ordinary document.\n' >"$work/clean.txt"
# EICAR from two halves, so this script is not itself a test signature.
printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR' '-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$work/eicar.com"
clean=$(curl -sS --max-time 30 -F "file=@$work/clean.txt" "http://127.0.0.1:$http_port/v2/scan")
[[ $clean == '[{"Status":"OK","Description":"","FileName":"clean.txt"}]' ]] || fail "clean file: $clean"
pass "REST /v2/scan of a clean file: $clean"
eicar=$(curl -sS --max-time 30 -F "file=@$work/eicar.com" "http://127.0.0.1:$http_port/v2/scan")
[[ $eicar == '[{"Status":"FOUND","Description":"'*EICAR*'","FileName":"eicar.com"}]' ]] || fail "EICAR: $eicar"
pass "REST /v2/scan of EICAR: $eicar"

# The image's own HEALTHCHECK command, run now instead of waiting for its interval.
podman healthcheck run "$name" >/dev/null 2>>"$work/podman.log" || fail "HEALTHCHECK reports unhealthy"
pass "HEALTHCHECK (scanworker-healthcheck: /health/ready on the PORT it was given) reports healthy"

start_ms=$(now_ms)
podman stop --time 20 "$name" >/dev/null 2>>"$work/podman.log"
code=$(podman inspect -f '{{.State.ExitCode}}' "$name")
[[ $code == 0 ]] || fail "the worker exited $code on SIGTERM"
pass "SIGTERM: exit 0 in $(elapsed_s "$start_ms")s"
# Read whole before matching: under pipefail, `podman logs | grep -q` fails when grep's early exit makes podman's
# next write hit a closed pipe (SIGPIPE), which failed a CI run whose log did name the version.
startup_log=$(podman logs "$name" 2>&1)
[[ $startup_log == *"$version"* ]] || fail "the start-up log does not name version $version"
pass "the start-up log names version $version"
echo "image-check: $checks checks passed"
