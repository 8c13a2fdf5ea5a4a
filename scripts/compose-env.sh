#!/usr/bin/env bash
# Writes the secrets docker-compose.yml requires into an env file (default: .env beside it), each a fresh random
# value; a value already in the file is kept, so running it again changes no secret. docker compose refuses to start
# without them: the stack has no well-known password.
#   scripts/compose-env.sh [FILE]
set -euo pipefail
file=${1:-$(dirname "${BASH_SOURCE[0]}")/../.env}
secret() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
touch "$file"
chmod 600 "$file"
for name in RABBITMQ_PASSWORD MINIO_ROOT_PASSWORD SCANWORKER_S3_SECRET SCANWORKER_API_KEY; do
  grep -q "^$name=" "$file" || printf '%s=%s\n' "$name" "$(secret)" >>"$file"
done
# The image's version and commit follow the checkout, so these two are written again on every run (not secrets). The
# version needs the .NET SDK (MinVer, scripts/version.sh); without it the image says 0.0.0-local.
root=$(dirname "${BASH_SOURCE[0]}")/..
sed -i '/^SCANWORKER_VERSION=/d; /^SCANWORKER_REVISION=/d' "$file"
revision='' version=''
if found=$(git -C "$root" rev-parse HEAD 2>/dev/null); then
  revision=$found
  printf 'SCANWORKER_REVISION=%s\n' "$revision" >>"$file"
fi
if command -v dotnet >/dev/null && found=$(bash "$root/scripts/version.sh" 2>/dev/null) && [[ -n $found ]]; then
  version=$found
  printf 'SCANWORKER_VERSION=%s\n' "$version" >>"$file"
fi
echo "compose-env: $file holds RABBITMQ_PASSWORD, MINIO_ROOT_PASSWORD, SCANWORKER_S3_SECRET and SCANWORKER_API_KEY, and the image's version ${version:-0.0.0-local} (commit ${revision:-unknown})"
