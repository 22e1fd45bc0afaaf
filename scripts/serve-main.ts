import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { createApp, listen } from "../app/services/http/server";
import { logger } from "../app/services/http/request-log";

/**
 * `npm start`'s server. With TABLERO_WORKERS > 1 (default: one per core) this process is the cluster's
 * primary: it applies the migrations once, forks the workers, restarts one that dies (with a back-off)
 * and stops them gracefully. Each worker is the single-process server below (TABLERO_WORKERS=1 runs
 * just that, no cluster). Background jobs are not the primary's: each worker offers to run them and a
 * lease in the database lets exactly one do so (docs/decisions/0020-workers-and-change-feed.md).
 */
export async function main() {
  const workers = workerCount();
  if (workers > 1 && cluster.isPrimary) return primary(workers);
  return serveOne();
}

export function workerCount(): number {
  const raw = process.env.TABLERO_WORKERS;
  if (raw === undefined || raw === "" || raw === "auto") return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    logger.error({ TABLERO_WORKERS: raw }, "TABLERO_WORKERS must be a whole number from 1 to 256 (or auto)");
    process.exit(2);
  }
  return n;
}

// ── The primary ──────────────────────────────────────────────────────────────────────────────────

/** Restart delays: doubling from RESTART_MIN_MS for each death in the last minute, up to RESTART_MAX_MS. */
const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 30_000;

async function primary(count: number) {
  // Migrations once, here, before any worker opens the file (workers then find nothing to apply).
  const { openDatabase, closeDatabase } = await import("../app/services/db.server");
  await openDatabase();
  await closeDatabase();

  let stopping = false;
  const deaths: number[] = [];
  const fork = () => {
    const w = cluster.fork({ TABLERO_WORKER: "1" });
    w.on("listening", () => logger.debug({ worker: w.id, workerPid: w.process.pid }, "worker listening"));
  };
  cluster.on("exit", (w: Worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0]! < now - 60_000) deaths.shift();
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (deaths.length - 1));
    logger.error(
      { worker: w.id, workerPid: w.process.pid, code, signal, restartInMs: delay, diedLastMinute: deaths.length },
      "worker died; restarting",
    );
    setTimeout(() => !stopping && fork(), delay);
  });
  for (let i = 0; i < count; i++) fork();
  let up = 0;
  const onListening = (_w: Worker, addr: { address: string; port: number }) => {
    if (++up === count) logger.info({ workers: count, host: addr.address, port: addr.port }, "listening (all workers)");
  };
  cluster.on("listening", onListening);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down the workers");
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    // Each worker drains its requests, flushes what waits in memory and closes the database.
    for (const w of alive) w.process.kill("SIGTERM");
    const grace = Number(process.env.TABLERO_SHUTDOWN_MS ?? 10_000) + 5_000;
    const killer = setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill("SIGKILL");
    }, grace);
    killer.unref();
    void Promise.all(alive.map((w) => (w.isDead() ? Promise.resolve() : new Promise((r) => w.once("exit", r))))).then(() => {
      logger.info("stopped");
      process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// ── One server (a worker, or the only process) ───────────────────────────────────────────────────

/**
 * Loads the Remix build, serves it on HOST:PORT and shuts down gracefully on SIGTERM/SIGINT:
 * stop accepting, let in-flight requests finish (TABLERO_SHUTDOWN_MS, default 10 s), write the
 * served lists still queued, close the database (which checkpoints the WAL).
 */
async function serveOne() {
  installGlobals({ nativeFetch: true });
  // Before the build loads: on PostgreSQL the pools are opened (and migrated) asynchronously, and the
  // build's services find the handle on globalThis (app/services/db.server.ts).
  const { openDatabase, closeDatabase } = await import("../app/services/db.server");
  await openDatabase();
  const buildDir = resolve(process.env.TABLERO_BUILD_DIR ?? "build");
  const build = (await import(pathToFileURL(join(buildDir, "server", "index.js")).href)) as ServerBuild;
  const app = createApp({ build, clientDir: join(buildDir, "client") });
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT ?? 3000);
  const running = await listen(app, { host, port });
  logger.info(
    {
      url: running.url,
      host,
      port,
      worker: cluster.isWorker ? cluster.worker?.id : undefined,
      trustProxy: app.app.get("trust proxy"),
      threadpool: process.env.UV_THREADPOOL_SIZE,
    },
    "listening",
  );

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    await running.close(Number(process.env.TABLERO_SHUTDOWN_MS ?? 10_000));
    await flushServedLists();
    await closeDatabase().catch((err: unknown) => logger.error({ err }, "closing the database failed"));
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", (s) => void stop(s));
  process.on("SIGINT", (s) => void stop(s));
}

/**
 * Engagement is committed before it is answered; what still waits in memory is the served-list log
 * (discovery/served-log.server.ts batches it). Its queue lives on globalThis, shared with the build's
 * copy of the module, so this copy's flush writes it.
 */
async function flushServedLists() {
  try {
    const { writeServed } = await import("../app/services/discovery/served-log.server");
    const written = await writeServed();
    if (written) logger.info({ written }, "served lists flushed");
  } catch (err) {
    logger.error({ err }, "served-list flush failed");
  }
}
