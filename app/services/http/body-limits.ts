/**
 * The one table of request-body limits (finding 1). The server refuses a larger body with 413: at
 * once when Content-Length says so, else as soon as a streamed (chunked) body passes the limit.
 *
 * The limits sit AT the forms' own limits (not below), so a form that explains its limit in its own
 * words (a picture over 5 MB, an import file over 5 MB) still gets to; only bodies no honest form
 * sends meet the server's 413 page. `tests/unit/body-limits.test.ts` keeps the two in step.
 */
import { MAX_AUDIO_BODY } from "../../lib/audio-limits";

const KB = 1024;
const MB = 1024 * KB;

/** Anything not listed: sign-in, settings, every text-only form, the JSON API. */
export const DEFAULT_BODY_LIMIT = 64 * KB;

/** `file`: the form sends a picture or file, so a refusal can say "choose a smaller one"; else the text was too long. */
export type BodyLimitRule = { name: string; pattern: RegExp; bytes: number; file: boolean };

export const BODY_LIMITS: readonly BodyLimitRule[] = [
  // A card with one picture: the card form refuses more than 4 × MAX_UPLOAD_BYTES (5 MB) before reading.
  { name: "card picture", pattern: /^\/boards\/[^/]+\/cards\/new$/, bytes: 20 * MB, file: true },
  { name: "card picture", pattern: /^\/cards\/[^/]+\/edit$/, bytes: 20 * MB, file: true },
  // A Story Pin: up to 12 pages of 5 MB pictures plus 1 MB of text (MAX_STORY_BODY).
  { name: "story pictures", pattern: /^\/stories\/new$/, bytes: 61 * MB, file: true },
  { name: "story pictures", pattern: /^\/stories\/[^/]+\/edit$/, bytes: 61 * MB, file: true },
  // A recording in one's own voice: the page refuses bodies over MAX_AUDIO_BODY (4 × 2 MB) before reading,
  // and files over 2 MB with its own message.
  { name: "voice recording", pattern: /^\/cards\/[^/]+\/voice$/, bytes: MAX_AUDIO_BODY, file: true },
  // Bulk import: a 5 MB file, and the route refuses bodies over twice that before reading.
  { name: "import file", pattern: /^\/import$/, bytes: 10 * MB, file: true },
  // Engagement events from the page: 100 events of a few hundred bytes.
  { name: "engagement events", pattern: /^\/api\/engagement$/, bytes: 64 * KB, file: false },
];

/**
 * The route path a request body goes to: Remix's single-fetch data requests add `.data`
 * (`/login.data`, `/_root.data` for the index route).
 */
export function routePath(pathname: string): string {
  let p = pathname;
  if (p === "/_root.data") return "/";
  if (p.endsWith(".data")) p = p.slice(0, -".data".length);
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

export function bodyLimitFor(pathname: string): number {
  const path = routePath(pathname);
  return BODY_LIMITS.find((r) => r.pattern.test(path))?.bytes ?? DEFAULT_BODY_LIMIT;
}

/** Whether the form at this path sends a picture or file (else only text: sign-in, boards, workshops…). */
export function sendsFile(pathname: string): boolean {
  const path = routePath(pathname);
  return BODY_LIMITS.find((r) => r.pattern.test(path))?.file ?? false;
}
