#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs what running and testing ScanWorker needs on Debian/Ubuntu, skipping what is present:
# RabbitMQ, clamd and Ceph RGW (a real S3 server with bucket notifications) from apt, not started: the scripts in
# scripts/servers start them on loopback; the S3 test server from npm. The .NET SDK must already be installed (README, "The two commands").
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
export SERVER_NAME=install
# shellcheck source=servers/lib.sh
source "$here/servers/lib.sh"

command -v dotnet >/dev/null || die "the .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian"
# python3-pika: the plain AMQP client of examples/scan-request.py (the producer example of docs/first-hour.md).
packages=(rabbitmq-server clamav-daemon python3-pika radosgw ceph-mon ceph-osd ceph-common)
command -v node >/dev/null || packages+=(nodejs npm)
apt_install "${packages[@]}"
bash "$here/servers/s3.sh" install
