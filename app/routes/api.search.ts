import type { LoaderFunctionArgs } from "@remix-run/node";
import { readContext } from "~/services/request.server";
import { parseSearchParams, runSearch } from "~/services/search-request.server";
import { i18nFor } from "~/i18n";
import { memoByData } from "~/services/data-memo.server";
import { contentLangOf } from "../../db/enums";
import { MAX_SEARCH_CHARS } from "~/lib/search-limits";

/**
 * GET /api/search?q=&lang=&limit=&kind= — JSON. `lang` is the searcher's language (a hint for short
 * queries); results come in both languages. Bad parameters get a 400 with a translated message.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user, locale } = await readContext(request);
  const parsed = parseSearchParams(new URL(request.url), { limit: 20 });
  if (!parsed.ok)
    return Response.json(
      { error: i18nFor(locale).t(parsed.error, { max: MAX_SEARCH_CHARS }) as string, code: parsed.error },
      { status: 400 },
    );
  const { params } = parsed;
  // The JSON API logs nothing (no session key), so its answer depends only on the data, the
  // parameters and who asks (what they may see): repeated queries are answered from memory until the
  // database changes (data-memo.server.ts).
  const uiLang = params.lang ?? contentLangOf(locale);
  const key = `api-search:${user?.id ?? ""}:${uiLang}:${params.kind}:${params.limit}:${params.q}`;
  const result = await memoByData(db, key, () => runSearch(db, { ...params, uiLang, viewer: user }));
  return Response.json({
    query: {
      text: result.query.display,
      normalized: result.query.normalized,
      lang: result.query.lang,
      interests: result.query.interests,
      expansions: result.query.expansions,
    },
    cards: result.cards.map((c) => ({ ...c, url: `/cards/${c.id}`, image: `/images/${c.imageKey}` })),
    boards: result.boards.map((b) => ({ ...b, url: `/boards/${b.id}` })),
  });
}
