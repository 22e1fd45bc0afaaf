import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { pino } from "pino";

/**
 * Structured logs (JSON lines on stdout; pipe through `npx pino-pretty` to read them). LOG_LEVEL
 * sets the level (default info; "silent" for none).
 */
export const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { pid: process.pid } });

const ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One id per request, answered in X-Request-Id and on every log line about the request. A proxy's id is
 * kept only behind a trusted proxy (otherwise any client could write ids into our logs). One line per
 * request when it ends: path without the query (search words stay out of the logs), status, time.
 */
export function requestLog(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.app.get("trust proxy") ? req.get("x-request-id") : undefined;
    const id = incoming && ID_RE.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    const start = process.hrtime.bigint();
    res.on("close", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const line = {
        reqId: id,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ip: req.ip,
        completed: res.writableFinished,
      };
      if (res.statusCode >= 500) logger.error(line, "request");
      else logger.info(line, "request");
    });
    next();
  };
}
