import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { limitedBody, refuseTooLarge } from "./body-limit";
import { REFUSAL_HEADER, sendRefusal } from "./error-page";
import { requestHost } from "./forwarded";
import { requestStore } from "./request-context";
import { logger } from "./request-log";
import { pinAfterWrite } from "../read-routing.server";

/**
 * Remix behind express, as @remix-run/express does it, with these differences that matter here:
 *  - the body Remix reads is counted and cut at the route's limit (413 page instead of a 500);
 *  - a resource route's unreadable form (readForm) answers the server's translated 400 page;
 *  - X-Forwarded-* reach the app only from a trusted proxy (the URL's scheme and host too);
 *  - the route's own headers replace the server's defaults (one X-Content-Type-Options, not two), and
 *    the request runs inside requestStore, so services can read the client address and request id;
 *  - with a streaming replica, a submitted form's answer also pins the sender's next pages to the
 *    primary for a few seconds (read-routing.server.ts), so they see what they just did.
 */
export function remixHandler(build: ServerBuild, mode: string): RequestHandler {
  const handle = createRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const info = { id: String(res.locals.requestId), ip: req.ip ?? null, nonce: String(res.locals.nonce) };
      const controller = new AbortController();
      let tooLarge: (() => void) | undefined;
      const exceeded = new Promise<"tooLarge">((resolve) => (tooLarge = () => resolve("tooLarge")));
      const request = toRemixRequest(req, res, controller, () => {
        controller.abort();
        tooLarge?.();
      });
      const loadContext = { nonce: info.nonce, requestId: info.id };
      const outcome = await requestStore.run(info, () => Promise.race([handle(request, loadContext), exceeded]));
      if (outcome === "tooLarge") {
        const limit = Number(res.locals.bodyLimit);
        logger.warn({ reqId: info.id, path: req.path, limit }, "body too large (streamed)");
        if (!res.headersSent) refuseTooLarge(req, res, limit);
        else res.destroy();
        return;
      }
      // A resource route (/language, /api/…) passes a thrown Response through as it is: the refusal it
      // asks for (readForm's 400) gets the server's translated page or JSON instead of a bare text.
      if (outcome.headers.get(REFUSAL_HEADER) === "badForm" && !res.headersSent) {
        logger.warn({ reqId: info.id, path: req.path }, "form body could not be read");
        sendRefusal(req, res, "badForm");
        return;
      }
      await sendResponse(res, outcome, pinAfterWrite(request));
    } catch (error) {
      next(error);
    }
  };
}

function toRemixRequest(req: ExpressRequest, res: ExpressResponse, controller: AbortController, onTooLarge: () => void): Request {
  const url = new URL(`${req.protocol}://${requestHost(req)}${req.originalUrl}`);
  const trusted = !!req.app.get("trust proxy");
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (!trusted && key.startsWith("x-forwarded-")) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(limitedBody(req, Number(res.locals.bodyLimit), onTooLarge));
    init.duplex = "half";
  }
  // The client went away before we answered: stop the loaders and actions working for nobody.
  let answered = false;
  res.on("finish", () => (answered = true));
  res.on("close", () => {
    if (!answered) controller.abort();
  });
  return new Request(url.href, init);
}

/** `pin`: the "wrote recently" cookie that keeps a visitor's next pages off the replica (read-routing.server.ts). */
async function sendResponse(res: ExpressResponse, response: Response, pin: string | null) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers) {
    if (key === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (pin) cookies.push(pin);
  if (cookies.length) res.setHeader("Set-Cookie", cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
