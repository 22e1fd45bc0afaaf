import { forwardRef, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";
import type { PracticeCardData } from "~/components/PracticeCard";
import { deriveFirstLetters } from "../../../models/therapy/cues";
import { letterTiles } from "../../../models/therapy/writing";
import { lettersStart } from "./CueList";
import { contentDir } from "~/i18n";

/**
 * Writing: type the word, or tap letter tiles (its letters shuffled, plus a few that are not in it).
 * "Show the first letters" helps (the answer is then recorded as named with help, at the first-letters
 * level). The server checks the spelling (accents ignored if the box is ticked); a wrong spelling keeps
 * what was typed and saves nothing. "Show the word" gives up: the word appears and "Next card" saves "not yet".
 */
export const WritingItem = forwardRef<
  HTMLHeadingElement,
  {
    card: PracticeCardData;
    number: number;
    seed: number;
    busy: boolean;
    wrong: boolean;
    Form: React.ElementType;
    action: string;
    viaFetcher: boolean;
  }
>(function WritingItem({ card, number, seed, busy, wrong, Form, action, viaFetcher }, headingRef) {
  const { t } = useTranslation("naming");
  const { t: tp } = useTranslation("practice");
  const [typed, setTyped] = useState("");
  const [help, setHelp] = useState(false);
  const [gaveUp, setGaveUp] = useState(false);
  const [accents, setAccents] = useState(true);
  const wordRef = useRef<HTMLParagraphElement>(null);
  const typedRef = useRef<HTMLInputElement>(null);
  // Giving up shows the word: focus it, so a screen reader says it at once.
  useEffect(() => {
    if (gaveUp) wordRef.current?.focus();
  }, [gaveUp]);
  // "Show the first letters" is gone once pressed: focus the text field, so the word can be typed at
  // once; the letters shown are its description, read with it.
  useEffect(() => {
    if (help) typedRef.current?.focus();
  }, [help]);
  const id = useId();
  const describedBy = [help ? `${id}-help` : "", wrong ? `${id}-wrong` : ""].filter(Boolean).join(" ");
  const tiles = letterTiles(card.title, card.lang, seed);
  const start = lettersStart(deriveFirstLetters(card.title, card.lang));
  return (
    <section className="practice-card writing" aria-labelledby="card-h">
      <h2 id="card-h" ref={headingRef} tabIndex={-1}>
        {tp("practise.cardHeading", { n: number })}
        <span className="practice-reason"> · {tp(`reason.${card.reason}`)}</span>
      </h2>
      <div className="practice-body">
        <img
          className="practice-picture"
          src={imageUrl(card.imageKey)}
          alt={gaveUp ? card.alt : t("picture", { n: number })}
          width={card.imageWidth}
          height={card.imageHeight}
        />
        <div className="practice-side">
          <Form method="post" action={action} className="writing-form">
            <input type="hidden" name="pinId" value={card.id} />
            {help ? <input type="hidden" name="help" value="1" /> : null}
            {viaFetcher ? <input type="hidden" name="via" value="fetcher" /> : null}
            <div className="field">
              <label htmlFor={`${id}-typed`}>{t("writing.label")}</label>
              <input
                id={`${id}-typed`}
                ref={typedRef}
                name="typed"
                lang={card.lang}
                dir={contentDir(card.lang)}
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.currentTarget.value)}
                aria-invalid={wrong || undefined}
                aria-describedby={describedBy || undefined}
                className="writing-input"
              />
              {help ? (
                <p id={`${id}-help`} className="writing-help">
                  {t("writing.helpShown", { start })}
                </p>
              ) : null}
              {wrong ? (
                <p id={`${id}-wrong`} className="field-error" role="alert">
                  {t("writing.wrong")}
                </p>
              ) : null}
            </div>
            <div className="field checkbox">
              <input
                id={`${id}-accents`}
                type="checkbox"
                name="accents"
                value="on"
                checked={accents}
                onChange={(e) => setAccents(e.currentTarget.checked)}
              />
              <label htmlFor={`${id}-accents`}>{t("writing.accents")}</label>
            </div>
            <fieldset className="tiles" disabled={busy || gaveUp}>
              <legend>{t("writing.tiles")}</legend>
              <p className="hint">{t("writing.tilesHint")}</p>
              <div className="tile-row" lang={card.lang} dir={contentDir(card.lang)}>
                {tiles.map((tile) => (
                  <button
                    key={tile.id}
                    type="button"
                    className="button tile"
                    aria-label={t("writing.tile", { letter: tile.letter })}
                    onClick={() => setTyped((s) => s + tile.letter)}
                  >
                    {tile.letter}
                  </button>
                ))}
              </div>
              <div className="actions">
                <button type="button" className="button small" onClick={() => setTyped((s) => [...s].slice(0, -1).join(""))}>
                  {t("writing.removeLast")}
                </button>
                <button type="button" className="button small" onClick={() => setTyped("")}>
                  {t("writing.clear")}
                </button>
              </div>
            </fieldset>
            <div className="actions">
              {!gaveUp ? (
                // Only aria-disabled while checking: a disabled button would drop focus to the page.
                <SubmitButton busy={busy} className="button primary">
                  {t("writing.check")}
                </SubmitButton>
              ) : null}
              {!help && !gaveUp ? (
                <button type="button" className="button" onClick={() => setHelp(true)}>
                  {t("writing.help")}
                </button>
              ) : null}
              {!gaveUp ? (
                <button type="button" className="button" onClick={() => setGaveUp(true)}>
                  {t("writing.giveUp")}
                </button>
              ) : null}
            </div>
          </Form>
          {gaveUp ? (
            <Form method="post" action={action}>
              <input type="hidden" name="pinId" value={card.id} />
              {viaFetcher ? <input type="hidden" name="via" value="fetcher" /> : null}
              <p className="practice-word" tabIndex={-1} ref={wordRef} style={longestWordStyle(card.title)}>
                <span className="visually-hidden">{tp("practise.theWord")} </span>
                <span lang={card.lang} dir={contentDir(card.lang)}>
                  {card.title}
                </span>
              </p>
              <SubmitButton busy={busy} name="outcome" value="not_yet" className="button primary">
                {t("writing.next")}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      </div>
    </section>
  );
});
