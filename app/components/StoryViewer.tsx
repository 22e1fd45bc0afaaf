import { Form, Link } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import { imageUrl } from "~/lib/urls";
import { withKey } from "~/lib/share-link";
import { arrowStep, directionOf } from "~/lib/direction";
import { contentDir } from "~/i18n";

/** `audio`: the page read in someone's own voice (issue 14), played instead of the synthetic voice. */
export type StoryViewerPage = {
  imageKey: string;
  imageWidth: number;
  imageHeight: number;
  alt: string;
  text: string;
  audio?: string | null;
};

/** Keys typed into these keep their own meaning: arrows there never turn the page. */
const OWN_ARROWS =
  'input, textarea, select, [contenteditable="true"], [role="grid"], [role="radiogroup"], [role="listbox"], [role="slider"], [role="tablist"], [role="menu"]';

/**
 * A Story Pin, one page at a time: the picture large with its alt text, the page's text in the
 * story's language, Previous/Next buttons and the Left/Right arrow keys (toward the next page as the
 * interface reads: ← in a right-to-left page), "Page 2 of 5" announced
 * politely. Before JavaScript runs (or without it) every page is shown as a list.
 */
export function StoryViewer(props: { pages: StoryViewerPage[]; lang: string; about: { id: number; title: string; lang: string } | null }) {
  const { t } = useTranslation("stories");
  const { pages, lang } = props;
  const total = pages.length;
  const [enhanced, setEnhanced] = useState(false);
  const [index, setIndex] = useState(0);
  useEffect(() => setEnhanced(true), []);
  const go = useCallback((delta: number) => setIndex((i) => Math.min(total - 1, Math.max(0, i + delta))), [total]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const target = e.target as Element | null;
      if (target?.closest?.(OWN_ARROWS)) return;
      e.preventDefault();
      go(arrowStep(e.key, directionOf(target instanceof Element ? target : null)));
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go]);

  const about = props.about ? (
    <p className="story-about">
      {t("viewer.about")}{" "}
      <Link to={`/boards/${props.about.id}`} lang={props.about.lang} dir={contentDir(props.about.lang)}>
        {props.about.title}
      </Link>
    </p>
  ) : null;

  if (!enhanced || total === 0) {
    return (
      <section className="story-viewer" aria-label={t("viewer.label")}>
        <ol className="story-list">
          {pages.map((p, i) => (
            <li key={i}>
              <StoryPage page={p} lang={lang} label={t("viewer.pageOf", { n: i + 1, total })} />
            </li>
          ))}
        </ol>
        {about}
      </section>
    );
  }

  const page = pages[index]!;
  const atStart = index === 0;
  const atEnd = index === total - 1;
  return (
    <section className="story-viewer" aria-label={t("viewer.label")}>
      <StoryPage page={page} lang={lang} />
      <p className="story-count" aria-live="polite" aria-atomic="true">
        {t("viewer.pageOf", { n: index + 1, total })}
      </p>
      <div className="story-nav">
        {/* aria-disabled, not disabled: the button keeps focus at the first and last page. */}
        <button type="button" className="button" aria-disabled={atStart || undefined} onClick={() => go(-1)}>
          <span aria-hidden="true" className="dir-arrow">
            ←
          </span>{" "}
          {t("viewer.previous")}
        </button>
        <button type="button" className="button primary" aria-disabled={atEnd || undefined} onClick={() => go(1)}>
          {t("viewer.next")}{" "}
          <span aria-hidden="true" className="dir-arrow">
            →
          </span>
        </button>
      </div>
      <p className="hint">{t("viewer.keysHint")}</p>
      <p>
        <ReadAloudButton text={page.text || page.alt} lang={lang} label={t("viewer.readPage")} audio={page.audio} />
      </p>
      {about}
    </section>
  );
}

function StoryPage({ page, lang, label }: { page: StoryViewerPage; lang: string; label?: string }) {
  return (
    <figure className="story-page">
      {label ? <p className="story-count">{label}</p> : null}
      <img src={imageUrl(page.imageKey)} alt={page.alt} width={page.imageWidth} height={page.imageHeight} />
      {page.text ? (
        <figcaption className="story-text" lang={lang} dir={contentDir(lang)}>
          {page.text}
        </figcaption>
      ) : null}
    </figure>
  );
}

export type StorySummary = {
  id: number;
  title: string;
  lang: string;
  imageKey: string;
  alt: string;
  creatorName: string;
  pageCount: number;
};

/** "Stories about this board" on a board's page: each story's cover, title, pages and author. */
/**
 * The stories about a board, on its page. `shareKey`: links carry the key of an unlisted board reached
 * by its link. `removable`: the board's owner gets a button to take each story off the board (whoever
 * wrote it), posting `intent=remove-story` to the board page.
 */
export function StoriesAboutList({
  stories,
  shareKey,
  removable = false,
}: {
  stories: StorySummary[];
  shareKey?: string | null;
  removable?: boolean;
}) {
  const { t } = useTranslation("stories");
  const { t: ta } = useTranslation("access");
  if (!stories.length) return null;
  return (
    <section aria-labelledby="stories-about-h" className="stories-about">
      <h2 id="stories-about-h">{t("board.heading")}</h2>
      <ul className="board-grid">
        {stories.map((s) => (
          <li key={s.id} className="board-tile">
            <img src={imageUrl(s.imageKey)} alt={s.alt} width={200} height={200} loading="lazy" />
            <h3>
              <Link className="tile-link" to={withKey(`/cards/${s.id}`, shareKey)} lang={s.lang} dir={contentDir(s.lang)}>
                {s.title}
              </Link>
            </h3>
            <p className="meta">
              {t("board.pages", { count: s.pageCount })} · {t("board.by", { name: s.creatorName })}
            </p>
            {removable ? (
              <Form method="post" className="tile-action">
                <input type="hidden" name="intent" value="remove-story" />
                <input type="hidden" name="pinId" value={s.id} />
                <button type="submit" className="button small">
                  {ta("stories.remove")}
                  <span className="visually-hidden" lang={s.lang} dir={contentDir(s.lang)}>
                    {" "}
                    — {s.title}
                  </span>
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
