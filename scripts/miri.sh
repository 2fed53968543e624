#!/usr/bin/env bash
# Runs the runtime's tests under Miri, which reports undefined behaviour (the guards'
# `ManuallyDrop::take`, the thread caches' pointer casts), data races between threads,
# and leaks. Iteration counts shrink under `cfg(miri)`. About 5 minutes on 2 cores.
#
# Needs the nightly toolchain; installs its `miri` and `rust-src` components if missing.
# Usage: scripts/miri.sh            (MIRIFLAGS from the environment are passed on)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "miri: no nightly toolchain; install one with 'rustup toolchain install nightly'" >&2
    exit 2
fi
installed="$(rustup component list --toolchain nightly --installed)"
if ! grep -q '^miri' <<<"$installed" || ! grep -q '^rust-src' <<<"$installed"; then
    rustup component add --toolchain nightly miri rust-src
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/miri"
cargo +nightly miri --version

# pool-runtime: its unit tests and doctests.
cargo +nightly miri test -p pool-runtime
# The runtime's integration tests, in the facade package.
cargo +nightly miri test -p poolable \
    --test test_pool --test test_reset --test test_faults --test test_alloc \
    --test test_threads --test test_stress --test test_dropped_pools --test test_registry \
    --test test_traits \
    --test test_reuse_vec --test test_reuse_map --test test_reuse_faults \
    --test test_reuse_derive --test test_reuse_alloc
