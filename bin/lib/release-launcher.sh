#!/bin/sh
# mcp-relay @VERSION@ with its own Java runtime (built by bin/package): needs no JDK on the machine.
#   bin/mcp-relay --upstream http://127.0.0.1:3001/mcp [--port 8080] [--bind 127.0.0.1]   (see --help)
# MCP_RELAY_JAVA_OPTS: extra JVM options (e.g. -Xmx512m), placed after the defaults so they win.
# MCP_RELAY_MODULE_PATH=/path/to/interceptor.jar[:more.jar|dir]: code interceptors (docs/interceptors.md);
#   the relay then runs on the module path with them added, without the class-data archive.
# POSIX sh and shell built-ins only (readlink when present, to follow a symlink such as
# /usr/local/bin/mcp-relay), so it runs on minimal images; JAVA_HOME and PATH are never consulted.
set -eu
self=$0
if command -v readlink >/dev/null 2>&1; then
  self=$(readlink -f -- "$0" 2>/dev/null || printf '%s\n' "$0")
fi
case $self in */*) ;; *) self=./$self ;; esac
home=$(cd -- "${self%/*}/.." && pwd -P)
java=$home/runtime/bin/java

if [ -n "${MCP_RELAY_MODULE_PATH:-}" ]; then
  # shellcheck disable=SC2086 # the defaults and MCP_RELAY_JAVA_OPTS are lists of words
  exec "$java" @JVM_DEFAULTS@ ${MCP_RELAY_JAVA_OPTS:-} -p "$home/lib/mcp-relay.jar:$home/lib/libs:$MCP_RELAY_MODULE_PATH" \
    --add-modules ALL-MODULE-PATH -m io.mcprelay.bootstrap/io.mcprelay.bootstrap.Main "$@"
fi
# lib/mcp-relay.jsa: the class-data (AppCDS) archive of the classes a start-up and a first request load,
# written by bin/package from this very runtime and these jars; mapped instead of loading and verifying
# those classes again. Were it stale or unreadable, the JVM would ignore it (its log lines are silenced).
# shellcheck disable=SC2086
exec "$java" @JVM_DEFAULTS@ "-XX:SharedArchiveFile=$home/lib/mcp-relay.jsa" "-Xlog:cds*=off" ${MCP_RELAY_JAVA_OPTS:-} \
  -jar "$home/lib/mcp-relay.jar" "$@"
