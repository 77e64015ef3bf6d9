#!/bin/bash
# Asks an HTTP endpoint of mcp-relay (its health paths) with bash alone, since slim images and minimal
# hosts have no curl: exit 0 on status 200, 1 otherwise, 2 for a URL it cannot ask.
#   probe http://127.0.0.1:8080/health/live                 # Docker HEALTHCHECK: one try
#   probe --wait 60 http://127.0.0.1:8080/health/ready      # systemd ExecStartPost: until ready, at most 60 s
# Plain http:// to a host and port only (the relay's own listener, on loopback or in the pod); each try
# gives up after 5 s without an answer. Shell built-ins only: no PATH needed.
set -u
wait_seconds=0
if [ "${1:-}" = --wait ]; then
  wait_seconds=${2:?--wait needs a number of seconds}
  shift 2
fi
url=${1:?usage: probe [--wait SECONDS] http://HOST:PORT/PATH}
if [[ ! $url =~ ^http://([A-Za-z0-9.-]+):([0-9]+)(/[^[:space:]]*)?$ ]]; then
  echo "probe: $url is not http://HOST:PORT/PATH" >&2
  exit 2
fi
host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]} path=${BASH_REMATCH[3]:-/}

ask() { # one request; true if the status line says 200
  local version status
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&3
  read -r -t 5 version status _ <&3 || status=""
  exec 3<&-
  [ "${version%%/*}" = HTTP ] && [ "$status" = 200 ]
}

deadline=$((SECONDS + wait_seconds))
until ask; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    if [ "$wait_seconds" -gt 0 ]; then echo "probe: $url did not answer 200 within $wait_seconds s" >&2; else echo "probe: $url did not answer 200" >&2; fi
    exit 1
  fi
  read -r -t 0.5 _ <> <(:) || true    # half a second, without sleep(1)
done
