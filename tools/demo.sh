#!/usr/bin/env bash
# The whole fleet on this machine, from a fresh clone: embedded Kafka, clamd, local storage and the workers
# under a seeded workload, with a live progress view, a report and the conservation check (docs/fleet.md).
#   tools/demo.sh                      2,000 messages and 60 files; results in memory unless MONGODB_URL is set
#   tools/demo.sh --messages 20000     any option of `fleet demo` (tools/demo.sh --help lists them)
# Installs clamd first when it is missing and this user is root or has sudo; otherwise says how.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (https://dot.net); global.json pins the feature band" >&2
  exit 1
fi

has_clamd() {
  [ -n "${QUIKAPP_TEST_CLAMD:-}" ] || command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] || [ -x /usr/local/sbin/clamd ]
}

if ! has_clamd; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: clamd is not installed and this is not a Debian-like system: install ClamAV's clamd with your package manager," >&2
    echo "       or set QUIKAPP_TEST_CLAMD to a clamd binary, then run tools/demo.sh again" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "error: clamd is not installed, and installing it needs root: run 'apt-get install clamav-daemon' as root" >&2
    echo "       (or tools/setup-test-env.sh clamd), then run tools/demo.sh again" >&2
    exit 1
  fi
  echo "installing clamd (Debian's clamav-daemon; the demo starts its own with the repository's test signatures)"
  tools/setup-test-env.sh clamd
fi

exec dotnet run -c Release --project tools/Fleet -- demo "$@"
