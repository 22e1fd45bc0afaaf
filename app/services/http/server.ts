import type { Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type Express } from "express";
import { bodyLimit } from "./body-limit";
import { trustProxySetting } from "./forwarded";
import { health } from "./health";
import { originCheck } from "./origin-check";
import { remixHandler } from "./remix-handler";
import { logger, requestLog } from "./request-log";
import { securityHeaders } from "./security-headers";

export type AppOptions = {
  build: ServerBuild;
  /** build/client: the browser bundle and the copied public/ files. */
  clientDir: string;
  mode?: string;
  trustProxy?: number | string | false;
};

export type TableroApp = { app: Express; closing: () => boolean; beginClosing: () => void };

/**
 * The whole HTTP stack for one process, without listening (issue 13 runs one of these per core under
 * node:cluster). Order matters: the request id and security headers come first so that every answer —
 * static file, 413, 403, 404, /healthz — carries them.
 */
export function createApp(opts: AppOptions): TableroApp {
  let isClosing = false;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", opts.trustProxy ?? trustProxySetting());
  app.use(requestLog());
  // Which process answered, for the multi-worker tests only: never on in production (it would tell
  // anyone how many processes there are and help aim at one).
  if (process.env.TABLERO_EXPOSE_WORKER === "1")
    app.use((_req, res, next) => (res.setHeader("X-Tablero-Worker", String(process.pid)), next()));
  app.use(securityHeaders());
  app.use((_req, res, next) => {
    // While draining, answer what is in flight but tell keep-alive clients to reconnect elsewhere.
    if (isClosing) res.setHeader("Connection", "close");
    next();
  });
  app.use(compression());
  app.get(
    "/healthz",
    health(() => isClosing),
  );
  // Vite names files in assets/ by content hash: cache them for good. Other files (favicon) for an hour.
  app.use("/assets", express.static(join(opts.clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(opts.clientDir, { maxAge: "1h", index: false }));
  app.use(bodyLimit());
  app.use(originCheck());
  app.use(privateWhenPersonal());
  app.all("*", remixHandler(opts.build, opts.mode ?? process.env.NODE_ENV ?? "production"));
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    logger.error({ reqId: res.locals.requestId, path: req.path, err }, "unhandled error");
    if (res.headersSent) return void res.destroy();
    res.status(500).type("text").send("Internal Server Error");
  };
  app.use(onError);
  return { app, closing: () => isClosing, beginClosing: () => (isClosing = true) };
}

export type Listening = { server: Server; url: string; close: (timeoutMs?: number) => Promise<void> };

/**
 * Listens on HOST:PORT (default 127.0.0.1:3000: only this machine, until someone decides to expose it,
 * typically behind a proxy). `close` is the graceful part: stop accepting, let in-flight requests
 * finish, and after `timeoutMs` cut whatever is still open.
 */
export function listen(t: TableroApp, { host = "127.0.0.1", port = 3000 }: { host?: string; port?: number } = {}): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = t.app.listen(port, host);
    const active = new Set<Socket>();
    server.on("connection", (s) => {
      active.add(s);
      s.on("close", () => active.delete(s));
    });
    server.once("error", reject);
    server.once("listening", () => {
      const addr = server.address();
      const bound = typeof addr === "object" && addr ? addr.port : port;
      const close = (timeoutMs = 10_000) =>
        new Promise<void>((done) => {
          t.beginClosing();
          const timer = setTimeout(() => {
            logger.warn({ open: active.size }, "shutdown: time is up, closing open connections");
            server.closeAllConnections();
          }, timeoutMs);
          timer.unref();
          server.close(() => {
            clearTimeout(timer);
            done();
          });
          // Idle keep-alive sockets would hold close() open until they time out.
          server.closeIdleConnections();
        });
      resolve({ server, url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`, close });
    });
  });
}

/**
 * Pages for a signed-in person, or opened with a board's secret key, are theirs alone: no shared cache
 * (a proxy, the browser's back-forward cache on a shared computer) may keep them. A route that sets its
 * own Cache-Control (the calendar, the PDF) still wins: its header replaces this one.
 */
function privateWhenPersonal(): express.RequestHandler {
  return (req, res, next) => {
    if (/(?:^|;\s*)tablero_session=/.test(req.headers.cookie ?? "") || typeof req.query.key === "string")
      res.setHeader("Cache-Control", "private, no-store");
    next();
  };
}
