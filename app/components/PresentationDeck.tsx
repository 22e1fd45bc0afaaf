import { useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { imageUrl } from "~/lib/urls";
import { longestWordStyle } from "~/lib/word-fit";

/** `audio`: the word recorded in someone's own voice (issue 14); the synthetic voice otherwise. */
export type DeckCard = { id: number; title: string; cue: string; lang: string; alt: string; imageKey: string; audio?: string | null };

/**
 * One card at a time, as large as the screen allows. Keyboard and single switch: Space or Enter (when
 * not on a button) and → go to the next card, ← to the previous, Home/End to the ends, Escape leaves.
 * Large Previous / Read aloud / Next buttons; the position is announced politely. No timers.
 */
export function PresentationDeck({
  cards,
  title,
  titleLang,
  exitTo,
}: {
  cards: DeckCard[];
  title: string;
  titleLang: string;
  exitTo: string;
}) {
  const { t } = useTranslation("workshops");
  const navigate = useNavigate();
  const [index, setIndex] = useState(0);
  const [fullscreen, setFullscreen] = useState(false);
  const [canFullscreen, setCanFullscreen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const total = cards.length;
  const go = useCallback((i: number) => setIndex(Math.max(0, Math.min(total - 1, i))), [total]);

  useEffect(() => {
    root.current?.focus();
    setCanFullscreen(!!document.documentElement.requestFullscreen);
    const onChange = () => setFullscreen(!!document.fullscreenElement);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      // On a button or link, Space and Enter press it (Previous stays Previous).
      const onControl = !!target?.closest("button, a, input, select, textarea");
      switch (e.key) {
        case " ":
        case "Spacebar":
        case "Enter":
          if (onControl) return;
          e.preventDefault();
          setIndex((i) => Math.min(total - 1, i + 1));
          break;
        case "ArrowRight":
        case "PageDown":
          e.preventDefault();
          setIndex((i) => Math.min(total - 1, i + 1));
          break;
        case "ArrowLeft":
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
  }, [total, exitTo, navigate]);

  function toggleFullscreen() {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void root.current?.requestFullscreen?.().catch(() => undefined);
  }

  const card = cards[index];
  return (
    <div className="presentation" ref={root} tabIndex={-1} aria-labelledby="present-h" role="region">
      <div className="present-bar">
        <h1 id="present-h" className="present-title">
          <span lang={titleLang}>{title}</span>
        </h1>
        <p className="present-position" aria-live="polite" aria-atomic="true">
          {total ? t("present.position", { n: index + 1, total }) : ""}
        </p>
        <div className="present-tools">
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
            <img src={imageUrl(card.imageKey)} alt={card.alt} lang={card.lang} />
            <figcaption className="present-word" lang={card.lang} style={longestWordStyle(card.title)}>
              {card.title}
            </figcaption>
          </figure>
          <div className="present-controls">
            <button type="button" className="button present-nav" onClick={() => go(index - 1)} aria-disabled={index === 0 || undefined}>
              <span aria-hidden="true">←</span> {t("present.previous")}
            </button>
            <ReadAloudButton text={card.title} lang={card.lang} label={t("present.readAloud")} audio={card.audio} />
            <button
              type="button"
              className="button primary present-nav"
              onClick={() => go(index + 1)}
              aria-disabled={index === total - 1 || undefined}
            >
              {t("present.next")} <span aria-hidden="true">→</span>
            </button>
          </div>
          <p className="present-keys hint">{t("present.keys")}</p>
        </>
      ) : (
        <p className="present-empty">{t("present.empty")}</p>
      )}
    </div>
  );
}
