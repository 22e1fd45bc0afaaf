// The feature stage shared by every ranked surface (search, home feed, More like this, interest pages).
// Pure: candidates with their sources' scores, per-card statistics and the request's context in; one
// row of numbers per candidate out. The same function runs at serving time and its output is what the
// engagement log keeps, so a model is trained on exactly the values it will be served.
//
// Scores of different generators, and of the same generator on different collections, live on
// different scales (BM25 grows with the collection's vocabulary, Pixie visits with the walk budget).
// Only per-list normalised forms transfer from one collection or surface to another (issue 11's
// finding), so each source gives three: its score over the list's best (0 when absent), its z-score
// within the candidates it found (missing when absent) and its reciprocal rank (0 when absent).

/** Every candidate source a surface may use; each returns cards with its own score. */
export const SOURCES = [
  "text",
  // Not a generator: the text candidates scored by their best matches' other words (feedback.ts).
  "feedback",
  "fuzzy",
  "vector",
  "interest",
  "pixie",
  "pinsage",
  "pinnersage",
  "cosaved",
  "popular",
  "newCreator",
] as const;
export type SourceName = (typeof SOURCES)[number];

export const RANK_SURFACES = ["search", "home", "related", "interest"] as const;
export type RankSurface = (typeof RANK_SURFACES)[number];

/** What kind of query a searcher typed (none for the feed and More like this). */
export const QUERY_KINDS = ["word", "phrase", "need", "emoji"] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** A candidate as the sources found it: each source's score (higher = better) and, optionally, today's hand fusion. */
export type SourcedCandidate = { id: number; scores: Partial<Record<SourceName, number>>; fused?: number };

/** What the log knows about a card when it is served (counts from the engagement log). */
export type CardStats = {
  lang: string;
  impressions: number;
  clicks: number;
  closeups: number;
  saves: number;
  hides: number;
  /** Boards it is on beyond its first (other people's saves). */
  boardSaves: number;
  ageDays: number;
  creatorNew: boolean;
  /** Cards on the best-filled board it is on. */
  boardCards: number;
  altPresent: boolean;
};

export type RequestContext = {
  surface: RankSurface;
  /**
   * The language whose cards the searcher prefers when the surface has one (search: the query's, or the
   * reader's own when their cards hold every word of it — the language the hand fusion favours too); null elsewhere.
   */
  lang: string | null;
  tokens: number;
  kind: QueryKind | null;
};

// @2: the "feedback" source (pseudo-relevance feedback) joined; logs and models of @1 are not read.
export const FEATURE_SET = "tablero-features@2";

const perSource = (s: SourceName) => [`${s}.ratio`, `${s}.z`, `${s}.rr`];
export const FEATURE_NAMES: readonly string[] = [
  ...SOURCES.flatMap(perSource),
  "vector.cos",
  "fusion.ratio",
  "fusion.rr",
  "sources",
  "lang.match",
  "pop.log",
  "pop.lang",
  "rate.click",
  "rate.closeup",
  "rate.save",
  "rate.hide",
  "fresh.logdays",
  "creator.new",
  "board.logcards",
  "alt.present",
  "query.tokens",
  ...QUERY_KINDS.map((k) => `query.${k}`),
  ...RANK_SURFACES.map((s) => `surface.${s}`),
  // Training only: where the card was shown. Serving sets it to 0 (the top), so a model ranks by what
  // a card would earn in the first place, not by where the old ranker happened to put it.
  "position",
];
export const POSITION_FEATURE = FEATURE_NAMES.indexOf("position");
const FEEDBACK_SOURCE = SOURCES.indexOf("feedback");
/** Each source's first column (its ratio; z-score and reciprocal rank follow). */
const SOURCE_COLUMN: Record<string, number | undefined> = Object.fromEntries(SOURCES.map((s, j) => [s, 3 * j]));

/**
 * Smoothed rates (Beta priors): a card seen twice and clicked once is not a 50 % card. The priors are
 * typical rates of a served card: ~10 % clicked, ~4 % opened, ~2 % saved, ~1 % hidden.
 */
export const RATE_PRIORS = { click: [1, 9], closeup: [0.4, 9.6], save: [0.2, 9.8], hide: [0.1, 9.9] } as const;
const smoothed = (k: number, n: number, [a, b]: readonly [number, number]) => (k + a) / (n + a + b);

/** One row per candidate, in the candidates' order, named by FEATURE_NAMES. Missing values are NaN. */
export function featureRows(
  cands: readonly SourcedCandidate[],
  stats: (id: number) => CardStats | undefined,
  ctx: RequestContext,
): Float64Array[] {
  const width = FEATURE_NAMES.length;
  // One buffer for the whole list (500 separate arrays cost as much as the features themselves).
  const buf = new Float64Array(cands.length * width);
  const rows = cands.map((_, i) => buf.subarray(i * width, (i + 1) * width));
  // One pass gathers each source's (candidate, score) pairs; sources a list lacks cost nothing.
  const idxOf: number[][] = SOURCES.map(() => []);
  const valOf: number[][] = SOURCES.map(() => []);
  const found = new Uint8Array(cands.length);
  for (let i = 0; i < cands.length; i++) {
    const sc = cands[i]!.scores as Record<string, number | undefined>;
    const r = rows[i]!;
    for (let si = 0; si < SOURCES.length; si++) {
      r[3 * si + 1] = NaN; // z-score missing when absent
      const v = sc[SOURCES[si]!];
      if (v === undefined || !Number.isFinite(v)) continue;
      if (si !== FEEDBACK_SOURCE) found[i]!++; // "sources" counts generators; feedback rescored text's
      idxOf[si]!.push(i);
      valOf[si]!.push(v);
    }
  }
  for (let si = 0; si < SOURCES.length; si++) {
    const idx = idxOf[si]!;
    if (!idx.length) continue;
    const k = SOURCES[si]!;
    const c0 = SOURCE_COLUMN[k]!;
    const { ratio, z, rr } = normalised(valOf[si]!, k === "vector");
    for (let j = 0; j < idx.length; j++) {
      const r = rows[idx[j]!]!;
      r[c0] = ratio[j]!;
      r[c0 + 1] = z[j]!;
      r[c0 + 2] = rr[j]!;
    }
  }
  const col = SOURCES.length * 3;
  const fusedIdx: number[] = [];
  const fusedVals: number[] = [];
  for (let i = 0; i < cands.length; i++) {
    const f = cands[i]!.fused;
    if (f !== undefined && Number.isFinite(f)) {
      fusedIdx.push(i);
      fusedVals.push(f);
    }
  }
  const fusedNorm = normalised(fusedVals, false);
  const fusedRatio = new Float64Array(cands.length);
  const fusedRr = new Float64Array(cands.length);
  for (let j = 0; j < fusedIdx.length; j++) {
    fusedRatio[fusedIdx[j]!] = fusedNorm.ratio[j]!;
    fusedRr[fusedIdx[j]!] = fusedNorm.rr[j]!;
  }
  // Popularity in its language: log-popularity over the best of the candidates in the same language.
  const popOf = (st: CardStats | undefined) => (st ? Math.log1p(st.boardSaves + st.saves + 0.5 * st.closeups + 0.2 * st.clicks) : 0);
  const bestPop = new Map<string, number>();
  const all = new Array<CardStats | undefined>(cands.length);
  const pops = new Float64Array(cands.length);
  for (let i = 0; i < cands.length; i++) {
    const st = (all[i] = stats(cands[i]!.id));
    const pop = (pops[i] = popOf(st));
    if (st) bestPop.set(st.lang, Math.max(bestPop.get(st.lang) ?? 0, pop));
  }
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    const st = all[i];
    const r = rows[i]!;
    let k = col;
    r[k++] = Number.isFinite(c.scores.vector) ? c.scores.vector! : NaN;
    r[k++] = fusedRatio[i]!;
    r[k++] = fusedRr[i]!;
    r[k++] = found[i]!;
    r[k++] = ctx.lang === null || !st ? NaN : st.lang === ctx.lang ? 1 : 0;
    const pop = pops[i]!;
    r[k++] = pop;
    const best = st ? (bestPop.get(st.lang) ?? 0) : 0;
    r[k++] = best > 0 ? pop / best : 0;
    r[k++] = st ? smoothed(st.clicks, st.impressions, RATE_PRIORS.click) : NaN;
    r[k++] = st ? smoothed(st.closeups, st.impressions, RATE_PRIORS.closeup) : NaN;
    r[k++] = st ? smoothed(st.saves, st.impressions, RATE_PRIORS.save) : NaN;
    r[k++] = st ? smoothed(st.hides, st.impressions, RATE_PRIORS.hide) : NaN;
    r[k++] = st ? Math.log1p(Math.max(0, st.ageDays)) : NaN;
    r[k++] = st ? (st.creatorNew ? 1 : 0) : NaN;
    r[k++] = st ? Math.log1p(st.boardCards) : NaN;
    r[k++] = st ? (st.altPresent ? 1 : 0) : NaN;
    r[k++] = ctx.tokens;
    for (const q of QUERY_KINDS) r[k++] = ctx.kind === q ? 1 : 0;
    for (const s of RANK_SURFACES) r[k++] = ctx.surface === s ? 1 : 0;
    r[k++] = 0; // position: filled in by the log for training, 0 when serving
  }
  return rows;
}

/**
 * Per-list normal forms of one source's scores: over the best (match scores from 0; cosines min–max,
 * as they crowd into a narrow band), z-score (0 when all equal) and reciprocal rank (ties share the better rank).
 */
export function normalised(vals: readonly number[], minMax: boolean): { ratio: number[]; z: number[]; rr: number[] } {
  const n = vals.length;
  if (!n) return { ratio: [], z: [], rr: [] };
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (const v of vals) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    sum += v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of vals) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  const base = minMax ? lo : Math.min(0, lo);
  const span = hi - base;
  // Plain loops into sized arrays: this runs per source on every ranked request (issue 11's 3 ms).
  const ratio = new Array<number>(n);
  const z = new Array<number>(n);
  const rr = new Array<number>(n);
  // rank = 1 + how many are strictly better. A typed array sorts numerically without a comparator
  // (several times faster than Array#sort with one).
  const sorted = Float64Array.from(vals).sort();
  for (let i = 0; i < n; i++) {
    const v = vals[i]!;
    ratio[i] = span > 0 ? (v - base) / span : 1;
    z[i] = sd > 0 ? (v - mean) / sd : 0;
    rr[i] = 1 / (1 + n - upperBound(sorted, v));
  }
  return { ratio, z, rr };
}

/** In an ascending array, the index of the first value strictly greater than v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Decides the kind of a search query from its text and what understanding found. */
export function queryKind(display: string, tokens: readonly string[], isNeed: boolean): QueryKind {
  if (/\p{Extended_Pictographic}/u.test(display) && !/[\p{L}\p{N}]/u.test(display)) return "emoji";
  if (isNeed) return "need";
  return tokens.length <= 1 ? "word" : "phrase";
}
