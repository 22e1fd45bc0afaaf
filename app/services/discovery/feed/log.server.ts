import { FEATURE_NAMES, type RankSurface } from "../../../../models/rank/features";
import type { Db } from "../../db.server";
import type { Who } from "../../engagement.server";
import { logServed, newRequestId } from "../ranking.server";
import type { RankedSources } from "./rank.server";
import type { Placed } from "./types.server";

/**
 * Stage 5 of the feed, the last: the served-list log. What a feed surface showed, in order, with the
 * features each card was ranked by (rank.server), queued by discovery/served-log and written off the
 * request path; engagement on those cards carries the returned request id.
 */

/** Logs what a feed surface showed, with each card's features; new creators' slot is exploration (propensity 1: reserved by rule). */
export function logShown(db: Db, who: Who, surface: RankSurface, picks: Placed[], ranked: RankedSources): string | null {
  if (!picks.length) return null;
  const requestId = newRequestId();
  const width = FEATURE_NAMES.length;
  logServed(
    db,
    { requestId, userId: who.userId, sessionKey: who.sessionKey },
    surface,
    null,
    ranked.ranker,
    picks.map((c) => {
      const r = ranked.features.get(c.pinId);
      return { id: c.pinId, value: r?.value ?? 0, features: r?.features ?? new Float64Array(width).fill(NaN) };
    }),
    picks.map((c) => (c.source === "newCreator" ? 1 : null)),
  );
  return requestId;
}
