import type { Locale } from "../../../../db/tables";

/**
 * The shapes the feed's stages hand each other, read top to bottom as the request flows:
 *   history (history.server) → candidate sources (sources.server: each a `CandidateSource`) →
 *   the ranking stage (rank.server) → the surface's rules (rules.server: hide penalty, blend by
 *   language, one card per picture, the new-creator slot) → `FeedCard`s → the served-list log (log.server).
 * The two surfaces are home.server (For you) and related.server (More like this).
 */

/** The actions that say something about a person (impressions and hides do not). */
export const SIGNAL_ACTIONS = ["click", "closeup", "save", "readaloud", "practice"] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** Why a card is shown ("Because you saved …", "Popular", …). */
export type FeedReason =
  | { kind: "because"; action: SignalAction; pinId: number; title: string; lang: Locale }
  | { kind: "savedWith"; pinId: number; title: string; lang: Locale }
  | { kind: "boardsLikeYours" }
  | { kind: "interest"; slug: string; label: string }
  | { kind: "newCreator"; name: string }
  | { kind: "popular" };

export type FeedSource = "pinnersage" | "pixie" | "vector" | "cosaved" | "interest" | "popular" | "newCreator" | "pinsage";

/** One candidate card: its source's score and reason. `from`: the source it came from, once the learned ranker merged every source into one list. */
export type Cand = { pinId: number; score: number; reason: FeedReason; from?: FeedSource };

/** What every candidate source returns: its name, its weight in the blend, its cards best first. */
export type CandidateSource = { name: FeedSource; weight: number; items: Cand[] };

/** A candidate once the rules have placed it: the source it is credited to. */
export type Placed = Cand & { source: FeedSource };

/** A card as the page shows it. */
export type FeedCard = {
  id: number;
  title: string;
  lang: Locale;
  alt: string;
  imageKey: string;
  creatorId: number;
  creatorName: string;
  source: FeedSource;
  reason: FeedReason;
};

export type HomeFeed = {
  /** "personal": built from their history; "interests": from the interests they picked; "popular": neither. */
  mode: "personal" | "interests" | "popular";
  cards: FeedCard[];
  /** The served list's id (engagement on its cards carries it). */
  requestId?: string | null;
};

/** Runs a stage; a failing one is logged and left out, so one broken stage never breaks the page. */
export function attempt<T>(name: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    console.error(`feed: ${name} failed`, err);
    return fallback;
  }
}

/** attempt for an asynchronous stage: a rejected one is logged and left out the same way. */
export async function attemptAsync<T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    console.error(`feed: ${name} failed`, err);
    return fallback;
  }
}
