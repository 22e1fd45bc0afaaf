// `npm run train:ranker` — trains the ranker from the app's engagement log (data/, or TABLERO_DATA_DIR)
// with the production code and installs it in data/models/ when it beats fusion and the current model
// on validation (the newest 20 % of logged lists).
//
// `npm run train:ranker -- --simulate DIR [--simulate DIR …] --out FILE [--sessions 8] [--seed 1] [--family auto|gbdt|linear]`
// Each DIR holds docs.jsonl, queries.jsonl and qrels.tsv (docs/quality.md's format). The documents are
// imported into a fresh temporary database through the app's import path; every query is searched
// through the app's search service `--sessions` times (sessions of all queries interleaved in a seeded
// random order), each served page of 20 cards logged with its features exactly as the search page logs
// it (with the exploration share); a position-based click model (models/rank/clicks.ts) turns the
// judgments into impressions, clicks, close-ups, saves and hides, recorded through the app's
// engagement service with the list's request id; then the production trainer runs on that log with a
// validation split by query (each query's lists on one side), and the model is written to FILE.
// A simulation trains linear heads (`--family linear`) on the text source's and fusion's per-list
// normal forms (TEXT_LIST_FEATURES, `--features text`): what cross-validation on each training
// collection chose by the one-standard-error rule (`npm run select:ranker`, docs/decisions/0013);
// one collection's raw scales, its source weights and its simulated users' own engagement rates do
// not carry to another. `--features per-list`, `no-log` or `all`, `--family gbdt` and `--bag K` to compare.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isContentLang, type Locale } from "../db/enums";

const { values } = parseArgs({
  options: {
    simulate: { type: "string", multiple: true },
    out: { type: "string" },
    sessions: { type: "string" },
    seed: { type: "string" },
    family: { type: "string" },
    json: { type: "boolean" },
    features: { type: "string" },
    trees: { type: "string" },
    depth: { type: "string" },
    "min-leaf": { type: "string" },
    "learning-rate": { type: "string" },
    "early-stopping": { type: "string" },
    split: { type: "string" },
    bag: { type: "string" },
    keep: { type: "boolean" },
  },
});
// Simulations default to linear heads: the family both collections' cross-validation chose
// (docs/decisions/0013, second pass); the app's own log lets validation choose (auto), as before.
const family = (values.family ?? (values.simulate?.length ? "linear" : "auto")) as "auto" | "gbdt" | "linear";
if (!["auto", "gbdt", "linear"].includes(family)) {
  console.error(`--family must be auto, gbdt or linear (got "${values.family}")`);
  process.exit(2);
}
const log = (s: string) => process.stderr.write(s + "\n");
// GBDT size: --trees N --depth N --min-leaf N --learning-rate X --early-stopping on|off (defaults: the trainer's).
const model = {
  ...(values.trees ? { trees: Number(values.trees) } : {}),
  ...(values.depth ? { depth: Number(values.depth) } : {}),
  ...(values["min-leaf"] ? { minLeaf: Number(values["min-leaf"]) } : {}),
  ...(values["learning-rate"] ? { learningRate: Number(values["learning-rate"]) } : {}),
  ...(values["early-stopping"] ? { earlyStopping: values["early-stopping"] !== "off" } : {}),
  // --bag K: K members with seeds seed..seed+K-1, values averaged (steadier than one seed's trees).
  ...(values.bag ? { bag: Number(values.bag) } : {}),
};

/** --features: "text" (default for simulations), "per-list", "no-log" (all but the log's own), "all" (models/rank/selection.ts). */
async function featureChoice(v: string): Promise<readonly string[]> {
  const { FEATURE_CHOICES, ignoreFor } = await import("../models/rank/selection");
  if ((FEATURE_CHOICES as readonly string[]).includes(v)) return ignoreFor(v as (typeof FEATURE_CHOICES)[number]);
  console.error(`--features must be one of ${FEATURE_CHOICES.join(", ")} (got "${v}")`);
  process.exit(2);
}

if (!values.simulate?.length) {
  // From the app's own log (TABLERO_DATA_DIR, or a simulation kept with --keep). With --out the model
  // is written there and not installed; --split query for logs whose queries repeat (simulations).
  const { getDb } = await import("../app/services/db.server");
  const { trainFromLog } = await import("../app/services/discovery/train-ranker.server");
  const split = values.split === "query" ? "query" : "time";
  const ignore = await featureChoice(values.features ?? "all");
  const r = await trainFromLog(getDb(), { family, split, install: !values.out, seed: Number(values.seed ?? 1), ignore, model });
  if (values.out && r.bundle) writeFileSync(resolve(values.out), JSON.stringify(r.bundle));
  console.log(
    JSON.stringify(
      {
        installed: r.installed,
        reason: r.reason,
        file: r.file ?? values.out ?? null,
        family: r.bundle?.family ?? null,
        lists: r.lists,
        validation: r.bundle?.validation ?? null,
        trainedOn: r.bundle?.trainedOn ?? null,
      },
      null,
      2,
    ),
  );
  process.exit(r.bundle ? 0 : 1);
}
if (!values.out) {
  console.error("Usage: npm run train:ranker -- --simulate DIR [--simulate DIR …] --out FILE");
  process.exit(2);
}
const out = resolve(values.out);
const dirs = values.simulate.map((d) => resolve(d));
const dataDir = mkdtempSync(join(tmpdir(), "tablero-simulate-"));
process.env.TABLERO_DATA_DIR = dataDir;
// The simulation's log is trained on once, at the end, with the logging policy fixed (fusion and
// exploration) throughout: no background retraining may swap the ranker mid-way.
process.env.TABLERO_RETRAIN = "off";

const { openDb } = await import("../db/client");
const { pins } = await import("../db/tables");
const { readJsonl, readQrels, validateDocument, validateQuery } = await import("../models/eval/formats");
const { getPipeline } = await import("../app/services/pipeline.server");
const { importRecords } = await import("../app/services/import.server");
const { recordFromDocument } = await import("../app/lib/import-format");
const { search } = await import("../app/services/search.server");
const { signUp } = await import("../app/services/users.server");
const { recordEngagement } = await import("../app/services/engagement.server");
const { newRequestId } = await import("../app/services/discovery/ranking.server");
const { trainFromLog } = await import("../app/services/discovery/train-ranker.server");
const { simulateSession } = await import("../models/rank/clicks");
const { mulberry32 } = await import("../models/rank/learn/index");
type IrDocument = import("../models/eval/formats").IrDocument;
type IrQuery = import("../models/eval/formats").IrQuery;

const db = openDb(join(dataDir, "tablero.db"));
const p = await getPipeline();
const signed = await signUp(db, {
  email: "simulation@tablero.example",
  password: "simulation-only",
  displayName: "Simulation",
  locale: "en",
});
if (!signed.ok) throw new Error("could not create the simulation account");
const lang = (l: string): Locale => (isContentLang(l) ? l : "en");
const rand = mulberry32(Number(values.seed ?? 1));
const sessions = Math.max(1, Number(values.sessions ?? 8));

type Sim = { key: string; query: IrQuery; grades: Map<string, number>; maxGrade: number };
const sims: Sim[] = [];
for (const dir of dirs) {
  const set = basename(dir);
  const docs = readJsonl<IrDocument>(join(dir, "docs.jsonl"), validateDocument);
  const queries = readJsonl<IrQuery>(join(dir, "queries.jsonl"), validateQuery);
  const qrels = readQrels(join(dir, "qrels.tsv"));
  const t0 = Date.now();
  // Record ids are scoped by collection, so two collections never share a document id.
  await importRecords(
    db,
    p,
    signed.user,
    docs.rows.map((d, i) => recordFromDocument(d, i, { idPrefix: `${set}:`, board: set })),
    { defaultBoard: set, visibility: "public", batchSize: 256 },
  );
  log(`${set}: imported ${docs.rows.length} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const q of queries.rows) {
    const judged = qrels.get(q.id);
    if (!judged || ![...judged.values()].some((g) => g > 0)) continue;
    const grades = new Map([...judged].map(([doc, g]) => [`${set}:${doc}`, g]));
    sims.push({ key: `${set}:${q.id}`, query: q, grades, maxGrade: Math.max(...grades.values()) });
  }
}
const docOf = new Map(
  db
    .select({ id: pins.id, source: pins.source })
    .from(pins)
    .all()
    .map((r) => [r.id, r.source.replace(/^import:/, "")]),
);

// Every (query, session) pair, in a seeded random order: engagement statistics build up over time as
// they would in production, instead of one query's sessions all at once.
const order = sims.flatMap((s) => Array.from({ length: sessions }, (_, k) => ({ s, k })));
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const t1 = Date.now();
let events = 0;
for (const [n, { s, k }] of order.entries()) {
  const sessionKey = `sim:${s.key}:${k}`;
  const requestId = newRequestId();
  const r = await search(db, p, {
    q: s.query.text,
    uiLang: lang(s.query.lang),
    viewer: null,
    limit: 20,
    kind: "cards",
    served: { requestId, userId: null, sessionKey },
  });
  const grades = r.cards.map((c) => s.grades.get(docOf.get(c.id) ?? "") ?? 0);
  const outcome = simulateSession(grades, s.maxGrade, rand);
  const evs = outcome.flatMap((o, position) =>
    o.actions.map((action) => ({
      pinId: r.cards[position]!.id,
      action,
      surface: "search",
      query: s.query.text.slice(0, 200),
      position,
      requestId,
    })),
  );
  if (evs.length) events += (await recordEngagement(db, { userId: null, sessionKey }, evs)).accepted;
  if ((n + 1) % 500 === 0) log(`  ${n + 1}/${order.length} searches, ${events} events (${((Date.now() - t1) / 1000).toFixed(0)} s)`);
}
log(`simulated ${order.length} searches of ${sims.length} queries, ${events} events, in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

const report = await trainFromLog(db, {
  dir: join(dataDir, "models"),
  split: "query",
  family,
  source: `simulated from ${dirs.map((d) => basename(d)).join(", ")} (${sessions} sessions a query, position-based click model)`,
  install: false,
  seed: Number(values.seed ?? 1),
  ignore: await featureChoice(values.features ?? "text"),
  model,
});
if (!report.bundle) {
  console.error(`no model: ${report.reason}`);
  process.exit(1);
}
writeFileSync(out, JSON.stringify(report.bundle));
const summary = {
  out,
  family: report.bundle.family,
  lists: report.lists,
  validation: report.bundle.validation,
  trainedOn: report.bundle.trainedOn,
  beatsFusion: report.bundle.validation.ndcg10 > report.bundle.validation.fusionNdcg10,
};
console.log(values.json ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
db.$client.close();
if (values.keep) log(`simulated log kept in ${dataDir} (TABLERO_DATA_DIR=${dataDir} npm run train:ranker -- --split query --out FILE)`);
else rmSync(dataDir, { recursive: true, force: true });
