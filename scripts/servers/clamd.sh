#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# clamd on loopback with the project's own test signatures.
#   clamd.sh install | start | stop | status
# Knobs (environment):
#   CLAMD_DIR               data dir                          (/tmp/scanworker/clamd)
#   CLAMD_TCP_PORT          TCP port on 127.0.0.1             (3311)
#   CLAMD_STREAM_MAX        StreamMaxLength                   (1M)
#   CLAMD_MAX_FILE          MaxFileSize                       (= CLAMD_STREAM_MAX)
#   CLAMD_MAX_SCAN          MaxScanSize                       (2 x MaxFileSize when given in M, else = MaxFileSize)
#   CLAMD_MAX_THREADS       MaxThreads                        (4)
#   CLAMD_ALERT_EXCEEDS_MAX AlertExceedsMax                   (yes)
#   CLAMD_DB_DIR            signatures to load instead of the test ones, e.g. freshclam's
#                           (unset: the project's test signatures)
#   CLAMD_EXTRA_SIGNATURES  signature files loaded beside the test ones (space-separated paths; the bench's
#                           synthetic database: bench/synthetic_signatures.py)
#   CLAMD_START_TIMEOUT     seconds to wait for PONG          (30; real signatures take longer)
# The socket is $CLAMD_DIR/clamd.sock. Real signatures are not needed for tests: two tiny databases
# detect EICAR, which is assembled here from two halves so this file is never flagged itself.
set -euo pipefail
export SERVER_NAME=clamd
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLAMD_DIR=${CLAMD_DIR:-/tmp/scanworker/clamd}
CLAMD_TCP_PORT=${CLAMD_TCP_PORT:-3311}
CLAMD_STREAM_MAX=${CLAMD_STREAM_MAX:-1M}
CLAMD_MAX_FILE=${CLAMD_MAX_FILE:-$CLAMD_STREAM_MAX}
if [[ -z ${CLAMD_MAX_SCAN:-} ]]; then
  if [[ $CLAMD_MAX_FILE =~ ^([0-9]+)M$ ]]; then CLAMD_MAX_SCAN="$(( BASH_REMATCH[1] * 2 ))M"; else CLAMD_MAX_SCAN=$CLAMD_MAX_FILE; fi
fi
CLAMD_MAX_THREADS=${CLAMD_MAX_THREADS:-4}
CLAMD_ALERT_EXCEEDS_MAX=${CLAMD_ALERT_EXCEEDS_MAX:-yes}
CLAMD_DB_DIR=${CLAMD_DB_DIR:-}
CLAMD_EXTRA_SIGNATURES=${CLAMD_EXTRA_SIGNATURES:-}
CLAMD_START_TIMEOUT=${CLAMD_START_TIMEOUT:-30}
PID_FILE=$CLAMD_DIR/clamd.pid
SOCKET=$CLAMD_DIR/clamd.sock

ping_clamd() {
  local reply
  reply=$( { exec 3<>"/dev/tcp/127.0.0.1/$CLAMD_TCP_PORT" && printf 'zPING\0' >&3 && timeout 2 head -c 4 <&3; } 2>/dev/null ) || return 1
  [[ $reply == PONG ]]
}

write_signatures() {
  local eicar hex md5
  # shellcheck disable=SC2016 # the dollar signs are part of EICAR, not expansions
  eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR'
  # shellcheck disable=SC2016
  eicar+='-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
  hex=$(printf '%s' "$eicar" | od -An -v -tx1 | tr -d ' \n')
  md5=$(printf '%s' "$eicar" | md5sum | cut -d' ' -f1)
  mkdir -p "$CLAMD_DIR/db"
  printf 'ScanWorker.Test.EICAR-NDB:0:*:%s\n' "$hex" >"$CLAMD_DIR/db/test.ndb"
  printf '%s:%d:ScanWorker.Test.EICAR-HDB\n' "$md5" "${#eicar}" >"$CLAMD_DIR/db/test.hdb"
}

write_config() {
  mkdir -p "$CLAMD_DIR/tmp"
  cat >"$CLAMD_DIR/clamd.conf" <<CONF
Foreground yes
LogFile $CLAMD_DIR/clamd.log
LogTime yes
PidFile $CLAMD_DIR/clamd.conf.pid
DatabaseDirectory ${CLAMD_DB_DIR:-$CLAMD_DIR/db}
TemporaryDirectory $CLAMD_DIR/tmp
LocalSocket $SOCKET
TCPSocket $CLAMD_TCP_PORT
TCPAddr 127.0.0.1
SelfCheck 0
Bytecode $([[ -n $CLAMD_DB_DIR ]] && echo yes || echo no)
MaxThreads $CLAMD_MAX_THREADS
StreamMaxLength $CLAMD_STREAM_MAX
MaxFileSize $CLAMD_MAX_FILE
MaxScanSize $CLAMD_MAX_SCAN
AlertExceedsMax $CLAMD_ALERT_EXCEEDS_MAX
CONF
}

start() {
  command -v clamd >/dev/null || die "clamd is not installed; run: $0 install"
  if pid_alive "$PID_FILE" && ping_clamd; then
    log "already running on tcp://127.0.0.1:$CLAMD_TCP_PORT (pid $(<"$PID_FILE"))"
    return 0
  fi
  stop_pid "$PID_FILE"
  require_free_port "$CLAMD_TCP_PORT"
  rm -f "$SOCKET"
  if [[ -z $CLAMD_DB_DIR ]]; then
    write_signatures
    local extra
    for extra in $CLAMD_EXTRA_SIGNATURES; do cp "$extra" "$CLAMD_DIR/db/"; done
  fi
  write_config
  local start_ms; start_ms=$(now_ms)
  setsid clamd --config-file="$CLAMD_DIR/clamd.conf" </dev/null >"$CLAMD_DIR/stdout.log" 2>&1 &
  echo $! >"$PID_FILE"
  local i
  for (( i = 0; i < CLAMD_START_TIMEOUT * 10; i++ )); do
    pid_alive "$PID_FILE" || { tail -n 20 "$CLAMD_DIR/stdout.log" "$CLAMD_DIR/clamd.log" >&2 || true; die "clamd exited during start"; }
    if ping_clamd && [[ -S $SOCKET ]]; then
      log "ready on tcp://127.0.0.1:$CLAMD_TCP_PORT and unix://$SOCKET (pid $(<"$PID_FILE"), StreamMaxLength $CLAMD_STREAM_MAX) in $(elapsed_s "$start_ms")s"
      return 0
    fi
    sleep 0.1
  done
  stop_pid "$PID_FILE"
  die "not ready after ${CLAMD_START_TIMEOUT}s; see $CLAMD_DIR/clamd.log"
}

case ${1:-start} in
  install) apt_install clamav-daemon ;;
  start) start ;;
  stop) stop_pid "$PID_FILE" 10; rm -f "$SOCKET"; log "stopped" ;;
  status) if pid_alive "$PID_FILE" && ping_clamd; then log "running on tcp://127.0.0.1:$CLAMD_TCP_PORT and unix://$SOCKET (pid $(<"$PID_FILE"))"; else log "not running (data dir ${CLAMD_DIR})"; exit 1; fi ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
