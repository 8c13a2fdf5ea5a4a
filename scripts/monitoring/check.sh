#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Validates deploy/monitoring against real servers: promtool checks and unit-tests the alert rules, then a
# real Prometheus (Debian's) scrapes a test worker (the mount-queue shape of docs/configuration.md, built binary) and its
# RabbitMQ (rabbitmq_prometheus, per-queue metrics) after a few real scans, and every dashboard query and
# rule expression is run against it (queries.py).
#   scripts/monitoring/check.sh          (builds the solution through scripts/build.sh when it is not built)
set -euo pipefail
export SERVER_NAME=monitoring
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../servers/lib.sh
source "$root/scripts/servers/lib.sh"
# Debian's python3 with Debian's yaml and pika (a python3 earlier on PATH, e.g. pyenv's, may lack them).
py=/usr/bin/python3
command -v promtool >/dev/null && command -v prometheus >/dev/null && "$py" -c 'import yaml, pika' 2>/dev/null \
  || apt_install prometheus python3 python3-yaml python3-pika

monitoring=$root/deploy/monitoring
promtool check rules "$monitoring/scanworker-alerts.yml"
promtool test rules "$monitoring/scanworker-alerts.test.yml"
"$py" -c 'import json, sys; json.load(open(sys.argv[1]))' "$monitoring/scanworker-dashboard.json"

# shellcheck source=scripts/build.sh
source "$root/scripts/build.sh"
dll=$SCANWORKER_WORKER_DLL
[[ -f $dll ]] || build_solution >/dev/null
work=$(mktemp -d /tmp/scanworker-monitoring.XXXXXX)
port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
amqp_port=$(port) prom_rmq_port=$(port) http_port=$(port) prom_port=$(port) clamd_port=$(port) dist_port=$(port) epmd_port=$(port)
export RMQ_DIR=$work/rabbitmq RMQ_PORT=$amqp_port RMQ_DIST_PORT=$dist_port RMQ_EPMD_PORT=$epmd_port RMQ_PROMETHEUS_PORT=$prom_rmq_port
export CLAMD_DIR=$work/clamd CLAMD_TCP_PORT=$clamd_port CLAMD_STREAM_MAX=1M
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  if (( status != 0 )); then
    for file in prometheus.log worker.log; do [[ -f $work/$file ]] && { echo "--- $file" >&2; tail -n 25 "$work/$file" >&2; }; done
  fi
  stop_pid "$work/prometheus.pid" 10
  stop_pid "$work/worker.pid" 30
  bash "$root/scripts/servers/rabbitmq.sh" stop >/dev/null 2>&1 || true
  bash "$root/scripts/servers/clamd.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
bash "$root/scripts/servers/rabbitmq.sh" start
bash "$root/scripts/servers/clamd.sh" start

# The worker with the mount-queue shape's settings only (docs/configuration.md).
mkdir -p "$work/mount"
printf 'Just an ordinary document.\n' >"$work/mount/clean.txt"
printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR' '-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$work/mount/eicar.com"
RabbitMq__Host=127.0.0.1 RabbitMq__Port=$amqp_port RabbitMq__User=guest RabbitMq__Pass=guest \
  Mount__Root=$work/mount CLAMD_PORT=tcp://127.0.0.1:$clamd_port PORT=$http_port \
  setsid dotnet "$dll" </dev/null >"$work/worker.log" 2>&1 &
echo $! >"$work/worker.pid"
deadline=$(( $(date +%s) + 60 ))
until bash "$root/deploy/healthcheck.sh" "$http_port" /health/ready 2>/dev/null; do
  pid_alive "$work/worker.pid" || { tail -n 30 "$work/worker.log" >&2; die "the worker exited during start"; }
  (( $(date +%s) < deadline )) || { tail -n 30 "$work/worker.log" >&2; die "the worker was not ready within 60s"; }
  sleep 0.5
done

cat >"$work/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $monitoring/scanworker-alerts.yml
scrape_configs:
  - job_name: scanworker
    static_configs: [{targets: ["127.0.0.1:$http_port"]}]
  - job_name: rabbitmq
    static_configs: [{targets: ["127.0.0.1:$prom_rmq_port"]}]
CONF
promtool check config "$work/prometheus.yml" >/dev/null
setsid prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" </dev/null >"$work/prometheus.log" 2>&1 &
echo $! >"$work/prometheus.pid"
base=http://127.0.0.1:$prom_port

# A few real scans of each kind: clean, infected, an error (missing file) over the queue, two over REST,
# and a message with no scanId, which goes to the error queue.
export AMQP_URL=amqp://guest:guest@127.0.0.1:$amqp_port/ RESULT_TIMEOUT=30
expect() { local want=$1; shift; local got=0; "$py" "$root/examples/scan-request.py" "$@" >/dev/null || got=$?; (( got == want )) || die "scan-request.py $* exited $got, expected $want"; }
expect 0 clean.txt
expect 1 eicar.com
expect 2 missing.txt
upload() { local code; code=$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -F "file=@$work/mount/$2" "http://127.0.0.1:$http_port/v2/scan"); [[ $code == "$1" ]] || die "/v2/scan of $2 answered $code, expected $1"; }
upload 200 clean.txt
upload 406 eicar.com
"$py" - "$AMQP_URL" <<'PY'
import sys, pika
connection = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
connection.channel().basic_publish("", "scan-requests", b'{"no":"scanId"}', pika.BasicProperties(content_type="application/json"))
connection.close()
PY

# Every query once the scrapes hold all three verdicts and the error queue, and the rules were evaluated.
"$py" "$here/queries.py" --wait "$base" 'scanworker_scans_total' 5
"$py" "$here/queries.py" --wait "$base" 'rabbitmq_queue_messages{queue="scan-requests_error"} > 0' 1
"$py" "$here/queries.py" --wait "$base" 'sum(rate(scanworker_scans_total[1m])) >= 0' 1
"$py" "$here/queries.py" "$base" "$monitoring/scanworker-dashboard.json" "$monitoring/scanworker-alerts.yml"
