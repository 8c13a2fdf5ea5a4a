#!/usr/bin/env bash
# The local run: installs what is missing, starts RabbitMQ, clamd and the S3 test server on loopback
# (data under /tmp/scanworker), then runs ScanWorker in the foreground. Ctrl-C stops everything.
# Running it again reuses servers that are still up.
#   scripts/run-local.sh
# Knobs: SCANWORKER_LOCAL_DIR (/tmp/scanworker), SCANWORKER_HTTP_PORT (9000),
#        RMQ_PORT (5673), CLAMD_TCP_PORT (3311), S3_PORT (4569), CLAMD_STREAM_MAX (100M).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=${SCANWORKER_LOCAL_DIR:-/tmp/scanworker}
http_port=${SCANWORKER_HTTP_PORT:-9000}
export RMQ_DIR=$base/rabbitmq RMQ_PORT=${RMQ_PORT:-5673}
export CLAMD_DIR=$base/clamd CLAMD_TCP_PORT=${CLAMD_TCP_PORT:-3311} CLAMD_STREAM_MAX=${CLAMD_STREAM_MAX:-100M}
export CLAMD_MAX_SCAN=${CLAMD_MAX_SCAN:-400M} CLAMD_MAX_THREADS=${CLAMD_MAX_THREADS:-4}
export S3_DIR=$base/s3 S3_PORT=${S3_PORT:-4569} S3_BUCKETS=${S3_BUCKETS:-scan-input}
mount_root=$base/mount
amqp=amqp://guest:guest@127.0.0.1:$RMQ_PORT

bash scripts/install-prerequisites.sh

# shellcheck disable=SC2317 # called by the traps
stop_servers() {
  trap - EXIT INT TERM
  echo
  bash scripts/servers/stop-all.sh "$base"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

bash scripts/servers/rabbitmq.sh start
bash scripts/servers/clamd.sh start
bash scripts/servers/s3.sh start
mkdir -p "$mount_root"
printf 'hello from the mount\n' >"$mount_root/hello.txt"

cat >&2 <<BANNER

  ############################################################################
  #  clamd runs with the project's TEST signatures (EICAR only), not the     #
  #  official database: it will not detect real malware. Point Clamd__Address #
  #  at a clamd with freshclam signatures for anything beyond a try-out.     #
  ############################################################################

  ScanWorker on http://127.0.0.1:$http_port   (Ctrl-C stops it and the servers)
    curl -s http://127.0.0.1:$http_port/health/ready
    curl -s -F file=@$mount_root/hello.txt http://127.0.0.1:$http_port/v2/scan
    curl -s "http://127.0.0.1:$http_port/scanPath?path=$mount_root"
  RabbitMQ  $amqp/   queue scan-requests, results on exchange ScanWorker.Contracts:ScanCompleted
  clamd     tcp://127.0.0.1:$CLAMD_TCP_PORT   unix://$CLAMD_DIR/clamd.sock
  S3        http://127.0.0.1:$S3_PORT  (access key S3RVER, secret S3RVER, bucket $S3_BUCKETS)
  mount     $mount_root  (hello.txt is there)

  Try it from another terminal: publish a plain-JSON request, print the result event
    examples/scan-request.py hello.txt            (a file on the mount)
    examples/scan-request.py scan-input some/key  (an S3 object)

BANNER

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export Clamd__Address=tcp://127.0.0.1:$CLAMD_TCP_PORT Clamd__MaxConcurrentScans=$CLAMD_MAX_THREADS
export RabbitMq__Host=127.0.0.1 RabbitMq__Port=$RMQ_PORT RabbitMq__User=guest RabbitMq__Pass=guest
export S3__ServiceUrl=http://127.0.0.1:$S3_PORT S3__ForcePathStyle=true S3__AccessKey=S3RVER S3__SecretKey=S3RVER
export Mount__Root=$mount_root
# The worker refuses objects over clamd's StreamMaxLength before downloading them.
export Scanning__MaxObjectBytes=$(( ${CLAMD_STREAM_MAX%M} * 1024 * 1024 ))
export Http__BindAddress=127.0.0.1 Http__Port=$http_port Http__SslPort=0 Http__ScanRoots__0=$mount_root
export Http__MaxFileSize=$Scanning__MaxObjectBytes
dotnet run --project src/ScanWorker -c Release
