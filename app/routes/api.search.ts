import type { LoaderFunctionArgs } from "@remix-run/node";
import { context } from "~/services/request.server";
import { parseSearchParams, runSearch } from "~/services/search-request.server";
import { i18nFor } from "~/i18n";

/**
 * GET /api/search?q=&lang=&limit=&kind= — JSON. `lang` is the searcher's language (a hint for short
 * queries); results come in both languages. Bad parameters get a 400 with a translated message.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, locale } = await context(request);
  const parsed = parseSearchParams(new URL(request.url), { limit: 20 });
  if (!parsed.ok) return Response.json({ error: i18nFor(locale).t(parsed.error) as string, code: parsed.error }, { status: 400 });
  const { params } = parsed;
  const result = await runSearch({ ...params, uiLang: params.lang ?? locale, viewer: user });
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
