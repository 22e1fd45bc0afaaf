// Offline evaluation of recommenders with the leave-last-out protocol (HR@10, NDCG@10).
// Pure module: parsing, splitting, negative sampling, metrics and the evaluation loop. No I/O beyond
// the text handed in, no app/ or db/ imports.
//
// Protocol (the one in the NCF / EASE literature, and the project's design doc):
// - every user's interactions are ordered by timestamp; equal timestamps keep the order of the file's
//   lines, so the held-out interaction is the user's LAST line among those with the latest timestamp;
// - that interaction is held out (test); everything before it is training data;
// - the held-out item is ranked against 99 items the user never touched (in any line of the file,
//   held-out included), drawn uniformly without replacement with a seeded PRNG;
// - HR@10 = 1 when the held-out item ranks in the top 10 of those 100, NDCG@10 = 1/log2(rank + 1)
//   for a 1-based rank ≤ 10, else 0. Score ties are broken at random, and we take the exact
//   expectation over that tie-break instead of drawing one (a method that gives the held-out item
//   and 40 negatives the same score is not credited with rank 1).
// - A validation split holds out each user's second-to-last interaction instead (training = all but
//   the last two), so blend weights are tuned without looking at the test item.

/** One interaction in dense indices. `t` is a timestamp (any monotone number), `weight` > 0. */
export interface Interaction {
  user: number;
  item: number;
  t: number;
  weight: number;
}

/** What a recommender is fitted on: dense users 0..users-1, items 0..items-1, and the training rows. */
export interface RecData {
  users: number;
  items: number;
  train: Interaction[];
  /** Optional per-item interest/tag indices (genres, tags…), into `tagNames`. */
  itemTags?: number[][];
  tagNames?: string[];
  /** Optional per-item text for content embeddings (title + genres + tags…). */
  itemText?: string[];
  /** Original ids, for messages and caches. */
  userIds?: string[];
  itemIds?: string[];
}

export interface Recommender {
  name: string;
  fit(data: RecData): void | Promise<void>;
  /** Scores for `items` (higher = better) for `user`; must not depend on the order of `items`. */
  score(user: number, items: Uint32Array): Float64Array;
}

/** A parsed ratings/engagement file: every row, in file order, with dense ids. */
export interface RatingsFile {
  userIds: string[];
  itemIds: string[];
  rows: Interaction[];
  /** Rows dropped as non-engagement (hide, impression): they still count as "touched" for sampling. */
  touchedOnly: { user: number; item: number }[];
  /** Lines that could not be read. */
  errors: string[];
  format: "movielens" | "engagement";
}

/** How the design's `action` column weighs an interaction; 0 = touched but not a positive. */
export const ACTION_WEIGHTS: Readonly<Record<string, number>> = {
  impression: 0,
  hide: 0,
  click: 1,
  view: 1,
  closeup: 2,
  "close-up": 2,
  readaloud: 2,
  practice: 2,
  save: 3,
};

const USER_COLS = ["user", "userid", "user_id"];
const ITEM_COLS = ["item", "itemid", "item_id", "movieid", "movie_id", "pin", "pinid", "pin_id"];
const TIME_COLS = ["timestamp", "time", "ts", "t"];

/**
 * Reads a ratings CSV: MovieLens (`userId,movieId,rating,timestamp`) or the design's engagement format
 * (`user,item,timestamp[,action]`); header names are matched case-insensitively, extra columns are
 * ignored. A `rating` column becomes the weight (every rating counts as an interaction, low ones too);
 * an `action` column is weighed by {@link ACTION_WEIGHTS} (unknown actions weigh 1). Timestamps may be
 * numbers or ISO dates. Ids are re-indexed densely in order of first appearance.
 */
export function parseRatings(text: string): RatingsFile {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "")
    .replace(/^\uFEFF/, "")
    .split(",")
    .map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const ui = col(USER_COLS);
  const ii = col(ITEM_COLS);
  const ti = col(TIME_COLS);
  const ri = col(["rating", "score", "value"]);
  const ai = col(["action", "event"]);
  if (ui < 0 || ii < 0 || ti < 0) {
    throw new Error(`ratings header must name user, item and timestamp columns (got "${lines[0] ?? ""}")`);
  }
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const out: RatingsFile = {
    userIds: [],
    itemIds: [],
    rows: [],
    touchedOnly: [],
    errors: [],
    format: ri >= 0 ? "movielens" : "engagement",
  };
  const dense = (map: Map<string, number>, ids: string[], id: string) => {
    let k = map.get(id);
    if (k === undefined) {
      k = ids.length;
      map.set(id, k);
      ids.push(id);
    }
    return k;
  };
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!line.trim()) continue;
    const f = line.split(",");
    const user = f[ui]?.trim();
    const item = f[ii]?.trim();
    const tRaw = f[ti]?.trim() ?? "";
    if (!user || !item) {
      out.errors.push(`line ${n + 1}: missing user or item`);
      continue;
    }
    let t = Number(tRaw);
    if (!Number.isFinite(t) || tRaw === "") t = Date.parse(tRaw);
    if (!Number.isFinite(t)) {
      out.errors.push(`line ${n + 1}: bad timestamp "${tRaw}"`);
      continue;
    }
    let weight = 1;
    if (ri >= 0) {
      const r = Number(f[ri]);
      weight = Number.isFinite(r) && r > 0 ? r : 1;
    } else if (ai >= 0) {
      const a = (f[ai] ?? "").trim().toLowerCase();
      weight = a in ACTION_WEIGHTS ? ACTION_WEIGHTS[a]! : 1;
    }
    const u = dense(userIndex, out.userIds, user);
    const i = dense(itemIndex, out.itemIds, item);
    if (weight > 0) out.rows.push({ user: u, item: i, t, weight });
    else out.touchedOnly.push({ user: u, item: i });
  }
  return out;
}

/** A train/held-out split of a ratings file. */
export interface Split {
  data: RecData;
  /** Held-out item per user, or -1 when the user has too few interactions to hold one out. */
  heldOut: Int32Array;
  /** Items each user touched anywhere in the file (never sampled as negatives). */
  touched: Set<number>[];
}

/**
 * Leave-last-out: each user's latest interaction (ties: the later line) is held out, the rest is
 * training. `skip` = 1 gives the validation split: the last interaction is dropped entirely and the
 * second-to-last is held out. Several rows for the same (user, item) — repeated clicks in an
 * engagement log — are first merged into one interaction at the time of the FIRST of them, weighing
 * the most of them, so the held-out item is always one the user had not met before. Users with fewer
 * than skip + 2 distinct items hold nothing out (heldOut = -1) and keep all but the skipped rows.
 */
export function leaveLastOut(file: RatingsFile, skip = 0, extra: Partial<RecData> = {}): Split {
  const users = file.userIds.length;
  const byUser: Map<number, { item: number; t: number; weight: number; line: number }>[] = Array.from({ length: users }, () => new Map());
  file.rows.forEach((r, line) => {
    const m = byUser[r.user]!;
    const prev = m.get(r.item);
    if (!prev) m.set(r.item, { item: r.item, t: r.t, weight: r.weight, line });
    else {
      if (r.t < prev.t) prev.t = r.t;
      prev.weight = Math.max(prev.weight, r.weight);
    }
  });
  const heldOut = new Int32Array(users).fill(-1);
  const train: Interaction[] = [];
  const touched: Set<number>[] = Array.from({ length: users }, () => new Set<number>());
  for (const r of file.touchedOnly) touched[r.user]!.add(r.item);
  for (let u = 0; u < users; u++) {
    // Order by time, the file's line order breaking ties.
    const rs = [...byUser[u]!.values()].sort((a, b) => a.t - b.t || a.line - b.line);
    for (const r of rs) touched[u]!.add(r.item);
    let keep = rs;
    if (rs.length >= skip + 2) {
      keep = rs.slice(0, rs.length - skip - 1);
      heldOut[u] = rs[rs.length - skip - 1]!.item;
    } else if (skip > 0) {
      keep = rs.slice(0, Math.max(1, rs.length - skip));
    }
    for (const r of keep) train.push({ user: u, item: r.item, t: r.t, weight: r.weight });
  }
  return {
    data: { users, items: file.itemIds.length, train, userIds: file.userIds, itemIds: file.itemIds, ...extra },
    heldOut,
    touched,
  };
}

import { mulberry32 } from "../random";
export { mulberry32 };

/**
 * For every user with a held-out item: the candidate list [heldOut, neg1..neg_n] where the negatives
 * are `n` distinct items the user never touched, uniformly drawn with a PRNG seeded by `seed`
 * (fewer when the catalogue has fewer untouched items). Users without a held-out item get null.
 */
export function sampleCandidates(split: Split, seed: number, n = 99): (Uint32Array | null)[] {
  const rand = mulberry32(seed * 0x9e3779b1 + 17);
  const items = split.data.items;
  return Array.from(split.heldOut, (held, u) => {
    if (held < 0) return null;
    const touched = split.touched[u]!;
    const available = items - touched.size;
    const want = Math.min(n, Math.max(0, available));
    const picked = new Set<number>();
    if (want > 0 && want > available / 2) {
      // Dense case (tiny catalogues): shuffle the untouched list instead of rejection sampling.
      const pool: number[] = [];
      for (let i = 0; i < items; i++) if (!touched.has(i)) pool.push(i);
      for (let k = 0; k < want; k++) {
        const j = k + Math.floor(rand() * (pool.length - k));
        [pool[k], pool[j]] = [pool[j]!, pool[k]!];
        picked.add(pool[k]!);
      }
    } else {
      while (picked.size < want) {
        const i = Math.floor(rand() * items);
        if (!touched.has(i)) picked.add(i);
      }
    }
    const out = new Uint32Array(want + 1);
    out[0] = held;
    let k = 1;
    for (const i of picked) out[k++] = i;
    return out;
  });
}

/**
 * HR@k and NDCG@k of the held-out item (index 0 of `scores`) among all the scores, with ties broken
 * uniformly at random and the exact expectation taken over that tie-break.
 */
export function hitAndNdcg(scores: Float64Array, k = 10): { hr: number; ndcg: number; rank: number } {
  const s0 = scores[0]!;
  let greater = 0;
  let equal = 0;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i]!;
    // NaN scores count as the worst possible: never above the held-out item.
    if (s > s0 || (Number.isNaN(s0) && !Number.isNaN(s))) greater++;
    else if (s === s0 || (Number.isNaN(s) && Number.isNaN(s0))) equal++;
  }
  let hr = 0;
  let ndcg = 0;
  // 0-based position p is uniform over greater .. greater + equal.
  for (let p = greater; p <= greater + equal && p < k; p++) {
    hr += 1;
    ndcg += 1 / Math.log2(p + 2);
  }
  return { hr: hr / (equal + 1), ndcg: ndcg / (equal + 1), rank: greater + equal / 2 + 1 };
}

export interface MethodResult {
  "hr@10": number;
  "ndcg@10": number;
  /** Per-seed means, in the order of `seeds`. */
  perSeed: { seed: number; "hr@10": number; "ndcg@10": number }[];
  users: number;
  fitMs: number;
  scoreMs: number;
  /** With `keepScores`: scores[seed][user] = the scores of that user's candidates (null = not evaluated). */
  scores?: (Float64Array | null)[][];
}

export interface EvaluateOptions {
  negatives?: number;
  k?: number;
  /** Called with progress messages (fit start/end, users scored). */
  progress?: (message: string) => void;
  /** Already-sampled candidate lists per seed (so several calls share them). */
  candidates?: (Uint32Array | null)[][];
  /** Keep every score array in the results (for blending). */
  keepScores?: boolean;
}

/**
 * Fits every recommender on the split's training data, scores each evaluated user's candidates for
 * every seed, and returns HR@k / NDCG@k means over users, averaged over seeds. Users without a
 * held-out item are left out. Recommenders are fitted and scored one after another, so a method's
 * `score` can keep a one-user cache.
 */
export async function evaluate(
  recommenders: Recommender[],
  split: Split,
  seeds: number[],
  opts: EvaluateOptions = {},
): Promise<Record<string, MethodResult>> {
  const k = opts.k ?? 10;
  const candidates = opts.candidates ?? seeds.map((s) => sampleCandidates(split, s, opts.negatives ?? 99));
  const results: Record<string, MethodResult> = {};
  for (const rec of recommenders) {
    const t0 = performance.now();
    opts.progress?.(`fitting ${rec.name}…`);
    await rec.fit(split.data);
    const fitMs = performance.now() - t0;
    const t1 = performance.now();
    const sums = seeds.map(() => ({ hr: 0, ndcg: 0 }));
    const kept: (Float64Array | null)[][] | undefined = opts.keepScores
      ? seeds.map(() => new Array<Float64Array | null>(split.data.users).fill(null))
      : undefined;
    let users = 0;
    for (let u = 0; u < split.data.users; u++) {
      if (!candidates[0]?.[u]) continue;
      users++;
      for (let s = 0; s < seeds.length; s++) {
        const cand = candidates[s]![u]!;
        const scores = rec.score(u, cand);
        if (kept) kept[s]![u] = scores;
        const m = hitAndNdcg(scores, k);
        sums[s]!.hr += m.hr;
        sums[s]!.ndcg += m.ndcg;
      }
      if (users % 100 === 0) opts.progress?.(`${rec.name}: ${users} users scored`);
    }
    const perSeed = seeds.map((seed, s) => ({
      seed,
      "hr@10": users ? sums[s]!.hr / users : 0,
      "ndcg@10": users ? sums[s]!.ndcg / users : 0,
    }));
    const mean = (key: "hr@10" | "ndcg@10") => perSeed.reduce((a, p) => a + p[key], 0) / Math.max(1, perSeed.length);
    results[rec.name] = {
      "hr@10": mean("hr@10"),
      "ndcg@10": mean("ndcg@10"),
      perSeed,
      users,
      fitMs,
      scoreMs: performance.now() - t1,
      ...(kept ? { scores: kept } : {}),
    };
    opts.progress?.(`${rec.name}: HR@10 ${results[rec.name]!["hr@10"].toFixed(3)} NDCG@10 ${results[rec.name]!["ndcg@10"].toFixed(3)}`);
  }
  return results;
}

/** Per-user training lists (items in time order, with weights and timestamps), built once per fit. */
export interface UserHistory {
  items: Uint32Array;
  weights: Float64Array;
  times: Float64Array;
}

export function userHistories(data: RecData): UserHistory[] {
  const rows: Interaction[][] = Array.from({ length: data.users }, () => []);
  for (const r of data.train) rows[r.user]!.push(r);
  return rows.map((rs) => {
    rs.sort((a, b) => a.t - b.t);
    return {
      items: Uint32Array.from(rs, (r) => r.item),
      weights: Float64Array.from(rs, (r) => r.weight),
      times: Float64Array.from(rs, (r) => r.t),
    };
  });
}

export interface ItemUsersCsr {
  offsets: Uint32Array;
  users: Uint32Array;
}
export interface UserItemsCsr {
  offsets: Uint32Array;
  items: Uint32Array;
}

/** Users of each item (distinct), as CSR: offsets (items + 1) and user indices. */
export function itemUsers(data: RecData): ItemUsersCsr {
  return transpose(data, "item");
}

/** Items of each user (distinct), as CSR. */
export function userItems(data: RecData): UserItemsCsr {
  const t = transpose(data, "user");
  return { offsets: t.offsets, items: t.users };
}

function transpose(data: RecData, by: "item" | "user"): ItemUsersCsr {
  const n = by === "item" ? data.items : data.users;
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (const r of data.train) {
    const key = r.user * data.items + r.item;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(by === "item" ? [r.item, r.user] : [r.user, r.item]);
  }
  const offsets = new Uint32Array(n + 1);
  for (const [a] of pairs) offsets[a + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const out = new Uint32Array(pairs.length);
  for (const [a, b] of pairs) out[fill[a]!++] = b;
  return { offsets, users: out };
}

/** Training-interaction counts per item (distinct users). */
export function itemPopularity(data: RecData): Float64Array {
  const { offsets } = itemUsers(data);
  const pop = new Float64Array(data.items);
  for (let i = 0; i < data.items; i++) pop[i] = offsets[i + 1]! - offsets[i]!;
  return pop;
}

export interface PairedDifference {
  /** a − b per negative-sampling seed (the same users and candidates for both). */
  perSeed: { seed: number; "hr@10": number; "ndcg@10": number }[];
  /** Mean of the per-seed differences (= difference of the means). */
  mean: { "hr@10": number; "ndcg@10": number };
  /**
   * With kept scores: the per-user differences (each user's metric averaged over seeds), their mean and
   * standard error sd/√n — the spread that matters when judging a small win, since the seeds only
   * resample negatives for the same people.
   */
  perUser?: { users: number; "hr@10": { mean: number; se: number }; "ndcg@10": { mean: number; se: number } };
}

/** Method a minus method b, paired by seed (and by user when both kept their scores). */
export function pairedDifference(a: MethodResult, b: MethodResult, k = 10): PairedDifference {
  const perSeed = a.perSeed.map((p, s) => ({
    seed: p.seed,
    "hr@10": p["hr@10"] - b.perSeed[s]!["hr@10"],
    "ndcg@10": p["ndcg@10"] - b.perSeed[s]!["ndcg@10"],
  }));
  const avg = (key: "hr@10" | "ndcg@10") => perSeed.reduce((x, p) => x + p[key], 0) / Math.max(1, perSeed.length);
  const out: PairedDifference = { perSeed, mean: { "hr@10": avg("hr@10"), "ndcg@10": avg("ndcg@10") } };
  if (a.scores && b.scores) {
    const dh: number[] = [];
    const dn: number[] = [];
    const users = a.scores[0]?.length ?? 0;
    for (let u = 0; u < users; u++) {
      let h = 0;
      let n = 0;
      let seen = 0;
      for (let s = 0; s < a.scores.length; s++) {
        const sa = a.scores[s]![u];
        const sb = b.scores[s]?.[u];
        if (!sa || !sb) continue;
        const ma = hitAndNdcg(sa, k);
        const mb = hitAndNdcg(sb, k);
        h += ma.hr - mb.hr;
        n += ma.ndcg - mb.ndcg;
        seen++;
      }
      if (seen) {
        dh.push(h / seen);
        dn.push(n / seen);
      }
    }
    const stat = (xs: number[]) => {
      const m = xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
      const v = xs.length > 1 ? xs.reduce((x, y) => x + (y - m) ** 2, 0) / (xs.length - 1) : 0;
      return { mean: m, se: Math.sqrt(v / Math.max(1, xs.length)) };
    };
    out.perUser = { users: dh.length, "hr@10": stat(dh), "ndcg@10": stat(dn) };
  }
  return out;
}
