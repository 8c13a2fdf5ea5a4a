#!/usr/bin/env bash
# Writes the secrets docker-compose.yml requires into an env file (default: .env beside it), each a fresh random
# value; a value already in the file is kept, so running it again changes nothing. docker compose refuses to start
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
echo "compose-env: $file holds RABBITMQ_PASSWORD, MINIO_ROOT_PASSWORD, SCANWORKER_S3_SECRET and SCANWORKER_API_KEY"
