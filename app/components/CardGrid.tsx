import { useRef, type ReactNode } from "react";
import { GridList, GridListItem } from "react-aria-components";
import type { Surface } from "../../db/enums";
import { useCardEvents } from "~/lib/engagement";
import { imageUrl } from "~/lib/urls";
import { withKey } from "~/lib/share-link";
import { contentDir } from "~/i18n";
import { longestWordStyle } from "~/lib/word-fit";

export type CardTile = { id: number; title: string; lang: string; alt: string; imageKey: string };

/**
 * Cards as an accessible grid: arrow keys move between cards, Enter opens one; each tile shows the
 * picture with its alt text and the word in its own language. `shareKey`: the cards of an unlisted
 * board reached by its link open with that board's key.
 */
export function CardGrid<T extends CardTile>(props: {
  cards: T[];
  labelledBy: string;
  describedBy?: string;
  empty?: ReactNode;
  extra?: (card: T) => ReactNode;
  surface?: Surface;
  query?: string;
  requestId?: string | null;
  shareKey?: string | null;
}) {
  // With a surface, the grid reports impressions and clicks to the engagement log.
  const ref = useRef<HTMLDivElement>(null);
  useCardEvents(ref, { surface: props.surface ?? null, query: props.query, requestId: props.requestId ?? undefined });
  return (
    <div ref={ref}>
      <GridList
        aria-labelledby={props.labelledBy}
        aria-describedby={props.describedBy}
        layout="grid"
        className="card-grid"
        items={props.cards}
        renderEmptyState={props.empty ? () => props.empty : undefined}
      >
        {(card) => (
          <GridListItem
            id={card.id}
            textValue={card.title}
            href={withKey(`/cards/${card.id}`, props.shareKey)}
            className="card-tile"
            data-pin-id={card.id}
            // The row's name is the card's word: a screen reader reads it in the card's language.
            lang={card.lang}
            dir={contentDir(card.lang)}
          >
            <img src={imageUrl(card.imageKey)} alt={card.alt} lang={card.lang} width={200} height={200} loading="lazy" />
            <span className="card-word" lang={card.lang} dir={contentDir(card.lang)} style={longestWordStyle(card.title)}>
              {card.title}
            </span>
            {props.extra?.(card)}
          </GridListItem>
        )}
      </GridList>
    </div>
  );
}
