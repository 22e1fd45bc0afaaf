import { randomUUID } from "node:crypto";
import { featureRows, FEATURE_NAMES, type RequestContext, type SourcedCandidate } from "../../../models/rank/features";
import { explore } from "../../../models/rank/explore";
import type { Db } from "../db.server";
import { cardStats } from "./card-stats.server";
import { currentRanker, type loadBundleFile } from "./ranker-store.server";
import { logServedList } from "./served-log.server";

/**
 * The one ranking stage of every list (search, home feed, More like this): candidates from any sources
 * in, the shared features, then the learned ranker's value (or, before any model is trained, the
 * surface's own fusion order), out come the cards in order with the features they were ranked by.
 * The surface then applies its own rules (language first, one card per picture, reasons) and logs
 * what it served with `logServed`.
 */
export type Loaded = NonNullable<ReturnType<typeof loadBundleFile>>;
export type RankedCandidate = { id: number; value: number; features: Float64Array };
export type RankOutcome = { ranked: RankedCandidate[]; ranker: string };

/** Most candidates one list ranks; the rest keep their fusion order below them (the 3 ms serving budget is for 500). */
export const RANK_AT_MOST = 500;
export const FUSION_RANKER = "fusion@1";
/**
 * How deep a search list the model reorders: as deep as the logging policy shows cards (a page of 20
 * plus exploration from ranks 11–50), so the model only judges cards like those it learned from;
 * the text and fusion order below stay as they are.
 */
export const SEARCH_RERANK_DEPTH = 50;

/**
 * Orders `cands` (given in the surface's fusion order, best first). `ranker` null forces the fusion
 * order (evaluation's `fusion` stage); undefined uses the model in service, if any.
 */
export async function rankCandidates(
  db: Db,
  cands: readonly SourcedCandidate[],
  ctx: RequestContext,
  o: { ranker?: Loaded | null; now?: number; depth?: number } = {},
): Promise<RankOutcome> {
  const head = cands.slice(0, RANK_AT_MOST);
  const stats = await cardStats(
    db,
    head.map((c) => c.id),
    o.now,
  );
  const rows = featureRows(head, (id) => stats.get(id), ctx);
  const model = o.ranker === undefined ? currentRanker() : o.ranker;
  const n = head.length;
  // The model reorders the first `depth` candidates (only those are scored); the rest keep the fusion order under them.
  const depth = Math.min(n, o.depth ?? n);
  const values = model ? model.values(rows.slice(0, depth)) : null;
  const ranked: RankedCandidate[] = head.map((c, i) => ({
    id: c.id,
    value: values && i < depth ? values[i]! : n - i,
    features: rows[i]!,
  }));
  if (model) {
    const order = ranked
      .slice(0, depth)
      .map((r, i) => ({ r, i }))
      .sort((a, b) => b.r.value - a.r.value || a.i - b.i);
    for (let i = 0; i < depth; i++) ranked[i] = order[i]!.r;
    for (let i = depth; i < n; i++) ranked[i]!.value = -i;
  }
  // Candidates beyond the ranked head keep their order below it (never reached by a page of results).
  for (const c of cands.slice(RANK_AT_MOST))
    ranked.push({ id: c.id, value: -Infinity, features: new Float64Array(FEATURE_NAMES.length).fill(NaN) });
  return { ranked, ranker: model ? model.bundle.version : FUSION_RANKER };
}

/** Applies the exploration policy to what is about to be shown and returns the propensities to log. */
export function withExploration<T>(items: readonly T[], enabled: boolean): { items: T[]; propensity: (number | null)[] } {
  if (!enabled) return { items: items.slice(), propensity: items.map(() => null) };
  return explore(items, Math.random);
}

export const newRequestId = () => randomUUID();

export type ServedBy = { requestId: string; userId: number | null; sessionKey: string };

/** Logs a served list: the cards shown, in order, with their features and scores (and exploration propensities). */
export function logServed(
  db: Db,
  by: ServedBy,
  surface: RequestContext["surface"],
  query: string | null,
  ranker: string,
  shown: { id: number; value: number; features: ArrayLike<number> }[],
  propensity: (number | null)[] = [],
) {
  logServedList(db, {
    requestId: by.requestId,
    surface,
    userId: by.userId,
    sessionKey: by.sessionKey,
    query,
    ranker,
    items: shown.map((s, position) => ({
      pinId: s.id,
      position,
      score: Number.isFinite(s.value) ? s.value : 0,
      features: s.features,
      propensity: propensity[position] ?? null,
    })),
  });
}
