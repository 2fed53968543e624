#!/usr/bin/env bash
# Instructions per operation of poolable and the other contenders, counted by valgrind's
# callgrind: deterministic where wall-clock times on a shared machine are not.
#
#   scripts/callgrind.sh                      every contender, every workload; prints a table
#   scripts/callgrind.sh --json PATH          also writes the figures as JSON (for bench.sh)
#   scripts/callgrind.sh --exe PATH           use this build of the `callgrind` bench target
#                                             instead of building it
#   scripts/callgrind.sh --contenders a,b,c   only these (names as in the table)
#
# Each figure runs the `callgrind` bench target (benches/benches/callgrind.rs) twice
# under callgrind, with ITERATIONS and 2 × ITERATIONS iterations of the workload after the
# same warm-up, and divides the difference of the two instruction totals by ITERATIONS
# (and by 64 for hold-many): start-up, warm-up and exit cancel. What remains is the
# workload's loop: the borrow and return, the loop's own counter and branch (the same
# for every contender), and for `request` the work on the request.
#
# Needs valgrind, cargo and python3 (standard library only). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

json=""
exe=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json="$2"; shift 2 ;;
    --exe) exe="$2"; shift 2 ;;
    --contenders) only="$2"; shift 2 ;;
    *)
      echo "usage: scripts/callgrind.sh [--json PATH] [--exe PATH] [--contenders a,b,c]" >&2
      exit 2
      ;;
  esac
done

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed (Debian/Ubuntu: apt-get install valgrind)" >&2
  exit 1
fi

if [ -z "$exe" ]; then
  echo "== build" >&2
  exe=$(cargo bench -p poolable-benches --bench callgrind --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "callgrind":
        print(message["executable"])
')
fi

# contender, and the workloads it runs. The deep-reuse contenders run `request` only;
# `#[pooled]` borrows one object per call, so it has no hold-many.
buffers="round-trip hold-many request"
contenders=(
  "limit|$buffers"
  "no-pool|$buffers"
  "poolable-local|$buffers"
  "poolable-global|$buffers"
  "poolable-pooled|round-trip request"
  "lockfree-linear|$buffers"
  "lockfree-spinlock|$buffers"
  "object-pool|$buffers"
  "opool|$buffers"
  "sharded-slab|$buffers"
  "poolshark-local|$buffers"
  "poolshark-global|$buffers"
  "lifeguard|$buffers"
  "limit-deep|request"
)
# Decode in place: one JSON request decoded fresh (std collections, reuse collections)
# and in place into a pooled request (benches/benches/decode_common).
contenders+=(
  "fresh-std|decode"
  "fresh|decode"
  "in-place|decode"
  "fresh-std-str|decode"
  "in-place-str|decode"
)
# The deep-reuse contender written with poolable's reuse collections, where this build
# has it.
if "$exe" poolable-reuse request 1 >/dev/null 2>&1; then
  contenders+=("poolable-reuse|request")
fi

# Iterations of the smaller run per workload (the larger runs twice as many), and what
# one iteration holds.
iterations() {
  case "$1" in
    round-trip) echo 20000 ;;
    hold-many) echo 1000 ;;
    request) echo 2000 ;;
    decode) echo 2000 ;;
  esac
}
per_iteration() {
  case "$1" in
    hold-many) echo 64 ;;
    *) echo 1 ;;
  esac
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Instructions of one run: callgrind's "summary:" line in its output file.
instructions() {
  local out="$scratch/callgrind.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$exe" "$@" >/dev/null 2>"$scratch/log" || {
    cat "$scratch/log" >&2
    return 1
  }
  sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out"
}

results="$scratch/results.tsv"
: >"$results"
for entry in "${contenders[@]}"; do
  name=${entry%%|*}
  workloads=${entry#*|}
  if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then
    continue
  fi
  for workload in $workloads; do
    n=$(iterations "$workload")
    small=$(instructions "$name" "$workload" "$n")
    large=$(instructions "$name" "$workload" "$((2 * n))")
    per=$(per_iteration "$workload")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$workload" "$n" "$small" "$large" "$per" >>"$results"
    echo "   $name $workload: $small, $large" >&2
  done
done

python3 - "$results" "$json" "$(valgrind --version)" <<'EOF'
import json, sys

results, json_path, valgrind = sys.argv[1], sys.argv[2], sys.argv[3]
workloads = ["round-trip", "hold-many", "request"]
units = {"round-trip": "per borrow and return", "hold-many": "per object, 64 held",
         "request": "per request", "decode": "per decode"}
figures, order = {}, []
for line in open(results):
    name, workload, n, small, large, per = line.rstrip("\n").split("\t")
    if name not in figures:
        figures[name] = {}
        order.append(name)
    figures[name][workload] = (int(large) - int(small)) / (int(n) * int(per))

# The decode ways have a table of their own, below.
decoders_only = {name for name in order if set(figures[name]) == {"decode"}}

def cell(name, workload):
    value = figures[name].get(workload)
    return "n/a" if value is None else f"{value:,.1f}"

print(f"instructions per operation ({valgrind}, callgrind; two runs subtracted)")
if any(name not in decoders_only for name in order):
    print("| contender | " + " | ".join(f"{w}<br>({units[w]})" for w in workloads) + " |")
    print("|---|" + "---:|" * len(workloads))
for name in order:
    if name in decoders_only:
        continue
    print(f"| {name} | " + " | ".join(cell(name, w) for w in workloads) + " |")
decoders = [name for name in order if "decode" in figures[name]]
if decoders:
    print()
    print("decode one JSON request (benches/benches/decode_common), instructions per decode")
    print("| way | instructions |")
    print("|---|---:|")
    for name in decoders:
        print(f"| {name} | {figures[name]['decode']:,.1f} |")
if json_path:
    with open(json_path, "w") as f:
        json.dump({"valgrind": valgrind, "units": units, "contenders": figures}, f, indent=2)
EOF
