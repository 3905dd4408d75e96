#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine with the .NET SDK. Idempotent: quick when all is present.
# Needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need dotnet; then
  echo "error: the .NET 10 SDK is required (https://dot.net); global.json pins the feature band" >&2
  exit 1
fi

echo "test environment ready"
