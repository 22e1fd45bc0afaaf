import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";
import { deleteHistory, historyPage } from "~/services/engagement.server";
import { context, signedIn } from "~/services/request.server";
import { SEARCH_LOG_DAYS } from "~/services/retention.server";
import { wroteCookieSeconds } from "~/services/read-routing.server";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { savingOrThrow } from "~/services/save-failure.server";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "feed:privacy.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const url = new URL(request.url);
  if (!user) return { signedIn: false as const, searchDays: SEARCH_LOG_DAYS, wroteSeconds: wroteCookieSeconds() };
  const impressions = url.searchParams.get("seen") === "1";
  const history = await historyPage(db, user.id, Number(url.searchParams.get("page") ?? 1), { impressions });
  return {
    signedIn: true as const,
    searchDays: SEARCH_LOG_DAYS,
    history: { ...history, rows: history.rows.map((r) => ({ ...r, at: r.at.toISOString() })) },
    impressions,
    confirming: url.searchParams.get("confirm") === "1",
    deleted: url.searchParams.get("deleted") === "1",
  };
}

/** Deleting is a POST from the confirm step; anything else just shows the page again. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  if (form.get("intent") !== "delete-history") return redirect("/privacy");
  await savingOrThrow(() => deleteHistory(db, user.id));
  return redirect("/privacy?deleted=1#history-h");
}

/** The date in the reader's own time zone once the page runs in their browser (UTC from the server). */
function When({ iso, lang }: { iso: string; lang: string }) {
  const [zone, setZone] = useState<string | undefined>("UTC");
  useEffect(() => setZone(undefined), []);
  const text = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(new Date(iso));
  return <time dateTime={iso}>{text}</time>;
}

export default function Privacy() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("feed");
  const { t: tc } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const location = useLocation();
  // Pages, the confirm step and the result come back to a heading (#…): move focus there to announce it.
  useEffect(() => {
    if (location.hash) document.getElementById(location.hash.slice(1))?.focus();
  }, [location.key, location.hash]);
  const nf = new Intl.NumberFormat(i18n.language);
  if (!d.signedIn) {
    return (
      <article className="privacy">
        <h1>{t("privacy.heading")}</h1>
        <p className="lead">{t("privacy.visitorIntro", { days: nf.format(d.searchDays) })}</p>
        <p>{t("privacy.visitorCookie")}</p>
        {d.wroteSeconds !== null ? <p>{t("privacy.visitorWroteCookie", { seconds: nf.format(d.wroteSeconds) })}</p> : null}
        <p>{t("privacy.visitorAccount")}</p>
        <p className="actions">
          <Link className="button primary" to="/login?redirectTo=/privacy">
            {t("privacy.signIn")}
          </Link>
          <Link className="button" to="/signup">
            {tc("nav.signUp")}
          </Link>
        </p>
      </article>
    );
  }
  const { history, impressions, confirming, deleted } = d;
  const pageLink = (page: number) => `/privacy?page=${page}${impressions ? "&seen=1" : ""}#history-h`;
  return (
    <article className="privacy">
      <h1>{t("privacy.heading")}</h1>
      <p className="lead">{t("privacy.intro")}</p>
      <p>{t("privacy.kept", { days: nf.format(d.searchDays) })}</p>
      {deleted ? (
        <p role="status" className="notice">
          {t("privacy.deleted")}
        </p>
      ) : null}

      <section aria-labelledby="history-h">
        <h2 id="history-h" tabIndex={-1}>
          {t("privacy.historyHeading")}
        </h2>
        {history.total ? (
          <p>{t("privacy.total", { count: history.total, formatted: nf.format(history.total) })}</p>
        ) : (
          <p>{t("privacy.empty")}</p>
        )}
        {history.seen || impressions ? (
          <p className="standalone-link">
            <Link to={impressions ? "/privacy#history-h" : "/privacy?seen=1#history-h"}>
              {impressions ? t("privacy.hideSeen") : t("privacy.showSeen", { formatted: nf.format(history.seen) })}
            </Link>
          </p>
        ) : null}
        {history.rows.length ? (
          <div className="table-wrap">
            <table className="history">
              <caption className="visually-hidden">{t("privacy.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("privacy.date")}</th>
                  <th scope="col">{t("privacy.action")}</th>
                  <th scope="col">{t("privacy.card")}</th>
                  <th scope="col">{t("privacy.where")}</th>
                </tr>
              </thead>
              <tbody>
                {history.rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <When iso={r.at} lang={i18n.language} />
                    </td>
                    <td>{t(`action.${r.action}`)}</td>
                    <td>
                      {r.title ? (
                        <Link to={`/cards/${r.pinId}`} lang={r.lang ?? undefined} dir={contentDir(r.lang ?? undefined)}>
                          {r.title}
                        </Link>
                      ) : (
                        <span className="meta">{t("privacy.unavailable")}</span>
                      )}
                    </td>
                    <td>{t(`surface.${r.surface}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {history.pages > 1 ? (
          <nav aria-label={t("privacy.pages")} className="pager">
            {history.page > 1 ? (
              <Link className="button small" to={pageLink(history.page - 1)}>
                {t("privacy.newer")}
              </Link>
            ) : null}
            <span>{t("privacy.page", { page: nf.format(history.page), pages: nf.format(history.pages) })}</span>
            {history.page < history.pages ? (
              <Link className="button small" to={pageLink(history.page + 1)}>
                {t("privacy.older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      {history.total || history.seen ? (
        <section aria-labelledby="delete-h" className="danger-zone">
          <h2 id="delete-h" tabIndex={-1}>
            {confirming ? t("privacy.confirmHeading") : t("privacy.deleteHeading")}
          </h2>
          {confirming ? (
            <Form method="post" className="stack narrow">
              <p>{t("privacy.confirm")}</p>
              <p className="actions">
                <SubmitButton busy={busy} name="intent" value="delete-history" className="button danger">
                  {t("privacy.confirmYes")}
                </SubmitButton>
                <Link className="button" to="/privacy#history-h">
                  {t("privacy.cancel")}
                </Link>
              </p>
            </Form>
          ) : (
            <>
              <p>{t("privacy.deleteIntro")}</p>
              <p className="standalone-link">
                <Link className="button danger" to="/privacy?confirm=1#delete-h">
                  {t("privacy.delete")}
                </Link>
              </p>
            </>
          )}
        </section>
      ) : null}
    </article>
  );
}
