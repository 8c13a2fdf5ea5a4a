#!/usr/bin/env bash
# The local run: installs what is missing, starts RabbitMQ, clamd and the S3 test server on loopback
# (data under /tmp/scanworker), then runs ScanWorker in the foreground with the REST facade on :9000.
# Ctrl-C (or SIGTERM) stops ScanWorker and every server it started, also when the output is piped
# (| tee log). What the servers keep lives under the data dir and survives a restart: S3 objects, queues
# and their messages, the mount's files, the signature cache. rm -rf /tmp/scanworker starts from nothing.
#   scripts/run-local.sh
# Signatures: freshclam's official database when the ClamAV mirror can be reached (cached under the
# data dir); otherwise the project's test signatures (EICAR only), with a loud warning.
# Knobs: SCANWORKER_LOCAL_DIR (/tmp/scanworker), SCANWORKER_HTTP_PORT (9000),
#        SCANWORKER_SIGNATURES (auto | official | test), RMQ_PORT (5673), CLAMD_TCP_PORT (3311),
#        S3_PORT (4569), CLAMD_STREAM_MAX (100M),
#        SCANWORKER_S3 (s3rver | rgw: a real Ceph RGW on RGW_PORT, 7480, whose own notifications reach the worker).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=${SCANWORKER_LOCAL_DIR:-/tmp/scanworker}
http_port=${SCANWORKER_HTTP_PORT:-9000}
signatures=${SCANWORKER_SIGNATURES:-auto}
export RMQ_DIR=$base/rabbitmq RMQ_PORT=${RMQ_PORT:-5673}
export CLAMD_DIR=$base/clamd CLAMD_TCP_PORT=${CLAMD_TCP_PORT:-3311} CLAMD_STREAM_MAX=${CLAMD_STREAM_MAX:-100M}
export CLAMD_MAX_SCAN=${CLAMD_MAX_SCAN:-400M} CLAMD_MAX_THREADS=${CLAMD_MAX_THREADS:-4}
export S3_DIR=$base/s3 S3_PORT=${S3_PORT:-4569} S3_BUCKETS=${S3_BUCKETS:-scan-input}
export RGW_DIR=$base/ceph RGW_PORT=${RGW_PORT:-7480} RGW_BUCKETS=$S3_BUCKETS
s3_server=${SCANWORKER_S3:-s3rver}
[[ $s3_server == s3rver || $s3_server == rgw ]] || { printf 'run-local: SCANWORKER_S3 must be s3rver or rgw, not %s\n' "$s3_server" >&2; exit 2; }
mount_root=$base/mount
amqp=amqp://guest:guest@127.0.0.1:$RMQ_PORT
worker=

say() { printf 'run-local: %s\n' "$*" >&2 || true; }

# shellcheck disable=SC2317 # called by the traps
stop_all() {
  trap - EXIT INT TERM
  # Ctrl-C under "| tee" has killed the reader already: a write to the closed pipe must not end this
  # function (SIGPIPE) or stop it half way (set -e) before every server is stopped.
  trap '' PIPE
  set +e
  if [[ -n $worker ]] && kill -0 "$worker" 2>/dev/null; then
    say "stopping ScanWorker (pid $worker)"
    kill -TERM "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
  bash scripts/servers/stop-all.sh "$base"
  say "stopped"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

# Official signatures from the ClamAV mirror when it can be reached; freshclam keeps them current in $db.
official_signatures() {
  local db=$base/clamav-db
  [[ $signatures != test ]] || return 1
  mkdir -p "$db"
  if timeout 5 bash -c '</dev/tcp/database.clamav.net/443' 2>/dev/null; then
    cat >"$base/freshclam.conf" <<CONF
DatabaseDirectory $db
DatabaseMirror database.clamav.net
UpdateLogFile $base/freshclam.log
Foreground yes
CONF
    say "fetching official signatures with freshclam into $db (the first time takes a while)"
    timeout 900 freshclam --config-file="$base/freshclam.conf" --datadir="$db" >&2 || say "freshclam failed (see $base/freshclam.log)"
  fi
  if compgen -G "$db/daily.c[vl]d" >/dev/null && compgen -G "$db/main.c[vl]d" >/dev/null; then
    export CLAMD_DB_DIR=$db CLAMD_START_TIMEOUT=300
    return 0
  fi
  [[ $signatures != official ]] || { say "SCANWORKER_SIGNATURES=official, but no official signatures could be fetched"; exit 1; }
  return 1
}

bash scripts/install-prerequisites.sh
if official_signatures; then
  say "signatures: official, from freshclam"
  signature_note="  clamd uses the official signatures in $CLAMD_DB_DIR (refresh: re-run, or freshclam --config-file=$base/freshclam.conf)"
else
  say "signatures: the project's TEST signatures (EICAR only)"
  signature_note=$(cat <<'WARN'
  ############################################################################
  #  clamd runs with the project's TEST signatures (EICAR only), not the     #
  #  official database: it will not detect real malware. The ClamAV mirror  #
  #  was not reachable (or SCANWORKER_SIGNATURES=test). Point Clamd__Address #
  #  at a clamd with freshclam signatures for anything beyond a try-out.     #
  ############################################################################
WARN
)
fi

bash scripts/servers/rabbitmq.sh start
bash scripts/servers/clamd.sh start
if [[ $s3_server == rgw ]]; then
  bash scripts/servers/ceph-rgw.sh start
  s3_url=http://127.0.0.1:$RGW_PORT s3_key=scanworker-rgw s3_secret=scanworker-rgw-secret
  export BucketEvents__OwnPrincipals__0=scanworker # RGW names its user id, not the access key
else
  bash scripts/servers/s3.sh start
  s3_url=http://127.0.0.1:$S3_PORT s3_key=S3RVER s3_secret=S3RVER
fi
mkdir -p "$mount_root"
printf 'hello from the mount\n' >"$mount_root/hello.txt"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say "building ScanWorker"
# shellcheck source=scripts/build.sh
source scripts/build.sh
build_solution -v q -clp:NoSummary >&2
# The worker as the image ships it (ReadyToRun): at speed from its first requests.
bash scripts/publish.sh "$SCANWORKER_PUBLISH_DIR" -v q -clp:NoSummary >&2

export Clamd__Address=tcp://127.0.0.1:$CLAMD_TCP_PORT Clamd__MaxConcurrentScans=$CLAMD_MAX_THREADS
export RabbitMq__Host=127.0.0.1 RabbitMq__Port=$RMQ_PORT RabbitMq__User=guest RabbitMq__Pass=guest
export S3__ServiceUrl=$s3_url S3__ForcePathStyle=true S3__AccessKey=$s3_key S3__SecretKey=$s3_secret
export Mount__Root=$mount_root BucketEvents__Enabled=true
# The worker refuses objects over clamd's StreamMaxLength before downloading them.
export Scanning__MaxObjectBytes=$(( ${CLAMD_STREAM_MAX%M} * 1024 * 1024 ))
export Http__BindAddress=127.0.0.1 Http__Port=$http_port Http__SslPort=0 Http__ScanRoots__0=$mount_root
export Http__MaxFileSize=$Scanning__MaxObjectBytes
# From its own directory, so that its appsettings.json is the content root's.
(cd "$SCANWORKER_PUBLISH_DIR" && exec dotnet ScanWorker.dll) &
worker=$!

# Ready means /health/ready answers 200: clamd answers, the broker is connected.
for (( i = 0; i < 240; i++ )); do
  kill -0 "$worker" 2>/dev/null || { worker=; say "ScanWorker exited during start"; exit 1; }
  bash deploy/healthcheck.sh "$http_port" && break
  sleep 0.5
done
bash deploy/healthcheck.sh "$http_port" || { say "ScanWorker did not become ready in 120 s"; exit 1; }
s3_try="examples/scan-request.py scan-input some/key  (an S3 object)"
if [[ $s3_server == rgw ]]; then
  # Now that the worker has declared and bound bucket-events: RGW drops events no queue is bound to.
  for bucket in $RGW_BUCKETS; do
    bash scripts/servers/ceph-rgw.sh notify "$bucket" "$(bash scripts/servers/ceph-rgw.sh topic "local-$bucket" "$amqp" bucket-events)"
  done
  s3_try="upload to RGW and watch the tag appear (docs/first-hour.md, step 5)"
fi

cat >&2 <<BANNER

$signature_note

  ScanWorker is ready on http://127.0.0.1:$http_port   (Ctrl-C stops it and the servers)
  Try a scan over REST:
    curl -s -F file=@$mount_root/hello.txt http://127.0.0.1:$http_port/v2/scan
  Publish a scan request and print its result event (from another terminal):
    examples/scan-request.py hello.txt            (a file on the mount)
    $s3_try

  RabbitMQ  $amqp/   queue scan-requests; bucket events on exchange bucket-events;
            results on exchange ScanWorker.Contracts:ScanCompleted
  clamd     tcp://127.0.0.1:$CLAMD_TCP_PORT   unix://$CLAMD_DIR/clamd.sock
  S3        $s3_url  (access key $s3_key, secret $s3_secret, bucket $S3_BUCKETS; $s3_server)
  mount     $mount_root  (hello.txt is there)
  health    http://127.0.0.1:$http_port/health/ready   metrics http://127.0.0.1:$http_port/metrics

BANNER

status=0
wait "$worker" || status=$?
worker=
exit "$status"
