import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PracticeCard } from "~/components/PracticeCard";
import { titleFor } from "~/lib/meta";
import { isRating } from "../../models/practice";
import { getBoardForViewer } from "~/services/boards.server";
import { shareKeyParam } from "~/services/access/visibility.server";
import { withKey } from "~/lib/share-link";
import { recordEngagement } from "~/services/engagement.server";
import { grantsReceived, practiceLearner, practiceView, ratePin } from "~/services/practice.server";
import { context, formId, idParam, signedIn } from "~/services/request.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { voicesOf } from "~/services/audio/clips.server";

export const meta: MetaFunction<typeof loader> = (args) =>
  titleFor(args, "practice:practise.title", { board: args.data?.board.title ?? "" });

/** learner / ahead (and an unlisted board's share key), as they appear in this page's links and forms. */
function queryOf(learnerId: number | null, ahead: boolean, key: string | null = null): Record<string, string> {
  const q: Record<string, string> = {};
  if (learnerId !== null) q.learner = String(learnerId);
  if (ahead) q.ahead = "1";
  if (key) q.key = key;
  return q;
}
const search = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : "");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const boardId = idParam(params.boardId);
  const url = new URL(request.url);
  if (!user) {
    // Visitors are asked to sign in, and come straight back.
    const board = await getBoardForViewer(db, boardId, null, shareKeyParam(url));
    return {
      kind: "visitor" as const,
      board: { id: board.id, title: board.title, lang: board.lang, shareKey: board.shareKey },
      redirectTo: url.pathname + url.search,
    };
  }
  const learner = await practiceLearner(db, user, url.searchParams.get("learner"));
  const ahead = url.searchParams.get("ahead") === "1";
  const shown = await practiceView(db, { boardId, viewer: user, learnerId: learner.id, now: new Date(), ahead, key: shareKeyParam(url) });
  // The word in the learner's own recorded voice (else the card creator's), issue 14.
  const view = shown.card ? { ...shown, card: { ...shown.card, audio: (await voicesOf(db, shown.card.id, learner.id)).word } } : shown;
  return {
    kind: "practice" as const,
    board: view.board,
    view,
    learner: { id: learner.id, displayName: learner.displayName, self: learner.self },
    ahead,
    // Without JavaScript, "Show the word" is a GET that comes back with the word shown.
    revealed: !!view.card && url.searchParams.get("reveal") === String(view.card.id),
    learners: await grantsReceived(db, user.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  const url = new URL(request.url);
  const learner = await practiceLearner(db, user, url.searchParams.get("learner"));
  const form = await request.formData();
  const pinId = formId(form, "pinId");
  const rating = Number(form.get("rating"));
  if (!isRating(rating)) throw new Response("Bad request", { status: 400 });
  // Stored (review + log) before the next card is chosen: closing the browser now loses nothing.
  const { sessionId } = await savingOrThrow(() =>
    ratePin(db, { boardId, pinId, rating, viewer: user, learnerId: learner.id, now: new Date(), key: shareKeyParam(url) }),
  );
  try {
    // The rating is already stored; the engagement log (for recommendations) is a best-effort extra.
    await recordEngagement(db, { userId: learner.id, sessionKey: `practice:${sessionId}` }, [
      { pinId, action: "practice", surface: "practice" },
    ]);
  } catch (e) {
    console.error("practice: engagement not recorded", e);
  }
  if (form.get("via") === "fetcher") return { rated: pinId };
  const next = new URLSearchParams(url.search);
  next.delete("reveal");
  return redirect(`${url.pathname}${next.size ? `?${next}` : ""}`);
}

export default function PractiseBoard() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("practice");
  if (data.kind === "visitor") {
    return (
      <>
        <h1>
          {t("practise.headingPrefix")} <span lang={data.board.lang}>{data.board.title}</span>
        </h1>
        <section className="notice narrow" aria-labelledby="signin-h">
          <h2 id="signin-h">{t("practise.signInHeading")}</h2>
          <p>{t("practise.signInBody")}</p>
          <ul className="actions">
            <li>
              <Link className="button primary" to={`/login?redirectTo=${encodeURIComponent(data.redirectTo)}`}>
                {t("practise.signIn")}
              </Link>
            </li>
            <li>
              <Link className="button" to="/signup">
                {t("practise.signUp")}
              </Link>
            </li>
          </ul>
        </section>
        <p className="standalone-link">
          <Link to={withKey(`/boards/${data.board.id}`, data.board.shareKey)}>{t("practise.backToBoard")}</Link>
        </p>
      </>
    );
  }
  return <Sitting data={data} />;
}

type PracticeData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "practice" }>;

function Sitting({ data }: { data: PracticeData }) {
  const { view, learner, ahead, learners } = data;
  const { t } = useTranslation("practice");
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const [hydrated, setHydrated] = useState(false);
  // A step is one card shown in one place of the sitting; the word is revealed for one step only.
  const step = `${learner.id}:${view.sitting.rated}:${view.card?.id ?? "done"}:${ahead}`;
  const [revealedStep, setRevealedStep] = useState<string | null>(data.revealed ? step : null);
  const [announcement, setAnnouncement] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  const card = view.card;
  const revealed = !!card && revealedStep === step;
  const key = view.board.shareKey;
  const query = queryOf(learner.self ? null : learner.id, ahead, key);
  const ratingAction = `/boards/${view.board.id}/practice${search(query)}`;

  useEffect(() => setHydrated(true), []);

  // After each rating the loader brings the next card: focus its heading and say what happened.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (card ? headingRef.current : doneRef.current)?.focus();
    if (fetcher.data) setAnnouncement(card ? t("practise.saved") : t("practise.savedDone"));
  }, [step]);

  // Keys 1–4 rate the card once its word is shown (not while typing in a field, not while saving).
  useEffect(() => {
    if (!revealed || !card) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || busy) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (!/^[1-4]$/.test(e.key)) return;
      e.preventDefault();
      fetcher.submit({ pinId: String(card.id), rating: e.key, via: "fetcher" }, { method: "post", action: ratingAction });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [revealed, card?.id, busy, ratingAction]);

  const left = view.counts.due + view.counts.new;
  return (
    <>
      <div className="page-head">
        <h1>
          {t("practise.headingPrefix")} <span lang={view.board.lang}>{view.board.title}</span>
        </h1>
        {learners.length ? (
          <nav className="practice-who" aria-label={t("practise.who")}>
            <span aria-hidden="true">{t("practise.who")}</span>
            <ul className="actions">
              <li>
                <Link
                  className="button small"
                  to={`/boards/${view.board.id}/practice${search(queryOf(null, ahead, key))}`}
                  aria-current={learner.self ? "page" : undefined}
                >
                  {t("practise.me")}
                </Link>
              </li>
              {learners.map((l) => (
                <li key={l.id}>
                  <Link
                    className="button small"
                    to={`/boards/${view.board.id}/practice${search(queryOf(l.id, ahead, key))}`}
                    aria-current={learner.id === l.id ? "page" : undefined}
                  >
                    {l.displayName}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {!learner.self ? <p className="notice">{t("practise.withLearner", { name: learner.displayName })}</p> : null}
        <p className="meta">{ahead ? t("practise.aheadNote") : t("practise.progressLine", { rated: view.sitting.rated, left })}</p>
      </div>
      <p role="status" className="visually-hidden" aria-live="polite">
        {busy ? t("practise.saving") : announcement}
      </p>
      {card ? (
        <PracticeCard
          key={step}
          ref={headingRef}
          card={card}
          number={view.sitting.rated + 1}
          revealed={revealed}
          busy={busy}
          query={query}
          onReveal={() => setRevealedStep(step)}
          RatingForm={fetcher.Form}
          ratingAction={ratingAction}
          viaFetcher={hydrated}
        />
      ) : view.board.cardCount === 0 ? (
        <section aria-labelledby="done-h">
          <h2 id="done-h" ref={doneRef} tabIndex={-1}>
            {t("practise.emptyBoard")}
          </h2>
        </section>
      ) : (
        <section className="practice-done" aria-labelledby="done-h">
          <h2 id="done-h" ref={doneRef} tabIndex={-1}>
            {t("practise.doneHeading")}
          </h2>
          <p>{t("practise.doneBody")}</p>
          <ul className="actions">
            <li>
              <Link
                className="button primary"
                to={`/boards/${view.board.id}/practice${search(queryOf(learner.self ? null : learner.id, true, key))}`}
              >
                {t("practise.ahead")}
              </Link>
            </li>
          </ul>
        </section>
      )}
      <div className="practice-footer">
        <p className="hint">{t("practise.pauseHint")}</p>
        <ul className="actions">
          <li>
            <Link className="button" to="/practice">
              {t("practise.pause")}
            </Link>
          </li>
          {ahead && card ? (
            <li>
              <Link
                className="button"
                to={`/boards/${view.board.id}/practice${search(queryOf(learner.self ? null : learner.id, false, key))}`}
              >
                {t("practise.stopAhead")}
              </Link>
            </li>
          ) : null}
          <li>
            <Link className="button" to={withKey(`/boards/${view.board.id}`, key)}>
              {t("practise.backToBoard")}
            </Link>
          </li>
        </ul>
      </div>
    </>
  );
}
