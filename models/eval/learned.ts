// A learned ranker over the other recommenders' scores ("learned" in `npm run eval:recs`; issue 11,
// docs/decisions/0012-learned-recs-ranker.md). Pure module: no I/O.
//
// The ranker learns from the SAME kind of lists it is asked to rank: for a cut c = 0, 1, 2, … inside the
// data it is fitted on, each person's (c+1)-th latest item is held out, the base methods (popularity,
// item-kNN, EASE, ease-recent, …) are fitted on the rows before it — every person's last c + 1 items
// removed, as leaveLastOut removes the evaluated ones — and score that item against sampled items the
// person never touched. Features are each base score z-scored and ranked within the list, plus a few
// raw ones (log popularity, history length, co-occurrence with the person's last five items,
// popularity as of the person's last rating). A gradient-boosted lambdarank model (models/rank/learn)
// is trained on those lists.
//
// Leakage: `LearnedRecommender.fit(data)` only ever sees the split's training rows, so the evaluated
// item (and, on the validation split, the dropped last one) cannot reach a training list; within the
// data, the fit that produces a list's features at cut c never contains the items at cuts ≤ c of ANY
// person (tests: models/eval/learned.test.ts). Negatives for training lists come from their own seeded
// stream (not the evaluation's seeds). Every setting (cuts, features, depth, trees, …) is chosen by
// `tuneLearned` on the validation split: trained on the lists inside the validation training data
// (absolute cuts ≥ 2) and scored on the validation candidates (cut 1).
import { Ease, ItemKnn, Popularity } from "./baselines";
import { normalise } from "./blend";
import {
  hitAndNdcg,
  itemUsers,
  mulberry32,
  sampleCandidates,
  type Interaction,
  type ItemUsersCsr,
  type RecData,
  type Recommender,
  type Split,
} from "./recs";
import { PixieRecommender, timeUnitSeconds } from "./recommenders";
import { compileModel, featureImportance, trainGbdt, trainLinear } from "../rank/learn/index";
import type { GbdtModel, GbdtParams, LinearParams, RankingModel, TrainingList } from "../rank/learn/types";

const DAY_SECONDS = 86_400;

/** The base methods whose scores become features (fresh, unfitted instances; names must be distinct). */
export type BaseFactory = () => Recommender[];

/**
 * Popularity, item-kNN, EASE (λ 500), ease-recent and Pixie with the eval's settings, plus `ease-last`
 * (the same EASE read with a steep recency: the k-th latest item weighs 1 + 50·½^(k/2)): cheap enough
 * to refit per cut (~5–20 s each on ml-latest-small). Adding ease-last and Pixie to the four EASE/kNN/
 * popularity bases was chosen on validation (decision 0012). PinSage and PinnerSage are left out: their
 * training (~1 min) would have to be repeated for every cut.
 */
export const defaultBases: BaseFactory = () => [
  new Popularity(),
  new ItemKnn(),
  new Ease(500),
  new Ease(500, 6000, { halfLife: 10, boost: 10 }),
  new Ease(500, 6000, { halfLife: 2, boost: 50 }, "ease-last"),
  new PixieRecommender({ alpha: 0.95, ratingPower: 0, halfLifeDays: 4, earlyStopPins: 0, seed: 1 }),
];

// ── Cuts inside the training data ───────────────────────────────────────────────────────────────

/**
 * Each user's distinct items in time order (equal times keep the order of `data.train`), an item placed
 * at its first row — the order leaveLastOut uses.
 */
export function orderedItems(data: RecData): number[][] {
  const rows: { item: number; t: number; line: number }[][] = Array.from({ length: data.users }, () => []);
  data.train.forEach((r, line) => rows[r.user]!.push({ item: r.item, t: r.t, line }));
  return rows.map((rs) => {
    rs.sort((a, b) => a.t - b.t || a.line - b.line);
    const seen = new Set<number>();
    const out: number[] = [];
    for (const r of rs) {
      if (seen.has(r.item)) continue;
      seen.add(r.item);
      out.push(r.item);
    }
    return out;
  });
}

export interface Cut {
  /** `data` less every user's last c + 1 distinct items (all their rows). */
  data: RecData;
  /** The held-out item per user (the (c+1)-th latest), -1 for users with fewer than c + 2 items. */
  heldOut: Int32Array;
}

/**
 * Cut c of the data: for every user, the (c+1)-th latest distinct item is held out and every row of it
 * and of the later items is removed. Users with fewer than c + 2 items hold nothing out and keep their
 * first max(1, n − c − 1) items. Cut 0 of a split's training data is the next-earlier leave-last-out.
 */
export function cutAt(data: RecData, c: number, ordered = orderedItems(data)): Cut {
  const heldOut = new Int32Array(data.users).fill(-1);
  const drop: Set<number>[] = ordered.map((items, u) => {
    const n = items.length;
    const keep = n >= c + 2 ? n - c - 1 : Math.min(n, Math.max(1, n - c - 1));
    if (n >= c + 2) heldOut[u] = items[n - c - 1]!;
    return new Set(items.slice(keep));
  });
  const train: Interaction[] = data.train.filter((r) => !drop[r.user]!.has(r.item));
  return { data: { ...data, train }, heldOut };
}

// ── Features ───────────────────────────────────────────────────────────────────────────────────

/** How many of the person's latest items the co-occurrence features look at. */
const LAST = 5;
const EXTRA_FEATURES = [
  "pop:log", // log(1 + distinct users of the item)
  "user:len", // log(1 + the person's training items)
  "last1:cos", // cosine (binary co-occurrence) with the person's latest item
  "last5:max", // highest cosine with one of the latest five
  "last5:mean", // mean cosine with the latest five
  "time:popBefore", // log(1 + ratings of the item up to the person's last training time)
  "time:pop30d", // log(1 + ratings of the item in the 30 days before it)
  "time:age", // log(1 + days since the item's first rating, as of the person's last time); −1 if none yet
] as const;

/** Feature names for the given base method names: per base `name:z`, `name:rank`, `name:raw`, then the extras. */
export function featureNames(baseNames: string[]): string[] {
  return [...baseNames.flatMap((b) => [`${b}:z`, `${b}:rank`, `${b}:raw`]), ...EXTRA_FEATURES];
}

/** Fitted base methods and the statistics the extra features read, for one training set. */
export interface FeatureContext {
  bases: Recommender[];
  names: string[];
  users: number;
  iu: ItemUsersCsr;
  ordered: number[][];
  lastTime: Float64Array;
  /** Per item: its rows' times, sorted (CSR over iu-like offsets). */
  timeOffsets: Uint32Array;
  times: Float64Array;
  day: number;
  /** Scratch: bit k set for users of the person's k-th latest item. */
  mask: Uint8Array;
  maskUser: number;
}

export async function fitContext(data: RecData, bases: BaseFactory = defaultBases, ordered = orderedItems(data)): Promise<FeatureContext> {
  const bs = bases();
  for (const b of bs) await b.fit(data);
  const lastTime = new Float64Array(data.users).fill(Number.NaN);
  for (const r of data.train) if (!(r.t <= lastTime[r.user]!)) lastTime[r.user] = r.t;
  const timeOffsets = new Uint32Array(data.items + 1);
  for (const r of data.train) timeOffsets[r.item + 1]!++;
  for (let i = 0; i < data.items; i++) timeOffsets[i + 1]! += timeOffsets[i]!;
  const fill = timeOffsets.slice(0, data.items);
  const times = new Float64Array(data.train.length);
  for (const r of data.train) times[fill[r.item]!++] = r.t;
  for (let i = 0; i < data.items; i++) times.subarray(timeOffsets[i]!, timeOffsets[i + 1]!).sort();
  return {
    bases: bs,
    names: featureNames(bs.map((b) => b.name)),
    users: data.users,
    iu: itemUsers(data),
    ordered,
    lastTime,
    timeOffsets,
    times,
    day: DAY_SECONDS / timeUnitSeconds(data),
    mask: new Uint8Array(data.users),
    maskUser: -1,
  };
}

/** Number of values ≤ t in the sorted slice a[lo, hi). */
function countUpTo(a: Float64Array, lo: number, hi: number, t: number): number {
  let l = lo;
  let h = hi;
  while (l < h) {
    const m = (l + h) >> 1;
    if (a[m]! <= t) l = m + 1;
    else h = m;
  }
  return l - lo;
}

/** The full feature rows (ctx.names order) of `items` for `user`. Pure given the fitted context. */
export function listFeatures(ctx: FeatureContext, user: number, items: Uint32Array): number[][] {
  const n = items.length;
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (const b of ctx.bases) {
    const raw = b.score(user, items);
    const z = normalise(raw, "z");
    const rk = normalise(raw, "rank");
    const log = b.name === "popularity" || b.name === "item-knn";
    for (let k = 0; k < n; k++) rows[k]!.push(z[k]!, rk[k]!, log ? Math.log1p(Math.max(0, raw[k]!)) : raw[k]!);
  }
  const { offsets, users } = ctx.iu;
  const hist = ctx.ordered[user] ?? [];
  const last = hist.slice(-LAST).reverse(); // 0 = latest
  if (ctx.maskUser !== user) {
    ctx.mask.fill(0);
    last.forEach((j, k) => {
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) ctx.mask[users[p]!]! |= 1 << k;
    });
    ctx.maskUser = user;
  }
  const deg = (i: number) => offsets[i + 1]! - offsets[i]!;
  const tLast = ctx.lastTime[user]!;
  const co = new Float64Array(LAST);
  for (let k = 0; k < n; k++) {
    const i = items[k]!;
    const di = deg(i);
    co.fill(0);
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const m = ctx.mask[users[p]!]!;
      if (m) for (let b = 0; b < last.length; b++) if (m & (1 << b)) co[b]!++;
    }
    let max = 0;
    let sum = 0;
    const cos = last.map((j, b) => (di && deg(j) ? co[b]! / Math.sqrt(di * deg(j)) : 0));
    for (const c of cos) {
      max = Math.max(max, c);
      sum += c;
    }
    const lo = ctx.timeOffsets[i]!;
    const hi = ctx.timeOffsets[i + 1]!;
    const before = Number.isNaN(tLast) ? 0 : countUpTo(ctx.times, lo, hi, tLast);
    const before30 = Number.isNaN(tLast) ? 0 : countUpTo(ctx.times, lo, hi, tLast - 30 * ctx.day);
    const age = before > 0 ? Math.log1p(Math.max(0, tLast - ctx.times[lo]!) / ctx.day) : -1;
    rows[k]!.push(
      Math.log1p(di),
      Math.log1p(hist.length),
      cos[0] ?? 0,
      max,
      cos.length ? sum / cos.length : 0,
      Math.log1p(before),
      Math.log1p(before - before30),
      age,
    );
  }
  return rows;
}

// ── Training lists ─────────────────────────────────────────────────────────────────────────────

export interface ListOptions {
  /** Cuts 0 .. cuts − 1 inside the data (one list per person and cut). */
  cuts: number;
  /** Negatives per list (as the evaluation: 99). Features are always computed over the full list. */
  negatives?: number;
  /** Negatives kept in the training list after the features are computed (a random subset); default all. */
  keepNegatives?: number;
  /** Seed of the training lists' negative sampling (never an evaluation seed). Default 7_000_001. */
  seed?: number;
  bases?: BaseFactory;
  progress?: (m: string) => void;
}

export interface BuiltList extends TrainingList {
  cut: number;
  user: number;
  /** The candidates, held-out item first. */
  items: Uint32Array;
}

export interface BuiltLists {
  featureNames: string[];
  lists: BuiltList[];
}

/**
 * One training list per person and cut: the item held out at that cut (label 1) and `negatives` items
 * the person never touched anywhere in `data` (label 0), scored by base methods fitted on cut c's data.
 */
export async function buildTrainingLists(data: RecData, o: ListOptions): Promise<BuiltLists> {
  const ordered = orderedItems(data);
  const known = ordered.map((items) => new Set(items));
  const negatives = o.negatives ?? 99;
  const lists: BuiltList[] = [];
  let names: string[] = [];
  for (let c = 0; c < o.cuts; c++) {
    const t0 = performance.now();
    const cut = cutAt(data, c, ordered);
    const ctx = await fitContext(cut.data, o.bases ?? defaultBases);
    names = ctx.names;
    // The evaluation's sampler, over a split whose "touched" is everything the person has in `data`.
    const split: Split = { data: cut.data, heldOut: cut.heldOut, touched: known };
    const cands = sampleCandidates(split, (o.seed ?? 7_000_001) + 7919 * c, negatives);
    const keepRand = mulberry32((o.seed ?? 7_000_001) * 31 + c);
    let made = 0;
    cands.forEach((items, u) => {
      if (!items) return;
      const x = listFeatures(ctx, u, items);
      let idx = Array.from({ length: items.length }, (_, k) => k);
      if (o.keepNegatives !== undefined && o.keepNegatives < items.length - 1) {
        const neg = idx.slice(1);
        for (let k = 0; k < o.keepNegatives; k++) {
          const j = k + Math.floor(keepRand() * (neg.length - k));
          [neg[k], neg[j]] = [neg[j]!, neg[k]!];
        }
        idx = [0, ...neg.slice(0, o.keepNegatives)];
      }
      lists.push({
        cut: c,
        user: u,
        items: Uint32Array.from(idx, (k) => items[k]!),
        x: idx.map((k) => x[k]!),
        y: idx.map((k) => (k === 0 ? 1 : 0)),
      });
      made++;
    });
    o.progress?.(`learned: cut ${c} — ${made} lists (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return { featureNames: names, lists };
}

// ── The model ──────────────────────────────────────────────────────────────────────────────────

export type ModelSpec = { kind: "gbdt"; params: Omit<GbdtParams, "valid" | "onTree"> } | { kind: "linear"; params: LinearParams };

export interface LearnedSettings {
  /** Training cuts inside the fitted data (cut 0 = the next-earlier item). */
  cuts: number;
  /** Feature names to use (a subset of featureNames(bases)); default all. */
  features?: string[];
  model: ModelSpec;
}

/** Columns of `all` named in `wanted` (all when undefined). */
function columns(all: string[], wanted?: string[]): number[] {
  if (!wanted) return all.map((_, j) => j);
  return wanted.map((w) => {
    const j = all.indexOf(w);
    if (j < 0) throw new Error(`unknown feature "${w}" (have ${all.join(", ")})`);
    return j;
  });
}

function pick(list: TrainingList, cols: number[]): TrainingList {
  return { x: list.x.map((r) => cols.map((j) => r[j]!)), y: list.y, ...(list.weight !== undefined ? { weight: list.weight } : {}) };
}

export function trainModel(lists: TrainingList[], names: string[], spec: ModelSpec, valid?: TrainingList[]): RankingModel {
  if (spec.kind === "linear") return trainLinear(lists, names, spec.params);
  return trainGbdt(lists, names, { ...spec.params, ...(valid ? { valid } : {}) });
}

export interface LearnedOptions extends LearnedSettings {
  name?: string;
  negatives?: number;
  keepNegatives?: number;
  seed?: number;
  bases?: BaseFactory;
  progress?: (m: string) => void;
}

/**
 * The learned ranker as a Recommender: `fit(data)` builds training lists from cuts inside `data`,
 * trains the model, and fits the base methods on all of `data` to score the evaluated candidates.
 */
export class LearnedRecommender implements Recommender {
  readonly name: string;
  model: RankingModel | null = null;
  private ctx: FeatureContext | null = null;
  private cols: number[] = [];
  private f: ((x: ArrayLike<number>) => number) | null = null;
  /** Lists the last fit trained on (for inspection and tests). */
  trainedOn: BuiltList[] = [];
  constructor(private readonly o: LearnedOptions) {
    this.name = o.name ?? "learned";
  }
  async fit(data: RecData): Promise<void> {
    const built = await buildTrainingLists(data, {
      cuts: this.o.cuts,
      negatives: this.o.negatives,
      keepNegatives: this.o.keepNegatives,
      seed: this.o.seed,
      bases: this.o.bases,
      progress: this.o.progress,
    });
    this.ctx = await fitContext(data, this.o.bases ?? defaultBases);
    this.cols = columns(this.ctx.names, this.o.features);
    this.trainedOn = built.lists;
    if (!built.lists.length) {
      // Too few interactions per person for any training list: fall back to the sum of the base z-scores.
      this.model = null;
      this.f = null;
      this.o.progress?.("learned: no training lists (too few interactions per person); scoring by the sum of the base z-scores");
      return;
    }
    const names = this.cols.map((j) => built.featureNames[j]!);
    const t0 = performance.now();
    this.model = trainModel(
      built.lists.map((l) => pick(l, this.cols)),
      names,
      this.o.model,
    );
    this.o.progress?.(`learned: trained on ${built.lists.length} lists in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    this.f = compileModel(this.model);
  }
  score(user: number, items: Uint32Array): Float64Array {
    const x = listFeatures(this.ctx!, user, items);
    if (!this.f) {
      const zs = this.ctx!.names.flatMap((nm, j) => (nm.endsWith(":z") ? [j] : []));
      return Float64Array.from(x, (r) => zs.reduce((a, j) => a + r[j]!, 0));
    }
    const row = new Float64Array(this.cols.length);
    return Float64Array.from(x, (r) => {
      this.cols.forEach((j, k) => (row[k] = r[j]!));
      return this.f!(row);
    });
  }
  /** Each feature's share of the trees' total split gain (GBDT only). */
  importance(): Record<string, number> | null {
    if (this.model?.kind !== "gbdt") return null;
    const gain = featureImportance(this.model as GbdtModel);
    const total = Object.values(gain).reduce((a, b) => a + b, 0) || 1;
    return Object.fromEntries(Object.entries(gain).map(([k, v]) => [k, v / total]));
  }
}

// ── Choosing the settings on the validation split ──────────────────────────────────────────────

export interface TrialResult {
  settings: LearnedSettings;
  label: string;
  "hr@10": number;
  "ndcg@10": number;
  perSeed: { seed: number; "hr@10": number; "ndcg@10": number }[];
  /** People evaluated (per seed). */
  users: number;
  /** Trees kept (early stopping on the validation lists), for gbdt. */
  trees?: number;
  seconds: number;
}

export interface TuneResult {
  best: TrialResult;
  trials: TrialResult[];
}

/**
 * Every candidate setting trained on the lists inside the validation split's training data (cuts
 * 0 .. cuts − 1 of it) and scored on the validation candidates (the split's held-out item against the
 * given seeds' negatives, features from base methods fitted on the whole validation training data).
 * GBDT trials early-stop on those validation lists (their `trees` is the count kept). The best by
 * HR@10 + NDCG@10 wins. Lists are built once for the largest number of cuts.
 */
export async function tuneLearned(
  val: Split,
  seeds: number[],
  trials: { label: string; settings: LearnedSettings }[],
  o: { negatives?: number; keepNegatives?: number; seed?: number; bases?: BaseFactory; progress?: (m: string) => void } = {},
): Promise<TuneResult | null> {
  const maxCuts = Math.max(...trials.map((t) => t.settings.cuts));
  const built = await buildTrainingLists(val.data, {
    cuts: maxCuts,
    negatives: o.negatives,
    keepNegatives: o.keepNegatives,
    seed: o.seed,
    bases: o.bases,
    progress: o.progress,
  });
  const ctx = await fitContext(val.data, o.bases ?? defaultBases);
  const evalLists: TrainingList[] = [];
  const seedOf: number[] = [];
  seeds.forEach((s, si) => {
    sampleCandidates(val, s).forEach((items, u) => {
      if (!items) return;
      evalLists.push({ x: listFeatures(ctx, u, items), y: Array.from(items, (_, k) => (k === 0 ? 1 : 0)) });
      seedOf.push(si);
    });
  });
  const results: TrialResult[] = [];
  for (const t of trials) {
    const t0 = performance.now();
    const cols = columns(built.featureNames, t.settings.features);
    const names = cols.map((j) => built.featureNames[j]!);
    const train = built.lists.filter((l) => l.cut < t.settings.cuts).map((l) => pick(l, cols));
    if (!train.length || !evalLists.length) {
      o.progress?.(`learned trial ${t.label}: no training or validation lists (too few interactions per person), skipped`);
      continue;
    }
    const valid = evalLists.map((l) => pick(l, cols));
    const model = trainModel(
      train,
      names,
      t.settings.model,
      t.settings.model.kind === "gbdt" && t.settings.model.params.earlyStoppingRounds ? valid : undefined,
    );
    const f = compileModel(model);
    const sums = seeds.map(() => ({ hr: 0, ndcg: 0, n: 0 }));
    valid.forEach((l, k) => {
      const m = hitAndNdcg(Float64Array.from(l.x, (r) => f(r)));
      const acc = sums[seedOf[k]!]!;
      acc.hr += m.hr;
      acc.ndcg += m.ndcg;
      acc.n++;
    });
    const perSeed = seeds.map((seed, si) => ({
      seed,
      "hr@10": sums[si]!.hr / Math.max(1, sums[si]!.n),
      "ndcg@10": sums[si]!.ndcg / Math.max(1, sums[si]!.n),
    }));
    const mean = (key: "hr@10" | "ndcg@10") => perSeed.reduce((a, p) => a + p[key], 0) / perSeed.length;
    const r: TrialResult = {
      settings: t.settings,
      label: t.label,
      "hr@10": mean("hr@10"),
      "ndcg@10": mean("ndcg@10"),
      perSeed,
      users: sums[0]!.n,
      ...(model.kind === "gbdt" ? { trees: model.trees.length } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
    results.push(r);
    o.progress?.(
      `learned trial ${t.label}: validation HR@10 ${r["hr@10"].toFixed(4)} NDCG@10 ${r["ndcg@10"].toFixed(4)}${r.trees !== undefined ? `, ${r.trees} trees` : ""} (${r.seconds.toFixed(1)} s)`,
    );
  }
  if (!results.length) return null;
  const best = results.reduce((a, b) => (b["hr@10"] + b["ndcg@10"] > a["hr@10"] + a["ndcg@10"] + 1e-12 ? b : a));
  return { best, trials: results };
}

/** The chosen trial as fixed settings: a GBDT keeps the number of trees early stopping kept on validation. */
export function finalSettings(t: TrialResult): LearnedSettings {
  const s = t.settings;
  if (s.model.kind !== "gbdt" || t.trees === undefined) return s;
  const { earlyStoppingRounds: _drop, ...params } = s.model.params;
  return { ...s, model: { kind: "gbdt", params: { ...params, trees: Math.max(1, t.trees) } } };
}

const lambdarank = (depth: number, minLeaf: number, extra: Partial<GbdtParams> = {}): ModelSpec => ({
  kind: "gbdt",
  params: { objective: "lambdarank", trees: 600, depth, learningRate: 0.05, minLeaf, seed: 1, earlyStoppingRounds: 60, ...extra },
});

/**
 * The settings `npm run eval:recs` tries on the validation split (a short list: the wider search that
 * led to it is in docs/decisions/0012-learned-recs-ranker.md).
 */
export const LEARNED_TRIALS: { label: string; settings: LearnedSettings }[] = [
  { label: "cuts 6, depth 4, min leaf 50", settings: { cuts: 6, model: lambdarank(4, 50) } },
  { label: "cuts 6, depth 4, min leaf 200", settings: { cuts: 6, model: lambdarank(4, 200) } },
  { label: "cuts 10, depth 4, min leaf 50", settings: { cuts: 10, model: lambdarank(4, 50) } },
  { label: "cuts 10, depth 4, min leaf 200", settings: { cuts: 10, model: lambdarank(4, 200) } },
];
