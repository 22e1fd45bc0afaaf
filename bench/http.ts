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
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureBuilt, load, measure, signIn, startServer, targetsFor, warmUp, type Row } from "./http-common";
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

ensureBuilt();

const dataDir = mkdtempSync(join(tmpdir(), "tablero-bench-http-"));
const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dataDir, NODE_ENV: "production" };
const setup = spawnSync(process.execPath, ["--import", "tsx", "scripts/setup.ts"], { env, encoding: "utf8" });
if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);

async function runAll(workers: number, board: number, card: number): Promise<Row[]> {
  const { url, stop } = await startServer(env, workers);
  const rows: Row[] = [];
  try {
    const targets = targetsFor(await signIn(url), board, card);
    await warmUp(url, targets, workers * 20);

    console.log(
      `\nbench:http — ${cpus().length} cores, ${workers} worker${workers === 1 ? "" : "s"}, ${duration} s per run; load average before: ${load()}\n`,
    );
    console.log("url                     conns   req/s     p50 ms   p99 ms   errors  non-2xx   goal");
    for (const connections of connectionCounts) {
      for (const t of targets) {
        const row = await measure(url, t, connections, duration);
        const { rps, p99 } = row;
        const p99Goal = connections <= 10 ? 100 : 500;
        const goal = GOALS[t.name];
        const verdict =
          workers === 1 && connections <= 10 && goal !== undefined
            ? `${rps >= goal && p99 <= p99Goal ? "✔" : "✘"} ≥${goal} req/s, p99 ≤${p99Goal} ms`
            : connections > 10
              ? `${p99 <= p99Goal && row.errors === 0 && row.non2xx === 0 ? "✔" : "✘"} p99 ≤${p99Goal} ms, no errors`
              : "";
        rows.push(row);
        console.log(
          `${t.name.padEnd(22)} ${String(connections).padStart(5)} ${rps.toFixed(1).padStart(8)} ${String(row.p50).padStart(9)} ${String(p99).padStart(8)} ${String(row.errors).padStart(8)} ${String(row.non2xx).padStart(8)}   ${verdict}`,
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
