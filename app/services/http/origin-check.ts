import type { RequestHandler } from "express";
import { sendRefusal } from "./error-page";
import { requestOrigin } from "./forwarded";
import { logger } from "./request-log";

const SAFE = new Set(["GET", "HEAD"]);

/**
 * Finding 4: every state-changing request — pages' actions and resource routes alike (/logout,
 * /language, /api/engagement) — must come from Tablero's own pages. SameSite=Lax cookies do not stop
 * a *same-site* attacker (another app on a sibling subdomain), so the browser's own word is checked:
 * `Sec-Fetch-Site` must be same-origin (or "none": typed by the person), and an `Origin`, when sent,
 * must be ours. A request with neither (curl, scripts, very old browsers) carries no ambient cookie
 * from a victim's browser and passes.
 */
export function originCheck(): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    const expected = requestOrigin(req);
    const badSite = site !== undefined && site !== "same-origin" && site !== "none";
    const badOrigin = origin !== undefined && origin !== expected;
    if (!badSite && !badOrigin) return next();
    logger.warn(
      { reqId: res.locals.requestId, method: req.method, path: req.path, secFetchSite: site, origin, expected },
      "cross-site request refused",
    );
    sendRefusal(req, res, "crossSite");
  };
}
