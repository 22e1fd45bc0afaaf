#!/usr/bin/env bash
# `npm test`'s last step: the browser tests, then the security tests. With TABLERO_TEST_PG_URL naming a
# PostgreSQL server (.ci/run starts a throw-away one), `npm run test:pg` runs beside them: the browser
# files spend most of their time waiting on pages (a file alone used 40 % of a core), so the PostgreSQL
# files fill the idle core instead of running after them (CI 22 → ~19 min). One PostgreSQL file at a
# time there, to leave the browsers their share. Its output is printed after the browser tests'.
# Fails when either fails.
set -uo pipefail
pg_pid=""
pg_log=""
if [ -n "${TABLERO_TEST_PG_URL:-}" ]; then
  pg_log="$(mktemp /tmp/tablero-test-pg.XXXXXX)"
  DATABASE_URL="$TABLERO_TEST_PG_URL" npm run test:pg -- --maxWorkers=1 >"$pg_log" 2>&1 &
  pg_pid=$!
fi
status=0
npm run test:e2e || status=1
npm run test:security || status=1
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || status=1
  echo "── npm run test:pg (ran beside the browser tests) ──"
  cat "$pg_log"
  rm -f "$pg_log"
fi
exit "$status"
