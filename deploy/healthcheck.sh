#!/usr/bin/env bash
# Exits 0 when ScanWorker's readiness endpoint answers 200. Needs only bash (no curl or wget), so the
# same probe serves the container image's HEALTHCHECK and scripts/run-local.sh.
#   healthcheck.sh [port] [path (/health/ready)]
# The port defaults to the worker's own: SCANWORKER_HEALTH_PORT, else Http__Port, else clamav-rest's PORT, else 9000.
# With Http__ProtectManagement=true it sends the worker's first API key (Http__ApiKeys__0). It speaks cleartext on
# 127.0.0.1: with Http__Cleartext=Off there is nothing for it to reach (use Loopback).
set -uo pipefail
port=${1:-${SCANWORKER_HEALTH_PORT:-${Http__Port:-${PORT:-9000}}}}
path=${2:-/health/ready}
exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || exit 1
key=
if [[ ${Http__ProtectManagement:-} == [Tt]rue && -n ${Http__ApiKeys__0:-} ]]; then key="X-API-Key: ${Http__ApiKeys__0}"$'\r\n'; fi
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n' "$path" "$key" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ $status == "HTTP/1.1 200 "* ]]
