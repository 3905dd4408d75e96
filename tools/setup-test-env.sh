#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine with the .NET SDK. Idempotent: quick when all is present.
# Needs root (or sudo) only when something is missing.
#   tools/setup-test-env.sh                 everything
#   tools/setup-test-env.sh clamd [...]     only the named parts: clamd, vipsthumbnail, s3rver, docker-compose, workflow-lint (tools/demo.sh: clamd)
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
want() { [ "$#" -gt 0 ] && { [ "${#parts[@]}" -eq 0 ] || [[ " ${parts[*]} " == *" $1 "* ]]; }; }
parts=("$@")
for part in "${parts[@]}"; do
  case "$part" in clamd|vipsthumbnail|s3rver|docker-compose|workflow-lint) ;; *) echo "error: unknown part '$part' (clamd, vipsthumbnail, s3rver, docker-compose, workflow-lint)" >&2; exit 2 ;; esac
done

if ! need dotnet; then
  echo "error: the .NET 10 SDK is required (https://dot.net); global.json pins the feature band" >&2
  exit 1
fi

# --- clamd (Workers.Files tests) ---
# The scanning tests start their own clamd (tests/Workers.Files.Tests/ClamAV: loopback port, the repo's test
# signatures), so only the binary is needed. clamav-testfiles is the corpus they must all detect.
# /usr/sbin is not on a normal user's PATH on Debian, hence the second test.
if want clamd && { { ! need clamd && [ ! -x /usr/sbin/clamd ]; } || [ ! -d /usr/share/clamav-testfiles ]; }; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon clamav-testfiles
  # clamav-daemon drags in clamav-freshclam; on a systemd machine both would start as services and freshclam would
  # download the full signature database. The tests need neither, and neither service existed before this block.
  if [ -d /run/systemd/system ]; then
    as_root systemctl disable --now clamav-freshclam.service clamav-daemon.socket clamav-daemon.service >/dev/null 2>&1 || true
  fi
fi
# --- end clamd ---

# --- vipsthumbnail (files benchmark baseline) ---
# tools/FilesBenchmark compares the worker's pipeline with the vipsthumbnail CLI on the same files. NetVips.Native ships
# libvips as a library only (no CLI), so the baseline uses Debian's libvips-tools (libvips 8.14 on Debian 12; the worker
# runs 8.18 from NetVips.Native). The tests do not need it.
if want vipsthumbnail && ! need vipsthumbnail; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvips-tools
fi
# --- end vipsthumbnail ---

# --- s3rver (object storage tests) ---
# The S3 store's tests run against s3rver (npm, pinned in tools/s3rver/package-lock.json), started by
# tests/TestSupport/Storage/S3rverFixture.cs. Node 18+ is enough; the install is skipped when it is already there.
if { want s3rver || want workflow-lint; } && { ! need node || ! need npm; }; then
  echo "installing Node.js and npm (for s3rver)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm >/dev/null; fi
fi
if want s3rver && [ ! -f tools/s3rver/node_modules/s3rver/bin/s3rver.js ]; then
  echo "installing s3rver into tools/s3rver/node_modules"
  npm ci --prefix tools/s3rver --no-audit --no-fund --loglevel=error
fi
# --- end s3rver ---

# --- workflow-lint (hosted-CI workflow validation) ---
# .github/workflows/ci.yml runs the real-MongoDB lane on a hosted CI with Docker; it cannot run here, so tools/test.sh
# checks it against GitHub's workflow schema with @action-validator/cli (npm, pinned in tools/workflow-lint).
if want workflow-lint && [ ! -x tools/workflow-lint/node_modules/.bin/action-validator ]; then
  echo "installing @action-validator/cli into tools/workflow-lint/node_modules"
  npm ci --prefix tools/workflow-lint --no-audit --no-fund --loglevel=error
fi
# --- end workflow-lint ---

# --- docker-compose (deployment validation) ---
# tools/test.sh checks docker-compose.yml with `docker-compose config -q` before the .NET tests. Debian's docker-compose
# (1.29, Python) parses, validates and interpolates the file without a Docker engine. The file keeps to the subset
# that 1.29 and `docker compose` (v2) both accept.
if want docker-compose && ! need docker-compose; then
  as_root_compose() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root_compose apt-get update -qq
  as_root_compose env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose
fi
# --- end docker-compose ---

if [ "${#parts[@]}" -eq 0 ]; then echo "test environment ready"; else echo "ready: ${parts[*]}"; fi
