#!/usr/bin/env bash
# Before/after comparison of two gateway jars on a busy, shared machine: both run side by side, at
# the same time, each behind its own LoadBench and in front of its own EchoServer, so whatever else
# the machine does disturbs both alike. Per proxied tools/call it reports the gateway's CPU time,
# the bytes it allocated (heap growth between young collections in the measured window, from the
# GC log; hence both run with the serial collector and a small young generation) and, when
# perf(1) can count them, its system calls and context switches.
#
#   bench/cpu-ab.sh BEFORE.jar AFTER.jar [connections per side, default 8]
#
# e.g. git stash; ./mvnw -q -DskipTests -pl gateway-server -am package; cp gateway-server/target/mcp-warden.jar /tmp/before.jar
#
# Loopback only, bounded (~BENCH_WARMUP + BENCH_DURATION + 20 s). Knobs: BENCH_WARMUP=30
# BENCH_DURATION=20 BENCH_YAML_BEFORE= BENCH_YAML_AFTER= (top-level YAML added to that side's gateway
# config, to compare settings with one jar). Needs gateway-bench/target/warden-bench.jar. Both gateways run with the
# launcher's logging options plus -XX:+UseSerialGC -Xmn16m (for the allocation figure; so their
# CPU figures compare with each other, not with bench/run.sh's), no AOT cache, audit to a file.
set -euo pipefail
unset CDPATH
[ $# -ge 2 ] || { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
jars=("$(realpath "$1")" "$(realpath "$2")")
conns=${3:-8}
bench_tag=bench-cpu-ab
work=$root/gateway-bench/target/bench-cpu-ab
message_bytes=64
# Logging, process groups stopped on exit, wait_log: shared with the other row scripts.
# shellcheck source=lib/row.sh
. "$root/bench/lib/row.sh"
wu=${BENCH_WARMUP:-30}
du=${BENCH_DURATION:-20}
mkdir -p "$work"
rm -f "$work"/*
[ -f "$bench_jar" ] || { echo "missing $bench_jar (./mvnw -q -DskipTests -pl gateway-bench -am package)" >&2; exit 1; }

labels=(before after)
gw_pids=()
urls=()
for i in 0 1; do
  side=${labels[$i]}
  start_bg "$work/echo-$side.log" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.EchoServer http 0
  echo_pid=$last_pid
  echo_port=$(wait_log "$work/echo-$side.log" 's/^LISTENING \([0-9]*\)$/\1/p' 60 "$echo_pid")
  cat >"$work/gateway-$side.yaml" <<EOF
listen:
  host: 127.0.0.1
  port: 0
  path: /mcp
audit:
  path: $work/audit-$side.jsonl
servers:
  echo:
    url: http://127.0.0.1:$echo_port/mcp
    prefix: false
    pinning: trust-on-first-use
integrity:
  store: $work/integrity-$side.db
EOF
  # The same jar twice with two configs compares settings instead, e.g. content guards off vs defaults.
  extra_var=BENCH_YAML_$(echo "$side" | tr a-z A-Z)
  [ -z "${!extra_var:-}" ] || printf '%s\n' "${!extra_var}" >>"$work/gateway-$side.yaml"
  start_bg "$work/gateway-$side.log" "$java" -Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -Xmn16m \
    "-Xlog:gc:file=$work/gc-$side.log:uptimenanos" -jar "${jars[$i]}" run --config "$work/gateway-$side.yaml" --port 0
  date +%s.%N >"$work/started-$side"
  gw_pids+=("$last_pid")
  port=$(wait_log "$work/gateway-$side.log" 's/^MCP Warden listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/mcp.*/\1/p' 60 "$last_pid")
  urls+=("http://127.0.0.1:$port/mcp")
  eval "echo_pid_$i=$echo_pid"
done

load_pids=()
for i in 0 1; do
  eval "ep=\$echo_pid_$i"
  timeout -k 5 $((wu + du + 120)) "$java" -XX:+UseSerialGC -cp "$bench_jar" io.mcpwarden.bench.LoadBench \
    --url "${urls[$i]}" --label "${labels[$i]}" --connections "$conns" --warmup "$wu" --duration "$du" \
    --watch "gateway=${gw_pids[$i]}" --watch "upstream=$ep" --results "$work/results.jsonl" \
    >/dev/null 2>>"$work/loadbench.log" &
  load_pids+=($!)
done
# CPU time of each gateway thread by kind (JIT compiler, GC, the rest), read from /proc at both ends
# of the window: on a busy machine the JIT is still compiling after the warm-up, and its CPU would
# otherwise swamp a difference in the request path.
threads() { # side, pid, tag
  python3 - "$2" >"$work/threads-$1-$3.txt" <<'PY' || true
import os, sys
pid = sys.argv[1]
hz = os.sysconf("SC_CLK_TCK")
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        stat = open(f"/proc/{pid}/task/{t}/stat").read()
        comm = open(f"/proc/{pid}/task/{t}/comm").read().strip()
    except OSError:
        continue
    f = stat[stat.rindex(")") + 2:].split()
    print(f"{t}\t{comm}\t{(int(f[11]) + int(f[12])) / hz}")
PY
}
sleep $((wu + 1))
date +%s.%N >"$work/window-start"
for i in 0 1; do threads "${labels[$i]}" "${gw_pids[$i]}" start; done
perf_ok=0
if command -v perf >/dev/null 2>&1; then
  perf_ok=1
  for i in 0 1; do
    perf stat -x, -e context-switches,raw_syscalls:sys_enter -p "${gw_pids[$i]}" -o "$work/perf-${labels[$i]}.txt" \
      -- sleep $((du - 2)) >/dev/null 2>&1 &
  done
fi
sleep $((du - 2))
for i in 0 1; do threads "${labels[$i]}" "${gw_pids[$i]}" end; done
date +%s.%N >"$work/window-end"
wait "${load_pids[@]}"
python3 - "$work" "$perf_ok" <<'EOF'
import json, sys, collections
work, perf_ok = sys.argv[1], sys.argv[2] == "1"
def allocated(side):
    """Bytes allocated per second in the window: heap growth between consecutive young GCs."""
    import re
    t0 = float(open(f"{work}/started-{side}").read())
    ws = float(open(f"{work}/window-start").read()) - t0
    we = float(open(f"{work}/window-end").read()) - t0
    gcs = []  # (uptime s, before bytes, after bytes)
    unit = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    for line in open(f"{work}/gc-{side}.log"):
        m = re.match(r"\[(\d+)ns\].*Pause Young.* (\d+)([KMG])->(\d+)([KMG])", line)
        if m:
            gcs.append((int(m.group(1)) / 1e9, int(m.group(2)) * unit[m.group(3)], int(m.group(4)) * unit[m.group(5)]))
    # the JVM's uptime starts a little after the launch: good enough for windows of many seconds
    inside = [g for g in gcs if ws <= g[0] <= we]
    if len(inside) < 3:
        return None
    grown = sum(b[1] - a[2] for a, b in zip(inside, inside[1:]))
    return grown / (inside[-1][0] - inside[0][0])

def perf(side):
    out = {}
    try:
        for line in open(f"{work}/perf-{side}.txt"):
            f = line.strip().split(",")
            if len(f) > 2 and f[0][:1].isdigit():
                out[f[2]] = float(f[0])
    except OSError:
        pass
    return out
def kinds(side):
    """Seconds of CPU in the window by thread kind: jit, gc, rest (threads alive at both ends)."""
    def read(tag):
        out = {}
        try:
            for line in open(f"{work}/threads-{side}-{tag}.txt"):
                tid, comm, sec = line.rstrip("\n").split("\t")
                out[tid] = (comm, float(sec))
        except OSError:
            pass
        return out
    a, b = read("start"), read("end")
    sums = collections.Counter()
    for tid, (comm, sec) in b.items():
        kind = "jit" if "Compiler" in comm else "gc" if comm.startswith(("GC", "VM Thread")) else "rest"
        sums[kind] += sec - a.get(tid, (comm, 0.0))[1]
    return sums

rows = {json.loads(l)["label"]: json.loads(l) for l in open(f"{work}/results.jsonl")}
for side in ("before", "after"):
    r = rows.get(side)
    if r is None:
        print(f"{side}: no result"); continue
    window_calls = r["rps"] * (r["durationSeconds"] - 2)  # JFR and perf cover the window minus 2 s
    a = allocated(side); p = perf(side)
    extra = ""
    if a is not None and r["rps"]:
        extra += ", %.1f KB allocated" % (a / r["rps"] / 1024)
    if p and window_calls:
        extra += ", %.1f syscalls, %.1f context switches" % (p.get("raw_syscalls:sys_enter", 0) / window_calls, p.get("context-switches", 0) / window_calls)
    k = kinds(side)
    if k and window_calls:
        extra += ", CPU w/o JIT %.0f us (JIT %.0f, GC %.0f)" % ((k["rest"] + k["gc"]) * 1e6 / window_calls, k["jit"] * 1e6 / window_calls, k["gc"] * 1e6 / window_calls)
    c = r["cpu"]
    print("%-6s per call: gateway CPU %.0f us%s | %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d, upstream CPU %.0f us, other load %.2f cores, load avg %.1f"
          % (side, c["gateway"]["usPerRequest"], extra, r["rps"], r["p50us"] / 1000, r["p99us"] / 1000, r["errors"],
             c["upstream"]["usPerRequest"], r["otherCores"], r["loadAverage"]))
EOF
