// A blend of several recommenders: each one's scores are normalised per user over that user's
// candidates (z-score, or rank), then summed with weights tuned on the VALIDATION split (each user's
// second-to-last interaction), never on the test item.
import { hitAndNdcg, type RecData, type Recommender } from "./recs";

/** "z": z-score; "logz": z-score of sign(s)·log(1 + |s|) (tames visit counts); "rank": mean rank in [0, 1]. */
export type Normalise = "z" | "logz" | "rank";

/** Per-user normalisation of one method's candidate scores. */
export function normalise(scores: Float64Array, mode: Normalise): Float64Array {
  const n = scores.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (mode === "rank") {
    // Average rank in [0, 1], 1 = best; ties share their mean rank.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
    for (let i = 0; i < n;) {
      let j = i;
      while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
      const r = n > 1 ? (i + j) / 2 / (n - 1) : 0;
      for (let k = i; k <= j; k++) out[order[k]!] = r;
      i = j + 1;
    }
    return out;
  }
  if (mode === "logz") scores = scores.map((s) => Math.sign(s) * Math.log1p(Math.abs(s)));
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= n;
  let v = 0;
  for (const s of scores) v += (s - mean) * (s - mean);
  const sd = Math.sqrt(v / n);
  if (!(sd > 0)) return out;
  for (let i = 0; i < n; i++) out[i] = (scores[i]! - mean) / sd;
  return out;
}

/** Σ_m w_m · normalise(scores_m). Methods with weight 0 are skipped. `mode` null = already normalised. */
export function combine(components: Float64Array[], weights: number[], mode: Normalise | null): Float64Array {
  const n = components[0]?.length ?? 0;
  const out = new Float64Array(n);
  components.forEach((c, m) => {
    const w = weights[m]!;
    if (!w) return;
    const z = mode ? normalise(c, mode) : c;
    for (let i = 0; i < n; i++) out[i]! += w * z[i]!;
  });
  return out;
}

/** method → seed → user → candidate scores (null where the user is not evaluated). */
export type ScoreTable = Record<string, (Float64Array | null)[][]>;

export interface BlendMetrics {
  "hr@10": number;
  "ndcg@10": number;
  perSeed: { "hr@10": number; "ndcg@10": number }[];
}

/** The same table with every score array normalised. */
export function normaliseTable(table: ScoreTable, mode: Normalise): ScoreTable {
  return Object.fromEntries(
    Object.entries(table).map(([m, seeds]) => [m, seeds.map((users) => users.map((s) => (s ? normalise(s, mode) : null)))]),
  );
}

/**
 * HR@10 / NDCG@10 of a weighted blend over stored scores, averaged over seeds. `mode` null: the
 * table is already normalised (see normaliseTable).
 */
export function blendMetrics(table: ScoreTable, weights: Record<string, number>, mode: Normalise | null, k = 10): BlendMetrics {
  const methods = Object.keys(weights).filter((m) => weights[m]);
  const first = table[methods[0] ?? Object.keys(table)[0]!]!;
  const perSeed = first.map((users, s) => {
    let hr = 0;
    let ndcg = 0;
    let n = 0;
    users.forEach((_, u) => {
      const comps = methods.map((m) => table[m]![s]![u]);
      if (comps.some((c) => !c)) return;
      const sc = combine(
        comps as Float64Array[],
        methods.map((m) => weights[m]!),
        mode,
      );
      const r = hitAndNdcg(sc, k);
      hr += r.hr;
      ndcg += r.ndcg;
      n++;
    });
    return { "hr@10": n ? hr / n : 0, "ndcg@10": n ? ndcg / n : 0 };
  });
  const mean = (key: "hr@10" | "ndcg@10") => perSeed.reduce((a, p) => a + p[key], 0) / Math.max(1, perSeed.length);
  return { "hr@10": mean("hr@10"), "ndcg@10": mean("ndcg@10"), perSeed };
}

export interface TuneOptions {
  /** Candidate weights tried for each method in each round. */
  grid?: number[];
  rounds?: number;
  /** Normalisations to try (the best on validation wins). Default both. */
  modes?: Normalise[];
  /** What to maximise on validation: NDCG@10 (default) or HR@10 + NDCG@10. */
  objective?: "ndcg" | "sum";
}

export interface TunedBlend {
  weights: Record<string, number>;
  mode: Normalise;
  validation: BlendMetrics;
}

/**
 * Coordinate ascent over per-method weights on the validation scores, for each normalisation:
 * start from the best single method at weight 1, then for each method in turn try every grid weight
 * with the others fixed, keeping strict improvements; repeat `rounds` times. Deterministic.
 */
export function tuneBlend(table: ScoreTable, opts: TuneOptions = {}): TunedBlend {
  const grid = opts.grid ?? [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3];
  const methods = Object.keys(table);
  const objective = (m: BlendMetrics) => (opts.objective === "sum" ? m["hr@10"] + m["ndcg@10"] : m["ndcg@10"]);
  let best: TunedBlend | null = null;
  for (const mode of opts.modes ?? (["z", "logz", "rank"] as Normalise[])) {
    const normed = normaliseTable(table, mode);
    const single = methods.map((m) => ({ m, v: objective(blendMetrics(normed, { [m]: 1 }, null)) })).sort((a, b) => b.v - a.v)[0]!;
    const w: Record<string, number> = Object.fromEntries(methods.map((m) => [m, m === single.m ? 1 : 0]));
    let cur = blendMetrics(normed, w, null);
    for (let round = 0; round < (opts.rounds ?? 2); round++) {
      let improved = false;
      for (const m of methods) {
        for (const g of grid) {
          if (g === w[m]) continue;
          const trial = { ...w, [m]: g };
          if (!Object.values(trial).some((x) => x > 0)) continue;
          const r = blendMetrics(normed, trial, null);
          if (objective(r) > objective(cur) + 1e-9) {
            cur = r;
            w[m] = g;
            improved = true;
          }
        }
      }
      if (!improved) break;
    }
    if (!best || objective(cur) > objective(best.validation)) best = { weights: { ...w }, mode, validation: cur };
  }
  return best!;
}

/** The blend as a plain Recommender (fits its components, combines their normalised scores). */
export class Blend implements Recommender {
  readonly name = "blend";
  constructor(
    private readonly components: Recommender[],
    private readonly weights: Record<string, number>,
    private readonly mode: Normalise = "z",
  ) {}
  async fit(data: RecData): Promise<void> {
    for (const c of this.components) if (this.weights[c.name]) await c.fit(data);
  }
  score(user: number, items: Uint32Array): Float64Array {
    const used = this.components.filter((c) => this.weights[c.name]);
    return combine(
      used.map((c) => c.score(user, items)),
      used.map((c) => this.weights[c.name]!),
      this.mode,
    );
  }
}
