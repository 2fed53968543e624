#!/usr/bin/env bash
# Model-checks pool-runtime's own synchronisation with loom: the models in
# pool-runtime/src/tests/loom_*.rs, built with `--cfg loom` (see pool-runtime/src/sync.rs).
#
# Usage: scripts/loom.sh [test-name-filter...]   (default: every `loom_` model)
# LOOM_MAX_PREEMPTIONS bounds the preemptions explored per execution (default 5);
# raise it for a deeper, slower run.
set -euo pipefail
cd "$(dirname "$0")/.."

export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-5}"
export RUSTFLAGS="${RUSTFLAGS:-} --cfg loom"
# A target dir of its own: `--cfg loom` rebuilds every crate.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/loom"

echo "loom: LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS"
# --nocapture: each model prints how many executions it explored.
if [ "$#" -eq 0 ]; then set -- loom_; fi
exec cargo test -p pool-runtime --lib --release -- --test-threads=1 --nocapture "$@"
