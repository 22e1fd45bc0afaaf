import { eq } from "drizzle-orm";
import { pins } from "../../../../db/tables";
import type { Db } from "../../db.server";
import type { Who } from "../../engagement.server";
import { memoByData } from "../../data-memo.server";
import { hiddenPins } from "./history.server";
import { logShown } from "./log.server";
import { rankSources } from "./rank.server";
import { applyPenalty, blendByLanguage, finish, hidePenalty, pinInfo } from "./rules.server";
import { pinSageSource, relatedCoSavedSource, relatedPixieSource, relatedVectorSource } from "./sources.server";
import { attempt, attemptAsync, type CandidateSource, type FeedCard } from "./types.server";

/**
 * "More like this" on a card's page, one request top to bottom:
 *   1. history  — the cards this viewer hid (and the card itself) are left out;
 *   2. sources  — Pixie's walks from the card, PinSage's neighbours, content neighbours, cards saved with it;
 *   3. ranking  — the shared ranking stage;
 *   4. rules    — hide penalty, the card's own language first, one card per picture;
 *   5. log      — the served list with its features.
 */

export type RelatedCard = Omit<FeedCard, "reason">;
export type Related = { cards: RelatedCard[]; requestId: string | null };

/** Cards like this one: Pixie's walks, PinSage's neighbours when present, content neighbours and cards saved with it. */
export async function relatedCards(db: Db, pinId: number, who: Who, limit = 12): Promise<RelatedCard[]> {
  return (await relatedList(db, pinId, who, limit)).cards;
}

/** More like this, with the served list's id (logged with every card's features). */
export async function relatedList(db: Db, pinId: number, who: Who, limit = 12, o: { log?: boolean } = {}): Promise<Related> {
  // 1. What this viewer hid: read every time, so the rest can be shared by every viewer who hid the same.
  const hidden = await attemptAsync("hidden", () => hiddenPins(db, who), []);
  // 2–4 depend only on the data, the card, the viewer's id and what they hid: kept until the database
  // changes (data-memo.server.ts); the log below still records every list served.
  const chosen = await memoByData(db, `related:${pinId}:${who.userId}:${limit}:${hidden.join(",")}`, () =>
    choose(db, pinId, who, hidden, limit),
  );
  if (!chosen) return { cards: [], requestId: null };

  // 5. The served-list log.
  const requestId = o.log === false ? null : attempt("log", () => logShown(db, who, "related", chosen.picks, chosen.ranked), null);
  return { cards: finish(chosen.picks, chosen.info).map(({ reason: _r, ...c }) => c), requestId };
}

async function choose(db: Db, pinId: number, who: Who, hidden: number[], limit: number) {
  const [own] = await db.select({ lang: pins.lang, title: pins.title }).from(pins).where(eq(pins.id, pinId)).limit(1);
  if (!own) return null;
  const excluded = new Set([pinId, ...hidden]);

  // 2. Candidate sources, in blend order.
  const sources: CandidateSource[] = [];
  const pixie = await relatedPixieSource(db, pinId, own.lang, [...excluded]);
  if (pixie) sources.push(pixie);
  const sage = await pinSageSource(db, pinId);
  if (sage) sources.push(sage);
  sources.push(await relatedVectorSource(db, pinId));
  sources.push(await relatedCoSavedSource(db, pinId, who.userId, pixie ? 1 : 3));

  // 3. The ranking stage.
  const allIds = sources.flatMap((s) => s.items.map((c) => c.pinId));
  const factor = await attemptAsync(
    "hide",
    () => hidePenalty(db, hidden, allIds),
    () => 1,
  );
  const info = await pinInfo(db, allIds, who.userId);
  const ranked = await rankSources(db, applyPenalty(sources, factor), "related", factor, Date.now());

  // 4. The surface's rules.
  const picks = blendByLanguage(ranked.sources, [], info, excluded, [own.lang], limit);
  return { picks, info, ranked };
}
