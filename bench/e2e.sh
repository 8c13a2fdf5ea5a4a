#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Queue and REST against the physical limit, in one run on one clamd (MaxThreads 4), for each signature profile:
#   test       the project's EICAR-only test signatures (what the tests use);
#   realistic  those plus a large synthetic database generated here from a seed (bench/synthetic_signatures.py:
#              200,000 body and 1,500,000 hash signatures, nothing downloaded, nothing that matches a real file),
#              which puts clamd's cost per scan near a production database's.
# Per profile:
#   1. raw INSTREAM (bench/raw/raw-instream.c: a bare C client, one connection per scan, 64 KiB chunks) at 1, 4
#      and 32 connections, 4 KiB and 1 MiB objects: the limit;
#   2. REST /v2/scan with wrk at 1, 4 and 32 connections;
#   3. queue end to end (pre-loaded queue, rate from the first to the last result event), mount and S3 sources (s3rver,
#      the Node test server, and Ceph RGW, a real S3 server, with its CPU in the split), and the cold row: a fresh
#      worker on a pre-loaded queue, start to ready and ready to 90 % of its steady rate; and the floor: the same queue
#      received and answered by MassTransit alone with nothing scanned, the least a queued scan can cost here;
# then, once:
#   4. the worker's RSS growth (peak VmHWM over the VmRSS before) for one 1 GiB object via S3 and via upload.
# Every request on every path carries unique content (clamd answers a repeat from its clean-result cache).
# Each row gives its ratio to the raw baseline at the same size and concurrency on the same clamd, measured again
# right before and right after the row (the ratio is to their mean: this machine's speed drifts within minutes),
# and the CPU split over the row (bench/cpu.sh, from /proc): the worker's, clamd's, the broker's and the S3 server's
# CPU time per scan, each with its child processes, and how busy the machine's cores were, so the worker's cost shows apart
# from the servers' and a row bound by the machine itself says so.
#   bash bench/e2e.sh            (paste the tables into bench/RESULTS.md)
# Knobs: E2E_PROFILES ("test realistic"), E2E_SEED (the synthetic database's seed), E2E_SMALL (4 KiB scans per
#        scenario, 8000), E2E_LARGE (1 MiB scans, 600), E2E_SECONDS (wrk, 10), E2E_PATHS (which of "rest queue floor cold rss"
#        to run after the raw baseline; default all), E2E_SOURCES ("mount s3 rgw"), E2E_COLD (4 KiB requests in the cold
#        row, 20000), E2E_RSS_BYTES (the large object of step 4, 1073741824), E2E_WARMUP_SECONDS (REST warm-up, 25),
#        E2E_WARMUP (4 KiB requests queued ahead of each queue row's measured ones, 20000), E2E_WORKER_DLL (another
#        build's ScanWorker.dll, for before/after: e.g. a git worktree of the earlier commit, built with scripts/build.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SERVER_NAME=e2e
# shellcheck source=../scripts/servers/lib.sh
source scripts/servers/lib.sh
small=${E2E_SMALL:-8000}
large=${E2E_LARGE:-600}
seconds=${E2E_SECONDS:-10}
dir=$(mktemp -d /tmp/scanworker-e2e.XXXXXX)
export CLAMD_DIR=$dir/clamd CLAMD_TCP_PORT=${E2E_CLAMD_PORT:-3396} CLAMD_STREAM_MAX=1100M CLAMD_MAX_THREADS=4
export RMQ_DIR=$dir/rabbitmq RMQ_PORT=${E2E_RMQ_PORT:-5696} RMQ_DIST_PORT=${E2E_RMQ_DIST_PORT:-25696} RMQ_EPMD_PORT=${E2E_EPMD_PORT:-4396}
export S3_DIR=$dir/s3 S3_PORT=${E2E_S3_PORT:-4596} S3_BUCKETS=scan-input
export RGW_DIR=$dir/ceph RGW_PORT=${E2E_RGW_PORT:-7496} RGW_MON_PORT=${E2E_RGW_MON_PORT:-6796} RGW_OSD_PORTS=${E2E_RGW_OSD_PORTS:-6850}
export RGW_BUCKETS=scan-input RGW_MEMSTORE_MB=${E2E_RGW_MEMSTORE_MB:-3072}
http_port=${E2E_HTTP_PORT:-9396}
worker=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [[ -n $worker ]] && kill "$worker" 2>/dev/null && wait "$worker" 2>/dev/null
  bash scripts/servers/stop-all.sh "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

apt_install wrk gcc
bash scripts/install-prerequisites.sh >/dev/null
bash scripts/servers/rabbitmq.sh start
bash scripts/servers/s3.sh start
sources=${E2E_SOURCES:-mount s3 rgw}
[[ " $sources " != *" rgw "* ]] || bash scripts/servers/ceph-rgw.sh start
gcc -O2 -Wall -Wextra -pthread -o "$dir/raw-instream" bench/raw/raw-instream.c
# shellcheck source=scripts/build.sh
source scripts/build.sh
build_solution >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
# The worker as it ships (ReadyToRun, scripts/publish.sh), or another build's, for an A/B run.
if [[ -z ${E2E_WORKER_DLL:-} ]]; then
  bash scripts/publish.sh "$dir/worker" >"$dir/publish.log" 2>&1 || { cat "$dir/publish.log" >&2; exit 1; }
fi
worker_dll=${E2E_WORKER_DLL:-$dir/worker/ScanWorker.dll}
bench_dll=$SCANWORKER_BENCH_DLL

raw() { "$dir/raw-instream" 127.0.0.1 "$CLAMD_TCP_PORT" "$1" "$2" "$3" | awk '{ print $3 }'; }
export E2E_CLAMD_PID E2E_BROKER_PID # the queue rows (ScanWorker.Bench) sample the same processes
E2E_BROKER_PID=$(<"$RMQ_DIR/rabbitmq.pid")
sample() { bash bench/cpu.sh sample "${1:-0}" "$E2E_CLAMD_PID" "$E2E_BROKER_PID"; }
label() { echo "$(( $1 >= 1048576 ? $1 / 1048576 : $1 / 1024 ))$( (( $1 >= 1048576 )) && echo ' MiB' || echo ' KiB')"; }
# row LABEL SCANS RATE RAW_BEFORE RAW_AFTER CELLS: one table row, its ratio to the mean of the raw rates around it
row() {
  awk -v label="$1" -v n="$2" -v rate="$3" -v before="$4" -v after="$5" -v cells="$6" 'BEGIN {
    printf "| %s | %d | %.0f/s | %.0f/s, %.0f/s | %.2fx | %s |\n", label, n, rate, before, after, rate / ((before + after) / 2), cells }'
}
count() { (( $1 > 4096 )) && echo "$large" || echo "$small"; }
# The REST worker's JIT seconds so far (its /metrics): compiling during a row means it measured warm-up.
jit() { curl -fsS "http://127.0.0.1:$http_port/metrics" | awk '/^dotnet_jit_compilation_seconds_total / { print $2 }'; }
paths=${E2E_PATHS:-rest queue floor cold rss}
amqp="amqp://guest:guest@127.0.0.1:$RMQ_PORT/"

# start_clamd PROFILE: clamd on the same port with the profile's signatures (the synthetic ones generated once).
start_clamd() {
  bash scripts/servers/clamd.sh stop >/dev/null 2>&1 || true
  export CLAMD_DIR=$dir/clamd-$1 CLAMD_EXTRA_SIGNATURES='' CLAMD_START_TIMEOUT=600
  if [[ $1 == realistic ]]; then
    if [[ ! -f $dir/synthetic/synthetic.hdb ]]; then
      mkdir -p "$dir/synthetic"
      python3 bench/synthetic_signatures.py "${E2E_SEED:-scanworker-bench}" "$dir/synthetic"
    fi
    CLAMD_EXTRA_SIGNATURES="$dir/synthetic/synthetic.ndb $dir/synthetic/synthetic.hdb"
  fi
  bash scripts/servers/clamd.sh start >&2
  E2E_CLAMD_PID=$(<"$CLAMD_DIR/clamd.pid")
}

# profile_rows PROFILE: steps 1 to 3 on one clamd.
profile_rows() {
  local profile=$1 spec size conns before after rate raw_before result requests wall non2xx errors source n
  start_clamd "$profile"
  echo
  echo "### $profile signatures: $(date -u +%Y-%m-%d) · $(nproc) cores · clamd $(clamd --version | cut -d/ -f1) MaxThreads 4 · .NET $(dotnet --version)"
  echo
  echo "| path | scans | rate | raw before, after | ratio to raw | worker CPU per scan | clamd CPU per scan | broker CPU per scan | S3 server CPU per scan | machine busy | worker JIT in the row |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for spec in "4096 1" "4096 4" "4096 32" "1048576 1" "1048576 4"; do
    read -r size conns <<<"$spec"
    before=$(sample)
    rate=$(raw "$size" "$(count "$size")" "$conns")
    row "raw INSTREAM, $(label "$size"), $conns connections" "$(count "$size")" "$rate" "$rate" "$rate" \
      "$(bash bench/cpu.sh cells "$before" "$(sample)" "$(count "$size")") | -"
  done

  if [[ $paths == *rest* ]]; then
    # REST: an HTTP-only worker, with the limits of the raw client, logging as it ships (a line per scan), to a file.
    (cd "$(dirname "$worker_dll")" && exec env -i PATH="$PATH" HOME="$HOME" Messaging__Enabled=false Http__BindAddress=127.0.0.1 \
      CLAMD_PORT="tcp://127.0.0.1:$CLAMD_TCP_PORT" PORT="$http_port" SSL_PORT= MAX_FILE_SIZE=1024M Clamd__MaxConcurrentScans=4 \
      dotnet "$worker_dll" >>"$dir/rest-worker.log" 2>&1) &
    worker=$!
    for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$http_port/health/live" >/dev/null 2>&1 && break; sleep 0.2; done
    local eicar
    eicar=$(printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR' '-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*')
    [[ $(printf '%s' "$eicar" | curl -s -o /dev/null -w '%{http_code}' -F "file=@-;filename=e.com" "http://127.0.0.1:$http_port/v2/scan") == 406 ]] \
      || die "the REST facade did not find EICAR"
    # Warm-up: the JIT's tiers and the pools, so the rows measure the steady state (a fresh worker under load spends
    # about 20 s of one core recompiling hot code at tier 1: bench/RESULTS.md, 2026-12-06).
    BODY_BYTES=4096 wrk -t 2 -c 4 -d "${E2E_WARMUP_SECONDS:-25}s" -s bench/wrk-upload.lua "http://127.0.0.1:$http_port/v2/scan" >/dev/null
    for spec in "4096 1" "4096 4" "4096 32" "1048576 4"; do
      read -r size conns <<<"$spec"
      raw_before=$(raw "$size" "$(count "$size")" "$conns")
      before=$(sample "$worker") jit_before=$(jit)
      result=$(BODY_BYTES=$size wrk -t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d "${seconds}s" -s bench/wrk-upload.lua "http://127.0.0.1:$http_port/v2/scan" | grep '^requests')
      after=$(sample "$worker") jit_after=$(jit)
      read -r _ requests _ wall _ non2xx _ errors <<<"$result"
      (( non2xx == 0 && errors == 0 )) || die "REST at $conns connections: $non2xx non-2xx answers, $errors socket errors"
      row "REST /v2/scan (wrk), $(label "$size"), $conns connections" "$requests" "$(awk -v r="$requests" -v s="$wall" 'BEGIN { print r / s }')" \
        "$raw_before" "$(raw "$size" "$(count "$size")" "$conns")" \
        "$(bash bench/cpu.sh cells "$before" "$after" "$requests") | $(awk -v a="$jit_before" -v b="$jit_after" 'BEGIN { printf "%.2f s", b - a }')"
    done
    kill "$worker"; wait "$worker" 2>/dev/null || true; worker=
  fi

  if [[ $paths == *queue* ]]; then
    for spec in "mount 4096 $small" "mount 1048576 $large" "s3 4096 $small" "s3 1048576 $large" "rgw 4096 $small" "rgw 1048576 $large"; do
      read -r source size n <<<"$spec"
      [[ " $sources " == *" $source "* ]] || continue
      local -a s3=()
      local name url
      case $source in
        s3) s3=(env "E2E_STORE_PIDS=$(<"$S3_DIR/s3.pid")") name="S3 source (s3rver)"
            url=http://127.0.0.1:$S3_PORT ;;
        rgw) s3=(env "E2E_STORE_PIDS=$(paste -sd, "$RGW_DIR"/run/{rgw,osd,mon}.pid)" E2E_S3_ACCESS_KEY=scanworker-rgw E2E_S3_SECRET_KEY=scanworker-rgw-secret)
            name="S3 source (Ceph RGW)" url=http://127.0.0.1:$RGW_PORT ;;
        *) name="mount source" url= ;;
      esac
      raw_before=$(raw "$size" "$n" 4)
      # The bench prints "<rate> | <cells>" for the measured requests; the row is made here like the others.
      result=$("${s3[@]}" dotnet "$bench_dll" queue "$amqp" "tcp://127.0.0.1:$CLAMD_TCP_PORT" "$worker_dll" "${source/rgw/s3}" "$size" "$n" ${url:+"$url"} | tail -n 1)
      row "queue end to end, $name, $(label "$size")" "$n" "${result%% |*}" "$raw_before" "$(raw "$size" "$n" 4)" "${result#* | }"
    done
  fi

  if [[ $paths == *floor* ]]; then
    # What MassTransit and RabbitMQ.Client alone cost per message here: the request queue received as the worker
    # receives it, a result published with its confirm, the ack, and nothing scanned (bench/ScanWorker.Bench/FloorConsumer.cs).
    result=$(dotnet "$bench_dll" queue "$amqp" "tcp://127.0.0.1:$CLAMD_TCP_PORT" floor mount 4096 "$small" | tail -n 1)
    echo "| queue floor: MassTransit alone, nothing scanned, 4 KiB | $small | $(printf '%.0f' "${result%% |*}")/s | - | - | ${result#* | } |"
  fi

  if [[ $paths == *cold* ]]; then
    echo
    echo "| cold start ($profile signatures), mount source, 4 KiB | requests | start to ready | ready to 90 % of steady | steady rate | first 1,000 results vs steady | JIT after ready | worker CPU per scan, second half |"
    echo "|---|---|---|---|---|---|---|---|"
    n=${E2E_COLD:-20000}
    result=$(dotnet "$bench_dll" queue-cold "$amqp" "tcp://127.0.0.1:$CLAMD_TCP_PORT" "$worker_dll" mount 4096 "$n" | tail -n 1)
    echo "| a fresh worker on a pre-loaded queue | $n | $result |"
    # The trade docs/deployment.md offers for pods that live for a burst: no tiering, at speed when ready, more CPU per scan.
    result=$(E2E_WORKER_DOTNET_TieredCompilation=0 dotnet "$bench_dll" queue-cold "$amqp" "tcp://127.0.0.1:$CLAMD_TCP_PORT" "$worker_dll" mount 4096 "$n" | tail -n 1)
    echo "| the same with \`DOTNET_TieredCompilation=0\` | $n | $result |"
  fi
}

for profile in ${E2E_PROFILES:-test realistic}; do
  profile_rows "$profile"
done
[[ $paths == *rss* ]] || exit 0

# Step 4: one large object through each path; memory must stay flat whatever the size.
[[ $profile == test ]] || start_clamd test
rss_bytes=${E2E_RSS_BYTES:-1073741824}
big=$dir/big.bin
# (yes ends on SIGPIPE when head has enough; that is not a failure)
{ yes 'The quick brown fox jumps over the lazy dog; a large clean object for the memory row.' || true; } | head -c "$rss_bytes" >"$big"
(cd "$(dirname "$worker_dll")" && exec env -i PATH="$PATH" HOME="$HOME" RabbitMq__Host=127.0.0.1 RabbitMq__Port="$RMQ_PORT" \
  S3__ServiceUrl="http://127.0.0.1:$S3_PORT" S3__ForcePathStyle=true S3__AccessKey=S3RVER S3__SecretKey=S3RVER Mount__Root="$dir" \
  CLAMD_PORT="tcp://127.0.0.1:$CLAMD_TCP_PORT" PORT="$http_port" SSL_PORT= MAX_FILE_SIZE=1100M Scanning__MaxObjectBytes=1153433600 \
  Messaging__ScanRequestsQueue=rss-requests Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Error \
  dotnet "$worker_dll") &
worker=$!
until bash deploy/healthcheck.sh "$http_port" /health/ready 2>/dev/null; do kill -0 "$worker" || die "the worker exited"; sleep 0.2; done
kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$worker/status"; }
# Warm-up through both paths, so the baseline holds the pools and the JIT's code, as a running worker does.
cp bench/e2e.sh "$dir/warm.txt"
curl -fsS -o /dev/null -F "file=@$dir/warm.txt" "http://127.0.0.1:$http_port/v2/scan"
AMQP_URL=$amqp SCAN_QUEUE=rss-requests /usr/bin/python3 examples/scan-request.py warm.txt >/dev/null || die "warm-up scan over the queue failed"
curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$big" "http://127.0.0.1:$S3_PORT/scan-input/rss-big.bin" \
  || die "could not put the large object into the S3 server"
rss_row() { # rss_row LABEL COMMAND...: the peak growth of the worker's RSS while COMMAND runs
  local label=$1; shift
  echo 5 >"/proc/$worker/clear_refs" # resets VmHWM to the current RSS
  local before; before=$(kib VmRSS)
  "$@" || die "$label: the scan did not come back clean"
  printf '| %s | %d MiB | %.0f MiB | %.0f MiB | %.0f MiB |\n' "$label" $(( rss_bytes / 1048576 )) "$(( before / 1024 ))" \
    "$(( $(kib VmHWM) / 1024 ))" "$(( ($(kib VmHWM) - before) / 1024 ))"
}
s3_scan() { AMQP_URL=$amqp SCAN_QUEUE=rss-requests RESULT_TIMEOUT=600 /usr/bin/python3 examples/scan-request.py scan-input rss-big.bin >/dev/null; }
upload() { [[ $(curl -sS --max-time 600 -F "file=@$big" "http://127.0.0.1:$http_port/v2/scan") == *'"Status":"OK"'* ]]; }
echo
echo "| path | object | RSS before | peak RSS | growth |"
echo "|---|---|---|---|---|"
rss_row "queue, S3 source" s3_scan
rss_row "REST /v2/scan upload" upload
