import { forwardRef, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";

export type PracticeCardData = {
  id: number;
  title: string;
  cue: string;
  lang: "en" | "es";
  alt: string;
  imageKey: string;
  imageWidth: number;
  imageHeight: number;
  reason: "due" | "new" | "learning" | "ahead";
  /** The word recorded in someone's own voice (issue 14); the synthetic voice otherwise. */
  audio?: string | null;
};

export const RATINGS = [
  { value: 1, key: "again" },
  { value: 2, key: "hard" },
  { value: 3, key: "good" },
  { value: 4, key: "easy" },
] as const;

type Props = {
  card: PracticeCardData;
  number: number;
  revealed: boolean;
  busy: boolean;
  /** Hidden fields the "Show the word" GET form carries (learner, ahead), so it works without JavaScript. */
  query: Record<string, string>;
  onReveal: () => void;
  /** The rating form: a plain form, or a fetcher's Form for smoothness. */
  RatingForm: React.ElementType;
  ratingAction: string;
  viaFetcher: boolean;
};

/**
 * One card in a sitting: picture and hint first, "Try to say the word", then the word on request, read
 * aloud if wanted, then four large rating buttons (keys 1–4 too). No timers: nothing moves on by itself.
 */
export const PracticeCard = forwardRef<HTMLHeadingElement, Props>(function PracticeCard(props, headingRef) {
  const { card, revealed, busy, RatingForm } = props;
  const { t } = useTranslation("practice");
  const wordRef = useRef<HTMLParagraphElement>(null);
  const wasRevealed = useRef(revealed);

  // When the word appears, the "Show" button is gone: focus the word, so it is read out at once.
  useEffect(() => {
    if (revealed && !wasRevealed.current) wordRef.current?.focus();
    wasRevealed.current = revealed;
  }, [revealed]);

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
          alt={card.alt}
          lang={card.lang}
          width={card.imageWidth}
          height={card.imageHeight}
        />
        <div className="practice-side">
          {card.cue ? (
            <p className="practice-cue">
              <span className="label">{t("practise.cue")}</span> <span lang={card.lang}>{card.cue}</span>
            </p>
          ) : null}
          {revealed ? (
            <>
              <p className="practice-word" ref={wordRef} tabIndex={-1} style={longestWordStyle(card.title)}>
                <span className="visually-hidden">{t("practise.theWord")} </span>
                <span lang={card.lang}>{card.title}</span>
              </p>
              <p>
                <ReadAloudButton text={card.title} lang={card.lang} audio={card.audio} />
              </p>
            </>
          ) : (
            <>
              <p className="practice-try">{t("practise.trySay")}</p>
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
                <input type="hidden" name="reveal" value={card.id} />
                <button type="submit" className="button primary practice-show">
                  {t("practise.show")}
                </button>
              </form>
            </>
          )}
        </div>
      </div>
      {revealed ? (
        <RatingForm method="post" action={props.ratingAction} className="practice-rate">
          <input type="hidden" name="pinId" value={card.id} />
          {props.viaFetcher ? <input type="hidden" name="via" value="fetcher" /> : null}
          <fieldset disabled={busy}>
            <legend>{t("practise.howWell")}</legend>
            <p className="hint" id="keys-hint">
              {t("practise.keysHint")}
            </p>
            <div className="rating-buttons">
              {RATINGS.map((r) => (
                <button
                  key={r.value}
                  type="submit"
                  name="rating"
                  value={r.value}
                  className={`button rating rating-${r.key}`}
                  aria-keyshortcuts={String(r.value)}
                >
                  <span className="rating-key" aria-hidden="true">
                    {r.value}
                  </span>
                  <span className="rating-label">{t(`rating.${r.key}`)}</span>
                  <span className="rating-help">{t(`rating.${r.key}Help`)}</span>
                </button>
              ))}
            </div>
          </fieldset>
        </RatingForm>
      ) : null}
    </section>
  );
});
