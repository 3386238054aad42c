#!/usr/bin/env bash
# MCP Warden load benchmark, authentication row: one short run, loopback only, bounded in time
# (~1.5 minutes with the defaults).
#
#   bench/auth-row.sh      results in bench/results/auth-latest.md (+ auth-latest.jsonl)
#
# In one run, on 127.0.0.1, against the same minimal upstream as bench/run.sh (gateway-bench
# EchoServer), tools/call echo: 1. direct, 2. through mcp-warden (no auth), 3. through mcp-warden
# with auth on: the built-in development issuer (auth.dev-issuer, loopback only), a token from
# `mcp-warden dev-token --sub bench --ttl 1h` sent by LoadBench as `Authorization: Bearer` on
# every request. Both gateway rows use the same config apart from the auth block.
# Every process it starts gets its own process group and is stopped on exit; nothing else is touched.
#
# Knobs (environment): BENCH_CONNECTIONS=16 BENCH_WARMUP=10 BENCH_GATEWAY_WARMUP=20
#   BENCH_DURATION=10 BENCH_MESSAGE_BYTES=64 BENCH_SKIP_BUILD=1 BENCH_KEEP=1
set -euo pipefail
unset CDPATH

root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
bench_tag=bench-auth
work=$root/gateway-bench/target/bench-auth
message_bytes=${BENCH_MESSAGE_BYTES:-64}
scratch_files=(dev-issuer-key.json)
# shellcheck source=lib/row.sh
. "$root/bench/lib/row.sh"
prepare_row

start_bg "$work/echo-http.log" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.EchoServer http 0
echo_pid=$last_pid
echo_port=$(wait_log "$work/echo-http.log" 's/^LISTENING \([0-9]*\)$/\1/p' 30 "$echo_pid")
echo_url=http://127.0.0.1:$echo_port/mcp
say "upstream EchoServer (pid $echo_pid) on $echo_url"

# A fixed port: the dev issuer's tokens carry the gateway's resource URI (port included) as audience.
gw_port=$(free_port)
base_config() { # name
  cat <<YAML
listen:
  host: 127.0.0.1
  port: $gw_port
  path: /mcp
audit:
  path: $work/audit-$1.jsonl
servers:
  echo:
    url: $echo_url
    prefix: false
    pinning: trust-on-first-use
integrity:
  store: $work/integrity-$1.db
YAML
}
base_config noauth >"$work/gateway-noauth.yaml"
{
  base_config auth
  cat <<YAML
sessions:
  max-per-user: 64
auth:
  required-scopes: [mcp:tools]
  dev-issuer:
    enabled: true
    key-file: $work/dev-issuer-key.json
YAML
} >"$work/gateway-auth.yaml"

start_gateway() { # config, log; sets gw_pid gw_url
  start_bg "$2" env WARDEN_SKIP_BUILD=1 "$root/mcp-warden" run --config "$1" --port "$gw_port"
  gw_pid=$last_pid
  local port
  port=$(wait_log "$2" 's/^MCP Warden listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/mcp.*/\1/p' 60 "$gw_pid")
  gw_url=http://127.0.0.1:$port/mcp
}

load http baseline "direct (EchoServer over HTTP)" "$echo_url" "$warmup" "$duration" --watch "upstream=$echo_pid"

start_gateway "$work/gateway-noauth.yaml" "$work/gateway-noauth.log"
say "mcp-warden (pid $gw_pid) on $gw_url"
load http subject "through mcp-warden" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"

token=$(WARDEN_SKIP_BUILD=1 timeout 60 "$root/mcp-warden" dev-token --config "$work/gateway-auth.yaml" --sub bench --ttl 1h 2>"$work/dev-token.log") ||
  { tail -n 20 "$work/dev-token.log" >&2; say "dev-token failed"; exit 1; }
start_gateway "$work/gateway-auth.yaml" "$work/gateway-auth.log"
say "mcp-warden with auth (pid $gw_pid) on $gw_url"
load http compare "through mcp-warden with auth on (dev issuer, ES256 bearer token)" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --bearer "$token" --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"

cleanup
note "machine load" "load average at end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); whole run took $((SECONDS - started)) s"
cp "$results" "$results_dir/auth-latest.jsonl"
timeout 60 "$java" -cp "$bench_jar" io.mcpwarden.bench.Report --results "$results" --out "$results_dir/auth-latest.md" \
  --title "MCP Warden load benchmark: gateway with authentication on"
say "done in $((SECONDS - started)) s: bench/results/auth-latest.md"
