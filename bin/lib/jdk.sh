# Sourced by bin/mcp-relay and bin/test: finds a JDK 21 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.

java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

# Maven 3.9 on JDK 24+ warns about sun.misc.Unsafe (Guice/Guava inside Maven); allow it quietly there.
quiet_maven_on_new_jdks() {
  local major
  major=$(java_major "$JAVA_HOME")
  if [ "${major:-0}" -ge 24 ]; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}

# The JVM options mcp-relay runs with on the JDK at $JAVA_HOME (bin/mcp-relay, and bench/run for the relay
# it measures), before the user's MCP_RELAY_JAVA_OPTS, which may override them. JDK 25+: compact object
# headers (JEP 519), 8 instead of 12 bytes per object: about 1 KiB less heap per open stream and a few
# percent more JSON throughput (docs/benchmarks.md).
relay_jvm_defaults() {
  local major
  major=$(java_major "$JAVA_HOME")
  # a JVM out of memory must stop the process with a failure, not limp on or exit 0 (docs/security.md)
  local options="-XX:+ExitOnOutOfMemoryError"
  if [ "${major:-0}" -ge 25 ]; then options="$options -XX:+UseCompactObjectHeaders"; fi
  echo "$options"
}

find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  echo "mcp-relay needs a JDK 21 or newer (found none in \$JAVA_HOME, /usr/lib/jvm or on PATH)." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk-headless, or Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}
