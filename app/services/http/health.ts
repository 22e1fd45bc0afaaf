import type { RequestHandler, Response } from "express";
import { sql } from "drizzle-orm";
import { first } from "../data/raw.server";
import { getDb } from "../db.server";

/**
 * GET /healthz: 200 `{ status: "ok" }` when the database answers a query; 503 when it does not, or
 * while the server is shutting down (so a load balancer stops sending work here first).
 */
export function health(isClosing: () => boolean): RequestHandler {
  return (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (isClosing()) {
      res.status(503).json({ status: "closing" });
      return;
    }
    void answer(res);
  };
}

async function answer(res: Response) {
  const started = process.hrtime.bigint();
  try {
    // Reads a table on either engine (the old check read SQLite's own sqlite_master); one row at most.
    await first(getDb(), sql`SELECT id FROM "user" LIMIT 1`);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    res.json({ status: "ok", db: "ok", dbMs: Math.round(ms * 10) / 10, uptimeS: Math.round(process.uptime()) });
  } catch (e) {
    res.status(503).json({ status: "error", db: (e as Error).message });
  }
}
