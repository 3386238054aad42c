# Shared by the benchmark scripts (bench/auth-row.sh, bench/content-row.sh, bench/cpu.sh, bench/cpu-ab.sh): logging,
# result notes, process groups that are always stopped, waiting on logs, LoadBench runs, and the
# build/preparation step. Sourced, not run.
#
# The sourcing script sets, before sourcing: root, bench_tag (log prefix), work (scratch dir),
# message_bytes, and optionally scratch_files (extra files under $work removed at exit unless
# BENCH_KEEP=1) and load_opts (extra LoadBench options for every run).
# shellcheck shell=bash

cd "$root"
# shellcheck source=../../scripts/lib/jdk.sh
. "$root/scripts/lib/jdk.sh"
warden_find_jdk || exit 1
java=$JAVA_HOME/bin/java

connections=${BENCH_CONNECTIONS:-16}
warmup=${BENCH_WARMUP:-10}
gateway_warmup=${BENCH_GATEWAY_WARMUP:-20}
duration=${BENCH_DURATION:-10}

bench_jar=$root/gateway-bench/target/warden-bench.jar
server_jar=$root/gateway-server/target/mcp-warden.jar
results_dir=$root/bench/results
results=$work/results.jsonl
started=$SECONDS

say() { printf '[%s %3ds] %s\n' "$bench_tag" $((SECONDS - started)) "$*" >&2; }
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
  local rc=$? g
  cleanup
  if [ "${BENCH_KEEP:-0}" != 1 ] && [ -d "$work" ]; then
    rm -f "$work"/audit-*.jsonl
    for g in ${scratch_files[@]+"${scratch_files[@]}"}; do rm -f "$work"/$g; done
  fi
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
    --warmup "$wu" --duration "$du" --message-bytes "$message_bytes" --setup-timeout 120 \
    ${load_opts[@]+"${load_opts[@]}"} --results "$results" "$@" \
    >/dev/null || note "$label" "load run failed (exit $?)"
}

# Scratch directory emptied, jars built (unless BENCH_SKIP_BUILD=1) and checked, source and load noted.
prepare_row() {
  local g
  mkdir -p "$work" "$results_dir"
  rm -f "$work"/*.log "$work"/*.yaml "$work"/audit-*.jsonl "$work"/integrity-*.db* "$results"
  for g in ${scratch_files[@]+"${scratch_files[@]}"}; do rm -f "$work"/$g; done
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    say "building gateway-server and gateway-bench (log: $work/build.log)"
    timeout 600 ./mvnw -q -B -DskipTests -pl gateway-server,gateway-bench -am package >"$work/build.log" 2>&1 ||
      { tail -n 40 "$work/build.log" >&2; say "build failed"; exit 1; }
  fi
  [ -f "$bench_jar" ] && [ -f "$server_jar" ] || { say "jars missing: $bench_jar $server_jar"; exit 1; }
  local rev dirty
  if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    dirty=$(git -C "$root" status --porcelain -- gateway-core/src/main gateway-server/src/main 2>/dev/null | wc -l)
    note source "commit $rev$([ "$dirty" -gt 0 ] && echo " with $dirty uncommitted file(s) in gateway-core/gateway-server sources")"
  fi
  note "machine load" "load average at start (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs shared by the load generator, the gateway and the upstream"
}
