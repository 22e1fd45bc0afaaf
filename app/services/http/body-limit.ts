import { Transform, type Readable, type TransformCallback } from "node:stream";
import type { RequestHandler, Response } from "express";
import { bodyLimitFor, sendsFile } from "./body-limits";
import { sendRefusal } from "./error-page";
import { logger } from "./request-log";

/**
 * Finding 1, first line: a body whose Content-Length is over the route's limit is refused before a
 * byte of it is used; the connection is closed soon after (refuseTooLarge).
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

/** How long the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 2_000;

/**
 * 413 ("too large" for a form with a file, "text too long" for the others), then a "lingering close"
 * (as nginx does): closing while the client is still sending makes the kernel answer with a reset, and
 * the reset makes the client's kernel throw away our answer if the client has not read it yet (seen in
 * CI under load: the upload failed with EPIPE and no status). So the rest of the body is read and
 * dropped (nothing kept) for up to LINGER_MS, and only then is the connection cut.
 *
 * Node's own server works against this: when a response ends before its request body, it calls
 * `socket.destroySoon()`, which destroys the socket as soon as the answer is written — with the body
 * still arriving, that is the reset. For this one refused socket, destroySoon only half-closes it (our
 * answer, then FIN); the timer or the body's end destroys it.
 */
export function refuseTooLarge(req: Parameters<RequestHandler>[0], res: Response, limit: number) {
  const socket = req.socket;
  socket.destroySoon = function lingerInsteadOfDestroying(this: typeof socket) {
    if (this.writable) this.end();
  };
  res.on("finish", () => {
    // "finish": the answer is with the kernel, so destroying the socket no longer loses it.
    const cut = setTimeout(() => socket.destroy(), LINGER_MS);
    cut.unref();
    socket.once("close", () => clearTimeout(cut));
    if (req.complete) return;
    req.unpipe();
    req.resume();
    req.once("end", () => socket.destroy());
  });
  // A form without a file was refused for its text: "choose a smaller picture" would not be true there.
  sendRefusal(req, res, sendsFile(req.path) ? "tooLarge" : "tooLong", { limit });
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
