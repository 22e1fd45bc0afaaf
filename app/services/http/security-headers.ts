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
  const permissions: RequestHandler = (req, res, next) => {
    res.setHeader("Permissions-Policy", permissionsPolicy(req.path));
    next();
  };
  return [nonce, headers, permissions];
}

/** The pages where a person records their own voice: the only ones that may use the microphone. */
export const RECORDING_PAGES: readonly RegExp[] = [/^\/cards\/[^/]+\/voice\/?$/];

/** Nothing powerful anywhere, except the microphone on the recording pages (issue 14). */
export function permissionsPolicy(path: string): string {
  const mic = RECORDING_PAGES.some((p) => p.test(path)) ? "(self)" : "()";
  return `camera=(), microphone=${mic}, geolocation=(), payment=(), usb=()`;
}
