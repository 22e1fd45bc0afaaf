import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BoardList } from "~/components/BoardList";
import { FeedGrid } from "~/components/FeedGrid";
import { InterestPicker } from "~/components/InterestPicker";
import { MemberAgenda } from "~/components/MemberAgenda";
import { DueToday } from "~/components/caseload/DueToday";
import { dueToday } from "~/services/reminders.server";
import { InterestLinks } from "~/components/InterestChips";
import { titleFor } from "~/lib/meta";
import { boardsOwnedBy, popularPublicBoards, recentPublicBoards } from "~/services/boards.server";
import { feedForHome, knownSlugs, pickedInterests, pickerOptions, setPickedInterests } from "~/services/feed.server";
import { context, readContext } from "~/services/request.server";
import { memberAgenda } from "~/services/workshop-sessions.server";
import { sessionKeyFor, visitorKeyCookie } from "~/services/search-request.server";
import { readCookie, serializeCookie } from "~/services/session.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { memoByData } from "~/services/data-memo.server";
import { contentLangOf } from "../../db/enums";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "home.title");

/** A visitor's picked topics: interest slugs joined by ".", kept for half a year. */
const TOPICS_COOKIE = "tablero_topics";

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user, locale } = await readContext(request);
  const { key } = await sessionKeyFor(request, user);
  const picked = user ? await pickedInterests(db, user.id) : await knownSlugs(db, (readCookie(request, TOPICS_COOKIE) ?? "").split("."));
  const { feed, boardsForYou, chosen } = await feedForHome(
    db,
    { userId: user?.id ?? null, sessionKey: key },
    { locale: contentLangOf(locale), picked },
  );
  const showPicker = feed.mode === "popular" || new URL(request.url).searchParams.has("topics");
  // The rest of the page depends on the data, who asks and the language: kept until the database
  // changes or a minute passes (the agenda reads the clock): data-memo.server.ts.
  const rest = await memoByData(db, `home-page:${user?.id ?? ""}:${locale}:${showPicker}`, async () => ({
    picker: showPicker
      ? (await pickerOptions(db, contentLangOf(locale))).map(({ slug, label, parent, coverKey }) => ({ slug, label, parent, coverKey }))
      : null,
    mine: user ? await boardsOwnedBy(db, user.id) : null,
    agenda: user ? await memberAgenda(db, user.id) : null,
    due: user ? await dueToday(db, user.id, new Date()) : null,
    popular: await popularPublicBoards(db, 12, contentLangOf(locale)),
    recent: await recentPublicBoards(db, 12, contentLangOf(locale)),
  }));
  return data({ feed, chosen, boardsForYou, ...rest });
}

/** Saves the topics picked on the home page (account, or a cookie for visitors), then shows their cards. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await context(request);
  const form = await readForm(request);
  if (form.get("intent") !== "interests") return redirect("/");
  const slugs = form.getAll("interest").filter((v): v is string => typeof v === "string");
  if (user) {
    await savingOrThrow(() => setPickedInterests(db, user.id, slugs));
    return redirect("/#feed");
  }
  const known = await knownSlugs(db, slugs);
  const headers = new Headers({
    "Set-Cookie": serializeCookie(request, TOPICS_COOKIE, known.join("."), known.length ? 180 * 24 * 3600 : 0),
  });
  // Picking topics is the visitor's choice to be remembered: only now do they get a session cookie.
  const sk = known.length ? visitorKeyCookie(request) : undefined;
  if (sk) headers.append("Set-Cookie", sk);
  return redirect("/#feed", { headers });
}

export default function Home() {
  const { feed, chosen, boardsForYou, picker, mine, agenda, due, popular, recent } = useLoaderData<typeof loader>();
  const { t } = useTranslation("feed");
  const { t: tc } = useTranslation();
  const location = useLocation();
  // After picking topics the page comes back at #feed: take the reader (and focus) to their cards.
  useEffect(() => {
    if (location.hash === "#feed" || location.hash === "#picker-h") document.getElementById(location.hash.slice(1))?.focus();
  }, [location.key, location.hash]);

  const feedHeading =
    feed.mode === "personal" ? t("home.forYou") : feed.mode === "interests" ? t("home.yourTopics") : t("home.popularCards");
  return (
    <>
      <h1>{tc("home.heading")}</h1>
      <p className="lead">{tc("home.intro")}</p>

      {due ? <DueToday due={due} hasHomework={(agenda?.homework.length ?? 0) > 0} /> : null}
      {agenda ? <MemberAgenda agenda={agenda} /> : null}

      {picker ? (
        <section aria-labelledby="picker-h" className="picker-section">
          <h2 id="picker-h" tabIndex={-1}>
            {t("picker.heading")}
          </h2>
          <p>{t("picker.intro")}</p>
          <InterestPicker topics={picker} chosen={chosen.map((c) => c.slug)} canCancel={feed.mode !== "popular"} />
        </section>
      ) : null}

      <section aria-labelledby="feed" className="feed-section">
        <h2 id="feed" tabIndex={-1}>
          {feedHeading}
        </h2>
        {feed.mode === "personal" ? <p>{t("home.forYouIntro")}</p> : null}
        {chosen.length && !picker ? (
          <div className="chosen-topics">
            <span>{t("home.chosenTopics")}</span>
            <InterestLinks interests={chosen} />
          </div>
        ) : null}
        {!picker ? (
          <p className="standalone-link">
            <Link to="/?topics#picker-h" className="button small">
              {t("home.changeTopics")}
            </Link>
          </p>
        ) : null}
        <FeedGrid cards={feed.cards} labelledBy="feed" surface="home" hide requestId={feed.requestId} />
      </section>

      {boardsForYou.length ? (
        <section aria-labelledby="for-you-boards-h">
          <h2 id="for-you-boards-h">{t("home.boardsForYou")}</h2>
          <BoardList boards={boardsForYou} />
        </section>
      ) : null}

      {mine ? (
        <section aria-labelledby="mine-h">
          <h2 id="mine-h">{tc("home.mine")}</h2>
          {mine.length ? (
            <BoardList boards={mine} showVisibility />
          ) : (
            <p>
              {tc("home.noBoards")} <Link to="/boards/new">{tc("nav.newBoard")}</Link>
            </p>
          )}
        </section>
      ) : null}
      <section aria-labelledby="popular-h">
        <h2 id="popular-h">{tc("home.popular")}</h2>
        <BoardList boards={popular} />
      </section>
      <section aria-labelledby="recent-h">
        <h2 id="recent-h">{tc("home.recent")}</h2>
        <BoardList boards={recent} />
      </section>
    </>
  );
}
