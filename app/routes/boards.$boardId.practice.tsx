import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { ComprehensionItem } from "~/components/therapy/ComprehensionItem";
import { ModePicker } from "~/components/therapy/ModePicker";
import { WritingItem } from "~/components/therapy/WritingItem";
import { FEATURE_KEYS, featuresFrom, isPracticeMode, type PracticeMode } from "../../models/therapy/modes";
import { isCueLevel, MAX_CUE_LEVEL } from "../../models/therapy/cues";
import { isOutcome, type Outcome } from "../../models/therapy/scoring";
import { answerMatches } from "../../models/therapy/writing";
import { therapyItem } from "~/services/therapy/item.server";
import { useTranslation } from "react-i18next";
import { PracticeCard } from "~/components/PracticeCard";
import { titleFor } from "~/lib/meta";
import { isRating } from "../../models/practice";
import { waitingOf } from "../../models/practice/queue";
import { getBoardForViewer } from "~/services/boards.server";
import { shareKeyParam } from "~/services/access/visibility.server";
import { withKey } from "~/lib/share-link";
import { recordEngagement } from "~/services/engagement.server";
import { grantsReceived, practiceLearner, practiceView, ratePin, undoLastAnswer, type RateInput } from "~/services/practice.server";
import { context, formId, idParam, signedIn } from "~/services/request.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { voicesOf } from "~/services/audio/clips.server";
import type { Locale } from "../../db/enums";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = (args) =>
  titleFor(args, "practice:practise.title", { board: args.data?.board.title ?? "" });

/** learner / ahead / mode (and an unlisted board's share key), as they appear in this page's links and forms. */
function queryOf(
  learnerId: number | null,
  ahead: boolean,
  key: string | null = null,
  mode: PracticeMode = "naming",
): Record<string, string> {
  const q: Record<string, string> = {};
  if (learnerId !== null) q.learner = String(learnerId);
  if (ahead) q.ahead = "1";
  if (mode !== "naming") q.mode = mode;
  if (key) q.key = key;
  return q;
}

/** The mode in the address (?mode=); naming when absent. Anything else is a 404, not a silent fallback. */
function modeOf(url: URL): PracticeMode {
  const m = url.searchParams.get("mode");
  if (m === null || m === "") return "naming";
  if (!isPracticeMode(m)) throw new Response("Not found", { status: 404 });
  return m;
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
  const mode = modeOf(url);
  const shown = await practiceView(db, {
    boardId,
    viewer: user,
    learnerId: learner.id,
    now: new Date(),
    ahead,
    key: shareKeyParam(url),
    mode,
  });
  // The word in the learner's own recorded voice (else the card creator's), issue 14.
  const view = shown.card
    ? { ...shown, card: { ...shown.card, audio: (await voicesOf(db, shown.card.id, learner.id, shown.board.shareKey)).word } }
    : shown;
  const item = await therapyItem(db, view, learner.id, mode);
  // The card's word and all its cues go to the browser, so clues and the word appear without a round
  // trip; the page renders only what has been revealed (CueList, PracticeCard).
  // Without JavaScript, "Give a clue" is a GET that comes back with ?cue=<card>.<level>.
  const [cueCard, cueLevel] = (url.searchParams.get("cue") ?? "").split(".").map(Number);
  return {
    kind: "practice" as const,
    board: view.board,
    learner: { id: learner.id, displayName: learner.displayName, self: learner.self },
    ahead,
    // Without JavaScript, "Show the word" is a GET that comes back with the word shown.
    revealed: !!view.card && url.searchParams.get("reveal") === String(view.card.id),
    cueLevel: view.card && cueCard === view.card.id && isCueLevel(cueLevel) ? cueLevel : 0,
    learners: await grantsReceived(db, user.id),
    mode,
    item,
    // Only pictures leave the server for comprehension; its cards list is not needed in the page.
    view: { ...view, cards: [] },
  };
}

type AnswerResult = { rated: number } | { wrong: number } | { wrongTyped: true } | { undo: "done" | "nothing" | "tooOld" };

/** Reads one answer from the form, by mode; null when the answer is wrong and nothing is to be saved. */
type ClinicalAnswer = { outcome: Outcome; cueLevel: number; features?: Record<string, string> };
function answerFrom(
  form: FormData,
  mode: PracticeMode,
  card: { id: number; title: string } | null,
): { answer: ClinicalAnswer } | AnswerResult {
  const outcome = form.get("outcome");
  const bad = () => {
    throw new Response("Bad request", { status: 400 });
  };
  if (mode === "comprehension") {
    const choice = Number(form.get("choice"));
    if (!card || !Number.isSafeInteger(choice)) bad();
    if (choice !== card!.id) return { wrong: choice };
    return { answer: { outcome: Number(form.get("missed")) > 0 ? "not_yet" : "correct", cueLevel: 0 } };
  }
  if (mode === "writing") {
    if (outcome === "not_yet") return { answer: { outcome: "not_yet", cueLevel: 0 } };
    if (!card) bad();
    const typed = String(form.get("typed") ?? "");
    if (!answerMatches(typed, card!.title, form.get("accents") === "on")) return { wrongTyped: true };
    // First-letter help reached the first-letters level of the hierarchy.
    return { answer: form.get("help") === "1" ? { outcome: "cued", cueLevel: 4 } : { outcome: "correct", cueLevel: 0 } };
  }
  if (!isOutcome(outcome)) bad();
  const cueLevel = Number(form.get("cueLevel") ?? 0);
  if (!isCueLevel(cueLevel) || (outcome === "cued" && cueLevel === 0)) bad();
  const answer = { outcome: outcome as Outcome, cueLevel };
  return mode === "features" ? { answer: { ...answer, features: featuresFrom((n) => form.get(n)) } } : { answer };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  const url = new URL(request.url);
  const learner = await practiceLearner(db, user, url.searchParams.get("learner"));
  const mode = modeOf(url);
  const form = await readForm(request);
  const base = { boardId, viewer: user, learnerId: learner.id, now: new Date(), key: shareKeyParam(url), mode };
  const back = () => {
    const next = new URLSearchParams(url.search);
    next.delete("reveal");
    next.delete("cue");
    return redirect(`${url.pathname}${next.size ? `?${next}` : ""}`);
  };
  if (form.get("intent") === "undo") {
    const r = await savingOrThrow(() => undoLastAnswer(db, base));
    if (form.get("via") === "fetcher") return { undo: r.ok ? "done" : r.reason } satisfies AnswerResult;
    return back();
  }
  const pinId = formId(form, "pinId");
  let answer: RateInput;
  if (form.has("rating")) {
    // The plain FSRS rating (older pages and scripts): still accepted.
    const rating = Number(form.get("rating"));
    if (!isRating(rating)) throw new Response("Bad request", { status: 400 });
    answer = { ...base, pinId, rating };
  } else {
    const card = mode === "comprehension" || mode === "writing" ? await cardWord(db, base, pinId) : null;
    const a = answerFrom(form, mode, card);
    if (!("answer" in a)) return a;
    answer = { ...base, pinId, ...a.answer };
  }
  // Stored (review + log) before the next card is chosen: closing the browser now loses nothing.
  const { sessionId } = await savingOrThrow(() => ratePin(db, answer));
  try {
    // The rating is already stored; the engagement log (for recommendations) is a best-effort extra.
    await recordEngagement(db, { userId: learner.id, sessionKey: `practice:${sessionId}` }, [
      { pinId, action: "practice", surface: "practice" },
    ]);
  } catch (e) {
    console.error("practice: engagement not recorded", e);
  }
  if (form.get("via") === "fetcher") return { rated: pinId } satisfies AnswerResult;
  return back();
}

/** The card's word, for checking a comprehension choice or a spelling on the server (the board's access rules apply). */
async function cardWord(db: Parameters<typeof practiceView>[0], base: Parameters<typeof practiceView>[1], pinId: number) {
  const view = await practiceView(db, base);
  const card = view.cards.find((c) => c.id === pinId);
  if (!card) throw new Response("Not found", { status: 404 });
  return { id: card.id, title: card.title };
}

export default function PractiseBoard() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("practice");
  if (data.kind === "visitor") {
    return (
      <>
        <h1>
          {t("practise.headingPrefix")}{" "}
          <span lang={data.board.lang} dir={contentDir(data.board.lang)}>
            {data.board.title}
          </span>
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
  const { view, learner, ahead, learners, mode, item } = data;
  const { t } = useTranslation("practice");
  const { t: tn } = useTranslation("naming");
  const fetcher = useFetcher<typeof action>();
  const undoer = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle" || undoer.state !== "idle";
  const [hydrated, setHydrated] = useState(false);
  // A step is one card shown in one place of the sitting; the word and clues are revealed for one step only.
  // An undo brings back a card already seen at this place of the sitting: `undone` makes it a new step.
  const [undone, setUndone] = useState(0);
  const step = `${mode}:${learner.id}:${view.sitting.rated}:${view.card?.id ?? "done"}:${ahead}:${undone}`;
  const [revealedStep, setRevealedStep] = useState<string | null>(data.revealed ? step : null);
  const [cue, setCue] = useState<{ step: string; level: number }>({ step, level: data.cueLevel });
  // Wrong picks (comprehension) and a wrong spelling (writing) in this step: nothing saved for them.
  const [wrong, setWrong] = useState<{ step: string; ids: number[]; typed: boolean }>({ step, ids: [], typed: false });
  const [announcement, setAnnouncement] = useState("");
  // Comprehension by ear: the written word hidden, for the whole sitting.
  const [hideWord, setHideWord] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  // The answer already announced: an undo makes a new step while fetcher.data still holds that answer,
  // and must not be announced as "Saved" again (walk-through finding).
  const announced = useRef<unknown>(null);
  const card = view.card;
  const revealed = !!card && revealedStep === step;
  const cueLevel = cue.step === step ? cue.level : 0;
  const wrongHere = wrong.step === step ? wrong : { step, ids: [], typed: false };
  const key = view.board.shareKey;
  const query = queryOf(learner.self ? null : learner.id, ahead, key, mode);
  const ratingAction = `/boards/${view.board.id}/practice${search(query)}`;

  useEffect(() => setHydrated(true), []);

  // After each answer the loader brings the next card: focus its heading and say what happened.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (card ? headingRef.current : doneRef.current)?.focus();
    if (fetcher.data && "rated" in fetcher.data && announced.current !== fetcher.data) {
      announced.current = fetcher.data;
      setAnnouncement(card ? t("practise.saved") : t("practise.savedDone"));
    }
  }, [step]);

  // A wrong choice or spelling comes back without a new card: mark it, say so.
  useEffect(() => {
    const d = fetcher.data;
    if (!d || fetcher.state !== "idle") return;
    if ("wrong" in d) {
      setWrong((w) => ({ step, ids: [...(w.step === step ? w.ids : []), d.wrong], typed: false }));
      setAnnouncement(tn("comprehension.wrong"));
    } else if ("wrongTyped" in d) {
      setWrong({ step, ids: [], typed: true });
    }
  }, [fetcher.data, fetcher.state]);

  useEffect(() => {
    const d = undoer.data;
    if (d && undoer.state === "idle" && "undo" in d) {
      if (d.undo === "done") setUndone((n) => n + 1);
      setAnnouncement(tn(`undo.${d.undo}`));
      headingRef.current?.focus();
    }
  }, [undoer.data, undoer.state]);

  const submitOutcome = (o: Outcome) => {
    if (!card || busy) return;
    const form = document.getElementById("answer-form") as HTMLFormElement | null;
    const fields: Record<string, string> = { pinId: String(card.id), outcome: o, cueLevel: String(cueLevel), via: "fetcher" };
    if (form) for (const [k, v] of new FormData(form)) if (typeof v === "string" && k.startsWith("feature.")) fields[k] = v;
    fetcher.submit(fields, { method: "post", action: ratingAction });
  };

  const hrefFor = (m: PracticeMode) =>
    `/boards/${view.board.id}/practice${search(queryOf(learner.self ? null : learner.id, ahead, key, m))}`;
  const left = waitingOf(view.counts);
  return (
    <>
      <div className="page-head">
        <h1>
          {t("practise.headingPrefix")}{" "}
          <span lang={view.board.lang} dir={contentDir(view.board.lang)}>
            {view.board.title}
          </span>
        </h1>
        {learners.length ? (
          <nav className="practice-who" aria-label={t("practise.who")}>
            <span aria-hidden="true">{t("practise.who")}</span>
            <ul className="actions">
              <li>
                <Link
                  className="button small"
                  to={`/boards/${view.board.id}/practice${search(queryOf(null, ahead, key, mode))}`}
                  aria-current={learner.self ? "page" : undefined}
                >
                  {t("practise.me")}
                </Link>
              </li>
              {learners.map((l) => (
                <li key={l.id}>
                  <Link
                    className="button small"
                    to={`/boards/${view.board.id}/practice${search(queryOf(l.id, ahead, key, mode))}`}
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
        <ModePicker current={mode} hrefFor={hrefFor} />
        <p className="meta">
          {ahead
            ? t("practise.aheadNote")
            : t("practise.progressLine", { rated: view.sitting.rated, waiting: t("practise.waiting", { n: left }) })}
        </p>
      </div>
      <p role="status" className="visually-hidden" aria-live="polite">
        {busy ? t("practise.saving") : announcement}
      </p>
      {card && item && mode === "comprehension" ? (
        <ComprehensionItem
          key={step}
          ref={headingRef}
          card={card}
          number={view.sitting.rated + 1}
          choices={item.choices}
          hideWord={hideWord}
          onHideWord={setHideWord}
          wrong={wrongHere.ids}
          busy={busy}
          Form={fetcher.Form}
          action={ratingAction}
          viaFetcher={hydrated}
        />
      ) : card && item && mode === "writing" ? (
        <WritingItem
          key={step}
          ref={headingRef}
          card={card}
          number={view.sitting.rated + 1}
          seed={item.seed}
          busy={busy}
          wrong={wrongHere.typed}
          Form={fetcher.Form}
          action={ratingAction}
          viaFetcher={hydrated}
        />
      ) : card && item ? (
        <PracticeCard
          key={step}
          ref={headingRef}
          card={card}
          number={view.sitting.rated + 1}
          revealed={revealed}
          busy={busy}
          query={query}
          onReveal={() => setRevealedStep(step)}
          cues={item.cues}
          category={item.category}
          cueLevel={cueLevel}
          onCue={() => setCue({ step, level: Math.min(MAX_CUE_LEVEL, cueLevel + 1) })}
          RatingForm={fetcher.Form}
          ratingAction={ratingAction}
          viaFetcher={hydrated}
          onOutcomeKey={hydrated ? submitOutcome : undefined}
          withCues={mode === "naming"}
          before={mode === "features" ? <FeatureQuestions features={card.features} saved={item.featuresSaved} lang={card.lang} /> : null}
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
                to={`/boards/${view.board.id}/practice${search(queryOf(learner.self ? null : learner.id, true, key, mode))}`}
              >
                {t("practise.ahead")}
              </Link>
            </li>
          </ul>
        </section>
      )}
      {view.sitting.rated > 0 ? (
        <undoer.Form method="post" action={ratingAction} className="practice-undo">
          <input type="hidden" name="intent" value="undo" />
          {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
          <button type="submit" className="button" disabled={busy}>
            {tn("undo.button")}
          </button>
        </undoer.Form>
      ) : null}
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
                to={`/boards/${view.board.id}/practice${search(queryOf(learner.self ? null : learner.id, false, key, mode))}`}
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

/**
 * Semantic feature analysis: guided questions about the pictured thing. The fields belong to the answer
 * form (form="answer-form"), so the answers travel with "Named it" / "Not yet". They are saved on the
 * card only when the learner made it; on anyone else's card they help in the moment and are not kept
 * (not in the review log either: a free-text note about someone's card is not clinical data we need).
 */
function FeatureQuestions({ features, saved, lang }: { features: Record<string, string>; saved: boolean; lang: Locale }) {
  const { t } = useTranslation("naming");
  return (
    <fieldset className="feature-questions">
      <legend>{t("features.intro")}</legend>
      {FEATURE_KEYS.map((k) => (
        <div className="field" key={k}>
          <label htmlFor={`feature-${k}`}>{t(`features.${k}`)}</label>
          <input
            id={`feature-${k}`}
            name={`feature.${k}`}
            form="answer-form"
            lang={lang}
            dir={contentDir(lang)}
            defaultValue={saved ? (features[k] ?? "") : ""}
            maxLength={200}
          />
        </div>
      ))}
      <p className="hint">{saved ? t("features.savedOnCard") : t("features.notSaved")}</p>
    </fieldset>
  );
}
