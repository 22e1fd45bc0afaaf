import { Transform, type Readable, type TransformCallback } from "node:stream";
import type { RequestHandler, Response } from "express";
import { bodyLimitFor } from "./body-limits";
import { sendRefusal } from "./error-page";
import { logger } from "./request-log";

/**
 * Finding 1, first line: a body whose Content-Length is over the route's limit is refused before a
 * byte of it is read, with the connection closed so the rest is never received.
 * The limit for the request is left in res.locals.bodyLimit for the streaming check (limitedBody).
 */
export function bodyLimit(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = bodyLimitFor(req.path);
    res.locals.bodyLimit = limit;
    const declared = Number(req.get("content-length"));
    if (Number.isFinite(declared) && declared > limit) {
      logger.warn({ reqId: res.locals.requestId, path: req.path, declared, limit }, "body too large (declared)");
      refuseTooLarge(req, res, limit);
      return;
    }
    next();
  };
}

/** 413, then close: Node would otherwise read (and throw away) the whole remaining body to reuse the socket. */
export function refuseTooLarge(req: Parameters<RequestHandler>[0], res: Response, limit: number) {
  res.setHeader("Connection", "close");
  sendRefusal(req, res, "tooLarge", { limit });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Finding 1, second line: the body handed to Remix, counted while it streams (chunked uploads have no
 * Content-Length). Past the limit, `onTooLarge` runs first (so the caller can answer 413 and abort the
 * route), then the stream fails, and the client's stream stops being read. Nothing is buffered here.
 */
export function limitedBody(source: Readable, limit: number, onTooLarge: () => void): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) {
        source.unpipe(counter);
        onTooLarge();
        done(new BodyTooLargeError(limit));
        return;
      }
      done(null, chunk);
    },
  });
  source.on("error", (e) => counter.destroy(e));
  return source.pipe(counter);
}
