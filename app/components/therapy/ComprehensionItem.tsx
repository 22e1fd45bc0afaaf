import { forwardRef } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";
import type { PracticeCardData } from "~/components/PracticeCard";
import { contentDir } from "~/i18n";

type Choice = { id: number; imageKey: string; imageWidth: number; imageHeight: number };

/**
 * Comprehension: the word, written and heard on request (the learner's own recording, else the
 * creator's, else the synthetic voice), or heard only with the written word hidden (auditory
 * comprehension), and four pictures to choose from. The
 * pictures are buttons named "Picture 1…4" (their alt text would name them and give the answer). The
 * server checks the choice: a wrong one is marked "Not this one" and nothing is saved; the right one
 * saves the answer (named "not yet" if a wrong picture was chosen first).
 */
export const ComprehensionItem = forwardRef<
  HTMLHeadingElement,
  {
    card: PracticeCardData;
    number: number;
    choices: Choice[];
    wrong: number[];
    busy: boolean;
    Form: React.ElementType;
    action: string;
    viaFetcher: boolean;
    /** Spoken word only: the written word is hidden (the choice is kept for the whole sitting). */
    hideWord: boolean;
    onHideWord: (hide: boolean) => void;
  }
>(function ComprehensionItem({ card, number, choices, wrong, busy, Form, action, viaFetcher, hideWord, onHideWord }, headingRef) {
  const { t } = useTranslation("naming");
  const { t: tp } = useTranslation("practice");
  return (
    <section className="practice-card comprehension" aria-labelledby="card-h">
      <h2 id="card-h" ref={headingRef} tabIndex={-1}>
        {tp("practise.cardHeading", { n: number })}
        <span className="practice-reason"> · {tp(`reason.${card.reason}`)}</span>
      </h2>
      {hideWord ? null : (
        <p className="practice-word comprehension-word" style={longestWordStyle(card.title)}>
          <span lang={card.lang} dir={contentDir(card.lang)}>
            {card.title}
          </span>
        </p>
      )}
      <p className="actions">
        <ReadAloudButton text={card.title} lang={card.lang} label={t("comprehension.hear")} audio={card.audio} />
        {/* One button that stays where it is, so focus never falls to the page. Its label says what
            pressing does now (so no aria-pressed: a toggle's name must not change); the "on" look
            shows at a glance that the written word is hidden. */}
        <button type="button" className={`button${hideWord ? " toggle-on" : ""}`} onClick={() => onHideWord(!hideWord)}>
          {t(hideWord ? "comprehension.showWord" : "comprehension.hideWord")}
        </button>
      </p>
      <Form method="post" action={action} className="choice-form">
        <input type="hidden" name="pinId" value={card.id} />
        <input type="hidden" name="missed" value={wrong.length} />
        {viaFetcher ? <input type="hidden" name="via" value="fetcher" /> : null}
        {/* Never `disabled` while saving: that would drop the focused picture's focus to the page. */}
        <fieldset aria-busy={busy || undefined}>
          <legend>{t("comprehension.instruction")}</legend>
          <div className="choice-grid">
            {choices.map((c, i) => {
              const isWrong = wrong.includes(c.id);
              return (
                <button
                  key={c.id}
                  type="submit"
                  name="choice"
                  value={c.id}
                  className={`button choice${isWrong ? " choice-wrong" : ""}`}
                  aria-disabled={isWrong || busy || undefined}
                  onClick={(e) => {
                    if (isWrong || busy) e.preventDefault();
                  }}
                >
                  <img src={imageUrl(c.imageKey)} alt="" width={c.imageWidth} height={c.imageHeight} />
                  <span className="choice-label">
                    {t("comprehension.choice", { n: i + 1 })}
                    {isWrong ? <span className="choice-not"> · {t("comprehension.notThis")}</span> : null}
                  </span>
                </button>
              );
            })}
          </div>
        </fieldset>
      </Form>
    </section>
  );
});
