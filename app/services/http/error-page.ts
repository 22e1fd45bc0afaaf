import { Readable } from "node:stream";
import type { Request, Response } from "express";
// Remix's own wire format for data requests (a dependency of @remix-run/server-runtime and /react).
import { encode } from "turbo-stream";
import { dirOf, i18nFor } from "../../i18n";
import { clientLocale } from "./client-locale";

/** The answers the server itself gives, each with its translated wording in locales/…/http.json. */
export type ServerRefusal = "tooLarge" | "tooLong" | "badForm" | "crossSite" | "busy" | "closing";

const STATUS: Record<ServerRefusal, number> = { tooLarge: 413, tooLong: 413, badForm: 400, crossSite: 403, busy: 503, closing: 503 };

/**
 * Set on a Response thrown by a service to ask for one of these pages (readForm: "badForm"). A UI route's
 * thrown Response is shown by the root ErrorBoundary and this header goes nowhere; a resource route's
 * (/language, /api/…) reaches the client as it is, so remix-handler answers it with sendRefusal instead.
 */
export const REFUSAL_HEADER = "X-Tablero-Refusal";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "64 KB", "20 MB" in the visitor's language. */
export function formatBytes(bytes: number, t: (key: string, o: object) => string): string {
  return bytes >= 1024 * 1024
    ? t("http:megabytes", { n: Math.round(bytes / (1024 * 1024)) })
    : t("http:kilobytes", { n: Math.round(bytes / 1024) });
}

/** /api answers JSON to programs; everything else a page a person can read. */
const wantsJson = (req: Request) => req.path.startsWith("/api/") || !!req.get("accept")?.startsWith("application/json");

/**
 * A form submitted by Remix's client (`POST /x.data`) reads its answer as the action's data in Remix's
 * wire format. Answering `{ errors: { form }, formError }` there shows the refusal in the form's own
 * error summary (FormAlert), and the page — with everything typed into it — stays. `values` and
 * `issues` are empty because forms read them from their action data (import.tsx: `values.board`).
 */
function sendAsActionData(res: Response, status: number, message: string) {
  res.status(status);
  res.setHeader("Content-Type", "text/x-script");
  res.setHeader("X-Remix-Response", "yes");
  Readable.fromWeb(
    encode({ data: { errors: { form: message }, formError: message, values: {}, issues: [] } }) as import("node:stream/web").ReadableStream,
  ).pipe(res);
}

/**
 * Sends the refusal as a small self-contained page (it is shown when the app itself did not run, so it
 * does not depend on the build's stylesheet) or as `{ error }` JSON. Headers already set by the
 * security middleware stay.
 */
export function sendRefusal(req: Request, res: Response, kind: ServerRefusal, vars: { limit?: number } = {}) {
  const lng = clientLocale(req);
  const t = i18nFor(lng).getFixedT(lng, "http") as unknown as (key: string, o?: object) => string;
  const limit = vars.limit === undefined ? "" : formatBytes(vars.limit, t);
  const status = STATUS[kind];
  if (kind === "busy" || kind === "closing") res.setHeader("Retry-After", "5");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Language", lng);
  if (req.path.endsWith(".data") && req.method !== "GET") {
    // The form's summary translates this key itself; a text form's limit travels as "?kb=64" (errorText).
    const kb = kind === "tooLong" && vars.limit !== undefined ? `?kb=${Math.round(vars.limit / 1024)}` : "";
    return sendAsActionData(res, status, `http:${kind}.form${kb}`);
  }
  if (req.path.endsWith(".data") || wantsJson(req)) {
    res.status(status).json({ error: t(`${kind}.api`, { limit }) });
    return;
  }
  const title = t(`${kind}.title`);
  const html = `<!doctype html>
<html lang="${lng}" dir="${dirOf(lng)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Tablero</title>
<style>
body { font: 1.25rem/1.5 system-ui, "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
a { color: #0b4f9c; }
a:focus-visible { outline: 3px solid #0b4f9c; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(t(`${kind}.body`, { limit }))}</p>
<p>${escapeHtml(t(`${kind}.next`))}</p>
<p><a href="/">${escapeHtml(t("home"))}</a></p>
</main>
</body>
</html>
`;
  res.status(status).type("html").send(html);
}
