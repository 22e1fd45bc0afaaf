// `npm run eval:search -- --docs D.jsonl --queries Q.jsonl [--queries Q2.jsonl …] --qrels R.tsv [--json] [--weights text=1,vector=0.6,interest=0.3] [--ranker FILE]`
// Imports the documents into a fresh temporary database through the app's import path, runs every
// query through the app's search service, and prints nDCG@10, MRR@10, Recall@10 and Recall@100 for
// text only, vectors only, today's hand fusion (`fusion`) and the full pipeline (`pipeline`): with
// `--ranker FILE` (a model from `npm run train:ranker`) the pipeline is ordered by that ranker, else
// it is the fusion order too. `--ranker` may be given several times: the first orders `pipeline`, each
// further one a stage `pipeline FILE` (one import, several models; each is scored alone). Several
// `--queries` files (the same questions in several languages) are scored one after the other on one
// import, each with its own table (or JSON line).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isContentLang, type Locale } from "../db/enums";

const { values } = parseArgs({
  options: {
    fusion: { type: "string" },
    docs: { type: "string" },
    queries: { type: "string", multiple: true },
    qrels: { type: "string" },
    json: { type: "boolean" },
    weights: { type: "string" },
    keep: { type: "boolean" },
    ranker: { type: "string", multiple: true },
  },
});
if (!values.docs || !values.queries?.length || !values.qrels) {
  console.error("Usage: npm run eval:search -- --docs D.jsonl --queries Q.jsonl --qrels R.tsv [--json]");
  process.exit(2);
}
// Everything the run writes goes to a temporary folder, set before the app's modules read it.
const dir = mkdtempSync(join(tmpdir(), "tablero-eval-"));
process.env.TABLERO_DATA_DIR = dir;

const { openDb } = await import("../db/client");
const { pins } = await import("../db/tables");
const { readJsonl, readQrels, validateDocument, validateQuery } = await import("../models/eval/formats");
const { evaluateRun } = await import("../models/eval/metrics");
const { DEFAULT_WEIGHTS } = await import("../models/rank/index");
const { getPipeline } = await import("../app/services/pipeline.server");
const { importRecords } = await import("../app/services/import.server");
const { recordFromDocument } = await import("../app/lib/import-format");
const { search } = await import("../app/services/search.server");
const { signUp } = await import("../app/services/users.server");
const { loadBundleFile } = await import("../app/services/discovery/ranker-store.server");
const rankerFiles = values.ranker ?? [];
const rankers = rankerFiles.map((file) => {
  const r = loadBundleFile(file);
  if (!r) {
    console.error(`${file}: not a ranker of this app's feature set`);
    process.exit(2);
  }
  return r;
});
const learned = rankers[0] ?? null;
type Generator = import("../models/rank/index").Generator;
type IrDocument = import("../models/eval/formats").IrDocument;
type IrQuery = import("../models/eval/formats").IrQuery;

const say = (s: string) => (values.json ? process.stderr.write(s + "\n") : console.log(s));
const docs = readJsonl<IrDocument>(values.docs, validateDocument);
const querySets = values.queries.map((file) => ({ file, ...readJsonl<IrQuery>(file, validateQuery) }));
for (const e of [...docs.errors, ...querySets.flatMap((q) => q.errors)]) say(`skipped line ${e.line}: ${e.message}`);
const allQrels = readQrels(values.qrels);
// --weights "text=1,vector=0.3;text=1,vector=0.6" compares several fusions of one import (tuning).
const weightSets = (values.weights ?? "").split(";").map((set) => {
  const w = { ...DEFAULT_WEIGHTS };
  for (const part of set.split(",").filter(Boolean)) {
    const [k, v] = part.split("=");
    if (k && k in w) w[k as Generator] = Number(v);
  }
  return w;
});
const weights = weightSets[0]!;

const db = openDb(join(dir, "tablero.db"));
const p = await getPipeline();
// The dictionaries' reverse indexes are built in the background; a query before the end would see
// part of them, and the figures would vary from run to run.
await (p.translator as { warm?: () => Promise<void> }).warm?.();
const signed = await signUp(db, { email: "eval@tablero.example", password: "evaluation-only", displayName: "Evaluation", locale: "en" });
if (!signed.ok) throw new Error("could not create the evaluation account");
const t0 = Date.now();
const lang = (l: string): Locale => (isContentLang(l) ? l : "en");
await importRecords(
  db,
  p,
  signed.user,
  docs.rows.map((d, i) => recordFromDocument(d, i)),
  { defaultBoard: "Documents", visibility: "public", batchSize: 256 },
);
say(`Imported ${docs.rows.length} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const docOf = new Map(
  db
    .select({ id: pins.id, source: pins.source })
    .from(pins)
    .all()
    .map((r) => [r.id, r.source.replace(/^import:/, "")]),
);

type Stage = [string, Generator[], typeof weights, (typeof rankers)[number] | null];
const all: Generator[] = ["text", "fuzzy", "vector", "interest"];
const stages: Stage[] = [
  ["text", ["text"], weights, null],
  ["vectors", ["vector"], weights, null],
  ["fusion", all, weights, null],
  ...weightSets.map((w, i): Stage => [i === 0 ? "pipeline" : `pipeline ${JSON.stringify(w)}`, all, w, learned]),
  ...rankers.slice(1).map((r, i): Stage => [`pipeline ${rankerFiles[i + 1]}`, all, weights, r]),
];
const fmt = (x: number) => x.toFixed(3);
for (const queries of querySets) {
  // A query file may hold a subset of the collection's queries (a DEV or TEST half, a translated set):
  // only its queries are scored, or the others would count as misses.
  const queryIds = new Set(queries.rows.map((q) => q.id));
  const qrels = new Map([...allQrels].filter(([id]) => queryIds.has(id)));
  const results: Record<string, ReturnType<typeof evaluateRun>> = {};
  for (const [stage, generators, weights, ranker] of stages) {
    const run = new Map<string, string[]>();
    const t1 = Date.now();
    for (const q of queries.rows) {
      const r = await search(db, p, {
        q: q.text,
        uiLang: lang(q.lang),
        viewer: signed.user,
        limit: 100,
        kind: "cards",
        generators,
        weights,
        fusion: values.fusion === "rrf" ? "rrf" : "score",
        ranker,
      });
      run.set(
        q.id,
        r.cards.map((c) => docOf.get(c.id) ?? ""),
      );
    }
    results[stage] = evaluateRun(run, qrels);
    say(`${queries.file} ${stage}: ${queries.rows.length} queries in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  }
  if (values.json) {
    const out: Record<string, Record<string, number>> = {};
    for (const [s, r] of Object.entries(results))
      out[s] = { "ndcg@10": r["ndcg@10"], "mrr@10": r["mrr@10"], "recall@10": r["recall@10"], "recall@100": r["recall@100"] };
    process.stdout.write(
      JSON.stringify({
        queriesFile: queries.file,
        stages: out,
        queries: results.pipeline!.queries,
        weights,
        ranker: learned
          ? {
              file: rankerFiles[0],
              version: learned.bundle.version,
              family: learned.bundle.family,
              source: learned.bundle.trainedOn.source,
            }
          : null,
      }) + "\n",
    );
  } else {
    console.log(`\n${queries.file}\n| stage | nDCG@10 | MRR@10 | Recall@10 | Recall@100 |\n|---|---|---|---|---|`);
    for (const [s, r] of Object.entries(results))
      console.log(`| ${s} | ${fmt(r["ndcg@10"])} | ${fmt(r["mrr@10"])} | ${fmt(r["recall@10"])} | ${fmt(r["recall@100"])} |`);
    console.log(`(${results.pipeline!.queries} judged queries; weights ${JSON.stringify(weights)})`);
  }
}
db.$client.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });
