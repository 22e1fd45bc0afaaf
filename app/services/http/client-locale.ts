import type { IncomingMessage } from "node:http";
import { isLng, type Lng } from "../../i18n";
import { fromAcceptLanguage } from "../preferences.server";

/**
 * The visitor's language for answers the server gives before Remix runs (413, 403, 503): the
 * language cookie (set by the switcher and at sign-in), else Accept-Language, else English.
 */
export function clientLocale(req: IncomingMessage): Lng {
  const cookie = req.headers.cookie ?? "";
  const chosen = /(?:^|;\s*)tablero_lng=([a-z]{2})(?:;|$)/.exec(cookie)?.[1];
  if (isLng(chosen)) return chosen;
  return fromAcceptLanguage(req.headers["accept-language"] ?? null) ?? "en";
}
