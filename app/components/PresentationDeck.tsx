import { Link, useFetcher, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";
import { arrowStep, directionOf } from "~/lib/direction";
import { CueList, lettersStart, useCueText } from "~/components/therapy/CueList";
import { focusIfLost } from "~/lib/focus";
import type { Cue } from "../../models/therapy/cues";
import { isContentLang, type Locale } from "../../db/enums";
import { contentDir } from "~/i18n";

/** Present mode's naming practice with the group (issue 14): clues per card, who can be marked, where marks go. */
export type DeckNaming = {
  cues: Record<number, { cues: Cue[]; category: Record<Locale, string> | null }>;
  attendees: { userId: number; displayName: string }[];
  action: string;
};

/** `audio`: the word recorded in someone's own voice (issue 14); the synthetic voice otherwise. */
export type DeckCard = { id: number; title: string; cue: string; lang: string; alt: string; imageKey: string; audio?: string | null };

/**
 * One card at a time, as large as the screen allows. Keyboard and single switch: Space or Enter (when
 * not on a button) and → go to the next card, ← to the previous (mirrored in a right-to-left page:
 * ← next, → previous), Home/End to the ends, Escape leaves.
 * Large Previous / Read aloud / Next buttons; the position is announced politely. No timers.
 */
export function PresentationDeck({
  cards,
  title,
  titleLang,
  exitTo,
  naming,
  namingToggle,
}: {
  cards: DeckCard[];
  title: string;
  titleLang: string;
  exitTo: string;
  /** With naming: the word is hidden first; Space/Enter (one switch) gives the next clue, then the word, then the next card. */
  naming?: DeckNaming;
  /** The therapist's link to switch naming practice on or off. */
  namingToggle?: string;
}) {
  const { t } = useTranslation("workshops");
  const { t: tn } = useTranslation("naming");
  const navigate = useNavigate();
  const [index, setIndex] = useState(0);
  const [fullscreen, setFullscreen] = useState(false);
  const [canFullscreen, setCanFullscreen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const total = cards.length;
  // Naming: the clue level reached on this card (0 = none; the last clue is the word itself) and whether the word is shown.
  const [steps, setSteps] = useState({ index: 0, level: 0, word: false });
  const here = steps.index === index ? steps : { index, level: 0, word: false };
  const maxLevel = naming ? (naming.cues[cards[index]?.id ?? -1]?.cues.length ?? 0) : 0;
  const wordShown = !naming || here.word || here.level >= maxLevel;
  const go = useCallback((i: number) => setIndex(Math.max(0, Math.min(total - 1, i))), [total]);

  useEffect(() => {
    root.current?.focus();
    setCanFullscreen(!!document.documentElement.requestFullscreen);
    const onChange = () => setFullscreen(!!document.fullscreenElement);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  // A new card replaces its clue and mark controls, and the clue and word buttons go once used up:
  // if one of them had focus, keep it in the deck (the position is announced by its live region), not
  // on the page's <body>.
  useEffect(() => focusIfLost(root.current), [index, here.level, wordShown]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      // On a button or link, Space and Enter press it (Previous stays Previous).
      const onControl = !!target?.closest("button, a, input, select, textarea");
      // C and W are letters: only where letters are typed do they belong to the field, not the deck.
      const onTextField = !!target?.closest(
        'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"]), textarea, select, [contenteditable]:not([contenteditable="false"])',
      );
      // C and W by the key's place as well as its letter: on an Arabic (or Cyrillic…) layout the C key
      // types "ؤ", and the shortcut is the key the therapist learned, whatever it types.
      const key = e.code === "KeyC" ? "c" : e.code === "KeyW" ? "w" : e.key;
      switch (key) {
        case " ":
        case "Spacebar":
        case "Enter":
          if (onControl) return;
          e.preventDefault();
          // One switch: in naming, each press is the next step (a clue, then the word), then the next card.
          if (naming && !wordShown) setSteps({ ...here, level: Math.min(maxLevel, here.level + 1) });
          else setIndex((i) => Math.min(total - 1, i + 1));
          break;
        case "c":
        case "C":
          // After the word is shown a clue would only raise the recorded level.
          if (!naming || onTextField || wordShown) return;
          e.preventDefault();
          setSteps({ ...here, level: Math.min(maxLevel, here.level + 1) });
          break;
        case "w":
        case "W":
          if (!naming || onTextField || wordShown) return;
          e.preventDefault();
          setSteps({ ...here, word: true });
          break;
        case "ArrowRight":
        case "ArrowLeft": {
          e.preventDefault();
          const step = arrowStep(e.key, directionOf(root.current));
          setIndex((i) => Math.max(0, Math.min(total - 1, i + step)));
          break;
        }
        case "PageDown":
          e.preventDefault();
          setIndex((i) => Math.min(total - 1, i + 1));
          break;
        case "PageUp":
          e.preventDefault();
          setIndex((i) => Math.max(0, i - 1));
          break;
        case "Home":
          e.preventDefault();
          setIndex(0);
          break;
        case "End":
          e.preventDefault();
          setIndex(total - 1);
          break;
        case "Escape":
          if (document.fullscreenElement) return; // the browser leaves full screen first
          e.preventDefault();
          navigate(exitTo);
          break;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [total, exitTo, navigate, naming, wordShown, here.index, here.level, here.word, maxLevel]);

  function toggleFullscreen() {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void root.current?.requestFullscreen?.().catch(() => undefined);
  }

  const card = cards[index];
  const cardCues = card && naming ? naming.cues[card.id] : undefined;
  // The clue read aloud in the card's language, as the screen shows it (a French card: « Ça s'appelle … »).
  const cueText = useCueText(card && isContentLang(card.lang) ? card.lang : "en", cardCues?.category ?? null);
  // "Read aloud" reads only what the screen shows: the word once shown; before that the latest clue
  // (the first letters as the letters shown), or nothing at all, so the word is never heard early.
  const lastClue = !wordShown && cardCues && here.level > 0 ? cardCues.cues[here.level - 1] : undefined;
  const spoken = wordShown
    ? { text: card?.title ?? "", label: t("present.readAloud"), audio: card?.audio }
    : lastClue
      ? {
          text: lastClue.level === "firstLetters" ? lettersStart(lastClue.text) : cueText(lastClue),
          label: tn("present.readClue"),
          audio: null,
        }
      : null;
  return (
    <div className="presentation" ref={root} tabIndex={-1} aria-labelledby="present-h" role="region">
      <div className="present-bar">
        <h1 id="present-h" className="present-title">
          <span lang={titleLang} dir={contentDir(titleLang)}>
            {title}
          </span>
        </h1>
        <p className="present-position" aria-live="polite" aria-atomic="true">
          {total ? t("present.position", { n: index + 1, total }) : ""}
        </p>
        <div className="present-tools">
          {namingToggle ? (
            <Link className="button" to={namingToggle} aria-pressed={naming ? true : false} role="button">
              {tn("present.toggle")}
            </Link>
          ) : null}
          {canFullscreen ? (
            <button type="button" className="button" onClick={toggleFullscreen} aria-pressed={fullscreen}>
              {t("present.fullscreen")}
            </button>
          ) : null}
          <a className="button" href={exitTo} onClick={(e) => (e.preventDefault(), navigate(exitTo))}>
            {t("present.exit")}
          </a>
        </div>
      </div>
      {card ? (
        <>
          <figure className="present-card" key={card.id}>
            {/* Until the word is shown, the alt text must not name the picture. */}
            <img
              src={imageUrl(card.imageKey)}
              alt={wordShown ? card.alt : tn("presentPicture", { n: index + 1, total })}
              lang={wordShown ? card.lang : undefined}
            />
            {wordShown ? (
              <figcaption className="present-word" lang={card.lang} dir={contentDir(card.lang)} style={longestWordStyle(card.title)}>
                {card.title}
              </figcaption>
            ) : null}
          </figure>
          {naming && cardCues ? (
            <NamingSteps
              key={`steps-${card.id}`}
              card={card}
              cues={cardCues}
              level={here.level}
              wordShown={wordShown}
              naming={naming}
              onClue={() => !wordShown && setSteps({ ...here, level: Math.min(maxLevel, here.level + 1) })}
              onWord={() => setSteps({ ...here, word: true })}
            />
          ) : null}
          <div className="present-controls">
            <button type="button" className="button present-nav" onClick={() => go(index - 1)} aria-disabled={index === 0 || undefined}>
              <span aria-hidden="true" className="dir-arrow">
                ←
              </span>{" "}
              {t("present.previous")}
            </button>
            {spoken ? <ReadAloudButton text={spoken.text} lang={card.lang} label={spoken.label} audio={spoken.audio} /> : null}
            <button
              type="button"
              className="button primary present-nav"
              onClick={() => go(index + 1)}
              aria-disabled={index === total - 1 || undefined}
            >
              {t("present.next")}{" "}
              <span aria-hidden="true" className="dir-arrow">
                →
              </span>
            </button>
          </div>
          <p className="present-keys hint">{naming ? tn("present.stepKeys") : t("present.keys")}</p>
        </>
      ) : (
        <p className="present-empty">{t("present.empty")}</p>
      )}
    </div>
  );
}

/**
 * The clue and word buttons of one card, the clues given so far, and the therapist's marks: for the
 * attendees ticked (all by default: the whole group), named it / named with help (at the clue level
 * reached) / not yet. Each mark is saved at once; the answer is announced politely.
 */
function NamingSteps({
  card,
  cues,
  level,
  wordShown,
  naming,
  onClue,
  onWord,
}: {
  card: DeckCard;
  cues: { cues: Cue[]; category: Record<Locale, string> | null };
  level: number;
  wordShown: boolean;
  naming: DeckNaming;
  onClue: () => void;
  onWord: () => void;
}) {
  const { t } = useTranslation("naming");
  const fetcher = useFetcher<{ marked: number; pinId: number }>();
  const [chosen, setChosen] = useState<number[]>(naming.attendees.map((a) => a.userId));
  const all = chosen.length === naming.attendees.length;
  const lang: Locale = isContentLang(card.lang) ? card.lang : "en";
  const saved = fetcher.state === "idle" && fetcher.data?.pinId === card.id ? fetcher.data.marked : null;
  // One mark button per outcome, all sent with the attendees chosen above.
  const outcomeButton = (outcome: "correct" | "cued" | "not_yet", help: string, extraClass = "") => (
    <button
      type="submit"
      name="outcome"
      value={outcome}
      className={`button rating${extraClass}`}
      disabled={!chosen.length}
      // Only aria-disabled while saving: a disabled button would drop the therapist's focus to the page.
      aria-disabled={fetcher.state !== "idle" || undefined}
      onClick={(e) => {
        if (fetcher.state !== "idle") e.preventDefault();
      }}
    >
      <span className="rating-label">{t(`outcome.${outcome}`)}</span>
      <span className="rating-help">{help}</span>
    </button>
  );
  return (
    <div className="present-naming">
      <p className="present-hidden-word" aria-live="polite">
        {t("present.cluesGiven", { n: level, total: cues.cues.length })}
      </p>
      <CueList cues={cues.cues} level={level} lang={lang} category={cues.category} audio={card.audio} className="cue-list present-cues" />
      {/* Offered only while they can do something: the last clue is the word itself, so once the word
          is shown (by the last clue or by "Show the word") neither button is left. */}
      {wordShown ? null : (
        <div className="present-controls">
          {level < cues.cues.length ? (
            <button type="button" className="button" onClick={onClue}>
              {t("present.clue")}
            </button>
          ) : null}
          <button type="button" className="button" onClick={onWord}>
            {t("present.show")}
          </button>
        </div>
      )}
      {naming.attendees.length ? (
        <fetcher.Form method="post" action={naming.action} className="present-mark">
          <input type="hidden" name="pinId" value={card.id} />
          <input type="hidden" name="cueLevel" value={level} />
          <fieldset>
            <legend>{t("present.markHeading")}</legend>
            <div className="who">
              <label>
                <input
                  type="checkbox"
                  checked={all}
                  onChange={(e) => setChosen(e.currentTarget.checked ? naming.attendees.map((a) => a.userId) : [])}
                />{" "}
                {t("present.everyone")}
              </label>
              {naming.attendees.map((a) => (
                <label key={a.userId}>
                  <input
                    type="checkbox"
                    name="learner"
                    value={a.userId}
                    checked={chosen.includes(a.userId)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setChosen((c) => (on ? [...c, a.userId] : c.filter((x) => x !== a.userId)));
                    }}
                  />{" "}
                  {a.displayName}
                </label>
              ))}
            </div>
            <div className="rating-buttons">
              {outcomeButton("correct", t("outcome.correctHelp"))}
              {level > 0 ? outcomeButton("cued", t("outcome.cuedHelp", { level })) : null}
              {outcomeButton("not_yet", t("outcome.not_yetHelp"), " rating-again")}
            </div>
          </fieldset>
          <p role="status" className="present-saved">
            {saved !== null ? t("present.saved", { count: saved }) : ""}
          </p>
        </fetcher.Form>
      ) : (
        <p>{t("present.noAttendees")}</p>
      )}
    </div>
  );
}
