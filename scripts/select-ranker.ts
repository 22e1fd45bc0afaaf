// `npm run select:ranker -- --log DATA_DIR --collection DIR [--folds 5] [--json]`
// Chooses how to train the search ranker on the TRAINING collection only: K-fold cross-validation by
// query on a simulated log kept by `npm run train:ranker -- --simulate DIR --keep` (DATA_DIR holds its
// database: the collection's documents and the log). For each fold, every candidate configuration is
// trained with the production trainer on the other folds' lists (early stopping and calibration on a
// query split of those) and scored on the fold's queries against the collection's judgments: each
// judged query is searched once through the app's search, the first 50 candidates' features (what the
// search page's ranker sees) are captured, and each model reorders them as serving would.
// It prints each configuration's mean nDCG@10 with its paired standard error against the best, the
// one-standard-error choice (decision 0013: the simplest configuration within one standard error of
// the best, a rule fixed before any test run) and the gain of each feature in a GBDT trained on the
// whole log (which features the model leans on).
import { join, basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isContentLang, type Locale } from "../db/enums";

const { values } = parseArgs({
  options: {
    log: { type: "string" },
    collection: { type: "string" },
    folds: { type: "string" },
    json: { type: "boolean" },
    only: { type: "string" },
  },
});
if (!values.log || !values.collection) {
  console.error("Usage: npm run select:ranker -- --log DATA_DIR --collection DIR [--folds 5] [--json]");
  process.exit(2);
}
const dataDir = resolve(values.log);
process.env.TABLERO_DATA_DIR = dataDir;
process.env.TABLERO_RETRAIN = "off";
const collection = resolve(values.collection);
const set = basename(collection);
const K = Math.max(2, Number(values.folds ?? 5));

const { openDb } = await import("../db/client");
const { pins } = await import("../db/tables");
const { readJsonl, readQrels, validateQuery } = await import("../models/eval/formats");
const { ndcgAt } = await import("../models/eval/metrics");
const { getPipeline } = await import("../app/services/pipeline.server");
const { search } = await import("../app/services/search.server");
const { loggedLists } = await import("../app/services/discovery/served-log.server");
const { SEARCH_RERANK_DEPTH } = await import("../app/services/discovery/ranking.server");
const { compileBundle, hashShare, splitByQuery, trainRanker } = await import("../models/rank/ranker");
const { featureImportance } = await import("../models/rank/learn/index");
const { SELECTION_CONFIGS, ignoreFor } = await import("../models/rank/selection");
type Loaded = import("../app/services/discovery/ranking.server").Loaded;
type IrQuery = import("../models/eval/formats").IrQuery;

const say = (s: string) => (values.json ? process.stderr.write(s + "\n") : console.log(s));
const db = openDb(join(dataDir, "tablero.db"));
const p = await getPipeline();
const queries = readJsonl<IrQuery>(join(collection, "queries.jsonl"), validateQuery).rows;
const qrels = readQrels(join(collection, "qrels.tsv"));
const docOf = new Map(
  db
    .select({ id: pins.id, source: pins.source })
    .from(pins)
    .all()
    .map((r) => [r.id, r.source.replace(/^import:/, "").replace(`${set}:`, "")]),
);
const lang = (l: string): Locale => (isContentLang(l) ? l : "en");
const foldOf = (display: string) => Math.floor(hashShare(`cv:${display}`) * K);

// One search per judged query, with a "ranker" that keeps the fusion order and records the rows it is
// asked to score: the first SEARCH_RERANK_DEPTH candidates' features, in order.
type Captured = { id: string; display: string; fold: number; ids: string[]; rows: Float64Array[]; text: string[] };
const captured: Captured[] = [];
const t0 = Date.now();
for (const q of queries) {
  const judged = qrels.get(q.id);
  if (!judged || ![...judged.values()].some((g) => g > 0)) continue;
  const rows: Float64Array[] = [];
  const capture = {
    bundle: { version: "capture" },
    value: (x: ArrayLike<number>) => (rows.push(Float64Array.from(x)), 1e9 - rows.length),
    // The service scores a request's rows in one batch (values), descending keeps the fusion order.
    values: (xs: readonly ArrayLike<number>[]) => xs.map((x) => (rows.push(Float64Array.from(x)), 1e9 - rows.length)),
  } as unknown as Loaded;
  const r = await search(db, p, { q: q.text, uiLang: lang(q.lang), viewer: null, limit: 100, kind: "cards", ranker: capture });
  const t = await search(db, p, {
    q: q.text,
    uiLang: lang(q.lang),
    viewer: null,
    limit: 100,
    kind: "cards",
    generators: ["text"],
    ranker: null,
  });
  captured.push({
    id: q.id,
    display: r.query.display,
    fold: foldOf(r.query.display),
    ids: r.cards.map((c) => docOf.get(c.id) ?? ""),
    rows: rows.slice(0, SEARCH_RERANK_DEPTH),
    text: t.cards.map((c) => docOf.get(c.id) ?? ""),
  });
}
say(`${set}: ${captured.length} judged queries searched in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const lists = await loggedLists(db, { surfaces: ["search"] });
const ndcg = (c: Captured, ids: readonly string[]) => ndcgAt(ids, qrels.get(c.id)!, 10);
/** The captured list reordered by a model's value over its first rows, as the search page does. */
function reordered(c: Captured, value: (x: ArrayLike<number>) => number): string[] {
  const head = c.rows.map((x, i) => ({ i, v: value(x) })).sort((a, b) => b.v - a.v || a.i - b.i);
  return [...head.map((h) => c.ids[h.i]!), ...c.ids.slice(c.rows.length)];
}

const perQuery = new Map<string, number[]>();
perQuery.set(
  "text stage",
  captured.map((c) => ndcg(c, c.text)),
);
perQuery.set(
  "fusion",
  captured.map((c) => ndcg(c, c.ids)),
);
const only = values.only ? new Set(values.only.split(",")) : null;
for (const cfg of SELECTION_CONFIGS) {
  if (only && !only.has(cfg.name)) continue;
  const t1 = Date.now();
  const scores = new Array<number>(captured.length).fill(0);
  for (let f = 0; f < K; f++) {
    const inner = lists.filter((l) => foldOf(l.query ?? "") !== f);
    const { train, valid } = splitByQuery(inner);
    const bundle = trainRanker(train, valid, { ...cfg.options, ignore: ignoreFor(cfg.features), seed: 1 });
    const value = compileBundle(bundle);
    captured.forEach((c, i) => {
      if (c.fold === f) scores[i] = ndcg(c, value ? reordered(c, value) : c.ids);
    });
  }
  perQuery.set(cfg.name, scores);
  say(`${cfg.name}: ${mean(scores).toFixed(4)} (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
}

function mean(a: readonly number[]) {
  return a.reduce((s, x) => s + x, 0) / a.length;
}
/** Standard error of the mean of per-query differences (paired: the same queries under both). */
function pairedSe(a: readonly number[], b: readonly number[]) {
  const d = a.map((x, i) => x - b[i]!);
  const m = mean(d);
  return Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1) / d.length);
}
const candidates = SELECTION_CONFIGS.filter((c) => perQuery.has(c.name));
const best = candidates.reduce((a, b) => (mean(perQuery.get(b.name)!) > mean(perQuery.get(a.name)!) ? b : a));
const bestScores = perQuery.get(best.name)!;
const table = [...perQuery].map(([name, s]) => ({
  name,
  ndcg10: round(mean(s)),
  seVsBest: name === best.name ? 0 : round(pairedSe(bestScores, s)),
}));
// SELECTION_CONFIGS is ordered simplest first: the first within one standard error of the best.
const chosen = candidates.find((c) => {
  const s = perQuery.get(c.name)!;
  return c.name === best.name || mean(bestScores) - mean(s) <= pairedSe(bestScores, s);
})!;

// What a GBDT on the whole log leans on: total split gain per feature over its heads, as shares.
const { train, valid } = splitByQuery(lists);
const g = trainRanker(train, valid, { family: "gbdt", ignore: ignoreFor("per-list"), seed: 1 });
const gain: Record<string, number> = {};
for (const h of Object.values(g.heads))
  if (h!.model.kind === "gbdt") for (const [n, v] of Object.entries(featureImportance(h!.model))) gain[n] = (gain[n] ?? 0) + v;
const total = Object.values(gain).reduce((s, x) => s + x, 0) || 1;
const importance = Object.entries(gain)
  .filter(([, v]) => v > 0)
  .sort((a, b) => b[1] - a[1])
  .map(([n, v]) => ({ feature: n, share: round(v / total) }));

const out = {
  collection: set,
  queries: captured.length,
  folds: K,
  lists: lists.length,
  table,
  best: best.name,
  chosen: chosen.name,
  rule: "the first configuration (simplest first) within one paired standard error of the best mean nDCG@10",
  importance,
};
if (values.json) console.log(JSON.stringify(out));
else {
  console.log(
    `\n| ${set}, ${K}-fold CV by query (${captured.length} queries) | nDCG@10 | s.e. of the difference to the best |\n|---|---|---|`,
  );
  for (const r of table) console.log(`| ${r.name} | ${r.ndcg10.toFixed(4)} | ${r.seVsBest ? r.seVsBest.toFixed(4) : "—"} |`);
  console.log(`best: ${best.name}; chosen (one-standard-error rule): ${chosen.name}`);
  console.log(`GBDT on per-list features, gain shares: ${importance.map((i) => `${i.feature} ${i.share}`).join(", ")}`);
}
db.$client.close();

function round(x: number) {
  return Math.round(x * 1e4) / 1e4;
}
