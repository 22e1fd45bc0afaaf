import type { Locale } from "../../../../db/tables";
import type { Db } from "../../db.server";
import type { Who } from "../../engagement.server";
import { memoByData } from "../../data-memo.server";
import { hiddenPins, interestsOfSeeds, ownedPins, pickedInterests, seedsOf, titlesOf, userSignals } from "./history.server";
import { logShown } from "./log.server";
import { boardsForInterests, boardTiles, topicLabels } from "./picker.server";
import { rankSources } from "./rank.server";
import { applyPenalty, blendByLanguage, finish, hidePenalty, pinInfo } from "./rules.server";
import {
  coSavedSource,
  interestSource,
  newCreatorCards,
  pinnerSageSource,
  pixieSource,
  popularSource,
  vectorSource,
} from "./sources.server";
import { attempt, attemptAsync, type CandidateSource, type FeedReason, type HomeFeed } from "./types.server";

/**
 * The home feed ("For you"), one request top to bottom:
 *   1. history  — their signals and seeds (strongest cards), hidden and owned cards, picked interests;
 *   2. sources  — with a history: PinnerSage, Pixie, content neighbours, co-saved cards, their
 *                 interests, popular cards; with picked interests only: those interests and popular;
 *                 with neither: popular; always the new creators' exploration list;
 *   3. ranking  — the shared ranking stage (features, the learned ranker or the fusion order);
 *   4. rules    — hide penalty, their languages first, one card per picture, the new-creator slot;
 *   5. log      — the served list with its features, its request id returned with the cards.
 * Cards they hid or already saved never show, and cards close to ones they hid are pushed down. Any
 * failing source is skipped: the feed never errors.
 */

export const FEED_SIZE = 24;

export type FeedOptions = {
  /** The reader's language: cards in it come first. */
  locale: Locale;
  /** Interests picked (accounts: user_interest, read here when omitted; visitors: their cookie). */
  picked?: string[];
  limit?: number;
  now?: number;
  /** Log the served list (default true; tests and evaluation may turn it off). */
  log?: boolean;
};

export async function homeFeed(db: Db, who: Who, o: FeedOptions): Promise<HomeFeed> {
  const limit = o.limit ?? FEED_SIZE;
  const userId = who.userId;
  const picked = o.picked ?? (userId !== null ? await pickedInterests(db, userId) : []);
  const hidden = await hiddenPins(db, who);
  // Stages 1–4 depend on the data, the person's id, their picks and hides, the language and the clock:
  // kept until the database changes or a minute passes (data-memo.server.ts), so visitors who picked
  // and hid the same share them. A caller's own `now` (tests, evaluation) computes afresh.
  const key = `home:${userId}:${o.locale}:${limit}:${picked.join(",")}:${hidden.join(",")}`;
  // The kept value is the promise (data-memo.server.ts drops it if it rejects).
  const chosen = await (o.now === undefined
    ? memoByData(db, key, () => choose(db, userId, picked, hidden, o.locale, limit, Date.now()))
    : choose(db, userId, picked, hidden, o.locale, limit, o.now));

  // 5. The served-list log.
  const requestId = o.log === false ? null : attempt("log", () => logShown(db, who, "home", chosen.picks, chosen.ranked), null);
  return { mode: chosen.mode, cards: finish(chosen.picks, chosen.info), requestId };
}

async function choose(db: Db, userId: number | null, picked: string[], hidden: number[], locale: Locale, limit: number, now: number) {
  const o = { locale };
  // 1. What we know about the person.
  const signals = userId !== null ? await userSignals(db, userId, now) : [];
  const seeds = seedsOf(signals, now);
  // With a history, cards already on their boards (or made by them) are not offered again. Without one
  // (e.g. a creator who only made cards), their own cards may show, so the feed is never left empty.
  const excluded = new Set<number>([...hidden, ...(userId !== null && seeds.length ? await ownedPins(db, userId) : [])]);
  const langs: Locale[] = [o.locale];
  const mode: HomeFeed["mode"] = seeds.length ? "personal" : picked.length ? "interests" : "popular";

  // 2. Candidate sources, in blend order.
  const sources: CandidateSource[] = [];
  if (seeds.length) {
    const top = seeds.slice(0, 6);
    const titles = await titlesOf(
      db,
      top.map((s) => s.pinId),
      userId,
    );
    // Reasons name a seed; those outside the top six (PinnerSage's medoids can be any seed) are read
    // first, as the reason callbacks below are synchronous.
    const others = await titlesOf(
      db,
      seeds.slice(6).map((s) => s.pinId),
      userId,
    );
    const seedReason = (pinId: number): FeedReason => {
      const s = seeds.find((x) => x.pinId === pinId);
      const t = titles.get(pinId) ?? others.get(pinId);
      return s && t ? { kind: "because", action: s.action, pinId, title: t.title, lang: t.lang } : { kind: "boardsLikeYours" };
    };
    // Cards they saved in the other language count for that language too.
    for (const s of top) {
      const l = titles.get(s.pinId)?.lang;
      if (l && !langs.includes(l)) langs.push(l);
    }
    const sage = await pinnerSageSource(db, userId!, now, seedReason);
    if (sage) sources.push(sage);
    const pixie = await pixieSource(db, signals, { lang: o.locale, now, exclude: [...excluded] });
    if (pixie) sources.push(pixie);
    sources.push(await vectorSource(db, top, seedReason));
    sources.push(await coSavedSource(db, top, titles, userId, pixie ? 1 : 2));
    const theirs = [...new Set([...picked, ...(await interestsOfSeeds(db, top, 3))])];
    sources.push(await interestSource(db, theirs, langs, 30, o.locale, 2));
    sources.push(await popularSource(db, langs, 100, now));
  } else if (picked.length) {
    sources.push(await interestSource(db, picked, langs, 40, o.locale, 4));
    sources.push(await popularSource(db, langs, 100, now));
  } else {
    sources.push(await popularSource(db, langs, 200, now));
  }
  const explore = await attemptAsync("newCreator", () => newCreatorCards(db, langs, userId, 20, now), []);

  // 3. The ranking stage (with the hide penalty it must respect).
  const allIds = [...sources.flatMap((s) => s.items.map((c) => c.pinId)), ...explore.map((c) => c.pinId)];
  const factor = await attemptAsync(
    "hide",
    () => hidePenalty(db, hidden, allIds),
    () => 1,
  );
  const info = await pinInfo(db, allIds, userId);
  const ranked = await rankSources(db, applyPenalty(sources, factor), "home", factor, now);

  // 4. The surface's rules.
  const picks = blendByLanguage(
    ranked.sources,
    explore.filter((c) => factor(c.pinId) > 0),
    info,
    excluded,
    langs,
    limit,
  );

  return { mode, picks, info, ranked };
}

/** The home page's feed for a request's person: who they are, what they picked, the feed itself. */
export async function feedForHome(db: Db, who: Who, o: { locale: Locale; picked: string[] }) {
  const feed = await attemptAsync("homeFeed", () => homeFeed(db, who, { locale: o.locale, picked: o.picked }), {
    mode: "popular",
    cards: [],
  } as HomeFeed);
  const boardsForYou = o.picked.length
    ? await attemptAsync("boards", async () => boardTiles(db, await boardsForInterests(db, o.picked, [o.locale], 6)), [])
    : [];
  return { feed, boardsForYou, chosen: await topicLabels(db, o.picked, o.locale) };
}
