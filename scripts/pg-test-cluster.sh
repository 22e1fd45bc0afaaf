#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for `npm run test:pg` (local runs and .ci/run).
#   scripts/pg-test-cluster.sh start        → prints DIR on line 1 and DATABASE_URL on line 2
#   scripts/pg-test-cluster.sh replica URL  → a streaming replica of the cluster at URL (its own DIR and
#                                             port): prints DIR on line 1 and its URL on line 2
#   scripts/pg-test-cluster.sh stop DIR     → stops the cluster (or replica) and removes DIR
# The server runs as the `postgres` user (it refuses to run as root), so DIR and every parent must be
# readable by it: mktemp -d makes a 700 directory, hence the chmod. Trust auth on 127.0.0.1 and a
# socket inside DIR: nothing outside this machine, and no clash with a system cluster on 5432.
set -euo pipefail
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
RUN_AS=(runuser -u postgres --)
[ "$(id -u)" -eq 0 ] || RUN_AS=()

# Starts the cluster in DIR/data on a free port and prints DIR and its URL. A free port: ask the kernel
# for one, then hand it to postgres (a race only with another starter). fsync off: a test cluster is
# thrown away, so durability buys nothing and costs seconds.
serve() {
  local DIR="$1" PORT
  PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -w -t 30 -l "$DIR/server.log" \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  echo "$DIR"
  echo "postgres://postgres@127.0.0.1:$PORT/postgres"
}

case "${1:-}" in
  start)
    DIR="$(mktemp -d /tmp/tablero-pg.XXXXXX)"
    chmod 755 "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
    "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    serve "$DIR"
    ;;
  replica)
    # pg_basebackup -R copies the primary and writes primary_conninfo + standby.signal, so the copy starts
    # as a hot standby streaming from it. The primary needs nothing more: wal_level=replica and
    # max_wal_senders=10 are the defaults, and initdb's pg_hba.conf already trusts replication
    # connections from 127.0.0.1 (-A trust above).
    PRIMARY="${2:?usage: $0 replica PRIMARY_URL}"
    DIR="$(mktemp -d /tmp/tablero-pg.XXXXXX)"
    chmod 755 "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
    "${RUN_AS[@]}" "$BIN/pg_basebackup" -R -X stream -c fast -D "$DIR/data" -d "$PRIMARY" >"$DIR/basebackup.log" 2>&1 \
      || { cat "$DIR/basebackup.log" >&2; exit 1; }
    # The same settings as the primary (a standby refuses to start with fewer max_connections).
    serve "$DIR"
    ;;
  stop)
    DIR="${2:?usage: $0 stop DIR}"
    case "$DIR" in /tmp/tablero-pg.*) ;; *) echo "refusing to remove $DIR (not a tablero-pg test cluster)" >&2; exit 1 ;; esac
    if [ -f "$DIR/data/postmaster.pid" ]; then "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start | replica PRIMARY_URL | stop DIR" >&2
    exit 2
    ;;
esac
