#!/usr/bin/env bash
# MCP Warden load benchmark: one command, loopback only, bounded in time (~4 minutes).
#
#   bench/run.sh            full run (< 5 min): results in bench/results/latest.md (+ latest.jsonl)
#   bench/run.sh --quick    smoke run (2 s warm-up, 5 s measured per row), same output files
#
# In one run, on 127.0.0.1, against the same minimal upstream (gateway-bench EchoServer):
#   1. tools/call echo direct to the upstream over Streamable HTTP, then through mcp-warden
#      fronting it (prefix: false, audit to a file): added p50/p99, throughput ratio; and, for
#      reference, through a plain Jetty forwarder with no MCP logic (the floor for this stack);
#      the direct and gateway paths again paced at BENCH_PACE_RPS (open loop, below saturation);
#   2. the same upstream as a stdio server behind mcp-warden (shared child, child per session),
#      mcp-proxy and supergateway (npm), all exposing it over Streamable HTTP;
#   3. mcp-warden start to first served initialize (median of 5), launched with java -jar, with
#      the ./mcp-warden launcher without its AOT cache (WARDEN_AOT=off), and with the launcher as
#      users run it (JDK 25 AOT cache, made by the launcher once per build);
#   4. heap used after a full GC with 1,000 idle sessions (jcmd GC.run + GC.heap_info).
# Every process it starts gets its own process group and is stopped on exit, even on Ctrl-C;
# nothing else is touched. Each step has a time limit.
#
# Knobs (environment):
#   BENCH_CONNECTIONS=16  BENCH_DURATION=15        HTTP rows: measured seconds per row
#   BENCH_WARMUP=10       BENCH_GATEWAY_WARMUP=30  warm-up of the direct and the gateway row: the
#                         gateway has far more code to JIT-compile (Jetty server and client,
#                         Jackson, the core), and its CPU per request only settles after ~30 s;
#                         BENCH_FORWARDER_WARMUP=15 for the plain Jetty forwarder row
#   BENCH_STDIO_WARMUP=10 BENCH_STDIO_DURATION=10  stdio rows
#   BENCH_MESSAGE_BYTES=64         echoed text per call
#   BENCH_PACE_RPS=2000            calls/s of the paced (open-loop) rows, direct and gateway, at the
#                                  same 16 connections: added latency below saturation
#   BENCH_SKIP_BUILD=1             use the jars as they are
#   BENCH_SKIP_BRIDGES=1           no npm install, no mcp-proxy/supergateway rows
#   BENCH_QUIET_WAIT=20            seconds to wait for a 1-minute load average below
#   BENCH_MAX_LOAD=1.0             ... this before starting (the machine may be shared)
#   BENCH_NICE=-5                  run every benchmark process at this nice level (negative
#                                  needs root): less disturbance from other work on a shared box
#   BENCH_BUDGET=290               seconds for the whole run (build included): optional rows
#                                  (bridges, child per session) that would overrun it are
#                                  skipped with a note
#   BENCH_KEEP=1                   keep the work directory (logs, configs, audit files)
#   SUPERGATEWAY_VERSION=4.0.0  MCP_PROXY_VERSION=6.7.19
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
gateway_warmup=${BENCH_GATEWAY_WARMUP:-30}
forwarder_warmup=${BENCH_FORWARDER_WARMUP:-15}
duration=${BENCH_DURATION:-15}
stdio_warmup=${BENCH_STDIO_WARMUP:-10}
stdio_duration=${BENCH_STDIO_DURATION:-10}
message_bytes=${BENCH_MESSAGE_BYTES:-64}
pace_rps=${BENCH_PACE_RPS:-2000}
quiet_wait=${BENCH_QUIET_WAIT:-20}
budget=${BENCH_BUDGET:-290}
max_load=${BENCH_MAX_LOAD:-1.0}
sg_version=${SUPERGATEWAY_VERSION:-4.0.0}
mp_version=${MCP_PROXY_VERSION:-6.7.19}
title="MCP Warden load benchmark"
if [ "${1:-}" = "--quick" ]; then
  warmup=2 gateway_warmup=2 forwarder_warmup=2 duration=5 stdio_warmup=2 stdio_duration=5
  title="$title (quick run: figures are indicative only)"
elif [ -n "${1:-}" ]; then
  sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

prio=()
if [ -n "${BENCH_NICE:-}" ]; then prio=(nice -n "$BENCH_NICE"); fi

bench_jar=$root/gateway-bench/target/warden-bench.jar
server_jar=$root/gateway-server/target/mcp-warden.jar
results_dir=$root/bench/results
bridges_dir=$root/bench/.cache/bridges
work=$root/gateway-bench/target/bench-run
results=$work/results.jsonl
started=$SECONDS

say() { printf '[bench %3ds] %s\n' $((SECONDS - started)) "$*" >&2; }
note() { # label, text: a line in the report's notes
  local esc=${2//\\/\\\\}
  esc=${esc//\"/\\\"}
  printf '{"kind":"note","group":"note","label":"%s","text":"%s","time":"%s"}\n' "$1" "$esc" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$results"
  say "note: $1: $2"
}

# ------------------------------------------------------------------ processes we own
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

# Starts "$@" in a new process group (the group id is the pid), output to log $1.
start_bg() {
  local log=$1
  shift
  setsid ${prio[@]+"${prio[@]}"} "$@" </dev/null >"$log" 2>&1 &
  last_pid=$!
  pgids+=("$last_pid")
}

# Stops one process group started by start_bg ($2: seconds to wait before SIGKILL, default 10).
stop_bg() {
  local pg=$1 i keep=()
  kill -TERM -- "-$pg" 2>/dev/null || true
  for i in $(seq $((${2:-10} * 10))); do kill -0 -- "-$pg" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
  for i in ${pgids[@]+"${pgids[@]}"}; do [ "$i" = "$pg" ] || keep+=("$i"); done
  pgids=(${keep[@]+"${keep[@]}"})
}

# Waits until $1 (a log file) has a line matching $2; prints the match's first group ($3: sed expr).
wait_log() {
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

# Waits until 127.0.0.1:$1 accepts connections.
wait_port() {
  local port=$1 limit=$2 pid=$3 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null ||
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
}

bench_java() { # main class, args...: runs a harness main class, bounded by $limit seconds
  local cls=$1
  shift
  timeout -k 5 "$limit" ${prio[@]+"${prio[@]}"} "$java" -XX:+UseSerialGC -cp "$bench_jar" "io.mcpwarden.bench.$cls" "$@"
}

# Runs LoadBench; group role label url warmup duration [--watch name=pid]...
load() {
  local group=$1 role=$2 label=$3 url=$4 wu=$5 du=$6
  shift 6
  limit=$((${wu%.*} + ${du%.*} + 150))
  say "load: $label ($url), ${wu}s warm-up + ${du}s"
  bench_java LoadBench --url "$url" --group "$group" --role "$role" --label "$label" --connections "$connections" \
    --warmup "$wu" --duration "$du" --message-bytes "$message_bytes" --setup-timeout 120 --results "$results" "$@" \
    >/dev/null || note "$label" "load run failed (exit $?); see the log above"
}

# ------------------------------------------------------------------ build
mkdir -p "$work" "$results_dir"
rm -f "$work"/*.log "$work"/*.yaml "$work"/audit-*.jsonl "$work"/integrity-*.db* "$results"

stale() {
  [ -f "$bench_jar" ] && [ -f "$server_jar" ] || return 0
  local ref=$bench_jar
  [ "$server_jar" -nt "$ref" ] || ref=$server_jar
  [ -n "$(find "$root"/pom.xml "$root"/*/pom.xml "$root"/gateway-core/src/main "$root"/gateway-server/src/main \
    "$root"/gateway-bench/src/main -newer "$ref" -print -quit 2>/dev/null)" ]
}
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && stale; then
  say "building gateway-server and gateway-bench (log: $work/build.log)"
  if ! timeout 600 ./mvnw -q -B -DskipTests -pl gateway-server,gateway-bench -am package >"$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log" >&2
    say "build failed"
    exit 1
  fi
fi
[ -f "$bench_jar" ] && [ -f "$server_jar" ] || { say "jars missing: $bench_jar $server_jar"; exit 1; }
# The launcher makes its AOT cache on the first launch after a build (a training run of a few
# seconds): do that now, not inside a timed step.
WARDEN_SKIP_BUILD=1 "$root/mcp-warden" --version >/dev/null 2>&1 || true

# ------------------------------------------------------------------ a quiet machine
load1() { cut -d' ' -f1 /proc/loadavg; }
above() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a>b)}'; }
if above "$(load1)" "$max_load"; then
  say "1-minute load average $(load1) > $max_load: waiting up to ${quiet_wait}s for the machine to calm down"
  deadline=$((SECONDS + quiet_wait))
  while [ $SECONDS -lt $deadline ] && above "$(load1)" "$max_load"; do sleep 2; done
fi
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
  dirty=$(git -C "$root" status --porcelain -- gateway-core gateway-server 2>/dev/null | wc -l)
  note source "commit $rev$([ "$dirty" -gt 0 ] && echo " with $dirty uncommitted file(s) in gateway-core/gateway-server")"
elif [ -f "$root/.bench-commit" ]; then
  note source "commit $(cat "$root/.bench-commit") (exported tree)"
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
note "machine load" "load average at start (1/5/15 min): $load_start; $(nproc) CPUs shared by the load generator, the gateway and the upstream${BENCH_NICE:+; benchmark processes at nice $BENCH_NICE}"

# ------------------------------------------------------------------ time budget
# Rows run in order of importance; an optional row that would overrun the budget is skipped
# (and says so in the report) rather than making the run unbounded.
fits() { # seconds needed, label
  if [ $((SECONDS - started + $1)) -gt "$budget" ]; then
    note "$2" "skipped: would overrun the ${budget}s time budget (BENCH_BUDGET)"
    return 1
  fi
}

# ------------------------------------------------------------------ upstream (HTTP)
start_bg "$work/echo-http.log" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.EchoServer http 0
echo_pid=$last_pid
echo_port=$(wait_log "$work/echo-http.log" 's/^LISTENING \([0-9]*\)$/\1/p' 30 "$echo_pid")
echo_url=http://127.0.0.1:$echo_port/mcp
say "upstream EchoServer (pid $echo_pid) on $echo_url"

# The gateway: the launcher with its default JVM options, never rebuilding mid-run.
start_gateway() { # config, log; sets gw_pid gw_url (WARDEN_JAVA_OPTS, when set, passes through)
  start_bg "$2" env WARDEN_SKIP_BUILD=1 "$root/mcp-warden" run --config "$1" --port 0
  gw_pid=$last_pid
  local port
  port=$(wait_log "$2" 's/^MCP Warden listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/mcp.*/\1/p' 60 "$gw_pid")
  gw_url=http://127.0.0.1:$port/mcp
}

cat >"$work/gateway-http.yaml" <<EOF
listen:
  host: 127.0.0.1
  port: 0
  path: /mcp
audit:
  path: $work/audit-http.jsonl
servers:
  echo:
    url: $echo_url
    prefix: false
    pinning: trust-on-first-use
integrity:
  store: $work/integrity-http.db
EOF

# ------------------------------------------------------------------ 1. HTTP: direct vs gateway
load http baseline "direct (EchoServer over HTTP)" "$echo_url" "$warmup" "$duration" --watch "upstream=$echo_pid"
# The same two paths paced at a fixed rate well below saturation (open loop): what the gateway adds
# to a call when the machine is not CPU-bound. The gateway row runs right after its closed-loop row,
# so it is compiled, but the change of traffic makes the JIT deoptimize and recompile for about
# 5 s (a second or so of overload in that time): hence 10 s of warm-up for both paced rows.
load paced baseline "direct (EchoServer over HTTP)" "$echo_url" 10 "$duration" --rate "$pace_rps" --watch "upstream=$echo_pid"
start_gateway "$work/gateway-http.yaml" "$work/gateway-http.log"
say "mcp-warden (pid $gw_pid) on $gw_url"
load http subject "through mcp-warden" "$gw_url" "$gateway_warmup" "$duration" --window 5 \
  --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
load paced subject "through mcp-warden" "$gw_url" 10 "$duration" --rate "$pace_rps" --watch "gateway=$gw_pid" --watch "upstream=$echo_pid"
stop_bg "$gw_pid"
# The floor for a Jetty-based gateway: the same two HTTP hops with no MCP logic (JVM defaults, as
# the gateway has them).
start_bg "$work/forwarder.log" "$java" -cp "$bench_jar" io.mcpwarden.bench.JettyForwarder "$echo_url" 0
fw_pid=$last_pid
fw_port=$(wait_log "$work/forwarder.log" 's/^LISTENING \([0-9]*\)$/\1/p' 30 "$fw_pid")
load http compare "plain Jetty forwarder, no MCP logic (reference)" "http://127.0.0.1:$fw_port/mcp" "$forwarder_warmup" "$duration" \
  --watch "forwarder=$fw_pid" --watch "upstream=$echo_pid"
stop_bg "$fw_pid"

# ------------------------------------------------------------------ 3. start-up
default_opts="-Xlog:disable -Xlog:all=warning:stderr" # the launcher's defaults
startup() { # label, command... ({port} is replaced)
  local label=$1
  shift
  limit=120
  bench_java StartupProbe --label "$label" --url 'http://127.0.0.1:{port}/mcp' --runs 5 \
    --results "$results" --log "$work/startup.log" -- "$@" >/dev/null || note startup "$label: probe failed"
}
say "start-up: 5 launches each of java -jar, ./mcp-warden without and with its AOT cache"
# shellcheck disable=SC2086 # default_opts is a list of options
startup "java -jar mcp-warden.jar" "$java" $default_opts -jar "$server_jar" run --config "$work/gateway-http.yaml" --port '{port}'
startup "./mcp-warden launcher, WARDEN_AOT=off" env WARDEN_SKIP_BUILD=1 WARDEN_AOT=off "$root/mcp-warden" run --config "$work/gateway-http.yaml" --port '{port}'
if [ -f "$root/gateway-server/target/mcp-warden.aot" ]; then
  startup "./mcp-warden launcher (default: JDK 25 AOT cache)" env WARDEN_SKIP_BUILD=1 "$root/mcp-warden" run --config "$work/gateway-http.yaml" --port '{port}'
else
  note startup "the launcher made no AOT cache (see target/mcp-warden-aot.log); default launcher row skipped"
fi

# ------------------------------------------------------------------ 4. idle heap
start_gateway "$work/gateway-http.yaml" "$work/gateway-heap.log"
say "heap: 1,000 idle sessions on mcp-warden (pid $gw_pid)"
limit=240
bench_java HeapProbe --url "$gw_url" --pid "$gw_pid" --label "mcp-warden, HTTP upstream, default JVM options" \
  --sessions 1000 --concurrency 8 --results "$results" >/dev/null || note heap "heap probe failed"
stop_bg "$gw_pid"

# ------------------------------------------------------------------ 2. stdio server behind bridges
# The same command for every bridge: the EchoServer in stdio mode, C1 only for a quick start
# (a bridge with a child per session starts one per client).
stdio_cmd=("$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx64m -cp "$bench_jar" io.mcpwarden.bench.EchoServer stdio)
yaml_cmd=$(printf '"%s", ' "${stdio_cmd[@]}")
yaml_cmd="[${yaml_cmd%, }]"
for iso in shared per-session; do
  cat >"$work/gateway-stdio-$iso.yaml" <<EOF
listen:
  host: 127.0.0.1
  port: 0
  path: /mcp
audit:
  path: $work/audit-stdio-$iso.jsonl
servers:
  echo:
    command: $yaml_cmd
    isolation: $iso
    prefix: false
    pinning: trust-on-first-use
    # 16 JVMs starting at once on 2 busy cores can take longer than the default 20 s
    init-timeout: 90s
integrity:
  store: $work/integrity-stdio-$iso.db
EOF
done
stdio_row=$((stdio_warmup + stdio_duration + 8))

start_gateway "$work/gateway-stdio-shared.yaml" "$work/gateway-stdio-shared.log"
load stdio baseline "mcp-warden, one shared child" "$gw_url" "$stdio_warmup" "$stdio_duration" --watch "bridge+server=$gw_pid"
stop_bg "$gw_pid"

bridges_ok=0
if [ "${BENCH_SKIP_BRIDGES:-0}" = 1 ]; then
  note bridges "skipped (BENCH_SKIP_BRIDGES=1)"
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  note bridges "node/npm not found: mcp-proxy and supergateway rows skipped"
else
  want="supergateway@$sg_version mcp-proxy@$mp_version"
  if [ "$(cat "$bridges_dir/.installed" 2>/dev/null)" != "$want" ]; then
    say "installing $want from the npm registry into bench/.cache/bridges"
    mkdir -p "$bridges_dir"
    [ -f "$bridges_dir/package.json" ] || echo '{"private":true}' >"$bridges_dir/package.json"
    if timeout 300 npm install --prefix "$bridges_dir" --no-audit --no-fund --silent "supergateway@$sg_version" "mcp-proxy@$mp_version" \
      >"$work/npm.log" 2>&1; then
      echo "$want" >"$bridges_dir/.installed"
    else
      note bridges "npm install of $want failed: $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"
    fi
  fi
  [ "$(cat "$bridges_dir/.installed" 2>/dev/null)" = "$want" ] && bridges_ok=1
fi

if [ "$bridges_ok" = 1 ]; then
  note bridges "mcp-proxy $mp_version and supergateway $sg_version from the npm registry, run with node $(node --version); both answer POSTs with an SSE stream, mcp-warden with JSON"
  # mcp-proxy: one child shared by all sessions (like mcp-warden's default), Streamable HTTP on /mcp.
  if fits "$stdio_row" "mcp-proxy"; then
    port=$(free_port)
    start_bg "$work/mcp-proxy.log" node "$bridges_dir/node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs" \
      --host 127.0.0.1 --port "$port" --server stream -- "${stdio_cmd[@]}"
    bp=$last_pid
    if wait_port "$port" 60 "$bp"; then
      load stdio compare "mcp-proxy $mp_version, one shared child" "http://127.0.0.1:$port/mcp" "$stdio_warmup" "$stdio_duration" \
        --watch "bridge+server=$bp"
    else
      note "mcp-proxy" "did not listen on port $port: $(tail -n 3 "$work/mcp-proxy.log" | tr '\n' ' ')"
    fi
    stop_bg "$bp"
  fi

  # supergateway: --stateful is its only Streamable HTTP mode with sessions; it spawns one child
  # per session (stateless would spawn one per request).
  if fits $((stdio_row + 10)) "supergateway"; then
    port=$(free_port)
    printf -v sg_cmd '%q ' "${stdio_cmd[@]}"
    start_bg "$work/supergateway.log" node "$bridges_dir/node_modules/supergateway/dist/index.js" \
      --stdio "${sg_cmd% }" --outputTransport streamableHttp --stateful --port "$port" --logLevel none
    bp=$last_pid
    if wait_port "$port" 60 "$bp"; then
      load stdio compare "supergateway $sg_version --stateful, child per session" "http://127.0.0.1:$port/mcp" \
        "$stdio_warmup" "$stdio_duration" --watch "bridge+server=$bp"
    else
      note "supergateway" "did not listen on port $port: $(tail -n 3 "$work/supergateway.log" | tr '\n' ' ')"
    fi
    stop_bg "$bp"
  fi
fi

if fits $((stdio_row + 10)) "mcp-warden, child per session"; then
  start_gateway "$work/gateway-stdio-per-session.yaml" "$work/gateway-stdio-per-session.log"
  load stdio compare "mcp-warden, child per session" "$gw_url" "$stdio_warmup" "$stdio_duration" --watch "bridge+server=$gw_pid"
  stop_bg "$gw_pid"
fi

cleanup
note "machine load" "load average at end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); whole run took $((SECONDS - started)) s"

# ------------------------------------------------------------------ report
cp "$results" "$results_dir/latest.jsonl"
limit=60
bench_java Report --results "$results" --out "$results_dir/latest.md" --title "$title"
say "done in $((SECONDS - started)) s: bench/results/latest.md"
