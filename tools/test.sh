#!/usr/bin/env bash
# Runs every test of the fleet on this machine: installs what the tests need (idempotent), builds, runs.
# The README's test command and CI's .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup-test-env.sh

dotnet build QuikApp.Workers.sln -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet test --solution QuikApp.Workers.sln -c Release --no-build "$@"
