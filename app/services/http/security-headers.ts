import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Finding 12: security headers on EVERY response (pages, /api, .ics, pictures, static files, 404s and
 * the server's own 413/403 pages), set here once instead of per route.
 *
 * Content-Security-Policy: scripts only from our origin or carrying this request's nonce (Remix's
 * inline hydration data and module loader get it in root.tsx / entry.server.tsx); no 'unsafe-inline'
 * for scripts. Styles allow inline: the text-size setting and recharts write style attributes, and a
 * style cannot run code.
 */
export function securityHeaders(): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.nonce = randomBytes(16).toString("base64");
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { nonce: string } }).locals.nonce}'`],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        // Recorded or read-aloud audio plays from blob: URLs.
        mediaSrc: ["'self'", "blob:", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", "blob:"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
    // HSTS only means something over https; browsers ignore it on http. A year, no preload list.
    strictTransportSecurity: { maxAge: 365 * 24 * 3600, includeSubDomains: false },
  });
  const permissions: RequestHandler = (_req, res, next) => {
    // The microphone stays available to our own pages (recording a word); nothing else is needed.
    res.setHeader("Permissions-Policy", "camera=(), microphone=(self), geolocation=(), payment=(), usb=()");
    next();
  };
  return [nonce, headers, permissions];
}
