#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A real S3 server that sends its own bucket notifications: Ceph RGW (Debian's radosgw, Ceph 16.2) on a
# single-node cluster on loopback — one monitor, one memstore OSD, no mgr, no systemd, cephx on — every
# daemon in the foreground in its own data dir, stopped by PID.
#   ceph-rgw.sh install | start | stop | status
#   ceph-rgw.sh topic NAME AMQP-URL EXCHANGE       an SNS topic pushing to RabbitMQ (prints its ARN)
#   ceph-rgw.sh notify BUCKET TOPIC-ARN [ID]        the bucket's ObjectCreated events to that topic
#   ceph-rgw.sh user UID ACCESS-KEY SECRET           another RGW user
# Knobs (environment):
#   RGW_DIR          data dir                               (/tmp/scanworker/ceph)
#   RGW_PORT         S3 (beast) port on 127.0.0.1           (7480)
#   RGW_MON_PORT     monitor's v1 port; v2 is the next one  (6789)
#   RGW_OSD_PORTS    first of 10 ports for the OSD          (6800)
#   RGW_ACCESS_KEY / RGW_SECRET_KEY  the S3 user's keys     (scanworker-rgw / scanworker-rgw-secret)
#   RGW_USER         that user's RGW id (events name it)    (scanworker)
#   RGW_BUCKETS      buckets created at start, spaces       (scan-input)
#   RGW_MEMSTORE_MB  the OSD's memory store                 (1024)
# Pacific accepts a push endpoint with a password only when the topic is created over TLS; the topic request
# here says it came through a TLS proxy (X-Forwarded-Proto: https, with rgw trust forwarded https), which only
# loopback can send.
set -euo pipefail
export SERVER_NAME=ceph-rgw
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RGW_DIR=${RGW_DIR:-/tmp/scanworker/ceph}
RGW_PORT=${RGW_PORT:-7480}
RGW_MON_PORT=${RGW_MON_PORT:-6789}
RGW_OSD_PORTS=${RGW_OSD_PORTS:-6800}
RGW_ACCESS_KEY=${RGW_ACCESS_KEY:-scanworker-rgw}
RGW_SECRET_KEY=${RGW_SECRET_KEY:-scanworker-rgw-secret}
RGW_USER=${RGW_USER:-scanworker}
RGW_BUCKETS=${RGW_BUCKETS:-scan-input}
RGW_MEMSTORE_MB=${RGW_MEMSTORE_MB:-1024}
conf=$RGW_DIR/ceph.conf
keys=$RGW_DIR/keyring
endpoint=http://127.0.0.1:$RGW_PORT
empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

install() { apt_install radosgw ceph-mon ceph-osd ceph-common curl; }

ceph_admin() { ceph -c "$conf" -n client.admin -k "$keys/admin.keyring" --connect-timeout 10 "$@"; }

write_conf() {
  local fsid=$1
  cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$(( RGW_MON_PORT + 1 )),v1:127.0.0.1:$RGW_MON_PORT]
mon initial members = a
public addr = 127.0.0.1
ms bind port min = $RGW_OSD_PORTS
ms bind port max = $(( RGW_OSD_PORTS + 9 ))
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = true
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
run dir = $RGW_DIR/run
admin socket = $RGW_DIR/run/\$name.asok
log file = $RGW_DIR/log/\$name.log
pid file = $RGW_DIR/run/\$name.daemon-pid
mon data = $RGW_DIR/mon/\$cluster-\$id
osd data = $RGW_DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $(( RGW_MEMSTORE_MB * 1024 * 1024 ))
osd max object name len = 460
osd max object namespace len = 64
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $RGW_DIR/rgw
rgw trust forwarded https = true
rgw dns name = 127.0.0.1
CONF
}

# daemon NAME COMMAND...: start one Ceph daemon in the foreground under setsid, PID in run/NAME.pid.
daemon() {
  local name=$1; shift
  setsid "$@" </dev/null >"$RGW_DIR/log/$name.out" 2>&1 &
  echo $! >"$RGW_DIR/run/$name.pid"
}

wait_for() { # wait_for WHAT SECONDS COMMAND...
  local what=$1 seconds=$2 i; shift 2
  for (( i = 0; i < seconds * 5; i++ )); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what not ready after ${seconds}s; see $RGW_DIR/log"
}

# s3 METHOD PATH [curl args...]: a SigV4-signed request to RGW as the S3 user.
s3() {
  local method=$1 path=$2; shift 2
  curl -sS --fail-with-body -X "$method" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$RGW_ACCESS_KEY:$RGW_SECRET_KEY" \
    -H "x-amz-content-sha256: ${S3_PAYLOAD_SHA256:-$empty_sha256}" "$@" "$endpoint$path"
}

osd_up() { [[ $(ceph_admin osd stat 2>/dev/null) == *'1 up'* ]]; }

start() {
  if status; then
    log "already running on $endpoint"
    return 0
  fi
  command -v radosgw >/dev/null || install
  stop
  require_free_port "$RGW_PORT"
  require_free_port "$RGW_MON_PORT"
  rm -rf "$RGW_DIR"
  mkdir -p "$RGW_DIR"/{run,log,mon,osd/ceph-0,rgw,keyring}
  local start_ms fsid osd_uuid
  start_ms=$(now_ms)
  fsid=$(</proc/sys/kernel/random/uuid)
  write_conf "$fsid"

  ceph-authtool --create-keyring "$keys/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$keys/admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$keys/mon.keyring" --import-keyring "$keys/admin.keyring" >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$(( RGW_MON_PORT + 1 )),v1:127.0.0.1:$RGW_MON_PORT]" \
    "$RGW_DIR/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$RGW_DIR/monmap" --keyring "$keys/mon.keyring"
  daemon mon ceph-mon -c "$conf" -i a -f
  wait_for "the monitor" 30 ceph_admin mon stat

  osd_uuid=$(</proc/sys/kernel/random/uuid)
  ceph-authtool --create-keyring "$keys/osd.0.keyring" --gen-key -n osd.0 >/dev/null
  ceph_admin osd new "$osd_uuid" -i - <<<"{\"cephx_secret\": \"$(ceph-authtool -p -n osd.0 "$keys/osd.0.keyring")\"}" >/dev/null
  cp "$keys/osd.0.keyring" "$RGW_DIR/osd/ceph-0/keyring"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$RGW_DIR/log/osd-mkfs.out" 2>&1
  daemon osd ceph-osd -c "$conf" -i 0 -f
  wait_for "the OSD" 60 osd_up

  ceph_admin auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' -o "$keys/rgw.keyring"
  daemon rgw radosgw -c "$conf" -n client.rgw.a -k "$keys/rgw.keyring" -f
  wait_for "RGW" 60 tcp_open 127.0.0.1 "$RGW_PORT"
  radosgw-admin -c "$conf" -n client.admin -k "$keys/admin.keyring" user create --uid="$RGW_USER" \
    --display-name="$RGW_USER" --access-key="$RGW_ACCESS_KEY" --secret="$RGW_SECRET_KEY" >/dev/null
  local bucket
  for bucket in $RGW_BUCKETS; do
    wait_for "bucket $bucket" 30 s3 PUT "/$bucket"
  done
  log "Ceph RGW $(radosgw --version | awk '{ print $3 }') ready on $endpoint (user $RGW_USER, buckets: $RGW_BUCKETS) in $(elapsed_s "$start_ms")s"
}

stop() {
  local name
  for name in rgw osd mon; do stop_pid "$RGW_DIR/run/$name.pid" 20; done
}

status() { pid_alive "$RGW_DIR/run/rgw.pid" && pid_alive "$RGW_DIR/run/osd.pid" && tcp_open 127.0.0.1 "$RGW_PORT"; }

# topic NAME AMQP-URL EXCHANGE: RGW declares nothing and drops events no queue is bound to; bind first.
topic() {
  local name=${1:?topic NAME AMQP-URL EXCHANGE} url=${2:?} exchange=${3:?}
  curl -sS --fail-with-body -X POST --aws-sigv4 "aws:amz:us-east-1:sns" --user "$RGW_ACCESS_KEY:$RGW_SECRET_KEY" \
    -H "X-Forwarded-Proto: https" \
    --data-urlencode "Action=CreateTopic" --data-urlencode "Name=$name" \
    --data-urlencode "Attributes.entry.1.key=push-endpoint" --data-urlencode "Attributes.entry.1.value=$url" \
    --data-urlencode "Attributes.entry.2.key=amqp-exchange" --data-urlencode "Attributes.entry.2.value=$exchange" \
    --data-urlencode "Attributes.entry.3.key=amqp-ack-level" --data-urlencode "Attributes.entry.3.value=broker" \
    --data-urlencode "Attributes.entry.4.key=persistent" --data-urlencode "Attributes.entry.4.value=${RGW_PERSISTENT_TOPICS:-true}" \
    "$endpoint/" | sed -n 's:.*<TopicArn>\(.*\)</TopicArn>.*:\1:p'
}

# notify BUCKET TOPIC-ARN [ID]: every ObjectCreated event of BUCKET to the topic (uploads, copies, multipart).
notify() {
  local bucket=${1:?notify BUCKET TOPIC-ARN [ID]} arn=${2:?} id=${3:-scanworker} body
  body="<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TopicConfiguration><Id>$id</Id><Topic>$arn</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>"
  S3_PAYLOAD_SHA256=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1) s3 PUT "/$bucket?notification=" -H "Content-Type: application/xml" --data-binary "$body" >/dev/null
}

user() {
  radosgw-admin -c "$conf" -n client.admin -k "$keys/admin.keyring" user create --uid="${1:?user UID ACCESS-KEY SECRET}" \
    --display-name="$1" --access-key="${2:?}" --secret="${3:?}" >/dev/null
}

case ${1:-start} in
  install) install ;;
  start) start ;;
  stop) stop; log "stopped" ;;
  status) if status; then log "running on $endpoint (user $RGW_USER)"; else log "not running"; exit 1; fi ;;
  topic) shift; topic "$@" ;;
  notify) shift; notify "$@" ;;
  user) shift; user "$@" ;;
  *) die "usage: $0 install|start|stop|status|topic NAME AMQP-URL EXCHANGE|notify BUCKET TOPIC-ARN [ID]|user UID KEY SECRET" ;;
esac
