import type { Request } from "express";

/**
 * Parses TABLERO_TRUST_PROXY into express's "trust proxy" setting. Unset: no X-Forwarded-* header is
 * believed (any client can write them). A number is how many proxies stand in front ("1": one nginx);
 * anything else is express's list form ("loopback", "10.0.0.0/8, 127.0.0.1").
 */
export function trustProxySetting(raw = process.env.TABLERO_TRUST_PROXY): number | string | false {
  if (raw === undefined || raw.trim() === "" || raw === "0" || raw === "false") return false;
  if (raw === "true") return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : raw;
}

const HOST_RE = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The host the client addressed: X-Forwarded-Host only behind a trusted proxy, else Host. A malformed
 * value is no host (never a crash building the URL).
 */
export function requestHost(req: Request): string {
  const trusted = req.app.get("trust proxy fn")(req.socket.remoteAddress ?? "", 0) as boolean;
  const forwarded = trusted ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwarded || req.get("host") || "";
  return HOST_RE.test(host) ? host : "localhost";
}

/** scheme://host as the browser sees this server; req.protocol honours "trust proxy". */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${requestHost(req)}`;
}
