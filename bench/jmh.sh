#!/usr/bin/env bash
# MCP Warden JMH micro-benchmarks (gateway-bench/src/main/java/io/mcpwarden/bench/jmh).
#
#   bench/jmh.sh                 all benchmarks, quick settings (~1 minute)
#   bench/jmh.sh Handoff         only those matching a regex
#   bench/jmh.sh -- -prof gc     anything after -- goes to JMH as is (e.g. -f 3 -i 10 for precision)
#
# Builds gateway-bench (the shaded gateway-bench/target/warden-bench.jar) when it is older than
# the sources, then runs JMH. Results: stdout, and bench/results/jmh-latest.txt.
# BENCH_SKIP_BUILD=1 uses the jar as it is.
set -euo pipefail
unset CDPATH
root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/jdk.sh
. "$root/scripts/lib/jdk.sh"
warden_find_jdk || exit 1

filter=()
extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
  filter+=("$1")
  shift
done

jar=$root/gateway-bench/target/warden-bench.jar
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && { [ ! -f "$jar" ] || [ -n "$(find "$root"/pom.xml "$root"/*/pom.xml \
  "$root"/gateway-core/src/main "$root"/gateway-server/src/main "$root"/gateway-bench/src/main -newer "$jar" -print -quit)" ]; }; then
  echo "jmh.sh: building gateway-bench..." >&2
  ./mvnw -q -B -DskipTests -pl gateway-bench -am package >&2
fi
mkdir -p "$root/bench/results"
# Quick defaults, each dropped when given after -- (JMH refuses an option twice).
opts=()
for pair in "-f 1" "-wi 2" "-w 1s" "-i 3" "-r 1s" "-foe true"; do
  flag=${pair%% *}
  given=0
  for e in ${extra[@]+"${extra[@]}"}; do [ "$e" = "$flag" ] && given=1; done
  [ "$given" = 1 ] || opts+=("$flag" "${pair#* }")
done
"$JAVA_HOME/bin/java" -jar "$jar" "${opts[@]}" ${extra[@]+"${extra[@]}"} ${filter[@]+"${filter[@]}"} |
  tee "$root/bench/results/jmh-latest.txt"
