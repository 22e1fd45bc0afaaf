// `npm run eval:recs -- --ratings ratings.csv [--items items.jsonl] [--json] [--seeds 5]`
// Leave-last-out evaluation of the recommendation pipeline (models/eval/recs.ts): each user's latest
// interaction is ranked against 99 items they never touched (seeded), HR@10 and NDCG@10 for the
// baselines (popularity, item-kNN, random walk with restart, EASE), the app's Pixie, PinSage
// neighbours, PinnerSage and the single mean-embedding, and a blend tuned on the validation split.
// `pinnersage` is the app's ranking (models/pinnersage APP_PINNERSAGE, docs/decisions/0006); its
// paired differences against the mean embedding (by seed, and by person with a standard error) follow
// the table. `--split validation` evaluates on the validation split only (for choosing settings);
// `--split third` on the third-to-last rating (seeds 2001…), to check a choice on other held-out items.
// `pinsage − item-knn` (and pinsage-no-prior's) are paired the same way. `--pinsage-seed` retrains
// `pinsage` with another seed (default 42).
// `--retrieval N` (default off) also retrieves N items per person from the WHOLE catalogue (everything
// they did not rate in training) and prints Recall@N of the same held-out item — the mean embedding's
// nearest items against the app's PinnerSage retrieval (up to 3 medoids sampled by importance, each
// medoid's N nearest, re-ranked by every medoid) and references (models/eval/retrieval.ts); a single
// N also reports N = 50, 100, 200. Its numbers go under "retrieval" in --json.
// `learned` (models/eval/learned.ts, docs/decisions/0012): a lambdarank GBDT over the cheap methods'
// scores, trained on lists from earlier cuts inside each split's training data, settings chosen on the
// validation split; paired against blend and ease-recent. `--no-learned` skips it (~15 min here).
//
// Item text for the content embeddings: --items JSONL ({"id","title","text","tags"}); else, when a
// MovieLens movies.csv (and tags.csv) sits next to the ratings file, "title. genres. top tags" from
// them; else each item gets a seeded random unit vector (PinSage then learns from the graph alone).
// Sentence-encoder vectors are cached under .cache/recs-embed/ by content hash, so reruns are fast.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Ease, ItemKnn, Popularity, RandomWalkRestart } from "../models/eval/baselines";
import { blendMetrics, tuneBlend, type ScoreTable } from "../models/eval/blend";
import { jsonlItems, movieLensItems, type ItemInfo } from "../models/eval/items";
import {
  evaluate,
  leaveLastOut,
  mulberry32,
  pairedDifference,
  parseRatings,
  sampleCandidates,
  type MethodResult,
  type PairedDifference,
  type RecData,
  type Recommender,
} from "../models/eval/recs";
import { APP_PINNERSAGE } from "../models/pinnersage/index";
import { catalogueRetrievers, evaluateRetrieval, pairedRecall, type RetrievalResult } from "../models/eval/retrieval";
import {
  MeanEmbeddingRecommender,
  PINSAGE_EVAL,
  PINSAGE_SCORING,
  PinnerSageRecommender,
  PinSageRecommender,
  PixieRecommender,
  SageModel,
} from "../models/eval/recommenders";
import { combine } from "../models/eval/blend";
import {
  finalSettings,
  LEARNED_TRIALS,
  LearnedRecommender,
  tuneLearned,
  type LearnedSettings,
  type TrialResult,
} from "../models/eval/learned";

const { values } = parseArgs({
  options: {
    ratings: { type: "string" },
    items: { type: "string" },
    json: { type: "boolean" },
    seeds: { type: "string" },
    "val-seeds": { type: "string" },
    methods: { type: "string" },
    "no-blend": { type: "boolean" },
    split: { type: "string" },
    "pinsage-epochs": { type: "string" },
    "pinsage-seed": { type: "string" },
    cache: { type: "string" },
    retrieval: { type: "string" },
    "no-learned": { type: "boolean" },
  },
});
if (!values.ratings) {
  console.error(
    "Usage: npm run eval:recs -- --ratings ratings.csv [--items items.jsonl] [--json] [--seeds 5] [--methods a,b] [--no-blend] [--no-learned] [--split validation|third] [--pinsage-seed 42] [--retrieval 100]",
  );
  process.exit(2);
}
const log = (s: string) => process.stderr.write(s + "\n");
const say = (s: string) => (values.json ? log(s) : console.log(s));
const started = performance.now();

// ── Data ───────────────────────────────────────────────────────────────────────────────────────
const ratingsPath = resolve(values.ratings);
const file = parseRatings(readFileSync(ratingsPath, "utf8"));
for (const e of file.errors.slice(0, 5)) log(`skipped ${e}`);
if (file.errors.length > 5) log(`… and ${file.errors.length - 5} more unreadable lines`);
say(`${file.rows.length} interactions, ${file.userIds.length} users, ${file.itemIds.length} items (${file.format} format)`);

const test = leaveLastOut(file, 0);
const val = leaveLastOut(file, 1);
// --split third: the third-to-last rating held out (the last two dropped), a second validation position
// for checking a choice against other held-out items than the one it was made on (seeds 2001…).
const third = values.split === "third" ? leaveLastOut(file, 2) : null;

// Item text and interests. Tags a user wrote on their own held-out (test or validation) item are left
// out, so no text describes a held-out item with its evaluated user's words.
let info: ItemInfo | null = null;
let textSource = "none (seeded random content vectors)";
if (values.items) {
  const r = jsonlItems(file.itemIds, readFileSync(resolve(values.items), "utf8"));
  for (const e of r.errors.slice(0, 5)) log(`items: ${e}`);
  info = r;
  textSource = `${values.items} (${r.matched} of ${file.itemIds.length} items matched)`;
} else {
  const movies = join(dirname(ratingsPath), "movies.csv");
  if (existsSync(movies)) {
    const tags = join(dirname(ratingsPath), "tags.csv");
    const exclude = new Set<string>();
    for (const split of third ? [test, val, third] : [test, val])
      split.heldOut.forEach((i, u) => i >= 0 && exclude.add(`${file.userIds[u]}\u0000${file.itemIds[i]}`));
    info = movieLensItems(file.itemIds, readFileSync(movies, "utf8"), existsSync(tags) ? readFileSync(tags, "utf8") : undefined, {
      excludePairs: exclude,
    });
    textSource = `movies.csv${existsSync(tags) ? " + tags.csv" : ""} next to the ratings (${info.matched} of ${file.itemIds.length} items matched)`;
  }
}
say(`item text: ${textSource}`);
if (info) {
  for (const s of third ? [test, val, third] : [test, val])
    Object.assign(s.data, { itemTags: info.itemTags, tagNames: info.tagNames, itemText: info.itemText } satisfies Partial<RecData>);
}

// ── Content vectors (cached) ───────────────────────────────────────────────────────────────────
async function contentVectors(): Promise<Float32Array[]> {
  const n = file.itemIds.length;
  if (!info) {
    const dim = 64;
    return Array.from({ length: n }, (_, i) => {
      const rand = mulberry32(0x51f15e + i);
      const v = Float32Array.from({ length: dim }, () => rand() * 2 - 1);
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  }
  const { loadUseLite, contentHash } = await import("../models/embed/index");
  const embedder = await loadUseLite();
  const dir = resolve(values.cache ?? ".cache/recs-embed");
  mkdirSync(dir, { recursive: true });
  const cacheFile = join(dir, `${embedder.id.replace(/[^a-z0-9@.-]/gi, "_")}.bin`);
  // Records: 32 hex chars of the content hash, then dim float32s.
  const cache = new Map<string, Float32Array>();
  const rec = 32 + embedder.dim * 4;
  if (existsSync(cacheFile)) {
    const buf = readFileSync(cacheFile);
    for (let off = 0; off + rec <= buf.length; off += rec) {
      const key = buf.toString("latin1", off, off + 32);
      cache.set(key, new Float32Array(buf.buffer.slice(buf.byteOffset + off + 32, buf.byteOffset + off + rec)));
    }
  }
  const keys = info.itemText.map((t) => contentHash(embedder.id, t));
  const missing = [...new Set(keys.filter((k) => !cache.has(k)))];
  if (missing.length) {
    const textOf = new Map(keys.map((k, i) => [k, info!.itemText[i]!]));
    log(`embedding ${missing.length} item texts with ${embedder.id} (cached in ${cacheFile})…`);
    const t0 = performance.now();
    for (let s = 0; s < missing.length; s += 256) {
      const part = missing.slice(s, s + 256);
      const vecs = await embedder.embed(part.map((k) => textOf.get(k)!));
      const chunk = Buffer.alloc(part.length * rec);
      part.forEach((k, j) => {
        cache.set(k, vecs[j]!);
        chunk.write(k, j * rec, "latin1");
        Buffer.from(vecs[j]!.buffer, vecs[j]!.byteOffset, vecs[j]!.byteLength).copy(chunk, j * rec + 32);
      });
      appendFileSync(cacheFile, chunk);
      log(`  ${Math.min(s + 256, missing.length)}/${missing.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  return keys.map((k) => cache.get(k)!);
}
const content = await contentVectors();

// ── Methods ────────────────────────────────────────────────────────────────────────────────────
const valSeeds = Array.from({ length: Math.max(1, Number(values["val-seeds"] ?? 2)) }, (_, i) => 1001 + i);
// --split validation: every method on the validation split only (for choosing settings; no blend).
const onValidation = values.split === "validation" || third !== null;
if (values.split !== undefined && !["validation", "test", "third"].includes(values.split)) {
  console.error(`--split must be "test", "validation" or "third" (got "${values.split}")`);
  process.exit(2);
}
const seeds = third
  ? valSeeds.map((s) => s + 1000)
  : onValidation
    ? valSeeds
    : Array.from({ length: Math.max(1, Number(values.seeds ?? 5)) }, (_, i) => i + 1);
const epochs = Number(values["pinsage-epochs"] ?? 10);
// --pinsage-seed: the training seed of `pinsage` (default 42), to see how much one training run moves it.
const pinsageSeed = Number(values["pinsage-seed"] ?? 42);
// --retrieval N[,N…]: Recall@N from the whole catalogue; one N also reports 50, 100 and 200.
let retrievalNs: number[] = [];
if (values.retrieval !== undefined) {
  const given = values.retrieval.split(",").map((x) => Number(x.trim()));
  if (!given.length || given.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--retrieval takes positive whole numbers (got "${values.retrieval}")`);
    process.exit(2);
  }
  retrievalNs = [...new Set(given.length === 1 ? [...given, 50, 100, 200] : given)].sort((a, b) => a - b);
}
const retrievalHeadline = retrievalNs.length ? Number(values.retrieval!.split(",")[0]) : 0;

/** The SageModel of the latest methods() call (the retrieval evaluation reuses the trained model). */
let lastSage = null as SageModel | null;

/** Fresh recommenders for one split (PinSage is trained once per split and shared by three methods). */
function methods(): Recommender[] {
  const only = values.methods?.split(",").map((s) => s.trim());
  const sage = new SageModel(() => content, { pinsage: { epochs, seed: 42 }, progress: log });
  lastSage = sage;
  const ownSage = new SageModel(() => content, {
    ...PINSAGE_EVAL.sage,
    pinsage: { ...PINSAGE_EVAL.sage.pinsage, ...(values["pinsage-epochs"] ? { epochs } : {}), seed: pinsageSeed },
    progress: log,
  });
  const all: Recommender[] = [
    new Popularity(),
    new ItemKnn(),
    new RandomWalkRestart(0.3, 30),
    new Ease(500),
    // EASE's item–item weights read from the person's latest items first (halfLife/boost chosen on validation).
    new Ease(500, 6000, { halfLife: 10, boost: 10 }),
    // Settings chosen on the validation split (docs/quality.md, "Recommendations").
    new PixieRecommender({ alpha: 0.95, ratingPower: 0, halfLifeDays: 4, earlyStopPins: 0, seed: 1 }),
    // PinSage as chosen on validation (docs/decisions/0011): its own training, cosine to the mean of the
    // latest 20 cards plus a popularity prior; pinsage-no-prior is that embedding alone, pinsage-before the old row.
    new PinSageRecommender(ownSage, PINSAGE_EVAL.score),
    new PinSageRecommender(ownSage, { ...PINSAGE_EVAL.score, popularity: 0, name: "pinsage-no-prior" }),
    new PinSageRecommender(sage, { recent: 20, aggregate: "max", name: "pinsage-before" }),
    // The other scoring rules compared on validation (docs/decisions/0011), only when --methods names them.
    ...Object.entries(PINSAGE_SCORING)
      .filter(([name]) => only?.includes(name))
      .map(([name, o]) => new PinSageRecommender(ownSage, { ...o, name })),
    // The app's PinnerSage ranking (docs/decisions/0006, 0008): every kept medoid of the finer ranking
    // cut (the 20 most important), importance-weighted cosine on centred vectors, the app's λ (0.01/day).
    new PinnerSageRecommender(sage, {
      name: "pinnersage",
      sample: Infinity,
      maxClusters: APP_PINNERSAGE.maxRankingClusters,
      aggregate: "weighted",
      centre: true,
      lambda: APP_PINNERSAGE.lambda,
      threshold: APP_PINNERSAGE.rankingThreshold,
    }),
    // The same ranking by the interest cut's medoids (the app's ranking under 0006).
    new PinnerSageRecommender(sage, {
      name: "pinnersage-interest-medoids",
      sample: Infinity,
      maxClusters: APP_PINNERSAGE.maxClusters,
      aggregate: "weighted",
      centre: true,
      lambda: APP_PINNERSAGE.lambda,
      threshold: APP_PINNERSAGE.threshold,
    }),
    // The app's ranking until 0006: 3 medoids sampled by importance, a candidate scored by the nearest, raw vectors.
    new PinnerSageRecommender(sage, { name: "pinnersage-nearest-sampled", sample: 3, seed: 7 }),
    // The interest-medoid ranking with λ 20/day instead of 0.01: MovieLens people rate dozens of films in one
    // sitting, so only a steep decay (half-weight after ~50 minutes) tells their latest interest.
    new PinnerSageRecommender(sage, {
      name: "pinnersage-lambda20",
      sample: Infinity,
      maxClusters: APP_PINNERSAGE.maxClusters,
      aggregate: "weighted",
      centre: true,
      lambda: 20,
      threshold: APP_PINNERSAGE.threshold,
    }),
    new MeanEmbeddingRecommender(sage),
    new MeanEmbeddingRecommender(sage, 90, true),
  ];
  return only ? all.filter((r) => only.includes(r.name)) : all;
}

const progress = (m: string) => log(`  ${m}`);
const results: Record<string, MethodResult> = {};
let blendInfo: { weights: Record<string, number>; mode: string; validation: { "hr@10": number; "ndcg@10": number } } | null = null;

if (!values["no-blend"] && !onValidation) {
  log(`validation split (second-to-last interaction), seeds ${valSeeds.join(",")}: fitting every method…`);
  const valRes = await evaluate(methods(), val, valSeeds, {
    progress,
    keepScores: true,
    candidates: valSeeds.map((s) => sampleCandidates(val, s)),
  });
  const table: ScoreTable = Object.fromEntries(Object.entries(valRes).map(([m, r]) => [m, r.scores!]));
  const tuned = tuneBlend(table);
  blendInfo = {
    weights: Object.fromEntries(Object.entries(tuned.weights).filter(([, w]) => w > 0)),
    mode: tuned.mode,
    validation: tuned.validation,
  };
  log(
    `validation: ${Object.entries(valRes)
      .map(([m, r]) => `${m} ${r["ndcg@10"].toFixed(3)}`)
      .join(", ")}`,
  );
  log(
    `blend weights (${tuned.mode} normalisation): ${JSON.stringify(blendInfo.weights)}; validation HR@10 ${tuned.validation["hr@10"].toFixed(3)} NDCG@10 ${tuned.validation["ndcg@10"].toFixed(3)}`,
  );
}

log(
  `${third ? "third-to-last split" : onValidation ? "validation split (second-to-last interaction)" : "test split (latest interaction)"}, seeds ${seeds.join(",")}: fitting every method…`,
);
const testRes = await evaluate(methods(), third ?? (onValidation ? val : test), seeds, { progress, keepScores: true });
for (const [m, r] of Object.entries(testRes)) results[m] = r;

// ── Retrieval from the whole catalogue (--retrieval) ─────────────────────────────────────────────
// The same split and held-out items, the PinSage model trained above (trained now if no method used it).
let retrieval: Record<string, RetrievalResult> | null = null;
const retrievalPaired: Record<string, ReturnType<typeof pairedRecall>> = {};
if (retrievalNs.length) {
  const split = third ?? (onValidation ? val : test);
  const sage = lastSage!;
  const retrievers = await catalogueRetrievers(sage, split.data, {
    popularity: new Popularity(),
    // The app's clusters (APP_PINNERSAGE: Ward cut and λ on centred vectors, the 20 most important)
    // for sampling, and its finer ranking cut for the ranking score.
    pinnerSage: {
      maxClusters: APP_PINNERSAGE.maxClusters,
      centre: true,
      lambda: APP_PINNERSAGE.lambda,
      threshold: APP_PINNERSAGE.threshold,
    },
    ranking: {
      maxClusters: APP_PINNERSAGE.maxRankingClusters,
      centre: true,
      lambda: APP_PINNERSAGE.lambda,
      threshold: APP_PINNERSAGE.rankingThreshold,
    },
    sample: APP_PINNERSAGE.sample,
  });
  const rated = sage.hist.map((h) => new Set(h.items));
  log(`retrieval from all ${split.data.items} items, Recall@${retrievalNs.join("/")}, seeds ${seeds.join(",")}…`);
  retrieval = evaluateRetrieval(retrievers, split, seeds, retrievalNs, (u) => (i) => rated[u]!.has(i), progress);
  for (const m of ["pinnersage", "pinnersage-interleave", "pinnersage-all-medoids", "pinnersage-weighted-global"]) {
    if (retrieval[m] && retrieval["mean-embedding"])
      retrievalPaired[`${m} − mean-embedding`] = pairedRecall(retrieval[m]!, retrieval["mean-embedding"]!);
  }
}
if (blendInfo) {
  const t0 = performance.now();
  const table: ScoreTable = Object.fromEntries(Object.entries(testRes).map(([m, r]) => [m, r.scores!]));
  const b = blendMetrics(table, blendInfo.weights, blendInfo.mode as "z" | "logz" | "rank");
  const parts = Object.keys(blendInfo.weights);
  results.blend = {
    "hr@10": b["hr@10"],
    "ndcg@10": b["ndcg@10"],
    perSeed: b.perSeed.map((p, i) => ({ seed: seeds[i]!, ...p })),
    users: testRes[parts[0]!]?.users ?? 0,
    fitMs: parts.reduce((s, m) => s + (testRes[m]?.fitMs ?? 0), 0),
    scoreMs: parts.reduce((s, m) => s + (testRes[m]?.scoreMs ?? 0), 0) + performance.now() - t0,
  };
}

// ── Learned ranker (models/eval/learned.ts, docs/decisions/0012) ─────────────────────────────────
// Settings (training cuts, tree shape, trees kept) chosen on the validation split: trained on lists
// from cuts inside its training data, scored on its held-out item. Then trained the same way inside
// the test split's training data (the validation item is its latest training cut) and scored on the
// test item. `--no-learned` or a `--methods` list without "learned" skips it.
let learnedInfo: { settings: LearnedSettings; chosen: string; trials: TrialResult[]; importance: Record<string, number> | null } | null =
  null;
if (
  !values["no-learned"] &&
  !third &&
  (!values.methods ||
    values.methods
      .split(",")
      .map((s) => s.trim())
      .includes("learned"))
) {
  log(`learned: choosing settings on the validation split, seeds ${valSeeds.join(",")}…`);
  const tuned = await tuneLearned(val, valSeeds, LEARNED_TRIALS, { progress });
  if (tuned) {
    const settings = finalSettings(tuned.best);
    learnedInfo = { settings, chosen: tuned.best.label, trials: tuned.trials, importance: null };
    if (onValidation) {
      results.learned = {
        "hr@10": tuned.best["hr@10"],
        "ndcg@10": tuned.best["ndcg@10"],
        perSeed: tuned.best.perSeed,
        users: tuned.best.users,
        fitMs: tuned.best.seconds * 1000,
        scoreMs: 0,
      };
    } else {
      const learned = new LearnedRecommender({ ...settings, progress });
      const r = await evaluate([learned], test, seeds, { progress, keepScores: true });
      results.learned = r.learned!;
      learnedInfo.importance = learned.importance();
    }
  }
}

// ── Output ─────────────────────────────────────────────────────────────────────────────────────
// PinnerSage against the single mean embedding (the issue's target), paired by seed and by person.
const paired: Record<string, PairedDifference> = {};
for (const m of ["pinnersage", "pinnersage-interest-medoids", "pinnersage-lambda20", "pinnersage-nearest-sampled"]) {
  for (const base of ["mean-embedding", "mean-embedding-centred"]) {
    if (testRes[m] && testRes[base]) paired[`${m} − ${base}`] = pairedDifference(testRes[m]!, testRes[base]!);
  }
}
// PinSage against item-kNN (the issue's bar): one held-out item per person, so the by-person standard
// error is the noise that negative-sampling seeds cannot average away.
for (const m of ["pinsage", "pinsage-no-prior"])
  if (testRes[m] && testRes["item-knn"]) paired[`${m} − item-knn`] = pairedDifference(testRes[m]!, testRes["item-knn"]!);
// The learned ranker against the blend (its scores rebuilt per person from the kept ones) and ease-recent.
if (results.learned?.scores) {
  if (results.blend && blendInfo) {
    const w = blendInfo.weights;
    const parts = Object.keys(w);
    const scores = seeds.map((_, s) =>
      Array.from({ length: test.data.users }, (_, u) => {
        const comps = parts.map((m) => testRes[m]?.scores?.[s]?.[u] ?? null);
        return comps.every((c) => c)
          ? combine(
              comps as Float64Array[],
              parts.map((m) => w[m]!),
              blendInfo!.mode as "z" | "logz" | "rank",
            )
          : null;
      }),
    );
    paired["learned − blend"] = pairedDifference(results.learned, { ...results.blend, scores });
  }
  if (testRes["ease-recent"]) paired["learned − ease-recent"] = pairedDifference(results.learned, testRes["ease-recent"]);
}
const round = (x: number) => Math.round(x * 10000) / 10000;
const sd = (r: MethodResult, key: "hr@10" | "ndcg@10") => {
  const m = r[key];
  return Math.sqrt(r.perSeed.reduce((s, p) => s + (p[key] - m) ** 2, 0) / Math.max(1, r.perSeed.length));
};
if (values.json) {
  const out = {
    methods: Object.fromEntries(
      Object.entries(results).map(([m, r]) => [
        m,
        {
          "hr@10": round(r["hr@10"]),
          "ndcg@10": round(r["ndcg@10"]),
          seconds: round((r.fitMs + r.scoreMs) / 1000),
          perSeed: r.perSeed.map((p) => ({ seed: p.seed, "hr@10": round(p["hr@10"]), "ndcg@10": round(p["ndcg@10"]) })),
        },
      ]),
    ),
    ...(learnedInfo
      ? {
          learned: {
            chosen: learnedInfo.chosen,
            settings: learnedInfo.settings,
            validation: learnedInfo.trials.map((t) => ({
              label: t.label,
              "hr@10": round(t["hr@10"]),
              "ndcg@10": round(t["ndcg@10"]),
              trees: t.trees,
              seconds: round(t.seconds),
              perSeed: t.perSeed.map((p) => ({ seed: p.seed, "hr@10": round(p["hr@10"]), "ndcg@10": round(p["ndcg@10"]) })),
            })),
            importance: learnedInfo.importance
              ? Object.fromEntries(
                  Object.entries(learnedInfo.importance)
                    .sort((a, b) => b[1] - a[1])
                    .map(([k, v]) => [k, round(v)]),
                )
              : null,
          },
        }
      : {}),
    ...(blendInfo
      ? {
          blend: {
            weights: blendInfo.weights,
            normalisation: blendInfo.mode,
            validation: { "hr@10": round(blendInfo.validation["hr@10"]), "ndcg@10": round(blendInfo.validation["ndcg@10"]) },
          },
        }
      : {}),
    paired: Object.fromEntries(
      Object.entries(paired).map(([k, d]) => [
        k,
        {
          perSeed: d.perSeed.map((p) => ({ seed: p.seed, "hr@10": round(p["hr@10"]), "ndcg@10": round(p["ndcg@10"]) })),
          ...(d.perUser
            ? {
                perUser: {
                  users: d.perUser.users,
                  "hr@10": { mean: round(d.perUser["hr@10"].mean), se: round(d.perUser["hr@10"].se) },
                  "ndcg@10": { mean: round(d.perUser["ndcg@10"].mean), se: round(d.perUser["ndcg@10"].se) },
                },
              }
            : {}),
        },
      ]),
    ),
    protocol: { users: Object.values(results)[0]?.users ?? 0, items: file.itemIds.length, negatives: 99, seeds, itemText: textSource },
    ...(retrieval
      ? {
          retrieval: {
            n: retrievalNs,
            headline: retrievalHeadline,
            users: retrieval[Object.keys(retrieval)[0]!]?.perUser[0]?.length ?? 0,
            items: file.itemIds.length,
            seeds,
            methods: Object.fromEntries(
              Object.entries(retrieval).map(([m, r]) => [
                m,
                {
                  ...Object.fromEntries(retrievalNs.map((n, j) => [`recall@${n}`, round(r.recall[j]!)])),
                  perSeed: r.perSeed.map((p) => ({
                    seed: p.seed,
                    ...Object.fromEntries(retrievalNs.map((n, j) => [`recall@${n}`, round(p.recall[j]!)])),
                  })),
                  seconds: round(r.seconds),
                },
              ]),
            ),
            paired: Object.fromEntries(
              Object.entries(retrievalPaired).map(([k, d]) => [
                k,
                {
                  perUser: Object.fromEntries(
                    retrievalNs.map((n, j) => [`recall@${n}`, { mean: round(d.perUser[j]!.mean), se: round(d.perUser[j]!.se) }]),
                  ),
                  perSeed: d.perSeed.map((p) => ({
                    seed: p.seed,
                    ...Object.fromEntries(retrievalNs.map((n, j) => [`recall@${n}`, round(p.diff[j]!)])),
                  })),
                },
              ]),
            ),
          },
        }
      : {}),
  };
  console.log(JSON.stringify(out));
} else {
  const rows = Object.entries(results).map(([m, r]) => [
    m,
    `${r["hr@10"].toFixed(3)} ± ${sd(r, "hr@10").toFixed(3)}`,
    `${r["ndcg@10"].toFixed(3)} ± ${sd(r, "ndcg@10").toFixed(3)}`,
    `${((r.fitMs + r.scoreMs) / 1000).toFixed(1)} s`,
  ]);
  const head = ["method", "HR@10", "NDCG@10", "time (fit + score)"];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(width[i]!)).join(" | ") + " |";
  console.log("");
  console.log(line(head));
  console.log("|" + width.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
  console.log(
    `\nmeans over ${seeds.length} negative-sampling seed(s) (± = spread over seeds), ${results[Object.keys(results)[0]!]?.users ?? 0} users`,
  );
  for (const [k, d] of Object.entries(paired)) {
    const f = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);
    console.log(
      `\n${k}, paired by seed (HR@10 / NDCG@10): ${d.perSeed.map((p) => `seed ${p.seed} ${f(p["hr@10"])} / ${f(p["ndcg@10"])}`).join(", ")}; mean ${f(d.mean["hr@10"])} / ${f(d.mean["ndcg@10"])}`,
    );
    if (d.perUser)
      console.log(
        `  paired by person (${d.perUser.users}): HR@10 ${f(d.perUser["hr@10"].mean)} ± ${d.perUser["hr@10"].se.toFixed(3)}, NDCG@10 ${f(d.perUser["ndcg@10"].mean)} ± ${d.perUser["ndcg@10"].se.toFixed(3)} (± = standard error)`,
      );
  }
  if (blendInfo)
    console.log(`blend: ${blendInfo.mode} normalisation, weights ${JSON.stringify(blendInfo.weights)} (tuned on the validation split)`);
  if (learnedInfo) {
    console.log(
      `learned: chose "${learnedInfo.chosen}" on the validation split (${learnedInfo.trials.map((t) => `${t.label}: ${t["hr@10"].toFixed(3)} / ${t["ndcg@10"].toFixed(3)}${t.trees !== undefined ? `, ${t.trees} trees` : ""}`).join("; ")})`,
    );
    if (learnedInfo.importance)
      console.log(
        `learned feature importance (share of split gain): ${Object.entries(learnedInfo.importance)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(", ")}`,
      );
  }
  if (retrieval) {
    const sdOf = (r: RetrievalResult, j: number) =>
      Math.sqrt(r.perSeed.reduce((s, p) => s + (p.recall[j]! - r.recall[j]!) ** 2, 0) / Math.max(1, r.perSeed.length));
    const users = retrieval[Object.keys(retrieval)[0]!]?.perUser[0]?.length ?? 0;
    const rrows = Object.entries(retrieval).map(([m, r]) => [
      m,
      ...retrievalNs.map((_, j) => `${r.recall[j]!.toFixed(3)} ± ${sdOf(r, j).toFixed(3)}`),
      `${r.seconds.toFixed(1)} s`,
    ]);
    const rhead = ["method", ...retrievalNs.map((n) => `Recall@${n}`), "time"];
    const rw = rhead.map((h, c) => Math.max(h.length, ...rrows.map((r) => r[c]!.length)));
    const rline = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(rw[i]!)).join(" | ") + " |";
    console.log(
      `\nretrieval from the whole catalogue (${file.itemIds.length} items less each person's training items), ${users} users, seeds ${seeds.join(",")} (± = spread over seeds):`,
    );
    console.log(rline(rhead));
    console.log("|" + rw.map((w) => "-".repeat(w + 2)).join("|") + "|");
    for (const r of rrows) console.log(rline(r));
    const f = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);
    for (const [k, d] of Object.entries(retrievalPaired)) {
      console.log(
        `${k}, paired by person (± = standard error): ${retrievalNs.map((n, j) => `Recall@${n} ${f(d.perUser[j]!.mean)} ± ${d.perUser[j]!.se.toFixed(3)}`).join(", ")}`,
      );
      const h = retrievalNs.indexOf(retrievalHeadline);
      console.log(`  by seed, Recall@${retrievalHeadline}: ${d.perSeed.map((p) => `seed ${p.seed} ${f(p.diff[h]!)}`).join(", ")}`);
    }
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
