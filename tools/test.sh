#!/usr/bin/env bash
# Runs every test of the fleet on this machine: installs what the tests need (idempotent), builds, runs.
# The README's test command and CI's .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup-test-env.sh

# Fail fast on a broken docker-compose.yml: static validation, no Docker engine needed. The .env secrets are required
# (${VAR:?}), so .env.example is used with placeholders in its empty values.
compose_env="$(mktemp)"
trap 'rm -f "$compose_env"' EXIT
sed -E 's/^([A-Z0-9_]+)=$/\1=ci-placeholder/' .env.example > "$compose_env"
docker-compose --env-file "$compose_env" -f docker-compose.yml config -q
echo "docker-compose.yml is valid"

dotnet build QuikApp.Workers.sln -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet test --solution QuikApp.Workers.sln -c Release --no-build "$@"
