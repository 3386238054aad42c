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
bench_tag=bench-content
work=$root/gateway-bench/target/bench-content
message_bytes=${BENCH_MESSAGE_BYTES:-4096}
load_opts=(--prose true)
# shellcheck source=lib/row.sh
. "$root/bench/lib/row.sh"
prepare_row

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
