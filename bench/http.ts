// `npm run bench:http` — whole-page throughput of the production server (issue 13, item 1).
//
// Builds the app if needed, seeds a fresh database in a temporary folder, starts `scripts/serve.ts`
// as `npm start` does, signs in one demo account, then drives each URL with autocannon at 10 and 50
// connections and prints req/s, p50 and p99 latency, errors and non-2xx answers, next to the issue's
// goals, with the machine's load average before and after (autocannon runs on the same machine).
//
//   npm run bench:http                        # 15 s per URL and connection count, 1 worker then all
//   npm run bench:http -- --duration 5 --connections 10
//   npm run bench:http -- --workers 2         # only 2 workers (TABLERO_WORKERS); "1,2" runs both
//
// With more than one worker count it runs the whole set for each (a fresh server each time, same
// database) and prints, per URL and connection count, the ratio of req/s to the one-worker run: issue
// 13's goal is ≥ 1.6× on board pages with two workers. Autocannon shares the machine's cores with the
// server (and, here, with other people's work): the load average is printed with each run.
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "15" },
    connections: { type: "string", default: "10,50" },
    workers: { type: "string" },
  },
});
const duration = Number(values.duration);
const connectionCounts = values.connections.split(",").map(Number);
const workerCounts = values.workers ? values.workers.split(",").map(Number) : [...new Set([1, availableParallelism()])];
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--workers: whole numbers ≥ 1, e.g. 1,2");

/** The issue's goals at 10 connections, one worker (req/s); p99 ≤ 100 ms there, ≤ 500 ms at 50. */
const GOALS: Record<string, number> = {
  "board page": 300,
  "card page": 300,
  "home (visitor)": 200,
  "home (signed in)": 100,
  "api search (repeated)": 200,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
    srv.on("error", reject);
  });
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

if (!existsSync("build/server/index.js")) {
  console.log("Building the app …");
  const r = spawnSync("node_modules/.bin/remix", ["vite:build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const dataDir = mkdtempSync(join(tmpdir(), "tablero-bench-http-"));
const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dataDir, NODE_ENV: "production" };
const setup = spawnSync(process.execPath, ["--import", "tsx", "scripts/setup.ts"], { env, encoding: "utf8" });
if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);

type Target = { name: string; path: string; cookie?: string };
type Row = { name: string; connections: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };

/** The production server on a free port with `workers` processes (TABLERO_WORKERS), up and answering. */
async function startServer(workers: number) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", UV_THREADPOOL_SIZE: "16", TABLERO_WORKERS: String(workers) },
    stdio: "inherit",
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 150) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
  return { url, stop };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
    body: new URLSearchParams({ email: "ana@tablero.example", password: "tablero-demo" }),
  });
  const session = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith("tablero_session="))?.split(";")[0];
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session;
}

async function runAll(workers: number, board: number, card: number): Promise<Row[]> {
  const { url, stop } = await startServer(workers);
  const rows: Row[] = [];
  try {
    const session = await signIn(url);
    const targets: Target[] = [
      { name: "home (visitor)", path: "/" },
      { name: "home (signed in)", path: "/", cookie: session },
      { name: "board page", path: `/boards/${board}` },
      { name: "card page", path: `/cards/${card}` },
      { name: "search page", path: "/search?q=food" },
      { name: "api search (repeated)", path: "/api/search?q=comida" },
    ];
    // Warm up first: each worker loads the Pixie graph, the vector indexes and the ranker and fills its
    // page caches on first use; the runs below measure the steady state, not that start.
    for (const t of targets)
      for (let i = 0; i < workers * 20; i++)
        await (await fetch(`${url}${t.path}`, { headers: t.cookie ? { cookie: t.cookie } : {} })).arrayBuffer();

    console.log(
      `\nbench:http — ${cpus().length} cores, ${workers} worker${workers === 1 ? "" : "s"}, ${duration} s per run; load average before: ${load()}\n`,
    );
    console.log("url                     conns   req/s     p50 ms   p99 ms   errors  non-2xx   goal");
    for (const connections of connectionCounts) {
      for (const t of targets) {
        const result = await autocannon({
          url: `${url}${t.path}`,
          connections,
          duration,
          headers: t.cookie ? { cookie: t.cookie } : {},
        });
        const rps = result.requests.average;
        const p99Goal = connections <= 10 ? 100 : 500;
        const goal = GOALS[t.name];
        const verdict =
          workers === 1 && connections <= 10 && goal !== undefined
            ? `${rps >= goal && result.latency.p99 <= p99Goal ? "✔" : "✘"} ≥${goal} req/s, p99 ≤${p99Goal} ms`
            : connections > 10
              ? `${result.latency.p99 <= p99Goal && result.errors === 0 && result.non2xx === 0 ? "✔" : "✘"} p99 ≤${p99Goal} ms, no errors`
              : "";
        rows.push({
          name: t.name,
          connections,
          rps,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors,
          non2xx: result.non2xx,
        });
        console.log(
          `${t.name.padEnd(22)} ${String(connections).padStart(5)} ${rps.toFixed(1).padStart(8)} ${String(result.latency.p50).padStart(9)} ${String(result.latency.p99).padStart(8)} ${String(result.errors).padStart(8)} ${String(result.non2xx).padStart(8)}   ${verdict}`,
        );
      }
    }
    console.log(`\nload average after: ${load()}`);
  } finally {
    await stop();
  }
  return rows;
}

/** Issue 13's goal for workers: two give ≥ 1.6× one's throughput on board pages. */
const SCALE_GOAL = 1.6;

try {
  // Pages to ask for: a public board and one of its cards from the seed.
  const db = new Database(join(dataDir, "tablero.db"), { readonly: true });
  const board = db.prepare("SELECT id FROM board WHERE visibility = 'public' ORDER BY id LIMIT 1").get() as { id: number };
  const card = db.prepare("SELECT pin_id AS id FROM board_pin WHERE board_id = ? ORDER BY position LIMIT 1").get(board.id) as {
    id: number;
  };
  db.close();

  const runs = new Map<number, Row[]>();
  for (const w of workerCounts) runs.set(w, await runAll(w, board.id, card.id));
  const base = runs.get(1);
  if (base && runs.size > 1) {
    console.log(`\nthroughput against 1 worker (goal: ≥ ${SCALE_GOAL}× on board pages with 2); load average now: ${load()}\n`);
    console.log(
      `url                     conns ${[...runs.keys()]
        .filter((w) => w !== 1)
        .map((w) => `${w} workers`.padStart(11))
        .join("")}`,
    );
    for (const r of base) {
      const ratios = [...runs.entries()]
        .filter(([w]) => w !== 1)
        .map(([w, rows]) => {
          const other = rows.find((x) => x.name === r.name && x.connections === r.connections);
          const ratio = other && r.rps > 0 ? other.rps / r.rps : NaN;
          const mark = r.name === "board page" && w === 2 ? (ratio >= SCALE_GOAL ? " ✔" : " ✘") : "  ";
          return `${ratio.toFixed(2)}×${mark}`.padStart(11);
        });
      console.log(`${r.name.padEnd(22)} ${String(r.connections).padStart(5)} ${ratios.join("")}`);
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
