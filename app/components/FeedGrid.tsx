import { Link, useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { Surface } from "../../db/enums";
import { useCardEvents } from "~/lib/engagement";
import { imageUrl } from "~/lib/urls";
import { contentDir } from "~/i18n";
import { longestWordStyle } from "~/lib/word-fit";

/** Why a card is shown (the feed service's FeedReason, as the page receives it). */
export type Reason =
  | { kind: "because"; action: "click" | "closeup" | "save" | "readaloud" | "practice"; pinId: number; title: string; lang: string }
  | { kind: "savedWith"; pinId: number; title: string; lang: string }
  | { kind: "boardsLikeYours" }
  | { kind: "interest"; slug: string; label: string }
  | { kind: "newCreator"; name: string }
  | { kind: "popular" };

export type FeedTile = { id: number; title: string; lang: string; alt: string; imageKey: string; reason?: Reason | null };

/** "Because you saved apple", with the card's word marked in its own language. */
export function ReasonText({ reason }: { reason: Reason }) {
  const { t } = useTranslation("feed");
  switch (reason.kind) {
    case "because":
    case "savedWith":
      return (
        <Trans
          t={t}
          i18nKey={reason.kind === "because" ? `reason.${reason.action}` : "reason.savedWith"}
          values={{ title: reason.title }}
          components={{ w: <span lang={reason.lang} dir={contentDir(reason.lang)} className="why-word" /> }}
        />
      );
    case "interest":
      return <>{t("reason.interest", { interest: reason.label })}</>;
    case "newCreator":
      return <>{t("reason.newCreator", { name: reason.name })}</>;
    case "boardsLikeYours":
      return <>{t("reason.boardsLikeYours")}</>;
    default:
      return <>{t("reason.popular")}</>;
  }
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * "Show me less like this": records a hide at once. Works without JavaScript (the form posts and comes
 * back to this page); with it, the page stays: `onSubmitted` runs as the request goes (the page's data
 * then reloads without the card), then `onDone` once it is recorded (if still shown) or `onFailed`.
 */
export function HideButton({
  card,
  surface,
  onSubmitted,
  onDone,
  onFailed,
  className,
}: {
  card: { id: number; title: string; lang: string };
  surface: Surface;
  onSubmitted?: () => void;
  onDone?: () => void;
  onFailed?: () => void;
  className?: string;
}) {
  const { t } = useTranslation("feed");
  const fetcher = useFetcher<{ ok?: boolean; error?: string }>({ key: `hide-${surface}-${card.id}` });
  const location = useLocation();
  const hydrated = useHydrated();
  const reported = useRef(true);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || reported.current) return;
    reported.current = true;
    if (fetcher.data.ok) onDone?.();
    else onFailed?.();
  }, [fetcher.state, fetcher.data, onDone, onFailed]);
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form
      method="post"
      action="/api/engagement"
      className={className ?? "hide-form"}
      onSubmit={() => {
        reported.current = false;
        onSubmitted?.();
      }}
    >
      <input type="hidden" name="intent" value="hide" />
      <input type="hidden" name="pinId" value={card.id} />
      <input type="hidden" name="surface" value={surface} />
      {hydrated ? null : <input type="hidden" name="back" value={location.pathname + location.search} />}
      <button type="submit" className="button small hide-button" disabled={busy}>
        <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 6a9.8 9.8 0 0 1 8.9 6 9.9 9.9 0 0 1-2.6 3.6l1.4 1.4A11.8 11.8 0 0 0 23 12 11.8 11.8 0 0 0 12 4.5a11.6 11.6 0 0 0-3.8.6l1.7 1.6A9 9 0 0 1 12 6zM2.7 3.3 1.3 4.7l2.8 2.8A11.7 11.7 0 0 0 1 12a11.8 11.8 0 0 0 15 6.8l3.3 3.3 1.4-1.4zM12 18a9.8 9.8 0 0 1-8.9-6 9.6 9.6 0 0 1 2.5-3.4l2.2 2.2A3.5 3.5 0 0 0 13.2 16l1.3 1.3A9.6 9.6 0 0 1 12 18z"
          />
        </svg>
        {t("hide.button")}
        <span className="visually-hidden" lang={card.lang} dir={contentDir(card.lang)}>
          {" "}
          {card.title}
        </span>
      </button>
    </fetcher.Form>
  );
}

/**
 * Cards as a list of tiles: the picture and word are one link, then (optionally) why the card is shown
 * and a Hide button. Plain links and buttons, so Tab reaches each in reading order. Reports
 * impressions and clicks for `surface`.
 */
export function FeedGrid(props: {
  cards: FeedTile[];
  labelledBy: string;
  surface: Surface;
  hide?: boolean;
  empty?: ReactNode;
  requestId?: string | null;
}) {
  const { t } = useTranslation("feed");
  const ref = useRef<HTMLUListElement>(null);
  useCardEvents(ref, { surface: props.surface, requestId: props.requestId ?? undefined });
  const [status, setStatus] = useState("");
  const focusAfter = useRef<{ index: number; pinId: number } | null>(null);
  const cards = props.cards;

  // After a hide, once the page's data comes back without the card, focus goes to the card that took
  // its place (or the last one, or the heading), never to the top of the page.
  useEffect(() => {
    const after = focusAfter.current;
    if (!after || !ref.current || cards.some((c) => c.id === after.pinId)) return;
    focusAfter.current = null;
    const links = ref.current.querySelectorAll<HTMLElement>(".feed-link");
    (links[Math.min(after.index, links.length - 1)] ?? document.getElementById(props.labelledBy))?.focus();
  });

  if (!cards.length) return <>{props.empty ?? <p className="empty">{t("home.empty")}</p>}</>;
  return (
    <>
      <ul className="feed-grid" ref={ref} aria-labelledby={props.labelledBy}>
        {cards.map((card, i) => (
          <li key={card.id} className="feed-tile" data-pin-id={card.id}>
            <Link to={`/cards/${card.id}`} className="feed-link">
              <img src={imageUrl(card.imageKey)} alt={card.alt} lang={card.lang} width={200} height={200} loading="lazy" />
              <span className="card-word" lang={card.lang} dir={contentDir(card.lang)} style={longestWordStyle(card.title)}>
                {card.title}
              </span>
            </Link>
            {card.reason ? (
              <p className="feed-why">
                <ReasonText reason={card.reason} />
              </p>
            ) : null}
            {props.hide ? (
              <HideButton
                card={card}
                surface={props.surface}
                onSubmitted={() => {
                  focusAfter.current = { index: i, pinId: card.id };
                  setStatus(t("hide.done", { title: card.title }));
                }}
                onFailed={() => {
                  focusAfter.current = null;
                  setStatus(t("hide.failed"));
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {props.hide ? (
        <p aria-live="polite" aria-atomic="true" className="feed-status">
          {status}
        </p>
      ) : null}
    </>
  );
}

/** The card page's Hide button, with its own spoken result. */
export function CardHide({ card }: { card: { id: number; title: string; lang: string } }) {
  const { t } = useTranslation("feed");
  const [status, setStatus] = useState("");
  return (
    <div className="card-hide">
      <HideButton
        card={card}
        surface="card"
        onDone={() => setStatus(t("hide.done", { title: card.title }))}
        onFailed={() => setStatus(t("hide.failed"))}
      />
      <p aria-live="polite" aria-atomic="true" className="feed-status">
        {status}
      </p>
    </div>
  );
}

/** "More like this" under a card's close-up. */
export function MoreLikeThis({ cards, requestId }: { cards: FeedTile[]; requestId?: string | null }) {
  const { t } = useTranslation("feed");
  return (
    <section aria-labelledby="related-cards-h" className="related">
      <h2 id="related-cards-h">{t("related.heading")}</h2>
      <FeedGrid
        cards={cards}
        labelledBy="related-cards-h"
        surface="related"
        requestId={requestId}
        empty={<p className="empty">{t("related.none")}</p>}
      />
    </section>
  );
}
