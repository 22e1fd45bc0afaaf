import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { SURFACES, type Surface } from "../../db/enums";
import { i18nFor } from "~/i18n";
import { engagementBatchSchema, recordFromClient, type Who } from "~/services/engagement.server";
import { context } from "~/services/request.server";
import { mintVisitorKey, sessionKeyFor, visitorSourceFor } from "~/services/search-request.server";
import { safeRedirect } from "~/services/session.server";
import { readForm } from "~/services/form.server";

const MAX_BODY = 64_000;

/** Only POST makes sense here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { locale } = await context(request);
  return Response.json({ error: i18nFor(locale).t("feed:errors.postOnly") }, { status: 405, headers: { Allow: "POST" } });
}

/**
 * POST /api/engagement
 *  - JSON `{ "events": [{ pinId, action, surface, query?, position? }, …] }` from the page (fetch with
 *    keepalive, or navigator.sendBeacon): 200 with `{ accepted, refused, limited }`; 400 with a
 *    translated `error` for a malformed body; 429 when the account or address sent too many (nothing
 *    waits). Every accepted event is committed before the answer.
 *  - A form `intent=hide, pinId, surface[, back]` from a Hide button: records the hide at once and goes
 *    `back` when given (pages without JavaScript), else answers `{ ok, hidden }`.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user, locale } = await context(request);
  const t = i18nFor(locale).t;
  const { key } = await sessionKeyFor(request, user);
  const headers: Record<string, string> = {};
  // A visitor counts (and is limited) by address, not by the cookie they send (issue 12, finding 7).
  const who: Who = { userId: user?.id ?? null, sessionKey: key, source: user ? undefined : await visitorSourceFor(request) };
  const type = request.headers.get("Content-Type") ?? "";
  const fail = (status: number, message: string) => Response.json({ error: message }, { status, headers });

  if (request.method !== "POST") return fail(405, t("feed:errors.badBody"));

  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    const form = await readForm(request);
    const pinId = Number(form.get("pinId"));
    const surface = String(form.get("surface") ?? "home");
    if (form.get("intent") !== "hide" || !Number.isSafeInteger(pinId) || pinId <= 0 || !(SURFACES as readonly string[]).includes(surface)) {
      return fail(400, t("feed:errors.badEvent"));
    }
    // Hiding is a visitor's choice to be remembered: from now on they get a key (and cookie) of their own,
    // so the hide does not apply to everyone who shares their address.
    const minted = user ? null : mintVisitorKey(request);
    if (minted) {
      who.sessionKey = minted.key;
      headers["Set-Cookie"] = minted.setCookie;
    }
    const r = await recordFromClient(db, who, [{ pinId, action: "hide", surface: surface as Surface }]);
    if (r.limited) return fail(429, t("feed:errors.rateLimited"));
    if (!r.accepted) return fail(404, t("feed:errors.unknownCard"));
    const back = form.get("back");
    if (typeof back === "string" && back) return redirect(safeRedirect(back), { headers });
    return Response.json({ ok: true, hidden: pinId }, { headers });
  }

  const text = await request.text();
  if (text.length > MAX_BODY) return fail(413, t("feed:errors.tooManyEvents"));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(400, t("feed:errors.badBody"));
  }
  const parsed = engagementBatchSchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message;
    return fail(400, message === "errors.tooManyEvents" ? t("feed:errors.tooManyEvents") : t("feed:errors.badBody"));
  }
  // Committed before the answer: a 200 means the events are in SQLite (issue 12, finding 13).
  const result = await recordFromClient(db, who, parsed.data.events);
  if (result.limited && !result.accepted) {
    return Response.json({ ...result, error: t("feed:errors.rateLimited") }, { status: 429, headers: { ...headers, "Retry-After": "10" } });
  }
  return Response.json(result, { headers });
}
