#!/usr/bin/env bash
# Runs every benchmark in one go and rewrites BENCHMARKS.md from that run.
#
#   scripts/bench.sh           full run: 3 passes of the timings (1 s warm-up, 2 s
#                              measurement each), the contenders in a different order
#                              each pass; each figure is the median of the passes'
#                              criterion medians
#   scripts/bench.sh --short   short run: 1 pass, 0.5 s warm-up, 1.5 s measurement
#
# Then the allocation counts, then the instruction counts (scripts/callgrind.sh; left
# out, and said so, where valgrind is not installed), then the report. The bench
# binaries are built once, up front, so every step measures the same code even if the
# sources change meanwhile. Honours CARGO_TARGET_DIR. Needs cargo and python3 (standard
# library only), and valgrind for the instruction counts.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
passes=3
criterion_args=(--warm-up-time 1 --measurement-time 2)
case "${1:-}" in
  --short)
    mode=short
    passes=1
    criterion_args=(--warm-up-time 0.5 --measurement-time 1.5 --sample-size 40)
    ;;
  "") ;;
  *)
    echo "usage: scripts/bench.sh [--short]" >&2
    exit 2
    ;;
esac

target="${CARGO_TARGET_DIR:-target}"
out="$target/poolable-bench"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
started=$(date +%s)
# The sources measured: the commit, and whether the crates under test differ from it.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- pool-runtime pool-derive src benches 2>/dev/null)" ]; then
  commit="$commit with uncommitted changes"
fi

echo "== build"
executables=$(cargo bench -p poolable-benches --no-run --message-format=json |
  python3 -c '
import json, sys
found = {}
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable"):
        found[message["target"]["name"]] = message["executable"]
print(found["compare"])
print(found["allocs"])
print(found["callgrind"])
')
compare=$(echo "$executables" | sed -n 1p)
allocs=$(echo "$executables" | sed -n 2p)
callgrind=$(echo "$executables" | sed -n 3p)

rm -rf "$out"
mkdir -p "$out"
pass_dirs=()
orders=(forward reverse spread)
for pass in $(seq 1 "$passes"); do
  # The contenders' order changes from pass to pass (see `each_contender`), so that a
  # slow spell of the machine does not always fall on the same contenders.
  order=${orders[$(((pass - 1) % 3))]}
  echo "== timings, pass $pass of $passes ($order order)"
  CRITERION_HOME="$out/pass-$pass" POOLABLE_BENCH_ORDER=$order \
    "$compare" --bench --noplot "${criterion_args[@]}"
  pass_dirs+=(--criterion "$out/pass-$pass")
done

echo "== allocations"
"$allocs" --json "$out/allocs.json"

callgrind_args=()
if command -v valgrind >/dev/null; then
  echo "== instructions (callgrind)"
  scripts/callgrind.sh --exe "$callgrind" --json "$out/callgrind.json"
  callgrind_args=(--callgrind "$out/callgrind.json")
else
  echo "== instructions: valgrind is not installed, so BENCHMARKS.md will have no instruction counts"
fi

finished=$(date +%s)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
command="scripts/bench.sh${1:+ $1}"
plural=""
if [ "$passes" -gt 1 ]; then plural="es"; fi

python3 scripts/bench_report.py \
  "${pass_dirs[@]}" \
  --allocs "$out/allocs.json" \
  ${callgrind_args[@]+"${callgrind_args[@]}"} \
  --notes benches/NOTES.md \
  --out BENCHMARKS.md \
  --command "$command" \
  --mode "$mode: $passes pass$plural, criterion ${criterion_args[*]}" \
  --commit "$commit" \
  --cpu "${cpu:-unknown CPU}" \
  --cores "$(nproc)" \
  --rustc "$(rustc --version)" \
  --os "$(uname -s)" \
  --date "$(date -u +%Y-%m-%d)" \
  --seconds "$((finished - started))" \
  --load "$load_before" \
  --load-after "$load_after"

echo "BENCHMARKS.md written ($mode run, $((finished - started)) s)"
