#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops every server whose data dir lies directly under DIR (by the PID each one recorded).
#   stop-all.sh DIR
# The test fixture and run-local.sh give each server its own dir under one base dir, so a crashed
# test run can still be cleaned up from outside.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
base=${1:?usage: stop-all.sh DIR}
[[ -d $base ]] || exit 0
for dir in "$base"/*/; do
  dir=${dir%/}
  if [[ -f $dir/env.sh && -f $dir/rabbitmq.conf ]]; then RMQ_DIR=$dir bash "$here/rabbitmq.sh" stop
  elif [[ -f $dir/clamd.conf ]]; then CLAMD_DIR=$dir bash "$here/clamd.sh" stop
  elif [[ -f $dir/launch.js ]]; then S3_DIR=$dir bash "$here/s3.sh" stop
  elif [[ -f $dir/ceph.conf ]]; then RGW_DIR=$dir bash "$here/ceph-rgw.sh" stop
  elif [[ -f $dir/cookie ]]; then # rabbitmq-cluster.sh: one rabbitmq.sh data dir per node
    for node in "$dir"/node*/; do [[ -f $node/env.sh ]] && RMQ_DIR=${node%/} bash "$here/rabbitmq.sh" stop; done
  fi
done
