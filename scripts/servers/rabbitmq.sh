#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# RabbitMQ on loopback, as root, with its own node name, ports and data dir.
#   rabbitmq.sh install | start | stop | status | add-vhost NAME | add-user NAME PASSWORD [VHOST]
# Knobs (environment):
#   RMQ_DIR        data dir                     (/tmp/scanworker/rabbitmq)
#   RMQ_PORT       AMQP port on 127.0.0.1       (5673)
#   RMQ_DIST_PORT  Erlang distribution port     (RMQ_PORT + 20000)
#   RMQ_EPMD_PORT  epmd port                    (4370)
#   RMQ_MGMT_PORT  management UI/API port; empty = plugin off   ()
#   RMQ_COOKIE     Erlang cookie; nodes of one cluster share it     (random per data dir)
#   RMQ_PROMETHEUS_PORT  rabbitmq_prometheus exporter port, per-object (per-queue) metrics;
#                  empty = plugin off                            ()
#   RMQ_TLS_PORT   AMQPS port on 127.0.0.1; empty = no TLS listener  ()
#   RMQ_TLS_CERT, RMQ_TLS_KEY, RMQ_TLS_CA  the listener's certificate chain, key and the CA it trusts (PEM)
#   RMQ_TLS_VERIFY_CLIENT  yes: require a client certificate signed by RMQ_TLS_CA (mutual TLS)   (no)
# The broker is Debian's rabbitmq-server run directly (not the su-ing wrapper in /usr/sbin).
set -euo pipefail
export SERVER_NAME=rabbitmq
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RMQ_DIR=${RMQ_DIR:-/tmp/scanworker/rabbitmq}
RMQ_PORT=${RMQ_PORT:-5673}
RMQ_DIST_PORT=${RMQ_DIST_PORT:-$(( RMQ_PORT + 20000 ))}
RMQ_EPMD_PORT=${RMQ_EPMD_PORT:-4370}
RMQ_MGMT_PORT=${RMQ_MGMT_PORT:-}
RMQ_PROMETHEUS_PORT=${RMQ_PROMETHEUS_PORT:-}
RMQ_COOKIE=${RMQ_COOKIE:-}
RMQ_NODE=scanworker-$RMQ_PORT@localhost
PID_FILE=$RMQ_DIR/rabbitmq.pid
RMQ_BIN=/usr/lib/rabbitmq/bin

# Everything the server and rabbitmqctl must agree on (cookie HOME, node name, epmd port).
write_env() {
  mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
  if [[ -n $RMQ_COOKIE ]]; then
    rm -f "$RMQ_DIR/home/.erlang.cookie"
    (umask 077; printf '%s' "$RMQ_COOKIE" >"$RMQ_DIR/home/.erlang.cookie")
    chmod 400 "$RMQ_DIR/home/.erlang.cookie"
  fi
  local plugins=()
  [[ -n $RMQ_MGMT_PORT ]] && plugins+=(rabbitmq_management)
  [[ -n $RMQ_PROMETHEUS_PORT ]] && plugins+=(rabbitmq_prometheus)
  (IFS=,; printf '[%s].\n' "${plugins[*]}") >"$RMQ_DIR/enabled_plugins"
  {
    echo "listeners.tcp.default = 127.0.0.1:$RMQ_PORT"
    echo "loopback_users = none"
    if [[ -n $RMQ_MGMT_PORT ]]; then echo "management.tcp.ip = 127.0.0.1"; echo "management.tcp.port = $RMQ_MGMT_PORT"; fi
    if [[ -n ${RMQ_TLS_PORT:-} ]]; then
      echo "listeners.ssl.default = 127.0.0.1:$RMQ_TLS_PORT"
      echo "ssl_options.certfile = ${RMQ_TLS_CERT:?RMQ_TLS_CERT is required with RMQ_TLS_PORT}"
      echo "ssl_options.keyfile = ${RMQ_TLS_KEY:?RMQ_TLS_KEY is required with RMQ_TLS_PORT}"
      echo "ssl_options.cacertfile = ${RMQ_TLS_CA:?RMQ_TLS_CA is required with RMQ_TLS_PORT}"
      if [[ ${RMQ_TLS_VERIFY_CLIENT:-no} == yes ]]; then
        echo "ssl_options.verify = verify_peer"
        echo "ssl_options.fail_if_no_peer_cert = true"
      else
        echo "ssl_options.verify = verify_none"
        echo "ssl_options.fail_if_no_peer_cert = false"
      fi
    fi
    if [[ -n $RMQ_PROMETHEUS_PORT ]]; then
      echo "prometheus.tcp.ip = 127.0.0.1"
      echo "prometheus.tcp.port = $RMQ_PROMETHEUS_PORT"
      echo "prometheus.return_per_object_metrics = true"
    fi
  } >"$RMQ_DIR/rabbitmq.conf"
  : >"$RMQ_DIR/rabbitmq-env.conf"
  cat >"$RMQ_DIR/env.sh" <<ENV
export HOME='$RMQ_DIR/home'
export RABBITMQ_NODENAME='$RMQ_NODE'
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$RMQ_PORT
export RABBITMQ_DIST_PORT=$RMQ_DIST_PORT
export ERL_EPMD_PORT=$RMQ_EPMD_PORT
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export RABBITMQ_MNESIA_BASE='$RMQ_DIR/mnesia'
export RABBITMQ_LOG_BASE='$RMQ_DIR/log'
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE='$RMQ_DIR/rabbitmq.conf'
export RABBITMQ_ENABLED_PLUGINS_FILE='$RMQ_DIR/enabled_plugins'
export RABBITMQ_CONF_ENV_FILE='$RMQ_DIR/rabbitmq-env.conf'
export RABBITMQ_PID_FILE='$RMQ_DIR/rabbitmq-server.pid'
ENV
}

ctl() { "$RMQ_BIN/rabbitmqctl" -q -n "$RMQ_NODE" "$@"; }

start() {
  [[ -x $RMQ_BIN/rabbitmq-server ]] || die "rabbitmq-server is not installed; run: $0 install"
  write_env
  # shellcheck disable=SC1091 # written just above
  source "$RMQ_DIR/env.sh"
  if pid_alive "$PID_FILE" && tcp_open 127.0.0.1 "$RMQ_PORT"; then
    log "already running on amqp://guest:guest@127.0.0.1:$RMQ_PORT/ (pid $(<"$PID_FILE"))"
    return 0
  fi
  stop_pid "$PID_FILE"
  require_free_port "$RMQ_PORT"
  require_free_port "$RMQ_DIST_PORT"
  local start_ms; start_ms=$(now_ms)
  setsid "$RMQ_BIN/rabbitmq-server" </dev/null >"$RMQ_DIR/server.log" 2>&1 &
  echo $! >"$PID_FILE"
  local deadline=$(( $(date +%s) + 90 ))
  until ctl await_startup --timeout 5 >/dev/null 2>&1; do
    pid_alive "$PID_FILE" || { tail -n 30 "$RMQ_DIR/server.log" >&2; die "broker exited during start"; }
    (( $(date +%s) < deadline )) || { tail -n 30 "$RMQ_DIR/server.log" >&2; stop; die "not ready after 90s"; }
    sleep 0.5
  done
  until tcp_open 127.0.0.1 "$RMQ_PORT" && { [[ -z ${RMQ_TLS_PORT:-} ]] || tcp_open 127.0.0.1 "$RMQ_TLS_PORT"; }; do
    (( $(date +%s) < deadline )) || { stop; die "AMQP port $RMQ_PORT (or AMQPS ${RMQ_TLS_PORT:-}) never opened"; }
    sleep 0.2
  done
  log "ready on amqp://guest:guest@127.0.0.1:$RMQ_PORT/ (node $RMQ_NODE, pid $(<"$PID_FILE")) in $(elapsed_s "$start_ms")s"
}

stop() {
  if [[ -f $RMQ_DIR/env.sh ]]; then
    # Stop with the node name and epmd port the broker was started with, whatever the knobs say now.
    # shellcheck disable=SC1091
    source "$RMQ_DIR/env.sh"
    if pid_alive "$PID_FILE"; then timeout 30 "$RMQ_BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true; fi
    stop_pid "$PID_FILE" 15
    # erl starts an epmd that outlives the broker; stop exactly ours, by its port, unless other nodes of a
    # cluster still use it.
    if command -v epmd >/dev/null && ! grep -q '^name ' <<<"$(epmd -port "$ERL_EPMD_PORT" -names 2>/dev/null)"; then
      epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
    fi
  fi
  log "stopped"
}

# A virtual host with full rights for guest: lets a test start from an empty broker namespace.
add_vhost() {
  local vhost=${1:?usage: rabbitmq.sh add-vhost NAME}
  # shellcheck disable=SC1091
  source "$RMQ_DIR/env.sh"
  ctl add_vhost "$vhost" >/dev/null
  ctl set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
  log "virtual host '$vhost' ready"
}

# A user with full rights on one virtual host (default /): the worker's own login, e.g. the deployment shapes' scanworker (docs/first-hour.md).
add_user() {
  local user=${1:?usage: rabbitmq.sh add-user NAME PASSWORD [VHOST]} pass=${2:?usage: rabbitmq.sh add-user NAME PASSWORD [VHOST]} vhost=${3:-/}
  # shellcheck disable=SC1091
  source "$RMQ_DIR/env.sh"
  ctl add_user "$user" "$pass" >/dev/null
  ctl set_permissions -p "$vhost" "$user" '.*' '.*' '.*' >/dev/null
  log "user '$user' ready on virtual host '$vhost'"
}

case ${1:-start} in
  install) apt_install rabbitmq-server ;;
  start) start ;;
  stop) stop ;;
  status) if pid_alive "$PID_FILE" && tcp_open 127.0.0.1 "$RMQ_PORT"; then log "running on amqp://127.0.0.1:$RMQ_PORT/ (pid $(<"$PID_FILE"))"; else log "not running (data dir ${RMQ_DIR})"; exit 1; fi ;;
  add-vhost) add_vhost "${2:-}" ;;
  add-user) add_user "${2:-}" "${3:-}" "${4:-}" ;;
  *) die "usage: $0 install|start|stop|status|add-vhost NAME|add-user NAME PASSWORD [VHOST]" ;;
esac
