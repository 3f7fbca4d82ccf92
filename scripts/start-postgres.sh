#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks: a fresh cluster in
# DIR (created; trust authentication, loopback only, its socket in DIR), on PORT (a free one when
# not given).
#   bash scripts/start-postgres.sh DIR [PORT]     prints the URL: postgres://postgres@127.0.0.1:PORT/postgres
#   bash scripts/start-postgres.sh --stop DIR     stops it
# Needs scripts/install-postgres.sh. The server runs as the `postgres` user (PostgreSQL refuses
# root), so DIR is handed to that user.
set -euo pipefail

die() { printf '[start-postgres] ERROR: %s\n' "$*" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/pg_ctl" ]] || die "no PostgreSQL server: run scripts/install-postgres.sh"
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ "${1:-}" == --stop ]]; then
  [[ -n "${2:-}" ]] || die "usage: --stop DIR"
  as_postgres "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  exit 0
fi
dir=${1:?usage: start-postgres.sh DIR [PORT]}
port=${2:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
mkdir -p "$dir"
[[ $(id -u) == 0 ]] && chown postgres: "$dir"
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=on" start >/dev/null \
  || die "the server did not start: $(tail -n 5 "$dir/server.log")"
echo "postgres://postgres@127.0.0.1:$port/postgres"
