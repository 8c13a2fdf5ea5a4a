#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# An S3-compatible test server on loopback: @20minutes/s3rver 5.0.0 from npm, which verifies SigV4.
#   s3.sh install | start | stop | status
# Knobs (environment):
#   S3_DIR        data dir                          (/tmp/scanworker/s3)
#   S3_PORT       HTTP port on 127.0.0.1            (4569)
#   S3_BUCKETS    buckets created at start, spaces  (scan-input)
#   S3_TOOLS_DIR  where npm installs the server     (~/.cache/scanworker/s3rver)
# Credentials are s3rver's built-in account: access key S3RVER, secret S3RVER.
set -euo pipefail
export SERVER_NAME=s3
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S3_DIR=${S3_DIR:-/tmp/scanworker/s3}
S3_PORT=${S3_PORT:-4569}
S3_BUCKETS=${S3_BUCKETS:-scan-input}
S3_TOOLS_DIR=${S3_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scanworker/s3rver}
S3_PACKAGE=@20minutes/s3rver@5.0.0
PKG_DIR=$S3_TOOLS_DIR/node_modules/@20minutes/s3rver
PID_FILE=$S3_DIR/s3.pid

# Four fixes, applied to the installed copy and verified:
#  1. x-amz-copy-source arrives as bucket%2Fkey: decode it with decodeURIComponent, not decodeURI.
#  2. bucket-level requests are signed with a trailing '/' in the canonical URI (ListObjectsV2).
#  3. query values are signed RFC 3986-encoded, so prefixes with ( ) ! ' * verify.
#  4. ListObjectsV2 continuation tokens were DES-encrypted, which OpenSSL 3 refuses (500 on every
#     truncated listing): they become plain base64 (opaque to clients either way).
patch_server() {
  node - "$PKG_DIR" <<'JS'
const fs = require('node:fs')
const path = require('node:path')
const dir = process.argv[2]
function patch(file, from, to, marker) {
  const full = path.join(dir, file)
  let text = fs.readFileSync(full, 'utf8')
  if (text.includes(marker)) return
  if (!text.includes(from)) { console.error(`s3: patch target not found in ${file}: ${from}`); process.exit(1) }
  text = text.split(from).join(to)
  fs.writeFileSync(full, text)
}
patch('lib/controllers/object.js',
  "decodeURI(ctx.headers['x-amz-copy-source'])",
  "decodeURIComponent(ctx.headers['x-amz-copy-source'])",
  "decodeURIComponent(ctx.headers['x-amz-copy-source'])")
patch('lib/middleware/authentication.js',
  "        canonicalizedResource += `/${ctx.params.key}`\n      }\n",
  "        canonicalizedResource += `/${ctx.params.key}`\n      } else if (ctx.path.endsWith('/')) {\n        canonicalizedResource += '/' // scanworker-patch\n      }\n",
  'scanworker-patch')
patch('lib/controllers/bucket.js',
  "const cipher = crypto.createCipheriv('des', key, iv)\n  return Buffer.concat([\n    iv,\n    cipher.update(`${region}/${bucket}/${keyName}`, 'utf8'),\n    cipher.final(),\n  ]).toString('base64')",
  "return Buffer.concat([iv, Buffer.from(`${region}/${bucket}/${keyName}`, 'utf8')]).toString('base64') // scanworker-patch: no DES",
  'scanworker-patch: no DES')
patch('lib/controllers/bucket.js',
  "const decipher = crypto.createDecipheriv('des', key, iv)\n  const ciphertext = buf.slice(8)\n  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')",
  "return buf.slice(8).toString('utf8') // scanworker-patch: no DES either way",
  'scanworker-patch: no DES either way')
patch('lib/middleware/authentication.js',
  '[param, value].map(encodeURIComponent).join',
  '[param, value].map(encodeURIComponentRFC3986).join',
  '[param, value].map(encodeURIComponentRFC3986).join')
JS
}

install() {
  command -v node >/dev/null || die "node is not installed (apt-get install nodejs npm)"
  if [[ ! -f $PKG_DIR/package.json ]]; then
    mkdir -p "$S3_TOOLS_DIR"
    [[ -f $S3_TOOLS_DIR/package.json ]] || printf '{"name":"scanworker-s3","private":true}\n' >"$S3_TOOLS_DIR/package.json"
    log "installing $S3_PACKAGE into $S3_TOOLS_DIR"
    npm install --prefix "$S3_TOOLS_DIR" --no-audit --no-fund --loglevel=error --engine-strict=false "$S3_PACKAGE" >/dev/null 2>&1 \
      || npm install --prefix "$S3_TOOLS_DIR" --no-audit --no-fund --loglevel=error "$S3_PACKAGE"
  fi
  patch_server
}

write_launcher() {
  mkdir -p "$S3_DIR/data"
  cat >"$S3_DIR/launch.js" <<JS
const S3rver = require('$PKG_DIR')
const buckets = process.argv.slice(2).map((name) => ({ name }))
const server = new S3rver({ address: '127.0.0.1', port: $S3_PORT, directory: '$S3_DIR/data',
  silent: true, configureBuckets: buckets, vhostBuckets: false })
server.run().then((addr) => console.log('listening', JSON.stringify(addr)))
  .catch((err) => { console.error(err); process.exit(1) })
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close().finally(() => process.exit(0)))
JS
}

start() {
  if pid_alive "$PID_FILE" && tcp_open 127.0.0.1 "$S3_PORT"; then
    log "already running on http://127.0.0.1:$S3_PORT (pid $(<"$PID_FILE"))"
    return 0
  fi
  [[ -f $PKG_DIR/package.json ]] || install
  stop_pid "$PID_FILE"
  require_free_port "$S3_PORT"
  write_launcher
  local start_ms; start_ms=$(now_ms)
  # shellcheck disable=SC2086 # bucket names are a space-separated list on purpose
  setsid node "$S3_DIR/launch.js" $S3_BUCKETS </dev/null >"$S3_DIR/server.log" 2>&1 &
  echo $! >"$PID_FILE"
  local i
  for (( i = 0; i < 300; i++ )); do
    pid_alive "$PID_FILE" || { tail -n 20 "$S3_DIR/server.log" >&2; die "server exited during start"; }
    if grep -q '^listening' "$S3_DIR/server.log" && tcp_open 127.0.0.1 "$S3_PORT"; then
      log "$S3_PACKAGE ready on http://127.0.0.1:$S3_PORT (buckets: $S3_BUCKETS; pid $(<"$PID_FILE")) in $(elapsed_s "$start_ms")s"
      return 0
    fi
    sleep 0.1
  done
  stop_pid "$PID_FILE"
  die "not ready after 30s; see $S3_DIR/server.log"
}

case ${1:-start} in
  install) install ;;
  start) start ;;
  stop) stop_pid "$PID_FILE" 10; log "stopped" ;;
  status) if pid_alive "$PID_FILE" && tcp_open 127.0.0.1 "$S3_PORT"; then log "running on http://127.0.0.1:$S3_PORT (pid $(<"$PID_FILE"))"; else log "not running (data dir ${S3_DIR})"; exit 1; fi ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
