// The learned ranker: one multi-task model over the shared features (./features.ts) that predicts, for
// a card in a served list, the probability of a click (or anything more), of a close-up (or a save)
// and of a save, and of a hide; the heads' calibrated probabilities are combined into one value by
// VALUE_WEIGHTS. Pure: logged lists in, a plain-JSON bundle out; the services store and serve it.
//
// Position bias: the logged position is a feature during training only (serving sets it to 0, the
// top), so a head learns p(event | card, position) and ranks by what a card would earn at the top.
import {
  compileBatch,
  compileModel,
  expectedCalibrationError,
  fitPlatt,
  ndcgAt,
  sigmoid,
  trainGbdt,
  trainLinear,
  type RankingModel,
  type TrainingList,
} from "./learn/index";
import { FEATURE_NAMES, FEATURE_SET, POSITION_FEATURE } from "./features";

export const HEADS = ["click", "closeup", "save", "hide"] as const;
export type Head = (typeof HEADS)[number];

/** How much each outcome is worth: save > close-up > click; a hide is a loss. The one place these live. */
export const VALUE_WEIGHTS: Readonly<Record<Head, number>> = { click: 1, closeup: 2, save: 3, hide: -4 };

/** Engagement actions, as logged, that count toward each head (an action implies the lesser ones). */
export const HEAD_ACTIONS: Readonly<Record<Head, readonly string[]>> = {
  click: ["click", "closeup", "save", "readaloud", "practice"],
  closeup: ["closeup", "save", "readaloud", "practice"],
  save: ["save"],
  hide: ["hide"],
};

/** One served card as the log keeps it: where it was, the features it was ranked by, what followed. */
export type LoggedItem = { pinId: number; position: number; features: number[]; actions: ReadonlySet<string>; propensity?: number | null };
export type LoggedList = { requestId: string; surface: string; at: number; query: string | null; items: LoggedItem[] };

export type HeadModel = { model: RankingModel; platt: { a: number; b: number }; positives: number; ece: number | null };

export type RankerBundle = {
  format: "tablero-ranker@1";
  version: string;
  family: Family;
  createdAt: string;
  featureSet: string;
  featureNames: string[];
  valueWeights: Record<Head, number>;
  trainedOn: { from: string | null; to: string | null; lists: number; items: number; events: Record<Head, number>; source: string };
  /** Features the model was not allowed to use (missing in training, masked when served). */
  ignored: string[];
  /** The heads of the model, or of a bag's first member. */
  heads: Partial<Record<Head, HeadModel>>;
  /**
   * A bag's other members (same data and options, seeds seed+1, seed+2, …); the bundle's value is the
   * mean of its members' values. Trees grown on subsampled rows and features change with the seed, and
   * one seed's model can carry to another collection much better or worse than the next: the mean is steadier.
   */
  bag?: Partial<Record<Head, HeadModel>>[];
  validation: ValidationReport;
};

export type ValidationReport = {
  lists: number;
  /** NDCG@10 of the bundle's value against the graded outcome (save 3, close-up 2, click 1) on validation lists with an outcome. */
  ndcg10: number;
  /** The same for today's hand fusion (the `fusion.ratio` feature): the bar a model must clear. */
  fusionNdcg10: number;
  ece: Partial<Record<Head, number>>;
  how: string;
};

export type Family = "gbdt" | "linear";

export function labelsOf(item: LoggedItem): Record<Head, 0 | 1> {
  const has = (h: Head) => (HEAD_ACTIONS[h].some((a) => item.actions.has(a)) ? 1 : 0);
  return { click: has("click"), closeup: has("closeup"), save: has("save"), hide: has("hide") };
}

/** Graded outcome for NDCG: save 3, close-up 2, click 1, nothing (or a hide) 0. */
export function gradeOf(item: LoggedItem): number {
  const l = labelsOf(item);
  return l.save ? 3 : l.closeup ? 2 : l.click ? 1 : 0;
}

/** The training row of a logged item: its served features with the position it was shown at, ignored columns missing. */
function trainingRow(item: LoggedItem, masked: readonly number[]): number[] {
  const x = item.features.slice();
  x[POSITION_FEATURE] = item.position;
  for (const j of masked) x[j] = NaN;
  return x;
}

/** Column indices of feature names; a name ending in `*` is a prefix ("rate.*"). */
export function featureColumns(patterns: readonly string[]): number[] {
  return FEATURE_NAMES.flatMap((n, j) => (patterns.some((p) => (p.endsWith("*") ? n.startsWith(p.slice(0, -1)) : n === p)) ? [j] : []));
}

/**
 * Features that describe the users of one log rather than the cards: what a simulated log of one
 * collection's judged queries teaches through them (the click model's own relevance, repeated;
 * import-time ages) does not carry to another collection or to new queries. `train:ranker
 * --simulate` leaves them out; training from the app's real log keeps them.
 */
export const LOG_SPECIFIC_FEATURES = ["rate.*", "pop.*", "fresh.logdays", "creator.new"] as const;

/**
 * Only the per-list normal forms of the sources and of fusion (and the position): what a model of
 * search relevance trained on one collection may carry to another. Raw cosines, query and board
 * sizes and languages describe the collection (issue 11: "only per-query-normalised features transfer;
 * raw scores and lengths hurt"). `train:ranker --simulate` uses these unless told otherwise.
 */
export const PER_LIST_FEATURES: readonly string[] = FEATURE_NAMES.filter((n) => /\.(ratio|z|rr)$/.test(n) || n === "sources");

/**
 * Narrower still: the text source's per-list forms (BM25 over the query's best, z-score, reciprocal
 * rank), the same of pseudo-relevance feedback (text's candidates scored by their best matches' other
 * words: a text-stage signal, per query), fusion's, and how many sources found the card. The issue's guide: "only per-query-normalised
 * features transfer (BM25 z-score and ratio to the query's best, title BM25, RRF)"; how much the vector
 * and interest sources help is a property of the collection (they help on CISI, hurt on Cranfield).
 */
export const TEXT_LIST_FEATURES: readonly string[] = [
  "text.ratio",
  "text.z",
  "text.rr",
  "feedback.ratio",
  "feedback.z",
  "feedback.rr",
  "fusion.ratio",
  "fusion.rr",
  "sources",
];

/**
 * Position bias is corrected by what the training rows are, not by a position feature: only cards
 * the page reported as seen (an impression: at least half on screen) are rows, so a label says what
 * a person did with a card they saw, wherever it stood; the exploration share puts cards from further
 * down where they can be seen. Position as a training-only feature was tried and lost on validation
 * (docs/decisions/0013): it is almost the old ranker's order itself, and took the weight that belongs
 * to the features the old order came from. It stays logged, and is left out of training by default.
 */
export const TRAINING_IGNORES_BY_DEFAULT: readonly string[] = ["position"];
/** The complement of a set of features, as an ignore list. */
export const allBut = (keep: readonly string[]): string[] => FEATURE_NAMES.filter((n) => !keep.includes(n));

export type TrainOptions = {
  family?: Family | "auto";
  /** Heads with fewer positives than this in training are left out (their weight then counts nothing). */
  minPositives?: number;
  seed?: number;
  version?: string;
  source?: string;
  /** Features left out (names, or prefixes ending in `*`). */
  ignore?: readonly string[];
  /** GBDT size (chosen on validation, docs/decisions/0013-learned-ranker.md). */
  trees?: number;
  depth?: number;
  minLeaf?: number;
  /** Stop adding trees when validation log-loss stops improving (default true); false grows all `trees`. */
  earlyStopping?: boolean;
  learningRate?: number;
  /** Members of a bag (default 1: a single model): each trained with its own seed, values averaged. */
  bag?: number;
};

/**
 * Trains every head on `train` (pointwise logistic, one family for all heads), calibrates each with
 * Platt scaling on `valid`, and reports the value ranking's NDCG@10 and each head's ECE on `valid`.
 * With family "auto" both families are trained and the one with the better validation NDCG is kept.
 */
export function trainRanker(train: readonly LoggedList[], valid: readonly LoggedList[], o: TrainOptions = {}): RankerBundle {
  const family = o.family ?? "auto";
  if (family === "auto") {
    const a = trainRanker(train, valid, { ...o, family: "gbdt" });
    const b = trainRanker(train, valid, { ...o, family: "linear" });
    return b.validation.ndcg10 > a.validation.ndcg10 ? b : a;
  }
  const k = Math.max(1, Math.floor(o.bag ?? 1));
  if (k > 1) {
    const seed = o.seed ?? 1;
    const members = Array.from({ length: k }, (_, i) => trainRanker(train, valid, { ...o, family, bag: 1, seed: seed + i }));
    const bundle: RankerBundle = { ...members[0]!, bag: members.slice(1).map((m) => m.heads) };
    bundle.validation = validate(bundle, valid);
    return bundle;
  }
  const names = [...FEATURE_NAMES];
  const minPositives = o.minPositives ?? 20;
  const heads: Partial<Record<Head, HeadModel>> = {};
  const events = { click: 0, closeup: 0, save: 0, hide: 0 } as Record<Head, number>;
  const masked = featureColumns(o.ignore ?? TRAINING_IGNORES_BY_DEFAULT);
  const toLists = (lists: readonly LoggedList[], h: Head): TrainingList[] =>
    lists.map((l) => ({ x: l.items.map((it) => trainingRow(it, masked)), y: l.items.map((it) => labelsOf(it)[h]) }));
  for (const h of HEADS) {
    const tl = toLists(train, h);
    const positives = tl.reduce((n, l) => n + l.y.reduce((a, b) => a + b, 0), 0);
    events[h] = positives;
    if (positives < minPositives) continue;
    const vl = toLists(valid, h);
    const model: RankingModel =
      family === "gbdt"
        ? trainGbdt(tl, names, {
            objective: "logistic",
            trees: o.trees ?? 150,
            depth: o.depth ?? 4,
            learningRate: o.learningRate ?? 0.08,
            minLeaf: o.minLeaf ?? 20,
            l2: 1,
            featureFraction: 0.8,
            rowFraction: 0.8,
            seed: o.seed ?? 1,
            ...(o.earlyStopping !== false && vl.some((l) => l.y.some((y) => y)) ? { valid: vl, earlyStoppingRounds: 30 } : {}),
          })
        : trainLinear(tl, names, { objective: "logistic", l2: 1e-3, epochs: 300, learningRate: 0.05, seed: o.seed ?? 1 });
    const f = compileModel(model);
    // Calibrate on validation rows (served at their logged positions, as the labels were); fall back
    // to training rows when validation holds no positive of this head.
    const calib = vl.some((l) => l.y.some((y) => y)) ? vl : tl;
    const margins: number[] = [];
    const ys: number[] = [];
    for (const l of calib) l.x.forEach((x, i) => (margins.push(f(x)), ys.push(l.y[i]!)));
    const platt = fitPlatt(margins, ys);
    const vm: number[] = [];
    const vy: number[] = [];
    for (const l of vl) l.x.forEach((x, i) => (vm.push(sigmoid(platt.a * f(x) + platt.b)), vy.push(l.y[i]!)));
    heads[h] = { model, platt, positives, ece: vy.some((y) => y) ? expectedCalibrationError(vm, vy) : null };
  }
  const span = train.length ? [Math.min(...train.map((l) => l.at)), Math.max(...train.map((l) => l.at))] : null;
  const bundle: RankerBundle = {
    format: "tablero-ranker@1",
    version:
      o.version ??
      `ranker-${new Date()
        .toISOString()
        .replace(/[-:.TZ]/g, "")
        .slice(0, 14)}`,
    family,
    createdAt: new Date().toISOString(),
    featureSet: FEATURE_SET,
    featureNames: names,
    valueWeights: { ...VALUE_WEIGHTS },
    trainedOn: {
      from: span ? new Date(span[0]!).toISOString() : null,
      to: span ? new Date(span[1]!).toISOString() : null,
      lists: train.length,
      items: train.reduce((n, l) => n + l.items.length, 0),
      events,
      source: o.source ?? "engagement log",
    },
    ignored: masked.map((j) => FEATURE_NAMES[j]!),
    heads,
    validation: { lists: 0, ndcg10: 0, fusionNdcg10: 0, ece: {}, how: "" },
  };
  bundle.validation = validate(bundle, valid);
  return bundle;
}

/** The bundle's members: its heads, then a bag's other members. */
const membersOf = (b: RankerBundle): Partial<Record<Head, HeadModel>>[] => [b.heads, ...(b.bag ?? [])];

/** Calibrated probability of one head of one member: features → sigmoid(a·margin + b). */
function headProbability(head: HeadModel): (x: ArrayLike<number>) => number {
  const f = compileModel(head.model);
  const { a, b } = head.platt;
  return (x) => sigmoid(a * f(x) + b);
}

/** The value of one member's heads: Σ weight · calibrated probability. Null when it has no head. */
function memberValue(heads: Partial<Record<Head, HeadModel>>, weights: Record<Head, number>): ((x: ArrayLike<number>) => number) | null {
  const parts = HEADS.filter((h) => heads[h]).map((h) => {
    const p = headProbability(heads[h]!);
    const w = weights[h];
    return (x: ArrayLike<number>) => w * p(x);
  });
  if (!parts.length) return null;
  return (x) => {
    let v = 0;
    for (const p of parts) v += p(x);
    return v;
  };
}

/** A compiled bundle: features → value (Σ weight · calibrated probability; a bag's members averaged). Null when no head was trained. */
export function compileBundle(b: RankerBundle): ((x: ArrayLike<number>) => number) | null {
  const members = membersOf(b)
    .map((m) => memberValue(m, b.valueWeights))
    .filter((f): f is (x: ArrayLike<number>) => number => f !== null);
  if (!members.length) return null;
  const value =
    members.length === 1
      ? members[0]!
      : (x: ArrayLike<number>) => {
          let v = 0;
          for (const m of members) v += m(x);
          return v / members.length;
        };
  const masked = featureColumns(b.ignored ?? []);
  if (!masked.length) return value;
  const row = new Float64Array(b.featureNames.length);
  return (x) => {
    row.set(x as ArrayLike<number>);
    for (const j of masked) row[j] = NaN;
    return value(row);
  };
}

/**
 * compileBundle for a request's candidates at once: the same value for every row, bit for bit (the
 * same sums in the same order), computed tree by tree over all rows (compileBatch), which keeps each
 * tree in cache and lets four rows walk it together. Null when no head was trained.
 */
export function compileBundleBatch(b: RankerBundle): ((rows: readonly ArrayLike<number>[]) => Float64Array) | null {
  const members = membersOf(b)
    .map((heads) =>
      HEADS.filter((h) => heads[h]).map((h) => ({ margins: compileBatch(heads[h]!.model), platt: heads[h]!.platt, w: b.valueWeights[h] })),
    )
    .filter((parts) => parts.length);
  if (!members.length) return null;
  const masked = featureColumns(b.ignored ?? []);
  return (input) => {
    const rows = masked.length
      ? input.map((x) => {
          const row = Float64Array.from(x as ArrayLike<number>);
          for (const j of masked) row[j] = NaN;
          return row;
        })
      : (input as ArrayLike<number>[]);
    const n = rows.length;
    const total = new Float64Array(n);
    const member = new Float64Array(n);
    const margin = new Float64Array(n);
    for (const parts of members) {
      member.fill(0);
      for (const { margins, platt, w } of parts) {
        margins(rows, margin);
        for (let i = 0; i < n; i++) member[i] += w * sigmoid(platt.a * margin[i]! + platt.b);
      }
      for (let i = 0; i < n; i++) total[i] += member[i]!;
    }
    if (members.length > 1) for (let i = 0; i < n; i++) total[i] = total[i]! / members.length;
    return total;
  };
}

/** A bag's calibration per head on the validation lists: ECE of its members' mean probability (a single model's is its head's own). */
function bagEce(b: RankerBundle, valid: readonly LoggedList[]): Partial<Record<Head, number>> {
  const ece: Partial<Record<Head, number>> = {};
  const members = membersOf(b);
  const masked = featureColumns(b.ignored ?? []);
  for (const h of HEADS) {
    const ps = members.filter((m) => m[h]).map((m) => headProbability(m[h]!));
    if (!ps.length) continue;
    const pr: number[] = [];
    const ys: number[] = [];
    for (const l of valid)
      for (const it of l.items) {
        const x = trainingRow(it, masked);
        pr.push(ps.reduce((s, p) => s + p(x), 0) / ps.length);
        ys.push(labelsOf(it)[h]);
      }
    if (ys.some((y) => y)) ece[h] = round(expectedCalibrationError(pr, ys));
  }
  return ece;
}

/** Value NDCG@10 (positions set to 0, as served) and fusion's on the validation lists that have an outcome; ECE per head. */
export function validate(b: RankerBundle, valid: readonly LoggedList[]): ValidationReport {
  const value = compileBundle(b);
  const fusionCol = FEATURE_NAMES.indexOf("fusion.ratio");
  let n = 0;
  let sum = 0;
  let fsum = 0;
  for (const l of valid) {
    const grades = l.items.map(gradeOf);
    if (!grades.some((g) => g > 0)) continue;
    n++;
    const served = l.items.map((it) => {
      const x = it.features.slice();
      x[POSITION_FEATURE] = 0;
      return x;
    });
    sum += value
      ? ndcgAt(served.map(value), grades, 10)
      : ndcgAt(
          served.map((x) => x[fusionCol]!),
          grades,
          10,
        );
    fsum += ndcgAt(
      served.map((x) => x[fusionCol]!),
      grades,
      10,
    );
  }
  let ece: Partial<Record<Head, number>> = {};
  if (b.bag?.length) ece = bagEce(b, valid);
  else for (const h of HEADS) if (b.heads[h]?.ece != null) ece[h] = round(b.heads[h]!.ece!);
  return {
    lists: n,
    ndcg10: round(n ? sum / n : 0),
    fusionNdcg10: round(n ? fsum / n : 0),
    ece,
    how: "validation lists with at least one click, close-up or save; positions set to 0 as when served",
  };
}

/** Whether `candidate` should replace `current`: better validation NDCG than it, and than fusion. */
export function shouldReplace(
  candidate: RankerBundle,
  current: RankerBundle | null,
  validOnCandidateData: { current: number | null },
): boolean {
  if (!compileBundle(candidate)) return false;
  if (candidate.validation.ndcg10 <= candidate.validation.fusionNdcg10) return false;
  if (!current || validOnCandidateData.current === null) return true;
  return candidate.validation.ndcg10 > validOnCandidateData.current;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Splits logged lists for training and validation by query (search) or request, deterministically, so one query never sits on both sides. */
export function splitByQuery(
  lists: readonly LoggedList[],
  validShare = 0.2,
  salt = "tablero",
): { train: LoggedList[]; valid: LoggedList[] } {
  const train: LoggedList[] = [];
  const valid: LoggedList[] = [];
  for (const l of lists) (hashShare(`${salt}:${l.query ?? l.requestId}`) < validShare ? valid : train).push(l);
  return { train, valid };
}

/** A stable number in [0, 1) from a string (FNV-1a, then murmur3's finaliser: FNV's high bits barely change with a string's last character). */
export function hashShare(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
