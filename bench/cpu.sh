#!/usr/bin/env bash
# The gateway's CPU per proxied tools/call (HTTP upstream), the one figure that stays meaningful on
# a loaded, shared machine: process CPU time of the gateway divided by the calls it served.
#
#   bench/cpu.sh [rounds]     default 1 round; each round: fresh gateway, warm-up, measured window
#
# Loopback only, bounded in time (about (BENCH_WARMUP + BENCH_DURATION + 10) s per round). Uses the
# jars as they are (build them first, e.g. bench/run.sh or ./mcp-warden --help). Starts the
# gateway with the ./mcp-warden launcher (its default JVM options and AOT cache, unless
# WARDEN_JAVA_OPTS / WARDEN_AOT say otherwise), fronting the gateway-bench EchoServer over HTTP
# with audit to a file, exactly as bench/run.sh does. Prints one line per round and the median.
#
# Knobs: BENCH_CONNECTIONS=16 BENCH_WARMUP=30 BENCH_DURATION=15 BENCH_AUDIT=1 (0: no audit)
#        BENCH_JFR=FILE   record a JFR profile (profile settings) of the gateway's measured rounds
set -euo pipefail
unset CDPATH

root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
bench_tag=bench-cpu
work=$root/gateway-bench/target/bench-cpu
message_bytes=64
# Logging, process groups stopped on exit, wait_log: shared with the other row scripts.
# shellcheck source=lib/row.sh
. "$root/bench/lib/row.sh"
rounds=${1:-1}
warmup=${BENCH_WARMUP:-30}
duration=${BENCH_DURATION:-15}
mkdir -p "$work"
rm -f "$work"/*.jsonl "$work"/*.log "$work"/integrity.db*
[ -f "$bench_jar" ] && [ -f "$server_jar" ] || { echo "build the jars first" >&2; exit 1; }

start_bg "$work/echo.log" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.EchoServer http 0
echo_pid=$last_pid
echo_url=http://127.0.0.1:$(wait_log "$work/echo.log" 's/^LISTENING \([0-9]*\)$/\1/p' 60 "$echo_pid")/mcp
audit_line="audit:
  path: $work/audit.jsonl"
[ "${BENCH_AUDIT:-1}" = 1 ] || audit_line=""
cat >"$work/gateway.yaml" <<EOF
listen:
  host: 127.0.0.1
  port: 0
  path: /mcp
$audit_line
servers:
  echo:
    url: $echo_url
    prefix: false
    pinning: trust-on-first-use
integrity:
  store: $work/integrity.db
EOF

for r in $(seq "$rounds"); do
  extra=()
  if [ -n "${BENCH_JFR:-}" ]; then
    extra=("WARDEN_JAVA_OPTS=${WARDEN_JAVA_OPTS--Xlog:disable -Xlog:all=warning:stderr} -XX:StartFlightRecording=delay=${warmup}s,duration=${duration}s,settings=${BENCH_JFC:-profile},filename=${BENCH_JFR%.jfr}-$r.jfr")
  fi
  start_bg "$work/gateway-$r.log" env WARDEN_SKIP_BUILD=1 ${extra[@]+"${extra[@]}"} "$root/mcp-warden" run --config "$work/gateway.yaml" --port 0
  gw_pid=$last_pid
  port=$(wait_log "$work/gateway-$r.log" 's/^MCP Warden listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/mcp.*/\1/p' 60 "$gw_pid")
  timeout -k 5 $((warmup + duration + 120)) "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.LoadBench \
    --url "http://127.0.0.1:$port/mcp" --label "round $r" --connections "$connections" --warmup "$warmup" \
    --duration "$duration" --watch "gateway=$gw_pid" --watch "upstream=$echo_pid" --results "$work/rounds.jsonl" \
    >/dev/null 2>>"$work/loadbench.log"
  [ -z "${BENCH_JFR:-}" ] || sleep 2
  stop_bg "$gw_pid"
  tail -n1 "$work/rounds.jsonl" | python3 -c '
import json,sys
r=json.loads(sys.stdin.read())
c=r["cpu"]
print("round %s: gateway %.0f us/call, upstream %.0f, loadgen %.0f; %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d, other load %.2f cores, load avg %s" % (
  r["label"].split()[-1], c["gateway"]["usPerRequest"], c["upstream"]["usPerRequest"], c["loadgen"]["usPerRequest"],
  r["rps"], r["p50us"]/1000, r["p99us"]/1000, r["errors"], r["otherCores"], r["loadAverage"]))'
done
python3 - "$work/rounds.jsonl" <<'EOF'
import json,sys,statistics
v=[json.loads(l)["cpu"]["gateway"]["usPerRequest"] for l in open(sys.argv[1])]
print("median gateway CPU per call: %.0f us over %d round(s): %s" % (statistics.median(v), len(v), ", ".join("%.0f" % x for x in v)))
EOF
