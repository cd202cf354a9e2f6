#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on 127.0.0.1 for the test suite and prints its URL; `stop DIR` stops and removes it.
# Uses initdb/pg_ctl from PATH, else installs Debian's postgresql. Runs the server as the postgres user
# (initdb refuses root), creating that user if needed.
set -euo pipefail
if [ "${1:-}" = "stop" ]; then
  dir="$2"
  runuser -u postgres -- pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
if ! command -v initdb >/dev/null 2>&1; then
  if [ -d /usr/lib/postgresql ]; then
    PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
  else
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
  fi
fi
id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
port="${HUIQI_PG_PORT:-54329}"
dir="$(mktemp -d /tmp/huiqi-pg.XXXXXX)"
chown postgres "$dir"
runuser -u postgres -- env PATH="$PATH" initdb -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- env PATH="$PATH" pg_ctl -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
echo "$dir postgres://postgres@127.0.0.1:$port/postgres"
