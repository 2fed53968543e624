#!/usr/bin/env bash
# Runs the concurrency stress test, the thread tests and every example under valgrind's
# memcheck, failing on any memory error or any definite or indirect leak. ("Still
# reachable" blocks are allowed: default pools are leaked on purpose, as documented.)
#
# Usage: scripts/valgrind.sh [example-name...]   (default: every example in examples/)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/valgrind"
# Examples run in release (they are measured loops); tests in the test profile.
VALGRIND=(valgrind --quiet --error-exitcode=99 --leak-check=full
          --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect)
PER_RUN_TIMEOUT="${PER_RUN_TIMEOUT:-900}"
failed=0

run() {
    local name="$1"; shift
    echo "== valgrind: $name"
    local start=$SECONDS
    if timeout "$PER_RUN_TIMEOUT" "${VALGRIND[@]}" "$@" >"$CARGO_TARGET_DIR/$name.log" 2>&1; then
        echo "   ok ($((SECONDS - start)) s): no memory errors, no definite or indirect leaks"
    else
        echo "   FAILED (exit $?, $((SECONDS - start)) s); the end of its log:"
        tail -40 "$CARGO_TARGET_DIR/$name.log"
        failed=1
    fi
}

mkdir -p "$CARGO_TARGET_DIR"
tests=$(cargo test --no-run --message-format=json --test test_stress --test test_threads 2>/dev/null \
    | grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
for test in $tests; do
    # One test thread: valgrind serialises threads anyway, and the output stays readable.
    run "$(basename "$test" | sed 's/-[0-9a-f]*$//')" "$test" --test-threads=1
done

if [ "$#" -gt 0 ]; then
    examples=("$@")
else
    examples=()
    for file in examples/*.rs; do examples+=("$(basename "$file" .rs)"); done
fi
cargo build --release --examples
for example in "${examples[@]}"; do
    run "example-$example" "$CARGO_TARGET_DIR/release/examples/$example"
done

if [ "$failed" -ne 0 ]; then echo "valgrind: FAILED"; exit 1; fi
echo "valgrind: all clean"
