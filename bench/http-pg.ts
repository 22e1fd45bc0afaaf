// `npm run bench:http:pg` — bench:http's pages on PostgreSQL, primary only and with a streaming replica
// (issue 13, item 3; docs/decisions/0023-postgresql-at-run-time.md).
//
// Starts a throw-away PostgreSQL cluster (scripts/pg-test-cluster.sh, as the tests do), seeds the
// starter library into it (scripts/setup.ts), makes a streaming replica of it (pg_basebackup), then
// runs the production server with one worker twice — DATABASE_URL only, then with
// DATABASE_REPLICA_URL — and drives the same URLs as bench:http with autocannon at 10 and 50
// connections, printing req/s, p50 and p99 for both side by side, with the load average.
//
//   npm run bench:http:pg                       # 10 s per URL, connection count and setup
//   npm run bench:http:pg -- --duration 5 --connections 10
//
// Everything — both PostgreSQL servers, the app, autocannon — shares this machine's cores, so the
// replica adds no capacity here: the figures show what routing costs and that nothing breaks under
// load, not the gain of a replica on its own machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureBuilt, load, measure, signIn, startServer, targetsFor, warmUp, type Row } from "./http-common";
import pg from "pg";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "10,50" } },
});
const duration = Number(values.duration);
const connectionCounts = values.connections.split(",").map(Number);

function cluster(...args: string[]): string[] {
  const r = spawnSync("scripts/pg-test-cluster.sh", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pg-test-cluster.sh ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim().split("\n");
}

const withDatabase = (server: string, name: string) => {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
};

async function one<T extends pg.QueryResultRow>(url: string, q: string, params: unknown[] = []): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(q, params)).rows[0]!;
  } finally {
    await c.end();
  }
}

async function runAll(label: string, env: NodeJS.ProcessEnv, board: number, card: number): Promise<Row[]> {
  const { url, stop } = await startServer(env, 1, 60);
  const rows: Row[] = [];
  try {
    const targets = targetsFor(await signIn(url), board, card);
    // Warm up: the graph, vector indexes and ranker are loaded on first use, and the replica's probe starts.
    await warmUp(url, targets, 20);
    console.log(`\n${label}: load average before: ${load()}`);
    for (const connections of connectionCounts) {
      for (const t of targets) {
        const r = await measure(url, t, connections, duration);
        rows.push(r);
        console.log(
          `  ${t.name.padEnd(22)} ${String(connections).padStart(4)} conns ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  non-2xx ${r.non2xx}`,
        );
      }
    }
    console.log(`${label}: load average after: ${load()}`);
  } finally {
    await stop();
  }
  return rows;
}

ensureBuilt();

// Pictures and logs in a folder of their own, removed at the end (as bench:http does).
const dataDir = mkdtempSync(join(tmpdir(), "tablero-bench-http-pg-"));
const [primaryDir, primaryServer] = cluster("start");
let replicaDir: string | undefined;
try {
  await one(primaryServer!, "CREATE DATABASE tablero_bench");
  const url = withDatabase(primaryServer!, "tablero_bench");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", TABLERO_DATA_DIR: dataDir, DATABASE_URL: url };
  console.log("Seeding the starter library into PostgreSQL …");
  const setup = spawnSync(process.execPath, ["--import", "tsx", "scripts/setup.ts"], { env, stdio: "inherit" });
  if (setup.status !== 0) throw new Error("setup failed");
  const [dir, replicaServer] = cluster("replica", primaryServer!);
  replicaDir = dir;
  const replicaUrl = withDatabase(replicaServer!, "tablero_bench");

  const board = (await one<{ id: number }>(url, "SELECT id FROM board WHERE visibility = 'public' ORDER BY id LIMIT 1")).id;
  const card = (await one<{ id: number }>(url, "SELECT pin_id AS id FROM board_pin WHERE board_id = $1 ORDER BY position LIMIT 1", [board]))
    .id;

  console.log(`\nbench:http:pg — ${cpus().length} cores, 1 worker, ${duration} s per run, PostgreSQL 15 (throw-away cluster)`);
  const primary = await runAll("primary only", env, board, card);
  const replica = await runAll("primary + streaming replica", { ...env, DATABASE_REPLICA_URL: replicaUrl }, board, card);

  console.log(`\nside by side (req/s, p50 / p99 ms); load average now: ${load()}\n`);
  console.log("url                     conns   primary only               with replica");
  for (const p of primary) {
    const r = replica.find((x) => x.name === p.name && x.connections === p.connections)!;
    const cell = (x: Row) =>
      `${x.rps.toFixed(1).padStart(7)}  ${x.p50} / ${x.p99}${x.errors || x.non2xx ? ` (${x.errors + x.non2xx} failed)` : ""}`;
    console.log(`${p.name.padEnd(22)} ${String(p.connections).padStart(5)}   ${cell(p).padEnd(25)}  ${cell(r)}`);
  }
} finally {
  if (replicaDir) cluster("stop", replicaDir);
  cluster("stop", primaryDir!);
  rmSync(dataDir, { recursive: true, force: true });
}
