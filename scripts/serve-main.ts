import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { createApp, listen } from "../app/services/http/server";
import { logger } from "../app/services/http/request-log";

/**
 * Loads the Remix build, serves it on HOST:PORT and shuts down gracefully on SIGTERM/SIGINT:
 * stop accepting, let in-flight requests finish (TABLERO_SHUTDOWN_MS, default 10 s), write the
 * engagement events still queued, close the database (which checkpoints the WAL).
 */
export async function main() {
  installGlobals({ nativeFetch: true });
  const buildDir = resolve(process.env.TABLERO_BUILD_DIR ?? "build");
  const build = (await import(pathToFileURL(join(buildDir, "server", "index.js")).href)) as ServerBuild;
  const app = createApp({ build, clientDir: join(buildDir, "client") });
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT ?? 3000);
  const running = await listen(app, { host, port });
  logger.info(
    { url: running.url, host, port, trustProxy: app.app.get("trust proxy"), threadpool: process.env.UV_THREADPOOL_SIZE },
    "listening",
  );

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    await running.close(Number(process.env.TABLERO_SHUTDOWN_MS ?? 10_000));
    await flushServedLists();
    closeDb();
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
    const { flushServed } = await import("../app/services/discovery/served-log.server");
    const written = flushServed();
    if (written) logger.info({ written }, "served lists flushed");
  } catch (err) {
    logger.error({ err }, "served-list flush failed");
  }
}

function closeDb() {
  const g = globalThis as unknown as { __tableroDb?: { $client: { open: boolean; close: () => void } } };
  try {
    if (g.__tableroDb?.$client.open) g.__tableroDb.$client.close();
  } catch (err) {
    logger.error({ err }, "closing the database failed");
  }
}
