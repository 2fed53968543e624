#!/usr/bin/env bash
# Drives the axum service example (examples/axum-service) with wrk, a load generator
# nobody here wrote, on 127.0.0.1 only: unpooled, then pooled, then both side by side.
#
#   scripts/load.sh --requests 100000 --seconds 30
#
# Both bounds are required: each run stops at whichever comes first, the requests (each
# wrk thread stops after its share) or the seconds. Options:
#   --requests N      requests per mode (required)
#   --seconds S       longest run per mode, in seconds (required)
#   --connections C   connections kept open by wrk (default 16)
#   --threads T       wrk threads (default 2)
#   --port P          the port on 127.0.0.1 to serve (default 18080); taken is an error
#   --endpoint E      count (default): form posts to /count, read by the handler itself;
#                     orders: JSON orders to /orders, decoded by axum's Json (unpooled)
#                     or poolable's PooledJson (pooled)
#
# It needs wrk. When wrk is missing it says how to install it and stops; run from a
# terminal, it first asks whether to install it with apt-get (as root, or through sudo),
# and installs nothing unless the answer is yes. It builds the example in release mode,
# starts the server itself, and stops it on every way out.
# Prints requests/s, p50 and p99 latency (wrk's) and the server's heap allocations per
# request (its counting allocator's, connections included) for each mode.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
fail() {
    echo "load.sh: $*" >&2
    exit 1
}

requests="" seconds="" connections=16 threads=2 port=18080 endpoint=count
while [ $# -gt 0 ]; do
    case "$1" in
        --requests) requests="${2:-}"; shift 2 || usage ;;
        --seconds) seconds="${2:-}"; shift 2 || usage ;;
        --connections) connections="${2:-}"; shift 2 || usage ;;
        --threads) threads="${2:-}"; shift 2 || usage ;;
        --port) port="${2:-}"; shift 2 || usage ;;
        --endpoint) endpoint="${2:-}"; shift 2 || usage ;;
        -h | --help) usage ;;
        *) echo "load.sh: unknown argument $1" >&2; usage ;;
    esac
done
for name in requests seconds connections threads port; do
    value="${!name}"
    [ -n "$value" ] || fail "--$name is required: a run must be bounded in requests and in time"
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || fail "--$name must be a positive whole number, not '$value'"
done
[ "$port" -le 65535 ] || fail "--port must be at most 65535"
case "$endpoint" in
    count | orders) ;;
    *) fail "--endpoint must be count or orders, not '$endpoint'" ;;
esac
[ "$threads" -le "$connections" ] || fail "--threads ($threads) must not exceed --connections ($connections)"

# wrk: Debian's package. Installing software is the user's decision: ask, and only when
# someone is at a terminal to answer; otherwise say how and stop.
install_hint="install wrk first (Debian, Ubuntu: sudo apt-get install wrk; macOS: brew install wrk; or build it from https://github.com/wg/wrk)"
if ! command -v wrk > /dev/null; then
    [ -t 0 ] || fail "wrk is missing; $install_hint"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo > /dev/null || fail "wrk is missing; $install_hint"
        sudo="sudo "
    fi
    command -v apt-get > /dev/null || fail "wrk is missing; $install_hint"
    read -r -p "wrk is missing. Install it now with '${sudo}apt-get install wrk'? [y/N] " answer
    case "$answer" in
        [yY] | [yY][eE][sS]) ;;
        *) fail "wrk is missing; $install_hint" ;;
    esac
    echo "== installing wrk" >&2
    ${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq wrk > /dev/null ||
        fail "could not install wrk with apt-get; $install_hint"
fi

echo "== building the service (release)" >&2
cargo build --release -q -p poolable-axum-example
bin="$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/poolable-axum-example"
[ -x "$bin" ] || fail "no binary at $bin"

work="$(mktemp -d)"
server_pid="" wrk_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
        kill -TERM "$server_pid" 2> /dev/null || true
        wait "$server_pid" 2> /dev/null || true
    fi
    server_pid=""
}
cleanup() {
    if [ -n "$wrk_pid" ]; then
        kill -TERM "$wrk_pid" 2> /dev/null || true
        wait "$wrk_pid" 2> /dev/null || true
    fi
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The request each wrk thread sends: forms like the example's own client sends, built
# once in init() so that wrk does no work per request; each thread stops after `limit`.
cat > "$work/load.lua" << 'EOF'
local words = { "pool", "object", "reset", "buffer", "request", "latency", "allocation",
  "thread", "queue", "borrow", "return", "capacity", "The", "a", "of", "Service" }
local requests, at, count, limit, flag = {}, 0, 0, 0, nil
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  limit = tonumber(args[1])
  flag = args[2] .. "/done." .. id
  math.randomseed(7)
  if args[3] == "orders" then
    -- JSON orders of the shape the benchmarks decode: 4 headers, 1 to 4 tags, a body
    -- of 5 to 40 words, a nested user.
    local tags = { "express", "gift-wrap", "fragile", "priority" }
    for id = 0, 63 do
      local text = {}
      for n = 1, 5 + math.random(0, 35) do text[n] = words[math.random(#words)] end
      local chosen = {}
      for n = 1, math.random(1, 4) do chosen[n] = '"' .. tags[n] .. '"' end
      local body = string.format('{"method":"POST","path":"/api/v2/orders/%d/items",'
        .. '"headers":{"host":"shop.example.com","user-agent":"wrk/4","accept":"application/json",'
        .. '"x-request-id":"req-%05d"},"tags":[%s],"body":"%s",'
        .. '"user":{"id":%d,"name":"User %d","email":"user%d@example.com"}}',
        id, id, table.concat(chosen, ","), table.concat(text, " "), 48000 + id, id, id)
      requests[#requests + 1] = wrk.format("POST", "/orders",
        { ["Content-Type"] = "application/json" }, body)
    end
    return
  end
  for id = 0, 63 do
    local text = {}
    for n = 1, 20 + math.random(0, 180) do text[n] = words[math.random(#words)] end
    local body = "name=doc" .. id .. "&lang=en&text=" .. table.concat(text, "+")
    requests[#requests + 1] = wrk.format("POST", "/count",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  end
end

function request()
  at = at % #requests + 1
  return requests[at]
end

function response(status)
  count = count + 1
  if count == limit then
    -- Tell the script this thread is done: wrk itself waits out its whole duration.
    io.open(flag, "w"):close()
    wrk.thread:stop()
  end
end

function done(summary, latency)
  local errors = summary.errors
  io.write(string.format("result requests=%d seconds=%.3f p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
EOF

# One mode: start the server, wait until it listens, run wrk, stop the server, keep the
# figures in $work/$mode.result.
run() {
    local mode="$1" log="$work/$1.log"
    # Anything already answering on the port would be measured instead of our server.
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
        fail "127.0.0.1:$port is taken by another program; pick another with --port"
    fi
    # The server's own limit is a backstop: it stops itself even if this script is killed
    # with SIGKILL and its trap never runs.
    "$bin" --listen "127.0.0.1:$port" "--$mode" --seconds $((seconds + 60)) > "$log" 2>&1 &
    server_pid=$!
    local tries=0
    until grep -q '^listening on' "$log"; do
        if ! kill -0 "$server_pid" 2> /dev/null; then
            cat "$log" >&2
            server_pid=""
            fail "the $mode server did not start (is 127.0.0.1:$port taken?)"
        fi
        tries=$((tries + 1))
        [ "$tries" -le 100 ] || fail "the $mode server did not listen within 10 s"
        sleep 0.1
    done

    echo "== $mode: wrk -t$threads -c$connections -d${seconds}s, at most $requests requests" >&2
    local per_thread=$(((requests + threads - 1) / threads))
    # In the background, so that a signal to this script runs its trap at once (bash runs
    # traps only between foreground commands, but `wait` is interrupted).
    rm -f "$work"/done.*
    timeout $((seconds + 30)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
        -s "$work/load.lua" "http://127.0.0.1:$port/$endpoint" -- "$per_thread" "$work" "$endpoint" \
        > "$work/$mode.wrk" &
    wrk_pid=$!
    # wrk runs out its --seconds even when every thread has sent its share; once all
    # have, SIGINT makes it stop and report at once.
    while kill -0 "$wrk_pid" 2> /dev/null; do
        if [ "$(find "$work" -name 'done.*' | wc -l)" -ge "$threads" ]; then
            kill -INT "$wrk_pid" 2> /dev/null || true
            break
        fi
        sleep 0.1
    done
    wait "$wrk_pid" || fail "wrk failed on the $mode server: $(cat "$work/$mode.wrk")"
    wrk_pid=""
    stop_server
    grep -v '^result ' "$work/$mode.wrk" >&2
    sed -n 's/^\(served\|busy\): /  server \1: /p; s/^pool of/  pool of/p' "$log" >&2

    local result allocations served busy
    result="$(grep '^result ' "$work/$mode.wrk")" || fail "no result from wrk for $mode"
    allocations="$(sed -n 's/^allocations\/request: //p' "$log")"
    served="$(sed -n 's/^served: \([0-9]*\) requests/\1/p' "$log")"
    busy="$(sed -n 's/^busy: \([0-9.]*\) s.*/\1/p' "$log")"
    [ -n "$allocations" ] && [ -n "$served" ] && [ -n "$busy" ] ||
        fail "the $mode server did not report its figures: $(cat "$log")"
    echo "$result allocations=$allocations served=$served busy=$busy" > "$work/$mode.result"
}

run unpooled
run pooled

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$work/$1.result"; }
echo
echo "wrk on 127.0.0.1, POST /$endpoint, $connections connections, $threads threads, $(nproc) cores;" \
    "at most $requests requests or ${seconds}s per mode"
printf '%-10s %10s %12s %10s %10s %8s %21s\n' mode requests requests/s p50 p99 errors allocations/request
# requests/s is the server's: requests served over the time from its first to its last.
# wrk's own figure divides by the whole --seconds, idle time after its last request
# included, when the request bound stops it first.
for mode in unpooled pooled; do
    awk -v mode="$mode" -v requests="$(field "$mode" served)" -v secs="$(field "$mode" busy)" \
        -v p50="$(field "$mode" p50_us)" -v p99="$(field "$mode" p99_us)" \
        -v errors="$(field "$mode" errors)" -v allocations="$(field "$mode" allocations)" \
        'BEGIN { printf "%-10s %10d %12.0f %8.2fms %8.2fms %8d %21s\n",
            mode, requests, requests / secs, p50 / 1000, p99 / 1000, errors, allocations }'
done
