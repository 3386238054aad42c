#!/usr/bin/env bash
# MCP Warden load benchmark, content-guard rows (issue 6): one short run, loopback only, bounded
# in time (~2 minutes with the defaults).
#
#   bench/content-row.sh   results in bench/results/content-latest.md (+ content-latest.jsonl)
#
# In one run, on 127.0.0.1, against the same minimal upstream as bench/run.sh (gateway-bench
# EchoServer), tools/call echo of 4 KB of English-like prose (LoadBench --prose true), so the echo
# result is a 4 KB text: 1. direct, 2. through mcp-warden with every content guard off, 3. with
# the defaults (schema validation, secrets in arguments, injection detection with mark, secret
# redaction), 4. with every content guard on (the server marked untrusted: injection block,
# spotlighting and datamarking; PII redaction; URL and shell argument rules).
# The gateway configs differ only in their content settings.
# Every process it starts gets its own process group and is stopped on exit; nothing else is touched.
#
# Knobs (environment): BENCH_CONNECTIONS=16 BENCH_WARMUP=10 BENCH_GATEWAY_WARMUP=20
#   BENCH_DURATION=10 BENCH_MESSAGE_BYTES=4096 BENCH_SKIP_BUILD=1 BENCH_KEEP=1
set -euo pipefail
unset CDPATH

root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/jdk.sh
. "$root/scripts/lib/jdk.sh"
warden_find_jdk || exit 1
java=$JAVA_HOME/bin/java

connections=${BENCH_CONNECTIONS:-16}
warmup=${BENCH_WARMUP:-10}
gateway_warmup=${BENCH_GATEWAY_WARMUP:-20}
duration=${BENCH_DURATION:-10}
message_bytes=${BENCH_MESSAGE_BYTES:-4096}

bench_jar=$root/gateway-bench/target/warden-bench.jar
server_jar=$root/gateway-server/target/mcp-warden.jar
results_dir=$root/bench/results
work=$root/gateway-bench/target/bench-content
results=$work/results.jsonl
started=$SECONDS

say() { printf '[bench-content %3ds] %s\n' $((SECONDS - started)) "$*" >&2; }
note() {
  local esc=${2//\\/\\\\}
  esc=${esc//\"/\\\"}
  printf '{"kind":"note","group":"note","label":"%s","text":"%s","time":"%s"}\n' "$1" "$esc" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$results"
  say "note: $1: $2"
}

pgids=()
cleanup() {
  local pg i
  for pg in ${pgids[@]+"${pgids[@]}"}; do kill -TERM -- "-$pg" 2>/dev/null || true; done
  for pg in ${pgids[@]+"${pgids[@]}"}; do
    for i in $(seq 50); do kill -0 -- "-$pg" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pg" 2>/dev/null || true
  done
  pgids=()
}
on_exit() {
  local rc=$?
  cleanup
  if [ "${BENCH_KEEP:-0}" != 1 ] && [ -d "$work" ]; then rm -f "$work"/audit-*.jsonl; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM HUP

start_bg() { # log, command...: new process group (group id = pid)
  local log=$1
  shift
  setsid "$@" </dev/null >"$log" 2>&1 &
  last_pid=$!
  pgids+=("$last_pid")
}
stop_bg() {
  local pg=$1 i keep=()
  kill -TERM -- "-$pg" 2>/dev/null || true
  for i in $(seq 100); do kill -0 -- "-$pg" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
  for i in ${pgids[@]+"${pgids[@]}"}; do [ "$i" = "$pg" ] || keep+=("$i"); done
  pgids=(${keep[@]+"${keep[@]}"})
}
wait_log() { # log, sed expression, seconds, pid
  local log=$1 sedexpr=$2 limit=$3 pid=$4 deadline=$((SECONDS + $3)) out
  while [ $SECONDS -lt $deadline ]; do
    out=$(sed -n "$sedexpr" "$log" 2>/dev/null | head -n1)
    if [ -n "$out" ]; then printf '%s' "$out"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { say "process $pid exited; log $log:"; tail -n 20 "$log" >&2; return 1; }
    sleep 0.05
  done
  say "timed out after ${limit}s waiting for $log"; tail -n 20 "$log" >&2
  return 1
}
free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
}
load() { # group role label url warmup duration [LoadBench options]...
  local group=$1 role=$2 label=$3 url=$4 wu=$5 du=$6
  shift 6
  say "load: $label ($url), ${wu}s warm-up + ${du}s"
  timeout -k 5 $((${wu%.*} + ${du%.*} + 150)) "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.LoadBench \
    --url "$url" --group "$group" --role "$role" --label "$label" --connections "$connections" \
    --warmup "$wu" --duration "$du" --message-bytes "$message_bytes" --setup-timeout 120 --prose true --results "$results" "$@" \
    >/dev/null || note "$label" "load run failed (exit $?)"
}

mkdir -p "$work" "$results_dir"
rm -f "$work"/integrity-*.db* "$work"/*.log "$work"/*.yaml "$work"/audit-*.jsonl "$results"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "building gateway-server and gateway-bench (log: $work/build.log)"
  timeout 600 ./mvnw -q -B -DskipTests -pl gateway-server,gateway-bench -am package >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; say "build failed"; exit 1; }
fi
[ -f "$bench_jar" ] && [ -f "$server_jar" ] || { say "jars missing: $bench_jar $server_jar"; exit 1; }

if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
  dirty=$(git -C "$root" status --porcelain -- gateway-core/src/main gateway-server/src/main 2>/dev/null | wc -l)
  note source "commit $rev$([ "$dirty" -gt 0 ] && echo " with $dirty uncommitted file(s) in gateway-core/gateway-server sources")"
fi
note "machine load" "load average at start (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs shared by the load generator, the gateway and the upstream"

start_bg "$work/echo-http.log" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.EchoServer http 0
echo_pid=$last_pid
echo_port=$(wait_log "$work/echo-http.log" 's/^LISTENING \([0-9]*\)$/\1/p' 30 "$echo_pid")
echo_url=http://127.0.0.1:$echo_port/mcp
say "upstream EchoServer (pid $echo_pid) on $echo_url"

config() { # name, extra server lines, top-level content lines
  cat <<YAML
listen:
  host: 127.0.0.1
  port: 0
  path: /mcp
audit:
  path: $work/audit-$1.jsonl
servers:
  echo:
    url: $echo_url
    prefix: false
    pinning: trust-on-first-use
$2
integrity:
  store: $work/integrity-$1.db
$3
YAML
}
config off "    content: { validate-arguments: false, injection: off, secrets-in-arguments: allow, secrets-in-results: allow }" "" \
  >"$work/gateway-off.yaml"
config defaults "" "" >"$work/gateway-defaults.yaml"
config all "    trust: untrusted
    content:
      datamark: true
      pii: redact
      executes-commands: true
      urls: { allow-private: false }" "" >"$work/gateway-all.yaml"

start_gateway() { # config, log; sets gw_pid gw_url
  start_bg "$2" env WARDEN_SKIP_BUILD=1 "$root/mcp-warden" run --config "$1"
  gw_pid=$last_pid
  local port
  port=$(wait_log "$2" 's/^MCP Warden listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/mcp.*/\1/p' 60 "$gw_pid")
  gw_url=http://127.0.0.1:$port/mcp
}

load http baseline "direct (EchoServer over HTTP, 4 KB prose)" "$echo_url" "$warmup" "$duration" --watch "upstream=$echo_pid"

start_gateway "$work/gateway-off.yaml" "$work/gateway-off.log"
say "mcp-warden, content guards off (pid $gw_pid) on $gw_url"
load http subject "through mcp-warden, content guards off" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"

start_gateway "$work/gateway-defaults.yaml" "$work/gateway-defaults.log"
say "mcp-warden, content defaults (pid $gw_pid) on $gw_url"
load http compare "through mcp-warden, content defaults (schema, secrets, injection mark)" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"

start_gateway "$work/gateway-all.yaml" "$work/gateway-all.log"
say "mcp-warden, every content guard on (pid $gw_pid) on $gw_url"
load http compare "through mcp-warden, every content guard on (untrusted: block, spotlight, datamark; PII redact; URL and shell rules)" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"
grep -q '"type":"content.result"' "$work"/audit-all.jsonl 2>/dev/null && note "content" "the all-guards row audited content.result events (detections or redactions on the benchmark text)"

cleanup
note "machine load" "load average at end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); whole run took $((SECONDS - started)) s"
cp "$results" "$results_dir/content-latest.jsonl"
timeout 60 "$java" -cp "$bench_jar" io.mcpwarden.bench.Report --results "$results" --out "$results_dir/content-latest.md" \
  --title "MCP Warden load benchmark: content guards on 4 KB results"
say "done in $((SECONDS - started)) s: bench/results/content-latest.md"
