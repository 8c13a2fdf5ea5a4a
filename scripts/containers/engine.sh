#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A local container engine for the tests and the image check: podman's Docker-compatible API with
# slirp4netns, so containers get port mappings on the host's loopback and never a bridge network.
#   engine.sh install | start | stop | status | env
# `start` prints nothing on stdout; `env` prints the exports a client needs (eval "$(engine.sh env)"):
#   DOCKER_HOST, CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, TESTCONTAINERS_RYUK_DISABLED,
#   TESTCONTAINERS_HOST_OVERRIDE, SCANWORKER_TEST_CONTAINER_NETWORK.
# Knobs: SCANWORKER_ENGINE_DIR  config, storage and socket   (/tmp/scanworker-engine)
# Why podman and not Debian's dockerd: dockerd runs here only with its bridge off (host networking), and
# then reports no port mappings, which Testcontainers' RabbitMqBuilder waits for. slirp4netns forwards
# from the host's side instead, so the stock builder works (docs/testing.md, "Tests on containers").
set -euo pipefail
export SERVER_NAME=engine
# shellcheck source=../servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../servers/lib.sh"

W=${SCANWORKER_ENGINE_DIR:-/tmp/scanworker-engine}
PID_FILE=$W/podman.pid
SOCKET=$W/podman.sock

write_config() {
  mkdir -p "$W/storage" "$W/run" "$W/no-cni-plugins" "$W/cni-net.d"
  # The [network] section is a guard: with no CNI plugins a bridge network cannot be created, so a
  # container that asks for one fails before any packet leaves loopback.
  cat >"$W/containers.conf" <<CONF
[containers]
netns = "slirp4netns"
log_driver = "k8s-file"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
network_cmd_options = ["port_handler=slirp4netns"]

[network]
network_backend = "cni"
cni_plugin_dirs = ["$W/no-cni-plugins"]
network_config_dir = "$W/cni-net.d"
CONF
  cat >"$W/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$W/storage"
runroot = "$W/run"
CONF
}

print_env() {
  cat <<ENV
export CONTAINERS_CONF='$W/containers.conf'
export CONTAINERS_STORAGE_CONF='$W/storage.conf'
export DOCKER_HOST='unix://$SOCKET'
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export SCANWORKER_TEST_CONTAINER_NETWORK=slirp4netns
ENV
}

answers() { [[ -S $SOCKET ]] && curl -fsS --max-time 3 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }

start() {
  command -v podman >/dev/null && command -v slirp4netns >/dev/null || die "podman is not installed; run: $0 install"
  write_config
  if pid_alive "$PID_FILE" && answers; then log "already running at unix://$SOCKET"; return 0; fi
  stop_pid "$PID_FILE"
  rm -f "$SOCKET"
  eval "$(print_env)"
  setsid podman system service --time=0 "unix://$SOCKET" </dev/null >"$W/service.log" 2>&1 &
  echo $! >"$PID_FILE"
  local deadline=$(( $(date +%s) + 30 ))
  until answers; do
    pid_alive "$PID_FILE" || { tail -n 20 "$W/service.log" >&2; die "podman service exited during start"; }
    (( $(date +%s) < deadline )) || { tail -n 20 "$W/service.log" >&2; die "podman service did not answer within 30s"; }
    sleep 0.2
  done
  log "podman $(podman --version | awk '{print $3}') answering at unix://$SOCKET (pid $(<"$PID_FILE"))"
}

stop() {
  if [[ -f $W/containers.conf ]]; then
    eval "$(print_env)"
    # Containers a crashed test run left behind (Ryuk, Testcontainers' reaper, is off here).
    timeout 60 podman rm --all --force --time 5 >/dev/null 2>&1 || true
  fi
  stop_pid "$PID_FILE" 15
  log "stopped"
}

case ${1:-start} in
  install) apt_install podman slirp4netns uidmap runc debootstrap curl ;;
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PID_FILE" && answers ;;
  env) print_env ;;
  *) die "usage: $0 install|start|stop|status|env" ;;
esac
