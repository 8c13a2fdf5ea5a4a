#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A RabbitMQ cluster on loopback: RMQC_SIZE nodes (3), each started by rabbitmq.sh with its own node name,
# ports and data dir, one shared Erlang cookie and epmd, joined to node 0 with join_cluster.
#   rabbitmq-cluster.sh start | stop | status | nodes
#   rabbitmq-cluster.sh kill N        SIGKILL node N's broker (no clean shutdown)
#   rabbitmq-cluster.sh start-node N  start node N again (it rejoins from its data dir)
#   rabbitmq-cluster.sh stop-node N   stop node N cleanly
#   rabbitmq-cluster.sh leader QUEUE  the node index that leads quorum queue QUEUE
# Knobs: RMQC_DIR data dirs (/tmp/scanworker/rabbitmq-cluster), RMQC_PORT AMQP port of node 0 (5690; node N
#        gets RMQC_PORT+N), RMQC_EPMD_PORT (4371), RMQC_SIZE (3).
# `nodes` prints one line per node: index, AMQP port, node name (for RabbitMq__Nodes__N=127.0.0.1:PORT).
set -euo pipefail
export SERVER_NAME=rabbitmq-cluster
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=lib.sh
source "$here/lib.sh"

RMQC_DIR=${RMQC_DIR:-/tmp/scanworker/rabbitmq-cluster}
RMQC_PORT=${RMQC_PORT:-5690}
RMQC_EPMD_PORT=${RMQC_EPMD_PORT:-4371}
RMQC_SIZE=${RMQC_SIZE:-3}
RMQ_BIN=/usr/lib/rabbitmq/bin

port_of() { echo $(( RMQC_PORT + $1 )); }
node_of() { echo "scanworker-$(port_of "$1")@localhost"; }

# node N VERB...: rabbitmq.sh for node N, with its knobs and the shared ones.
node() {
  local index=$1; shift
  RMQ_DIR=$RMQC_DIR/node$index RMQ_PORT=$(port_of "$index") RMQ_DIST_PORT=$(( RMQC_PORT + 100 + index )) \
    RMQ_EPMD_PORT=$RMQC_EPMD_PORT RMQ_COOKIE=$(cookie) bash "$here/rabbitmq.sh" "$@"
}

cookie() {
  mkdir -p "$RMQC_DIR"
  [[ -s $RMQC_DIR/cookie ]] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RMQC_DIR/cookie")
  cat "$RMQC_DIR/cookie"
}

# ctl N ARGS...: rabbitmqctl against node N, with the cluster's cookie home and epmd.
ctl() {
  local index=$1; shift
  HOME=$RMQC_DIR/node$index/home ERL_EPMD_PORT=$RMQC_EPMD_PORT timeout 60 "$RMQ_BIN/rabbitmqctl" -q -n "$(node_of "$index")" "$@"
}

joined() { [[ $(ctl 0 cluster_status --formatter json 2>/dev/null) == *"\"$(node_of "$1")\""* ]]; }

start() {
  local start_ms i; start_ms=$(now_ms)
  node 0 start
  for (( i = 1; i < RMQC_SIZE; i++ )); do
    if [[ -d $RMQC_DIR/node$i/mnesia ]] && joined "$i"; then node "$i" start; continue; fi
    node "$i" start
    ctl "$i" stop_app
    ctl "$i" join_cluster "$(node_of 0)"
    ctl "$i" start_app
    ctl "$i" await_startup --timeout 60 >/dev/null
  done
  local running
  running=$(ctl 0 cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]' | grep -o '@localhost' | wc -l)
  (( running == RMQC_SIZE )) || die "cluster has $running running nodes, expected $RMQC_SIZE"
  log "$RMQC_SIZE nodes running on 127.0.0.1:$(port_of 0)..$(port_of $(( RMQC_SIZE - 1 ))) in $(elapsed_s "$start_ms")s"
}

stop() {
  local i
  for (( i = RMQC_SIZE - 1; i >= 0; i-- )); do node "$i" stop 2>/dev/null || true; done
  if command -v epmd >/dev/null; then epmd -port "$RMQC_EPMD_PORT" -kill >/dev/null 2>&1 || true; fi
  log "stopped"
}

kill_node() {
  local index=${1:?node index} pid_file
  pid_file=$RMQC_DIR/node$index/rabbitmq-server.pid # written by the broker itself: the Erlang VM, not a wrapper
  [[ -s $pid_file ]] || die "node $index has no pid file"
  kill -KILL "$(<"$pid_file")" 2>/dev/null || true
  stop_pid "$RMQC_DIR/node$index/rabbitmq.pid" 5 # the launcher, which exits with the VM
  log "node $index ($(node_of "$index")) killed"
}

leader() {
  local queue=${1:?queue name} i name
  for (( i = 0; i < RMQC_SIZE; i++ )); do
    name=$(ctl "$i" list_queues name leader --no-table-headers 2>/dev/null | awk -v q="$queue" '$1 == q { print $2 }') || continue
    [[ -n $name ]] || continue
    for (( j = 0; j < RMQC_SIZE; j++ )); do [[ $(node_of "$j") == "$name" ]] && { echo "$j"; return 0; }; done
  done
  die "no node names a leader for queue $queue"
}

case ${1:-start} in
  start) start ;;
  stop) stop ;;
  status) for (( i = 0; i < RMQC_SIZE; i++ )); do node "$i" status || exit 1; done ;;
  nodes) for (( i = 0; i < RMQC_SIZE; i++ )); do printf '%d %d %s\n' "$i" "$(port_of "$i")" "$(node_of "$i")"; done ;;
  kill) kill_node "${2:-}" ;;
  start-node) node "${2:?node index}" start ;;
  stop-node) node "${2:?node index}" stop ;;
  leader) leader "${2:-}" ;;
  *) die "usage: $0 start|stop|status|nodes|kill N|start-node N|stop-node N|leader QUEUE" ;;
esac
