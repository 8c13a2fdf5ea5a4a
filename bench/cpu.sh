#!/usr/bin/env bash
# The CPU split of one bench row, from /proc, so a row shows the worker's cost apart from clamd's and the broker's
# and says whether the machine itself was the bound:
#   cpu.sh sample WORKER_PID CLAMD_PID BROKER_PID [STORE_PIDS]
#                                                  prints "busy total worker clamd broker store" in clock ticks: the
#                                                  machine's busy and total ticks (/proc/stat, all cores) and each
#                                                  process with all its descendants ("-" for a pid of 0); STORE_PIDS
#                                                  is the S3 server, its processes joined by commas (Ceph RGW is three)
#   cpu.sh cells BEFORE AFTER SCANS                 prints the row's cells from two samples: worker, clamd, broker and
#                                                  store CPU per scan, and how busy the machine's cores were
# Used by bench/e2e.sh for the raw and REST rows and by bench/ScanWorker.Bench for the queue rows.
set -euo pipefail

case ${1:-} in
sample)
  shift
  machine=$(awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; printf "%d %d", busy, busy + $5 + $6; exit }' /proc/stat)
  # A process may end between the glob and the read: cat goes on, and its exit status says nothing here.
  roots="$1 $2 $3 ${4:-0}"
  trees=$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$roots" '
    {
      pid = $1; rest = $0
      sub(/.*\) /, "", rest) # the command name may hold spaces and parentheses: fields start after its last ")"
      split(rest, f, " ")
      parent[pid] = f[2]; ticks[pid] = f[12] + f[13]
    }
    END {
      n = split(roots, root, " ")
      for (i = 1; i <= n; i++) {
        if (root[i] + 0 <= 0) { printf " -"; continue }
        sum = 0
        delete member
        m = split(root[i], listed, ",")
        for (j = 1; j <= m; j++) member[listed[j]] = 1
        for (p in ticks) {
          q = p
          while (!(q in member) && (q in parent)) q = parent[q]
          if (q in member) sum += ticks[p]
        }
        printf " %d", sum
      }
    }')
  echo "$machine$trees"
  ;;
cells)
  awk -v before="$2" -v after="$3" -v scans="$4" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(before, b, " "); split(after, a, " ")
    for (i = 3; i <= 6; i++) {
      cell[i] = (b[i] == "" || b[i] == "-" || a[i] == "-") ? "-" : sprintf("%.2f ms", (a[i] - b[i]) * 1000 / hz / scans)
    }
    busy = (a[2] > b[2]) ? 100 * (a[1] - b[1]) / (a[2] - b[2]) : 0
    printf "%s | %s | %s | %s | %.0f %%\n", cell[3], cell[4], cell[5], cell[6], busy
  }'
  ;;
*)
  echo "usage: cpu.sh sample WORKER_PID CLAMD_PID BROKER_PID [STORE_PIDS] | cpu.sh cells BEFORE AFTER SCANS" >&2
  exit 2
  ;;
esac
