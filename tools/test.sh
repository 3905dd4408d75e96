#!/usr/bin/env bash
# Runs every test of the fleet on this machine: installs what the tests need (idempotent), builds, runs.
# The README's test command and CI's .ci/run both call this script.
#   tools/test.sh                     every test; the real-MongoDB lane runs where it can and is skipped (and counted) elsewhere
#   tools/test.sh --require-mongodb   the same, but a MongoDB lane that cannot run is a failure (hosted CI: .github/workflows/ci.yml)
# Any other argument goes to `dotnet test` (e.g. --filter-class '*Lease*').
set -euo pipefail
cd "$(dirname "$0")/.."

require_mongodb=false
test_args=()
for argument in "$@"; do
  case "$argument" in
    --require-mongodb) require_mongodb=true ;;
    *) test_args+=("$argument") ;;
  esac
done

# Where the lane finds a MongoDB (tests/TestSupport/Mongo/MongoTestLane.cs): the URL, or a Docker engine for Testcontainers.
if $require_mongodb; then
  if [ -z "${QUIKAPP_TEST_MONGODB_URL:-}" ] && [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
    echo "error: --require-mongodb: no MongoDB for the store tests here (QUIKAPP_TEST_MONGODB_URL is not set and no Docker engine socket exists)" >&2
    exit 3
  fi
  export QUIKAPP_TEST_REQUIRE_MONGODB=1
fi

tools/setup-test-env.sh

# Fail fast on a broken docker-compose.yml: static validation, no Docker engine needed. The .env secrets are required
# (${VAR:?}), so .env.example is used with placeholders in its empty values.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
sed -E 's/^([A-Z0-9_]+)=$/\1=ci-placeholder/' .env.example > "$scratch/compose.env"
docker-compose --env-file "$scratch/compose.env" -f docker-compose.yml config -q
echo "docker-compose.yml is valid"

# The hosted-CI workflow cannot run here; check it against GitHub's workflow schema.
for workflow in .github/workflows/*.yml; do
  tools/workflow-lint/node_modules/.bin/action-validator "$workflow"
done
echo "GitHub workflows are valid"

dotnet build QuikApp.Workers.sln -c Release --nologo -v quiet -clp:ErrorsOnly

export QUIKAPP_TEST_MONGODB_SKIP_LOG="$scratch/mongodb-skips.tsv"
: > "$QUIKAPP_TEST_MONGODB_SKIP_LOG"
status=0
dotnet test --solution QuikApp.Workers.sln -c Release --no-build ${test_args[@]+"${test_args[@]}"} || status=$?

skipped=$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$QUIKAPP_TEST_MONGODB_SKIP_LOG")
if [ "$skipped" -gt 0 ]; then
  echo "MongoDB lane: $skipped store tests SKIPPED (no MongoDB: set QUIKAPP_TEST_MONGODB_URL or run where Docker answers; tools/test.sh --require-mongodb fails instead)"
  sort "$QUIKAPP_TEST_MONGODB_SKIP_LOG" | sed 's/^/  /'
elif $require_mongodb; then
  echo "MongoDB lane: ran (no store test skipped)"
fi
exit "$status"
