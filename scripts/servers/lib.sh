#!/usr/bin/env bash
# Shared helpers for the server scripts. Sourced, never run.
# Every server is started with setsid into its own data dir, its PID is kept in a file,
# and it is stopped by that PID only (never by process name).

# A log line that cannot be written (stderr piped to a reader that Ctrl-C killed first) must not stop the script under
# set -e: stopping the servers matters more than saying so (scripts/run-local.sh's stop).
log() { printf '%s: %s\n' "${SERVER_NAME:-server}" "$*" >&2 || true; }
die() { log "ERROR: $*"; exit 1; }

# now_ms: wall clock in milliseconds, for "ready in N s" lines.
now_ms() { date +%s%3N; }

elapsed_s() { local start=$1; awk -v ms="$(( $(now_ms) - start ))" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# pid_alive FILE: true when FILE names a running process.
pid_alive() {
  local file=$1 pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# tcp_open HOST PORT: true when something accepts connections there.
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# port_free PORT: refuse to start on a loopback port someone else already holds.
require_free_port() {
  local port=$1
  if tcp_open 127.0.0.1 "$port"; then die "port $port on 127.0.0.1 is already in use by another process"; fi
}

# stop_pid FILE [SECONDS]: TERM the process named in FILE, KILL it after SECONDS, remove FILE.
stop_pid() {
  local file=$1 wait_s=${2:-10} pid i
  if ! pid_alive "$file"; then rm -f "$file"; return 0; fi
  pid=$(<"$file")
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true # a process stopped with SIGSTOP (a freeze test) only sees TERM once it runs
  for (( i = 0; i < wait_s * 10; i++ )); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  log "pid $pid did not stop within ${wait_s}s; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

# apt_install PKG...: install Debian packages that are missing (needs root or sudo).
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == *'install ok installed'* ]] || missing+=("$pkg")
  done
  (( ${#missing[@]} == 0 )) && return 0
  local sudo=()
  (( EUID == 0 )) || sudo=(sudo)
  log "installing ${missing[*]} with apt"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
