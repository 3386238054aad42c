# shellcheck shell=bash
# Locate a JDK >= 25 for MCP Warden and export JAVA_HOME.
#
# Usage (from a bash script):
#   . "$root/scripts/lib/jdk.sh"
#   warden_find_jdk || exit 1
#
# Search order:
#   1. the current $JAVA_HOME, if it is a JDK >= 25
#   2. /usr/lib/jvm/temurin-25-jdk* (any architecture)
#   3. any other /usr/lib/jvm/* (highest version first)
#   4. a few other well-known places (SDKMAN, macOS, `java` on PATH)
# The first JDK whose major version is >= WARDEN_MIN_JAVA (default 25) wins.
# On failure an explanation goes to stderr and the function returns 1.
#
# The major version is read from the JDK's `release` file (no JVM start, so it
# is fast enough for the launcher); only when that file is missing or
# unreadable is `java -XshowSettings:properties -version` consulted.
#
# Safe to source under `set -euo pipefail`; defines only warden_* names.

# Print the feature (major) version of the JDK at $1, or nothing.
# Handles "25", "25.0.1", "25-ea", "26-internal" and legacy "1.8.0_402".
warden_jdk_major() {
  local home=$1 v="" line
  [ -x "$home/bin/java" ] || return 1
  if [ -r "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=*)
          v=${line#JAVA_VERSION=}
          v=${v//\"/}
          break
          ;;
      esac
    done <"$home/release"
  fi
  if [ -z "$v" ]; then
    # No usable release file: ask the JVM itself (slower, ~50-100 ms).
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 </dev/null |
      sed -n 's/^[[:space:]]*java\.specification\.version = //p' | head -n 1) || v=""
  fi
  v=${v%%[!0-9.]*}         # strip -ea, +build, -internal ...
  case $v in
    1.*) v=${v#1.} ;;      # 1.8 -> 8
  esac
  v=${v%%.*}
  case $v in
    '' | *[!0-9]*) return 1 ;;
  esac
  printf '%s\n' "$v"
}

# Succeeds if $1 is a JDK (java + javac) of major >= WARDEN_MIN_JAVA.
warden_jdk_ok() {
  local home=$1 major
  [ -n "$home" ] && [ -d "$home" ] || return 1
  [ -x "$home/bin/javac" ] || return 1
  major=$(warden_jdk_major "$home") || return 1
  [ "$major" -ge "${WARDEN_MIN_JAVA:-25}" ]
}

warden_find_jdk() {
  local min=${WARDEN_MIN_JAVA:-25} cand java_bin best="" best_major=0 major
  local -a cands=()

  # 1. Existing JAVA_HOME.
  if [ -n "${JAVA_HOME:-}" ] && warden_jdk_ok "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi

  # 2. Temurin 25 under /usr/lib/jvm, any arch.
  for cand in /usr/lib/jvm/temurin-"$min"-jdk*; do
    if [ -d "$cand" ] && warden_jdk_ok "$cand"; then
      JAVA_HOME=$cand
      export JAVA_HOME
      return 0
    fi
  done

  # 3. Anything else under /usr/lib/jvm, then 4. other usual places.
  #    Among those that qualify take the highest major version.
  for cand in /usr/lib/jvm/* \
    "${SDKMAN_CANDIDATES_DIR:-$HOME/.sdkman/candidates}"/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home \
    /opt/java/* /opt/jdk*; do
    if [ -d "$cand" ]; then cands+=("$cand"); fi
  done
  if java_bin=$(command -v java 2>/dev/null) && [ -n "$java_bin" ]; then
    java_bin=$(readlink -f "$java_bin" 2>/dev/null || printf '%s' "$java_bin")
    cands+=("${java_bin%/bin/java}")
  fi
  for cand in ${cands[@]+"${cands[@]}"}; do
    warden_jdk_ok "$cand" || continue
    major=$(warden_jdk_major "$cand") || continue
    if [ "$major" -gt "$best_major" ]; then
      best=$cand
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    JAVA_HOME=$best
    export JAVA_HOME
    return 0
  fi

  # Nothing found: explain what to do.
  {
    echo "error: MCP Warden needs a JDK $min or newer (java + javac), but none was found."
    if [ -n "${JAVA_HOME:-}" ]; then
      major=$(warden_jdk_major "$JAVA_HOME" 2>/dev/null) || major=""
      if [ -n "$major" ]; then
        echo "  JAVA_HOME=$JAVA_HOME is Java $major$([ -x "$JAVA_HOME/bin/javac" ] || echo ' without javac')."
      else
        echo "  JAVA_HOME=$JAVA_HOME is not a usable JDK (no bin/java or unreadable version)."
      fi
    fi
    echo "  Searched: \$JAVA_HOME, /usr/lib/jvm/*, SDKMAN, /opt/java, java on PATH."
    echo "  Install Eclipse Temurin $min, e.g. on Debian/Ubuntu with the Adoptium apt repo:"
    echo "      apt-get install temurin-$min-jdk"
    echo "  or download it from https://adoptium.net/ and set JAVA_HOME=/path/to/jdk-$min."
  } >&2
  return 1
}
