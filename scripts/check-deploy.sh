#!/usr/bin/env bash
# Validates everything that ships without running it (the image itself is built and run by
# scripts/containers/image-check.sh; there is no cluster in CI):
#  - the Dockerfile's build stage: scripts/publish.sh (what the image runs) and every COPY source;
#  - docker-compose.yml with docker-compose config; every Kubernetes shape (deploy/, deploy/overlays/*) and the shapes
#    with the optional components (deploy/components/*) with kubectl kustomize;
#  - yamllint on both; deploy/base/clamd.conf with clamconf;
#  - that clamd's limits agree with each other and with the worker settings in compose and kustomize.
#   scripts/check-deploy.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SERVER_NAME=check-deploy
# shellcheck source=servers/lib.sh
source scripts/servers/lib.sh
fail=0
bad() { printf 'check-deploy: FAIL %s\n' "$*" >&2; fail=1; }
ok() { printf 'check-deploy: ok   %s\n' "$*"; }

command -v docker-compose >/dev/null && command -v yamllint >/dev/null && command -v clamconf >/dev/null \
  || apt_install docker-compose yamllint clamav

# Pinned images only (docs/releasing.md): no "latest", in compose's defaults or the kustomize image.
if grep -nE 'image: ([^ :]+|[^ ]*:-?latest\}?|[^ ]*:\$\{[A-Z_]+\})$' docker-compose.yml | grep -v 'scanworker:' ; then bad "docker-compose.yml has an image without a pinned default tag (above)"; fi
if grep -nE 'newTag: *"?latest' deploy/base/kustomization.yaml; then bad "deploy/base/kustomization.yaml deploys scanworker:latest"; fi
ok "images pinned: $(grep -oE 'image: [^ ]+' docker-compose.yml | grep -vc scanworker) compose images with a default tag, kustomize newTag $(awk '/newTag:/ { print $2 }' deploy/base/kustomization.yaml)"

# Dockerfile: every COPY source exists, and its publish step works here.
while read -r source; do
  [[ -e $source ]] || bad "Dockerfile copies $source, which does not exist"
done < <(awk '/^COPY / && !/--from=/ { for (i = 2; i < NF; i++) print $i }' Dockerfile)
grep -q 'RUN bash scripts/publish.sh /app' Dockerfile || bad "the Dockerfile does not publish with scripts/publish.sh"
out=$(mktemp -d)
if bash scripts/publish.sh "$out" >"$out.log" 2>&1 && [[ -f $out/ScanWorker.dll && -f $out/appsettings.json ]]; then
  ok "Dockerfile build stage (scripts/publish.sh)"
else
  cat "$out.log" >&2; bad "scripts/publish.sh"
fi
rm -rf "$out" "$out.log"

# Compose has no default password: without the env file scripts/compose-env.sh writes, it must refuse to render.
compose_env=$(mktemp)
bash scripts/compose-env.sh "$compose_env" >/dev/null
docker-compose --env-file "$compose_env" config -q && ok "docker-compose.yml (docker-compose config with scripts/compose-env.sh's secrets)" \
  || bad "docker-compose config"
no_secrets=$(mktemp)
if ! refusal=$(docker-compose --env-file "$no_secrets" config -q 2>&1) && grep -q "compose-env.sh" <<<"$refusal"; then
  ok "docker-compose.yml refuses to render without the secrets"
else
  bad "docker-compose.yml renders without the secrets (a default password?)"
fi
# Every published port, as rendered ("- HOST_IP:PUBLISHED:TARGET/tcp" or a long form), must name 127.0.0.1.
ports=$(docker-compose --env-file "$compose_env" config | awk '/^    ports:/ { in_ports = 1; next } in_ports && /^    - / { print; next } { in_ports = 0 }')
if [[ -n $ports ]] && ! grep -vq '^    - 127\.0\.0\.1:' <<<"$ports"; then
  ok "docker-compose.yml publishes its ports on 127.0.0.1 by default ($(wc -l <<<"$ports") ports)"
else
  bad "docker-compose.yml publishes a port beyond loopback: $ports"
fi
# The image compose builds says what it was built from: this checkout's commit and version, which compose-env.sh wrote.
rendered=$(docker-compose --env-file "$compose_env" config)
revision=$(git rev-parse HEAD) version=$(bash scripts/version.sh)
if grep -qE "^ +REVISION: $revision\$" <<<"$rendered" && grep -qE "^ +VERSION: ${version//./\\.}\$" <<<"$rendered"; then
  ok "docker-compose.yml builds the image as $version ($revision)"
else
  bad "docker-compose.yml does not pass this checkout's version $version and commit $revision to the image build"
fi
rm -f "$no_secrets"
rm -f "$compose_env"
if command -v kubectl >/dev/null; then
  # Every shape, and every shape with the optional components (as a user's own overlay adds them).
  for dir in deploy deploy/overlays/*/; do
    dir=${dir%/}
    if kubectl kustomize "$dir" >/dev/null; then ok "$dir (kubectl kustomize)"; else bad "kubectl kustomize $dir"; fi
  done
  combos=$(mktemp -d "$PWD/artifacts/kustomize-check.XXXXXX")
  for combo in "s3-queue keda" "mount-queue keda shared-signatures" "bucket-events keda keda-bucket-events shared-signatures"; do
    read -r shape components <<<"$combo"
    mkdir -p "$combos/$shape"
    { printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../../deploy/overlays/%s\ncomponents:\n' "$shape"
      for component in $components; do printf '  - ../../../deploy/components/%s\n' "$component"; done; } >"$combos/$shape/kustomization.yaml"
    if kubectl kustomize "$combos/$shape" >/dev/null; then ok "overlays/$shape + components $components"; else bad "overlays/$shape + components $components"; fi
  done
  rm -rf "$combos"
else
  # kubectl is not in Debian's archive; the machine image ships it. Say so loudly instead of failing.
  printf 'check-deploy: SKIP kubectl is not installed; the manifests were not built\n' >&2
fi
yamllint -s docker-compose.yml deploy .yamllint && ok "yamllint" || bad "yamllint"

conf_dir=$(mktemp -d)
cp deploy/base/clamd.conf "$conf_dir/clamd.conf"
if clamconf -c "$conf_dir" 2>&1 | grep -E '^ERROR' >&2; then bad "deploy/base/clamd.conf (clamconf)"; else ok "deploy/base/clamd.conf (clamconf)"; fi
rm -rf "$conf_dir"

# Sizes as clamd reads them: 512M, 1G, 4096K or bytes.
bytes() {
  local value=$1
  case $value in
    *[Mm]) echo $(( ${value%?} * 1024 * 1024 )) ;;
    *[Gg]) echo $(( ${value%?} * 1024 * 1024 * 1024 )) ;;
    *[Kk]) echo $(( ${value%?} * 1024 )) ;;
    *) echo "$value" ;;
  esac
}
option() { awk -v key="$1" '$1 == key { print $2 }' deploy/base/clamd.conf; }
stream=$(bytes "$(option StreamMaxLength)")
file=$(bytes "$(option MaxFileSize)")
scan=$(bytes "$(option MaxScanSize)")
threads=$(option MaxThreads)
(( stream <= file && file <= scan )) && ok "StreamMaxLength <= MaxFileSize <= MaxScanSize" \
  || bad "clamd.conf limits: StreamMaxLength $stream, MaxFileSize $file, MaxScanSize $scan"
[[ $(option AlertExceedsMax) == yes ]] && ok "AlertExceedsMax yes" || bad "clamd.conf needs AlertExceedsMax yes"
for file_name in docker-compose.yml deploy/base/kustomization.yaml; do
  for key in Scanning__MaxObjectBytes Http__MaxFileSize; do
    value=$(grep -oE "${key}[=:] *\"?[0-9]+" "$file_name" | grep -oE '[0-9]+$' || true)
    [[ -n $value ]] || { bad "$file_name does not set $key"; continue; }
    (( value <= stream )) && ok "$file_name $key $value <= StreamMaxLength" || bad "$file_name $key $value > StreamMaxLength $stream"
  done
done
grep -qE "Clamd__MaxConcurrentScans=$threads\$" deploy/base/kustomization.yaml && grep -qE "Clamd__MaxConcurrentScans: \\\$\{CLAMD_MAX_THREADS:-$threads\}" docker-compose.yml \
  && ok "Clamd__MaxConcurrentScans = MaxThreads ($threads)" || bad "Clamd__MaxConcurrentScans differs from clamd's MaxThreads $threads"

exit "$fail"
