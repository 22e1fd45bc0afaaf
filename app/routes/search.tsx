import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CardGrid } from "~/components/CardGrid";
import { BoardList } from "~/components/BoardList";
import { formatList } from "~/lib/format";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { titleFor } from "~/lib/meta";
import { readContext } from "~/services/request.server";
import { parseSearchParams, runSearch, sessionKeyFor } from "~/services/search-request.server";
import { contentLangOf } from "../../db/enums";
import { MAX_SEARCH_CHARS } from "~/lib/search-limits";
import { contentDir } from "~/i18n";

export const meta: MetaFunction<typeof loader> = (args) =>
  titleFor(args, args.data?.q.trim() && !args.data.error ? "search.titleFor" : "search.title", { q: args.data?.q.trim() ?? "" });

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user, locale } = await readContext(request);
  const url = new URL(request.url);
  const parsed = parseSearchParams(url, { limit: 24 });
  const { key } = await sessionKeyFor(request, user);
  if (!parsed.ok) return data({ q: parsed.q, error: parsed.error, lang: "", kind: "all", result: null }, { status: 400 });
  const { params } = parsed;
  const result = params.q.trim()
    ? await runSearch(db, {
        ...params,
        lang: undefined,
        filterLang: params.lang,
        uiLang: contentLangOf(locale),
        viewer: user,
        sessionKey: key,
      })
    : null;
  return data({ q: params.q, error: null, lang: params.lang ?? "", kind: params.kind, result });
}

const SOURCE_KEYS = {
  text: "search.source.text",
  fuzzy: "search.source.fuzzy",
  vector: "search.source.vector",
  interest: "search.source.interest",
} as const;

export default function SearchPage() {
  const { q, error, lang, kind, result } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state === "loading";
  const nf = new Intl.NumberFormat(i18n.language);
  const total = result ? result.cards.length + result.boards.length : 0;
  const expansions = result?.query.expansions ?? [];
  // A search refused as too long: focus goes to the box, which says it is invalid and why (a message
  // already on the page when it loads is not announced by every screen reader).
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (error === "search.errors.tooLong") box.current?.focus();
  }, [error, q]);
  return (
    <>
      {/* A refused search (too long, a bad filter) is not what the page shows results for. */}
      <h1>{q.trim() && !error ? t("search.headingFor", { q: q.trim() }) : t("search.heading")}</h1>
      <Form method="get" role="search" className="search-form" aria-label={t("search.formLabel")}>
        <div className="field">
          <label htmlFor="search-q">{t("search.label")}</label>
          {/* A search too long comes back in the box, whole, to be shortened (maxLength only stops typing). */}
          <input
            ref={box}
            id="search-q"
            name="q"
            type="search"
            dir="auto"
            defaultValue={q}
            maxLength={MAX_SEARCH_CHARS}
            aria-invalid={error === "search.errors.tooLong" || undefined}
            aria-describedby={error === "search.errors.tooLong" ? "search-hint search-error" : "search-hint"}
          />
          <p id="search-hint" className="hint">
            {t("search.hint")}
          </p>
          {/* Beside the box it is about (a bad filter too: the whole search was refused). */}
          {error ? (
            <p role="alert" className="field-error" id="search-error">
              {t(error, { max: MAX_SEARCH_CHARS })}
            </p>
          ) : null}
        </div>
        <div className="search-filters">
          <div className="field">
            <label htmlFor="search-lang">{t("search.filterLang")}</label>
            <select id="search-lang" name="lang" defaultValue={lang}>
              <option value="">{t("search.anyLang")}</option>
              {LANGUAGE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value} lang={o.lang} dir={contentDir(o.lang)}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-kind">{t("search.filterKind")}</label>
            <select id="search-kind" name="kind" defaultValue={kind}>
              <option value="all">{t("search.kind.all")}</option>
              <option value="boards">{t("search.kind.boards")}</option>
              <option value="cards">{t("search.kind.cards")}</option>
            </select>
          </div>
          <button type="submit" className="button primary">
            {t("search.submit")}
          </button>
        </div>
      </Form>
      <p role="status" className="search-status">
        {busy ? t("search.searching") : result ? t("search.count", { count: total, formatted: nf.format(total) }) : null}
      </p>
      {expansions.length ? (
        <nav aria-labelledby="related-h" className="chips-nav">
          <h2 id="related-h">{total ? t("search.related") : t("search.tryInstead")}</h2>
          <ul className="chips">
            {expansions.map((e) => (
              <li key={e}>
                <Link
                  className="chip"
                  to={`/search?q=${encodeURIComponent(e)}`}
                  lang={result?.query.lang}
                  dir={contentDir(result?.query.lang)}
                >
                  {e}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {result && total === 0 ? <p className="empty">{t("search.none", { q: q.trim() })}</p> : null}
      {result?.boards.length ? (
        <section aria-labelledby="board-results-h">
          <h2 id="board-results-h">{t("search.boards")}</h2>
          <BoardList boards={result.boards} />
        </section>
      ) : null}
      {result?.cards.length ? (
        <section aria-labelledby="card-results-h">
          <h2 id="card-results-h">{t("search.cards")}</h2>
          <CardGrid
            cards={result.cards}
            labelledBy="card-results-h"
            surface="search"
            query={q.trim().slice(0, 200)}
            requestId={result.requestId}
            extra={(card) => (
              <span className="found-by">
                {t("search.foundBy", {
                  sources: formatList(
                    card.sources.map((s) => t(SOURCE_KEYS[s])),
                    i18n.language,
                    "unit",
                  ),
                })}
              </span>
            )}
          />
        </section>
      ) : null}
    </>
  );
}
