import { forwardRef, useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { focusIfLost } from "~/lib/focus";
import { CueList } from "~/components/therapy/CueList";
import { OutcomeButtons } from "~/components/therapy/OutcomeButtons";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";
import type { Cue } from "../../models/therapy/cues";
import type { Outcome } from "../../models/therapy/scoring";
import type { Locale } from "../../db/enums";
import { contentDir } from "~/i18n";

export type PracticeCardData = {
  id: number;
  title: string;
  cue: string;
  lang: Locale;
  alt: string;
  imageKey: string;
  imageWidth: number;
  imageHeight: number;
  reason: "due" | "new" | "learning" | "ahead";
  /** The word recorded in someone's own voice (issue 14); the synthetic voice otherwise. */
  audio?: string | null;
};

type Props = {
  card: PracticeCardData;
  number: number;
  revealed: boolean;
  busy: boolean;
  /** Hidden fields the GET forms carry (learner, ahead, mode, key), so "Show the word" and clues work without JavaScript. */
  query: Record<string, string>;
  onReveal: () => void;
  /** The cueing hierarchy (naming); the level reached (0 = none) and how to reveal the next one. */
  cues: Cue[];
  category: Record<Locale, string> | null;
  cueLevel: number;
  onCue: () => void;
  /** The answer form: a plain form, or a fetcher's Form for smoothness. */
  RatingForm: React.ElementType;
  ratingAction: string;
  viaFetcher: boolean;
  onOutcomeKey?: (o: Outcome) => void;
  /** Above the clues (features mode's questions); and hidden fields of the answer form. */
  before?: ReactNode;
  hidden?: Record<string, string>;
  /** Offer clues (naming) or not (features). */
  withCues?: boolean;
};

/**
 * One card of naming practice: the picture (its alt text says "Picture to name", never the word), then
 * clues one at a time from least to most help (meaning, a sentence to finish, the first sound, the first
 * letters, the word spoken), then the word on request and the clinical answer: named it, named with help
 * (the clue level is recorded), not yet. No timers: nothing moves on by itself.
 */
export const PracticeCard = forwardRef<HTMLHeadingElement, Props>(function PracticeCard(props, headingRef) {
  const { card, revealed, busy, RatingForm, cueLevel, cues } = props;
  const { t } = useTranslation("practice");
  const { t: tn } = useTranslation("naming");
  const wordRef = useRef<HTMLParagraphElement>(null);
  const showRef = useRef<HTMLButtonElement>(null);
  const wasRevealed = useRef(revealed);
  const withCues = props.withCues ?? true;

  // When the word appears, the "Show" button is gone: focus the word, so it is read out at once.
  useEffect(() => {
    if (revealed && !wasRevealed.current) wordRef.current?.focus();
    wasRevealed.current = revealed;
  }, [revealed]);

  // After the last clue the "Give a clue" button is gone: "Show the word" is the next step (the new clue
  // itself is announced once, by the live region around the clues).
  useEffect(() => {
    if (cueLevel > 0 && cueLevel >= cues.length) focusIfLost(showRef.current);
  }, [cueLevel, cues.length]);

  const outcomes: Outcome[] = cueLevel > 0 ? ["cued", "not_yet"] : ["correct", "not_yet"];
  return (
    <section className="practice-card" aria-labelledby="card-h">
      <h2 id="card-h" ref={headingRef} tabIndex={-1}>
        {t("practise.cardHeading", { n: props.number })}
        <span className="practice-reason"> · {t(`reason.${card.reason}`)}</span>
      </h2>
      <div className="practice-body">
        <img
          className="practice-picture"
          src={imageUrl(card.imageKey)}
          // Before the word is shown, the alt text must not name it: a screen reader would give it away.
          alt={revealed ? card.alt : tn("picture", { n: props.number })}
          lang={revealed ? card.lang : undefined}
          width={card.imageWidth}
          height={card.imageHeight}
        />
        <div className="practice-side">
          {props.before}
          {withCues ? (
            // A new clue is announced (a polite live region); focus stays on the "Give a clue" button.
            <div aria-live="polite">
              <CueList cues={cues} level={cueLevel} lang={card.lang} category={props.category} audio={card.audio} />
            </div>
          ) : null}
          {revealed ? (
            <>
              <p className="practice-word" ref={wordRef} tabIndex={-1} style={longestWordStyle(card.title)}>
                <span className="visually-hidden">{t("practise.theWord")} </span>
                <span lang={card.lang} dir={contentDir(card.lang)}>
                  {card.title}
                </span>
              </p>
              <p>
                <ReadAloudButton text={card.title} lang={card.lang} audio={card.audio} />
              </p>
            </>
          ) : (
            <>
              <p className="practice-try">{t("practise.trySay")}</p>
              <div className="practice-steps">
                {withCues && cueLevel < cues.length ? (
                  <form
                    method="get"
                    onSubmit={(e) => {
                      e.preventDefault();
                      props.onCue();
                    }}
                  >
                    {Object.entries(props.query).map(([k, v]) => (
                      <input key={k} type="hidden" name={k} value={v} />
                    ))}
                    <input type="hidden" name="cue" value={`${card.id}.${cueLevel + 1}`} />
                    <button type="submit" className="button practice-clue">
                      {tn("cues.next")}
                      <span className="practice-clue-count"> ({tn("cues.nextCount", { n: cueLevel + 1, total: cues.length })})</span>
                    </button>
                  </form>
                ) : null}
                <form
                  method="get"
                  onSubmit={(e) => {
                    e.preventDefault();
                    props.onReveal();
                  }}
                >
                  {Object.entries(props.query).map(([k, v]) => (
                    <input key={k} type="hidden" name={k} value={v} />
                  ))}
                  {cueLevel ? <input type="hidden" name="cue" value={`${card.id}.${cueLevel}`} /> : null}
                  <input type="hidden" name="reveal" value={card.id} />
                  <button ref={showRef} type="submit" className="button primary practice-show">
                    {t("practise.show")}
                  </button>
                </form>
              </div>
            </>
          )}
        </div>
      </div>
      {revealed ? (
        <RatingForm method="post" action={props.ratingAction} className="practice-rate" id="answer-form">
          <input type="hidden" name="pinId" value={card.id} />
          <input type="hidden" name="cueLevel" value={cueLevel} />
          {Object.entries(props.hidden ?? {}).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          {props.viaFetcher ? <input type="hidden" name="via" value="fetcher" /> : null}
          <OutcomeButtons outcomes={outcomes} cueLevel={cueLevel} disabled={busy} onKey={props.onOutcomeKey} />
        </RatingForm>
      ) : null}
    </section>
  );
});
