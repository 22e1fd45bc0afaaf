// Speed of the search pipeline against the search issue's goals: import throughput, full-search
// latency at N cards (and where the time goes), vector recall@10 of the sign-bit index, and memory.
//
//   npm run bench:search [-- --sizes 10000,100000] [--queries 200] [--import 2000] [--seed 1]
//
// --sizes   corpus sizes (default 10000,100000, ~4 min; 1000000 only when asked: ~13 min, ~2.5 GB RAM, ~3 GB disk)
// --queries real short queries per size through search() (default 200; ~30% are new strings)
// --import  records for the import-throughput step (default 2000; 0 skips it)
//
// Everything is written to a temporary TABLERO_DATA_DIR, removed at the end. The corpus is synthetic
// but anchored in the real model: ~2,000 card-like texts are embedded with USE-Lite and the N card
// vectors are those embeddings plus structured noise (clusteredUnitVectors), so real query embeddings
// land among them; titles and sentences come from the starter library's words (both languages), so
// FTS5 and trigram indexes see realistic term statistics. A benchmark that prints numbers; no asserts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    queries: { type: "string", default: "200" },
    import: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    centres: { type: "string", default: "2000" },
  },
});
const parseSize = (s: string) => {
  const m = /^([\d_.]+)\s*([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]!.replace(/_/g, "")) * (m[2]?.toLowerCase() === "m" ? 1e6 : m[2]?.toLowerCase() === "k" ? 1e3 : 1));
};
const SIZES = values.sizes!.split(",").filter(Boolean).map(parseSize);
const QUERIES = Number(values.queries);
const IMPORT_RECORDS = Number(values.import);
const SEED = Number(values.seed);
const CENTRES = Number(values.centres);
const RECALL_QUERIES = 100;
const NEW_QUERY_SHARE = 0.3; // distinct strings per size / queries: the rest repeat (popular queries)
const DIM = 512;
// How far a card's vector sits from the real embedding it was made from (see buildCorpus).
const NOISE = 0.8;

// Everything the run writes goes to a temporary folder, set before the app's modules read it.
const dir = mkdtempSync(join(tmpdir(), "tablero-bench-"));
process.env.TABLERO_DATA_DIR = dir;

v8.setFlagsFromString("--expose-gc");
const gcNow = vm.runInNewContext("gc") as () => void;
/** Collect, and give V8 a moment to release freed ArrayBuffers (they are swept in the background). */
async function gc() {
  gcNow();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gcNow();
}

const { openDb } = await import("../db/client");
const { pins, users } = await import("../db/tables");
const { eq, inArray, sql } = await import("drizzle-orm");
const { getPipeline } = await import("../app/services/pipeline.server");
const { importRecords } = await import("../app/services/import.server");
const { ensureInterests, interestVectors, scoreInterests } = await import("../app/services/indexing.server");
const { search, understandQuery, lexiconEvidence, textCandidates, fuzzyCandidates, interestCandidates } =
  await import("../app/services/search.server");
const { signUp } = await import("../app/services/users.server");
const { pinIndex, readVectors, readVectorsNow, vectorCandidates } = await import("../app/services/vectors.server");
const { clusteredUnitVectors, exactSearch, mulberry32 } = await import("../models/ann/index");
const { ApertiumTranslator } = await import("../models/embed/apertium");
const { cleanQuery, ftsExpression, trigramExpression } = await import("../models/query/index");
const { fuseScores, rank, DEFAULT_WEIGHTS } = await import("../models/rank/index");
const { normalizeText } = await import("../models/taxonomy/index");
type Db = import("../db/client").Db;
type Pipeline = import("../app/services/pipeline.server").Pipeline;
type Hit = import("../models/ann/index").Hit;
type Candidate = import("../models/rank/index").Candidate;
type CandidateLists = import("../models/rank/index").CandidateLists;
type ImportRecord = import("../app/lib/import-format").ImportRecord;
type Lang = "en" | "es";

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => performance.now();
const mb = () => process.memoryUsage().rss / 2 ** 20;
const secs = (t0: number) => (now() - t0) / 1000;
function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : "—");
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(" | ")} |`;
  return [line(header), `|${w.map((x, i) => (i === 0 ? "-".repeat(x + 2) : "-".repeat(x + 1) + ":")).join("|")}|`, ...rows.map(line)].join(
    "\n",
  );
}

const random = mulberry32(SEED);
const pick = <T>(xs: readonly T[], r: () => number = random): T => xs[Math.floor(r() * xs.length)]!;

// ---------------------------------------------------------------------------------------------
// Words: the starter library (505 cards in 24 topics, English and Spanish) and the interest taxonomy.

type Topic = { en: string; es: string; descEn: string; words: { en: string; es: string }[] };
const library = JSON.parse(readFileSync(new URL("../db/seed/starter-library.json", import.meta.url), "utf8")) as {
  topics: { slug: string; title: Record<Lang, string>; description: Record<Lang, string>; cards: { en: string; es: string }[] }[];
};
const taxonomy = JSON.parse(readFileSync(new URL("../models/taxonomy/interests.json", import.meta.url), "utf8")) as {
  interests: { slug: string; parent: string | null; labels: Record<Lang, string>; synonyms: Record<Lang, string[]> }[];
};
const topics: Topic[] = library.topics.map((t) => ({
  en: t.title.en,
  es: t.title.es,
  descEn: t.description.en,
  words: t.cards.map((c) => ({ en: c.en, es: c.es })),
}));
{
  // Interest roots become topics too; their nodes are the words ("aphasia exercises", "logopedia").
  const parent = new Map(taxonomy.interests.map((i) => [i.slug, i.parent]));
  const rootOf = (slug: string): string => {
    let s = slug;
    while (parent.get(s)) s = parent.get(s)!;
    return s;
  };
  const roots = new Map<string, Topic>();
  for (const i of taxonomy.interests) {
    if (i.parent === null) roots.set(i.slug, { en: i.labels.en, es: i.labels.es, descEn: i.synonyms.en.slice(0, 3).join(", "), words: [] });
  }
  for (const i of taxonomy.interests)
    roots.get(rootOf(i.slug))!.words.push({ en: i.labels.en.toLowerCase(), es: i.labels.es.toLowerCase() });
  topics.push(...[...roots.values()].filter((t) => t.words.length >= 3));
}

// Sentences in both languages from one template, so a Spanish card's "English" column reads like
// Apertium's translation of it.
const TEMPLATES: [(w: string, a: string, b: string, t: string) => string, (w: string, a: string, b: string, t: string) => string][] = [
  [(w, a, b) => `${cap(w)}, like ${a} and ${b}.`, (w, a, b) => `${cap(w)}, como ${a} y ${b}.`],
  [(w) => `Point to the ${w} and say the word.`, (w) => `Señala ${w} y di la palabra.`],
  [(w, a) => `We use the ${w} every day, with the ${a}.`, (w, a) => `Usamos ${w} todos los días, con ${a}.`],
  [(w) => `Say ${w} slowly, then use it in a sentence.`, (w) => `Di ${w} despacio y luego úsalo en una frase.`],
  [(w, _a, _b, t) => `A card for practising ${w} in ${t}.`, (w, _a, _b, t) => `Una tarjeta para practicar ${w} en ${t}.`],
  [(w, a) => `Is it ${w} or ${a}? Choose one.`, (w, a) => `¿Es ${w} o ${a}? Elige uno.`],
  [(w, a) => `My ${w} is next to the ${a}.`, (w, a) => `Mi ${w} está al lado de ${a}.`],
];
function sentence(
  topic: Topic,
  word: { en: string; es: string },
  lang: Lang,
  r: () => number,
  template = Math.floor(r() * TEMPLATES.length),
): string {
  const a = pick(topic.words, r);
  const b = pick(topic.words, r);
  const t = (lang === "es" ? topic.es : topic.en).toLowerCase();
  return TEMPLATES[template]![lang === "es" ? 1 : 0](word[lang], a[lang], b[lang], t);
}
const altOf = (title: string, lang: Lang) => (lang === "es" ? `Tarjeta de texto: ${title}` : `Text card: ${title}`);

// ---------------------------------------------------------------------------------------------
// Queries people type: a curated mix of English and Spanish plus the library's own words.

const CURATED: [string, Lang][] = [
  ...(
    "apple|food|words for food|dog|happy|drink water|doctor|sandwich|sandwitch|kitchen|aphasia exercises|speech therapy|family|rain|" +
    "shoes|cat|tired|brush teeth|music|money|fruit and vegetables|feelings|I want coffee|bathroom|bus|pain|hospital|birthday|breakfast|grandma"
  )
    .split("|")
    .map((q): [string, Lang] => [q, "en"]),
  ...(
    "afasia|ejercicios de habla|manzana|comida|perro|feliz|beber agua|médico|espagueti|cocina|terapia del habla|familia|lluvia|zapatos|" +
    "gato|cansado|lavarse los dientes|música|dinero|frutas y verduras|sentimientos|quiero café|baño|autobús|dolor|desayuno|abuela"
  )
    .split("|")
    .map((q): [string, Lang] => [q, "es"]),
];
const VARIATIONS: Record<Lang, ((q: string) => string)[]> = {
  en: [(q) => q, (q) => `${q} cards`, (q) => `${q} pictures`, (q) => `my ${q}`, (q) => `words for ${q}`],
  es: [(q) => q, (q) => `tarjetas de ${q}`, (q) => `${q} fotos`, (q) => `mi ${q}`, (q) => `palabras para ${q}`],
};
const usedQueries = new Set<string>(); // normalised, across sizes: the service caches per query string
function queryPool(n: number, r: () => number): { q: string; lang: Lang }[] {
  const pool: { q: string; lang: Lang }[] = [];
  for (let tries = 0; pool.length < n && tries < n * 200; tries++) {
    let q: string;
    let lang: Lang;
    if (r() < 0.5) {
      const [base, l] = pick(CURATED, r);
      lang = l;
      q = r() < 0.5 ? base : pick(VARIATIONS[l], r)(base);
    } else {
      lang = r() < 0.4 ? "es" : "en";
      q = pick(pick(topics, r).words, r)[lang];
    }
    const key = normalizeText(q);
    if (usedQueries.has(key)) continue;
    usedQueries.add(key);
    pool.push({ q, lang });
  }
  return pool;
}
/** `count` queries from the pool, popular ones more often (Zipf, s = 1). */
function queryStream(pool: { q: string; lang: Lang }[], count: number, r: () => number) {
  const w = pool.map((_, i) => 1 / (i + 1));
  const total = w.reduce((a, b) => a + b, 0);
  return Array.from({ length: count }, () => {
    let x = r() * total;
    let i = 0;
    while (i < pool.length - 1 && (x -= w[i]!) > 0) i++;
    return pool[i]!;
  });
}

// ---------------------------------------------------------------------------------------------
// Exact top-k by streaming pin_vec (the store of record) through exactSearch, all queries per chunk.

function exactTopK(db: Db, queries: Float32Array[], k: number): Hit[][] {
  const CHUNK = 16384;
  const buf = new Float32Array(CHUNK * DIM);
  const ids = new Int32Array(CHUNK);
  const best: Hit[][] = queries.map(() => []);
  let n = 0;
  const flush = () => {
    if (!n) return;
    const v = buf.subarray(0, n * DIM);
    const idv = ids.subarray(0, n);
    queries.forEach((q, i) => {
      const merged = best[i]!.concat(exactSearch(v, idv, DIM, q, k));
      merged.sort((a, b) => b.score - a.score || a.id - b.id);
      best[i] = merged.slice(0, k);
    });
    n = 0;
  };
  for (const r of db.$client.prepare("SELECT pin_id AS id, embedding FROM pin_vec").iterate() as Iterable<{
    id: number;
    embedding: Buffer;
  }>) {
    buf.set(new Float32Array(r.embedding.buffer, r.embedding.byteOffset, DIM), n * DIM);
    ids[n++] = Number(r.id);
    if (n === CHUNK) flush();
  }
  flush();
  return best;
}

// ---------------------------------------------------------------------------------------------
// Stage timings: the service's own SQL and calls, repeated outside search() so each can be timed
// (search.server.ts keeps these helpers private; keep in step with it).

const PER_GENERATOR = 200;
type Understood = Awaited<ReturnType<typeof understandQuery>>;
type StageTimes = Record<string, number>;

// The service's own generators are timed, not copies of them.
const asCandidates = (rows: { id: number; score: number }[]): Candidate[] =>
  rows.map((x, i) => ({ id: x.id, score: x.score, rank: i + 1 }));
function visibleAndInfo(db: Db, ids: number[]) {
  const visible = new Set(
    (
      db.$client
        .prepare(
          `SELECT p.id FROM pin p WHERE p.id IN (SELECT value FROM json_each(?)) AND (
         p.creator_id = ? OR EXISTS (SELECT 1 FROM board_pin bp JOIN board b ON b.id = bp.board_id
           WHERE bp.pin_id = p.id AND (b.visibility = 'public' OR b.owner_id = ?)))`,
        )
        .all(JSON.stringify(ids), -1, -1) as { id: number }[]
    ).map((r) => r.id),
  );
  const keep = ids.filter((id) => visible.has(id));
  if (!keep.length) return new Map<number, { lang: string; saves: number }>();
  const rows = db
    .select({
      id: pins.id,
      title: pins.title,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      creatorName: users.displayName,
      saves: sql<number>`(select count(*) from board_pin bp where bp.pin_id = "pin"."id") - 1`,
    })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(inArray(pins.id, keep))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** How many rows the text and trigram MATCH expressions of a query hit (what BM25 has to score). */
function matchCounts(db: Db, u: Understood): { fts: number; tri: number } {
  const translated = u.translated ? cleanQuery(u.translated).tokens : [];
  const own = ftsExpression(u.tokens);
  const other = ftsExpression(translated.filter((t) => !u.tokens.includes(t)));
  const expr = own ? (other ? `(${own}) OR (title : (${other}))` : own) : null;
  const tri = trigramExpression(u.tokens);
  const count = (table: string, e: string | null) =>
    e ? (db.$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH ?`).get(e) as { n: number }).n : 0;
  return { fts: count("pin_fts", expr), tri: count("pin_tri", tri) };
}

async function stageTimes(
  db: Db,
  p: Pipeline,
  q: string,
  uiLang: Lang,
  extraIds: (() => number[]) & { timed: number },
): Promise<StageTimes & { interestRows: number }> {
  const t: StageTimes = {};
  const time = <T>(name: string, f: () => T): T => {
    const t0 = now();
    const v = f();
    t[name] = now() - t0;
    return v;
  };
  const timeAsync = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = now();
    const v = await f();
    t[name] = now() - t0;
    return v;
  };
  // Translation and embedding are cached per query inside the service, so this is the rest of it.
  let t0 = now();
  const u = await understandQuery(db, p, q, uiLang);
  t["understand (no model)"] = now() - t0;
  t0 = now();
  await p.embedder.embed([u.english ?? u.display]);
  t["embed query"] = now() - t0;
  await timeAsync("  lexicon count (FTS)", () => lexiconEvidence(db, u.tokens));
  const translated = u.translated ? cleanQuery(u.translated).tokens : [];
  const lists: CandidateLists = {};
  lists.text = await timeAsync("FTS5 bm25 top 200", () => textCandidates(db, "pin_fts", u.tokens, translated));
  lists.fuzzy = await timeAsync("trigram top 100 → 50", () => fuzzyCandidates(db, u.tokens));
  const fetchVectors = (ids: number[]) => readVectorsNow(db, "pin_vec", ids);
  const index = await pinIndex(db);
  const hits = u.vec
    ? time("vector (sign-bit → 200)", () => index.search(u.vec!, PER_GENERATOR, { candidates: vectorCandidates(index.size), fetchVectors }))
    : [];
  lists.vector = asCandidates(hits);
  // What the re-rank would cost if it read its 800 floats back from vec0 (the service keeps them
  // resident: floats up to 150k cards, int8 above). Timed on the first queries only: slow at 1M.
  if (extraIds.timed++ < 10) {
    const wanted = [...new Set([...hits.map((h) => h.id), ...extraIds()])].slice(0, 800);
    await timeAsync("  (not used) 800 floats read from vec0", () => readVectors(db, "pin_vec", wanted));
  }
  const interestRead = { rows: 0 };
  lists.interest = await timeAsync("interest match", () => interestCandidates(db, p, "pin", u, interestRead));
  const fused = time("fuse", () => fuseScores(lists, DEFAULT_WEIGHTS));
  const info = time("visibility + card info", () =>
    visibleAndInfo(
      db,
      fused.map((f) => f.id),
    ),
  );
  time("rank", () =>
    rank(
      fused.filter((f) => info.has(f.id)),
      (id) => ({ saves: info.get(id)!.saves, langMatch: info.get(id)!.lang === u.lang }),
    ),
  );
  return { ...t, interestRows: interestRead.rows };
}

// ---------------------------------------------------------------------------------------------
// 0. The model

console.log(
  `Tablero search benchmark: node ${process.version}, sizes ${SIZES.map((n) => n.toLocaleString("en")).join(", ")}, ${QUERIES} queries per size, seed ${SEED}`,
);
if (SIZES.some((n) => n >= 1_000_000)) {
  console.log(
    "WARNING: 1M cards takes ~13 minutes on 2 cores (build ~2.5 min, searches ~1 s each, exact reference ~2 min), ~2.5 GB of RAM\n" +
      "at peak (2 GB of generated floats while the corpus is built) and ~3 GB of temporary disk (the database).\n" +
      "The service's own RSS is printed after the generated floats are freed.",
  );
}
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");
const loadAtStart = loadavg()[0]!;
console.log(
  `load average (1/5/15 min) at start: ${load()}${loadAtStart > 1.5 ? " — other work is competing for this machine's 2 cores: times will be inflated" : ""}`,
);
const rssStart = mb();
let t0 = now();
const p = await getPipeline();
await p.embedder.embed(["warm up the encoder"]);
const rssModel = mb();
console.log(
  `Model loaded in ${secs(t0).toFixed(1)} s; translator ${p.translator.id}${p.translator.canTranslate("es") ? "" : " (no Apertium: Spanish stays untranslated)"}; RSS ${rssStart.toFixed(0)} → ${rssModel.toFixed(0)} MB`,
);

// Probe queries for realism checks: how close real queries come to their nearest cards.
const PROBES: [string, Lang][] = CURATED.filter((_, i) => i % 2 === 0);
const probeEnglish = await p.translator.toEnglish(
  PROBES.filter(([, l]) => l === "es").map(([q]) => q),
  "es",
);
const probeTexts = (() => {
  let j = 0;
  return PROBES.map(([q, l]) => (l === "es" ? (probeEnglish[j++] ?? q) : q));
})();
const probeVecs = await p.embedder.embed(probeTexts);
const nearestCosines = (db: Db) => {
  const top = exactTopK(db, probeVecs, 10);
  return { top1: mean(top.map((h) => h[0]?.score ?? 0)), top10: mean(top.map((h) => h[9]?.score ?? 0)) };
};

// ---------------------------------------------------------------------------------------------
// 1. Import throughput through the real path

type ImportRow = { label: string; cards: number; seconds: number; embed: number; translate: number; texts: number };
// The same pipeline with clocks on the encoder and the translator, to split an import's time.
const clock = { embed: 0, translate: 0, texts: 0 };
const timedPipeline: Pipeline = {
  taxonomy: p.taxonomy,
  embedder: {
    id: p.embedder.id,
    dim: p.embedder.dim,
    embed: async (texts) => {
      const t = now();
      const out = await p.embedder.embed(texts);
      clock.embed += now() - t;
      clock.texts += texts.length;
      return out;
    },
  },
  translator: {
    id: p.translator.id,
    canTranslate: (from) => p.translator.canTranslate(from),
    canTranslateBetween: (from, to) => p.translator.canTranslateBetween(from, to),
    toEnglish: async (texts, from) => {
      const t = now();
      const out = await p.translator.toEnglish(texts, from);
      clock.translate += now() - t;
      return out;
    },
    translate: async (texts, from, to) => {
      const t = now();
      const out = await p.translator.translate(texts, from, to);
      clock.translate += now() - t;
      return out;
    },
  },
};
const importRows: ImportRow[] = [];
let realCosines: { top1: number; top10: number } | null = null;
if (IMPORT_RECORDS > 0) {
  console.log(
    `\n== Import: ${IMPORT_RECORDS} mixed English/Spanish records, then ${IMPORT_RECORDS / 4} English-only and ${IMPORT_RECORDS / 4} Spanish-only (importRecords, its default batch size) ==`,
  );
  const db = openDb(join(dir, "import", "tablero.db"));
  const signed = await signUp(db, { email: "bench@tablero.example", password: "benchmark-only", displayName: "Bench", locale: "en" });
  if (!signed.ok) throw new Error("could not create the benchmark account");
  t0 = now();
  await ensureInterests(db, p);
  console.log(`first use of a fresh database: taxonomy embedded in ${secs(t0).toFixed(1)} s (once per database, not counted below)`);
  const r = mulberry32(SEED + 7);
  let nextId = 0;
  const records = (n: number, lang?: Lang): ImportRecord[] =>
    Array.from({ length: n }, () => {
      const topic = pick(topics, r);
      const word = pick(topic.words, r);
      const l: Lang = lang ?? (r() < 0.5 ? "es" : "en");
      const id = nextId++;
      return {
        id: `bench-${id}`,
        title: word[l],
        text: sentence(topic, word, l, r),
        lang: l,
        board: `${l === "es" ? topic.es : topic.en}${r() < 0.3 ? ` ${1 + Math.floor(r() * 3)}` : ""}`,
        tags: r() < 0.3 ? [(l === "es" ? topic.es : topic.en).toLowerCase()] : [],
        line: id + 1,
      };
    });
  for (const [label, n, lang] of [
    ["mixed en/es", IMPORT_RECORDS, undefined],
    ["English only", IMPORT_RECORDS / 4, "en"],
    ["Spanish only", IMPORT_RECORDS / 4, "es"],
  ] as [string, number, Lang | undefined][]) {
    const recs = records(Math.round(n), lang);
    Object.assign(clock, { embed: 0, translate: 0, texts: 0 });
    t0 = now();
    const summary = await importRecords(db, timedPipeline, signed.user, recs, { defaultBoard: "Imported", visibility: "public" });
    const s = secs(t0);
    importRows.push({
      label,
      cards: summary.created,
      seconds: s,
      embed: clock.embed / 1000,
      translate: clock.translate / 1000,
      texts: clock.texts,
    });
    console.log(
      `${label}: ${summary.created} cards in ${s.toFixed(1)} s = ${(summary.created / s).toFixed(0)} cards/s — ` +
        `encoder ${(clock.embed / 1000).toFixed(1)} s (${clock.texts} texts incl. boards, ${(clock.texts / (clock.embed / 1000)).toFixed(0)}/s), ` +
        `Apertium ${(clock.translate / 1000).toFixed(1)} s, everything else ${(s - clock.embed / 1000 - clock.translate / 1000).toFixed(1)} s`,
    );
  }
  realCosines = nearestCosines(db);
  console.log(
    `real corpus (${importRows.reduce((a, b) => a + b.cards, 0)} embedded cards): probe queries' nearest card cosine ${realCosines.top1.toFixed(3)}, 10th ${realCosines.top10.toFixed(3)}`,
  );
  db.$client.close();
  rmSync(join(dir, "import"), { recursive: true, force: true });
  rmSync(join(dir, "images"), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// 2. Real embeddings to anchor the synthetic corpus: ~2,000 card-like texts (what indexPins embeds:
//    word. picture description. note. board titles), each a cluster centre.

type Centre = { topic: number; word: { en: string; es: string } };
const centres: Centre[] = [];
const centreTexts: string[] = [];
{
  const r = mulberry32(SEED + 11);
  const all: { c: Centre; text: string }[] = [];
  topics.forEach((topic, ti) => {
    for (const word of topic.words) {
      const c = { topic: ti, word };
      all.push({ c, text: `${word.en}. ${altOf(word.en, "en")}. ${topic.en}` });
      all.push({ c, text: `${word.en}. ${altOf(word.en, "en")}. ${sentence(topic, word, "en", r)}. ${topic.en}` });
      all.push({ c, text: `${word.en}. ${altOf(word.en, "en")}. ${sentence(topic, word, "en", r)}. ${topic.en}` });
      all.push({ c, text: `${cap(word.en)}. A picture of ${word.en}. ${topic.descEn}` });
    }
  });
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  for (const x of all.slice(0, CENTRES)) {
    centres.push(x.c);
    centreTexts.push(x.text);
  }
}
t0 = now();
const centreVecs = await p.embedder.embed(centreTexts);
console.log(`\nEmbedded ${centres.length} card-like texts as cluster centres in ${secs(t0).toFixed(1)} s (${topics.length} topics)`);

// ---------------------------------------------------------------------------------------------
// 3. Per size: build the corpus, time searches and stages, measure recall and memory.

type SizeRow = {
  n: number;
  build: number;
  index: number;
  warmup: number;
  all: number[];
  repeat: number[];
  fresh: number[];
  recall10: number;
  recall100: number;
  rss: number;
  rssBuilt: number;
  dbMb: number;
};
const sizeRows: SizeRow[] = [];

async function buildCorpus(db: Db, n: number) {
  const r = mulberry32(SEED * 1000 + n);
  const c = db.$client;
  const timings: Record<string, number> = {};
  const add = (k: string, t: number) => (timings[k] = (timings[k] ?? 0) + t);
  const sync = c.pragma("synchronous", { simple: true });
  c.pragma("synchronous = OFF"); // build only; searches only read

  // People and boards: a few thousand boards of a few dozen people, most public.
  const boardCount = Math.min(4000, Math.max(100, Math.round(n / 25)));
  const creatorCount = Math.min(200, Math.max(5, Math.round(boardCount / 30)));
  const boards: { id: number; owner: number; topic: number; lang: Lang; title: string; pos: number }[] = [];
  const byTopicLang = new Map<string, number[]>();
  const byTopic = new Map<number, number[]>();
  c.transaction(() => {
    const insUser = c.prepare("INSERT INTO user (id, email, password_hash, display_name, locale) VALUES (?, ?, 'x', ?, ?)");
    for (let u = 1; u <= creatorCount; u++) insUser.run(u, `creator${u}@bench.example`, `Creator ${u}`, u % 3 ? "en" : "es");
    const insBoard = c.prepare("INSERT INTO board (id, owner_id, title, lang, visibility) VALUES (?, ?, ?, ?, ?)");
    const suffix: Record<Lang, string[]> = {
      en: ["", "", " at home", " practice", " for Mum", " 2"],
      es: ["", "", " en casa", " práctica", " para mamá", " 2"],
    };
    for (let b = 1; b <= boardCount; b++) {
      const topic = (b - 1) % topics.length;
      const lang: Lang = r() < 0.35 ? "es" : "en";
      const title = `${topics[topic]![lang]}${pick(suffix[lang], r)}`;
      const x = r();
      const visibility = x < 0.8 ? "public" : x < 0.9 ? "unlisted" : "private";
      const owner = 1 + Math.floor(r() * creatorCount);
      insBoard.run(b, owner, title, lang, visibility);
      boards.push({ id: b, owner, topic, lang, title, pos: 0 });
      const key = `${topic}:${lang}`;
      byTopicLang.set(key, [...(byTopicLang.get(key) ?? []), b - 1]);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), b - 1]);
    }
    c.prepare("INSERT OR IGNORE INTO image (key, width, height, bytes) VALUES (?, 512, 512, 600)").run(`${"0".repeat(64)}.svg`);
  })();

  // Interests per centre, scored by the service's own scorer on the real embedding.
  await ensureInterests(db, p);
  const iv = await interestVectors(db);
  const centreInterests = centres.map((ce, i) => {
    const topic = topics[ce.topic]!;
    return scoreInterests(iv, p, [ce.word.en, altOf(ce.word.en, "en"), topic.en, ""], centreVecs[i]!);
  });

  // Vectors: real centre + NOISE × (a clusteredUnitVectors point whose cluster is that centre), so
  // cards of one word sit together around the real embedding, with a structured spread.
  let t = now();
  let syn: ReturnType<typeof clusteredUnitVectors> | null = clusteredUnitVectors(n, DIM, { clusters: centres.length, seed: SEED + n });
  const vectors = syn.vectors;
  const labels = syn.labels;
  let cardToCentre = 0;
  for (let i = 0; i < n; i++) {
    const centre = centreVecs[labels[i]!]!;
    const off = i * DIM;
    let s = 0;
    for (let j = 0; j < DIM; j++) {
      const x = centre[j]! + NOISE * vectors[off + j]!;
      vectors[off + j] = x;
      s += x * x;
    }
    const inv = 1 / Math.sqrt(s);
    let dot = 0;
    for (let j = 0; j < DIM; j++) {
      vectors[off + j]! *= inv;
      dot += vectors[off + j]! * centre[j]!;
    }
    cardToCentre += dot;
  }
  add("vectors (generate)", now() - t);

  const ins = {
    pin: c.prepare(
      "INSERT INTO pin (id, creator_id, title, note, lang, image_key, image_width, image_height, alt, source) VALUES (?, ?, ?, ?, ?, ?, 512, 512, ?, 'upload')",
    ),
    bp: c.prepare("INSERT INTO board_pin (board_id, pin_id, position, saved_by) VALUES (?, ?, ?, ?)"),
    fts: c.prepare("INSERT INTO pin_fts (rowid, title, body, context, english) VALUES (?, ?, ?, ?, ?)"),
    tri: c.prepare("INSERT INTO pin_tri (rowid, words) VALUES (?, ?)"),
    vec: c.prepare("INSERT INTO pin_vec (pin_id, embedding) VALUES (?, ?)"),
    interest: c.prepare("INSERT INTO pin_interest (pin_id, interest_id, score) VALUES (?, ?, ?)"),
  };
  const imageKey = `${"0".repeat(64)}.svg`;
  const CHUNK = 20_000;
  for (let start = 0; start < n; start += CHUNK) {
    c.transaction(() => {
      for (let i = start; i < Math.min(n, start + CHUNK); i++) {
        const id = i + 1;
        const ce = centres[labels[i]!]!;
        const topic = topics[ce.topic]!;
        const lang: Lang = r() < 0.35 ? "es" : "en";
        const board = boards[pick(byTopicLang.get(`${ce.topic}:${lang}`) ?? byTopic.get(ce.topic)!, r)]!;
        const second = r() < 0.12 ? boards[pick(byTopic.get(ce.topic)!, r)]! : null;
        const template = Math.floor(r() * TEMPLATES.length);
        const r2 = mulberry32(id); // the same friend words in both languages
        const note = sentence(topic, ce.word, lang, r2, template);
        const title = ce.word[lang];
        const alt = altOf(title, lang);
        // The other language, as indexPinBatch stores it: Spanish cards' English (title, alt, note),
        // English cards' Spanish (title, alt).
        const other: Lang = lang === "es" ? "en" : "es";
        const otherText =
          lang === "es"
            ? `${ce.word.en}. ${altOf(ce.word.en, "en")}. ${sentence(topic, ce.word, "en", mulberry32(id), template)}`
            : `${ce.word.es}. ${altOf(ce.word.es, other)}`;
        let t1 = now();
        ins.pin.run(id, board.owner, title, note, lang, imageKey, alt);
        ins.bp.run(board.id, id, board.pos++, board.owner);
        if (second && second.id !== board.id) ins.bp.run(second.id, id, second.pos++, second.owner);
        let t2 = now();
        add("pin + board_pin rows", t2 - t1);
        const context = second && second.id !== board.id ? `${board.title}; ${second.title}` : board.title;
        ins.fts.run(id, title, `${alt} ${note}`, context, otherText);
        t1 = now();
        add("pin_fts (FTS5)", t1 - t2);
        ins.tri.run(id, `${title} ${otherText.split(/[.;]/)[0] ?? ""}`.slice(0, 200));
        t2 = now();
        add("pin_tri (trigram FTS5)", t2 - t1);
        ins.vec.run(BigInt(id), vectors.subarray(i * DIM, (i + 1) * DIM));
        t1 = now();
        add("pin_vec (sqlite-vec)", t1 - t2);
        for (const s of centreInterests[labels[i]!]!)
          ins.interest.run(id, s.interestId, Math.round(s.score * (0.9 + 0.2 * r()) * 1000) / 1000);
        add("pin_interest", now() - t1);
      }
    })();
  }
  syn = null; // the generated floats are the bench's, not the server's: let them go
  t = now();
  c.pragma("wal_checkpoint(TRUNCATE)");
  c.pragma(`synchronous = ${sync}`);
  add("WAL checkpoint", now() - t);
  return { timings, cardToCentre: cardToCentre / n, boardCount, creatorCount };
}

for (const n of SIZES) {
  console.log(`\n== ${n.toLocaleString("en")} cards ==`);
  const sizeDir = join(dir, `n${n}`);
  const db = openDb(join(sizeDir, "tablero.db"));
  let t = now();
  const built = await buildCorpus(db, n);
  const buildS = secs(t);
  await gc();
  const rssBuilt = mb();
  const dbMb =
    (db.$client.prepare("SELECT page_count * page_size AS b FROM pragma_page_count(), pragma_page_size()").get() as { b: number }).b /
    2 ** 20;
  console.log(
    `built in ${buildS.toFixed(1)} s (${built.creatorCount} creators, ${built.boardCount} boards, database ${dbMb.toFixed(0)} MB): ` +
      Object.entries(built.timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(", "),
  );
  const synth = nearestCosines(db);
  console.log(
    `realism: card ↔ its real centre cosine ${built.cardToCentre.toFixed(3)}; probe queries' nearest card ${synth.top1.toFixed(3)}, 10th ${synth.top10.toFixed(3)}` +
      (realCosines ? ` (real imported cards: ${realCosines.top1.toFixed(3)}, ${realCosines.top10.toFixed(3)})` : ""),
  );

  // The in-memory index, built as the first search would build it.
  t = now();
  const index = await pinIndex(db);
  const indexS = secs(t);
  console.log(
    `sign-bit index: ${index.size.toLocaleString("en")} vectors in ${indexS.toFixed(1)} s, ${index.keepVectors ? "floats resident" : index.keepInt8 ? "int8 copies resident (scores within ~0.001)" : "codes only, floats read from SQLite per query"}, ${((index.size * index.bytesPerVector) / 2 ** 20).toFixed(0)} MB of typed arrays`,
  );
  t = now();
  await search(db, p, { q: `warm up ${n}`, uiLang: "en", viewer: null, limit: 24, kind: "cards" });
  const warmup = now() - t;
  console.log(`warm-up query (new string: Apertium + embedding + first statements): ${ms(warmup)} ms`);

  // The query stream: ~30% new strings (pay Apertium and the encoder once), the rest repeats.
  const r = mulberry32(SEED * 7 + n);
  const pool = queryPool(Math.max(1, Math.round(QUERIES * NEW_QUERY_SHARE)), r);
  const stream = queryStream(pool, QUERIES, r);
  const seen = new Set<string>();
  const all: number[] = [];
  const repeat: number[] = [];
  const fresh: number[] = [];
  const repeatByQuery = new Map<string, number[]>();
  let results = 0;
  for (const { q, lang } of stream) {
    const key = normalizeText(q);
    const isNew = !seen.has(key);
    seen.add(key);
    t = now();
    const res = await search(db, p, { q, uiLang: lang, viewer: null, limit: 24, kind: "cards" });
    const d = now() - t;
    results += res.cards.length;
    all.push(d);
    (isNew ? fresh : repeat).push(d);
    if (!isNew) repeatByQuery.set(key, [...(repeatByQuery.get(key) ?? []), d]);
  }
  console.log(
    `full search(), ${stream.length} queries (${fresh.length} new strings, ${repeat.length} repeats; ${(results / stream.length).toFixed(1)} cards per answer): ` +
      `p50 ${ms(pct(all, 0.5))} ms, p95 ${ms(pct(all, 0.95))} ms, max ${ms(Math.max(...all))} ms | repeats p50 ${ms(pct(repeat, 0.5))} p95 ${ms(pct(repeat, 0.95))} | new p50 ${ms(pct(fresh, 0.5))} p95 ${ms(pct(fresh, 0.95))}`,
  );

  // Where the time goes: each stage on its own, for every query of the stream.
  const stages: Record<string, number[]> = {};
  const interestRows: number[] = [];
  const er = mulberry32(n);
  const extraIds = Object.assign(() => Array.from({ length: 800 }, () => 1 + Math.floor(er() * n)), { timed: 0 });
  const stagesByQuery = new Map<string, { q: string; st: StageTimes & { interestRows: number } }>();
  // Every query of the stream; at 1M the first 60 (each costs ~2 s there, and the run must stay short).
  const staged = n >= 500_000 ? stream.slice(0, 60) : stream;
  for (const { q, lang } of staged) {
    const st = await stageTimes(db, p, q, lang, extraIds);
    interestRows.push(st.interestRows);
    stagesByQuery.set(normalizeText(q), { q, st });
    for (const [k, v] of Object.entries(st)) if (k !== "interestRows") (stages[k] ??= []).push(v);
  }
  // Apertium per new query string (the translator remembers the ones it has seen, so time a
  // translator of its own with no memory, its pipelines started beforehand as the service's are).
  const apertium: number[] = [];
  const noMemory = p.translator instanceof ApertiumTranslator ? new ApertiumTranslator({ cacheSize: 0 }) : p.translator;
  if (noMemory instanceof ApertiumTranslator) {
    noMemory.warm();
    await noMemory.translate(["hola"], "es", "en");
    await noMemory.translate(["hello"], "en", "es");
  }
  for (const { q, lang } of pool.slice(0, 10)) {
    t = now();
    await noMemory.translate([q], lang, lang === "es" ? "en" : "es");
    apertium.push(now() - t);
  }
  if (noMemory instanceof ApertiumTranslator) noMemory.close();
  stages["Apertium, new strings (10 timed)"] = apertium;
  const repeatMean = mean(repeat);
  console.log(
    table(
      [`stage (per query, ${staged.length} queries)`, "p50 ms", "p95 ms", "mean ms"],
      Object.entries(stages).map(([k, v]) => [k, ms(pct(v, 0.5)), ms(pct(v, 0.95)), ms(mean(v))]),
    ),
  );
  const summed = Object.entries(stages)
    .filter(([k]) => !k.startsWith(" ") && !k.startsWith("Apertium") && k !== "embed query")
    .reduce((a, [, v]) => a + mean(v), 0);
  console.log(
    `sum of top-level stages (cached model calls) ${ms(summed)} ms vs full search() on repeats ${ms(repeatMean)} ms (mean); interest match read ${ms(mean(interestRows))} pin_interest rows per query (max ${Math.max(...interestRows)})`,
  );
  // The slowest repeated queries (no model, no Apertium): which stage and how many rows matched.
  const slow = [...repeatByQuery]
    .filter(([key]) => stagesByQuery.has(key))
    .map(([key, v]) => ({ key, median: pct(v, 0.5) }))
    .sort((a, b) => b.median - a.median)
    .slice(0, 6);
  console.log("slowest repeated queries (median of their repeats):");
  for (const { key, median } of slow) {
    const x = stagesByQuery.get(key)!;
    const lang = stream.find((s) => normalizeText(s.q) === key)!.lang;
    const mc = matchCounts(db, await understandQuery(db, p, x.q, lang));
    const top = Object.entries(x.st)
      .filter(([k]) => k !== "interestRows" && !k.startsWith(" ") && k !== "embed query")
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k.replace(/ \(.*\)| top \d+/g, "")} ${ms(v)}`)
      .join(", ");
    console.log(
      `  ${JSON.stringify(x.q).padEnd(26)} ${ms(median).padStart(5)} ms: ${top} | FTS matches ${mc.fts.toLocaleString("en")}, trigram matches ${mc.tri.toLocaleString("en")}, interest rows ${x.st.interestRows.toLocaleString("en")}`,
    );
  }

  // Recall@10 (and @100 of the 200 the service asks for) of the index against exact search.
  const recallVecs: Float32Array[] = [];
  for (const x of pool) {
    if (recallVecs.length >= RECALL_QUERIES) break;
    if (!seen.has(normalizeText(x.q))) continue;
    const u = await understandQuery(db, p, x.q, x.lang); // cached: the vector the service used
    if (u.vec) recallVecs.push(u.vec);
  }
  const topUp = RECALL_QUERIES - recallVecs.length;
  if (topUp > 0) {
    const rr = mulberry32(SEED + 99 + n);
    const words = Array.from({ length: topUp }, () => {
      const topic = pick(topics, rr);
      const w = pick(topic.words, rr).en;
      return rr() < 0.5 ? w : `${w} ${pick(topic.words, rr).en}`;
    });
    recallVecs.push(...(await p.embedder.embed(words)));
  }
  t = now();
  const truth = exactTopK(db, recallVecs, 100);
  const exactS = secs(t);
  const fetchVectors = (ids: number[]) => readVectorsNow(db, "pin_vec", ids);
  let r10 = 0;
  let r100 = 0;
  for (const [i, v] of recallVecs.entries()) {
    const found = index.search(v, 200, { candidates: vectorCandidates(index.size), fetchVectors });
    const top10 = new Set(found.slice(0, 10).map((h) => h.id));
    const top100 = new Set(found.slice(0, 100).map((h) => h.id));
    r10 += truth[i]!.slice(0, 10).filter((h) => top10.has(h.id)).length / 10;
    r100 += truth[i]!.slice(0, 100).filter((h) => top100.has(h.id)).length / 100;
  }
  r10 /= recallVecs.length;
  r100 /= recallVecs.length;
  // sqlite-vec's own exact k-NN on three queries, as a check on the reference and its cost.
  let agree = 0;
  const vecTimes: number[] = [];
  for (const [i, v] of recallVecs.slice(0, 3).entries()) {
    t = now();
    const rows = db.$client.prepare("SELECT pin_id AS id FROM pin_vec WHERE embedding MATCH ? AND k = 10 ORDER BY distance").all(v) as {
      id: number;
    }[];
    vecTimes.push(now() - t);
    const want = new Set(truth[i]!.slice(0, 10).map((h) => h.id));
    agree += rows.filter((x) => want.has(Number(x.id))).length;
  }
  console.log(
    `recall@10 ${r10.toFixed(3)}, recall@100 ${r100.toFixed(3)} over ${recallVecs.length} real query vectors (sign-bit, ${vectorCandidates(index.size)} candidates, as search() calls it; ` +
      `exact reference by streaming pin_vec in ${exactS.toFixed(1)} s; sqlite-vec k=10 agrees on ${agree}/30, ${ms(mean(vecTimes))} ms per query)`,
  );

  await gc();
  const rss = mb();
  console.log(
    `RSS: ${rssBuilt.toFixed(0)} MB after the build (generated floats freed), ${rss.toFixed(0)} MB with the index in memory after searching (model loaded: ${rssModel.toFixed(0)} MB)`,
  );
  sizeRows.push({ n, build: buildS, index: indexS, warmup, all, repeat, fresh, recall10: r10, recall100: r100, rss, rssBuilt, dbMb });
  db.$client.close();
  rmSync(sizeDir, { recursive: true, force: true });
  await gc();
}

// ---------------------------------------------------------------------------------------------
// Summary

console.log("\n== Summary ==");
if (importRows.length) {
  console.log(
    table(
      ["import", "cards", "s", "cards/s", "goal", "encoder s", "Apertium s", "rest s"],
      importRows.map((x) => [
        x.label,
        String(x.cards),
        x.seconds.toFixed(1),
        (x.cards / x.seconds).toFixed(0),
        "≥ 200",
        x.embed.toFixed(1),
        x.translate.toFixed(1),
        (x.seconds - x.embed - x.translate).toFixed(1),
      ]),
    ),
  );
}
const goalP95 = (n: number) => (n >= 1_000_000 ? "≤ 150" : n >= 100_000 ? "≤ 50" : "—");
console.log(
  "\n" +
    table(
      ["cards", "build s", "index s", "p50 ms", "p95 ms", "p95 repeats", "p95 new", "goal p95", "recall@10", "goal", "RSS MB", "goal"],
      sizeRows.map((x) => [
        x.n.toLocaleString("en"),
        x.build.toFixed(1),
        x.index.toFixed(1),
        ms(pct(x.all, 0.5)),
        ms(pct(x.all, 0.95)),
        ms(pct(x.repeat, 0.95)),
        ms(pct(x.fresh, 0.95)),
        goalP95(x.n),
        x.recall10.toFixed(3),
        "≥ 0.95",
        x.rss.toFixed(0),
        x.n === 100_000 ? "≤ 1024" : "—",
      ]),
    ),
);
console.log(`load average at the end: ${load()} (2 cores; above ~1.5 other work was competing and every time is inflated)`);
console.log(
  `(p95 over all ${QUERIES} queries per size, ~${Math.round(NEW_QUERY_SHARE * 100)}% of them new strings; "new" ones pay Apertium and the encoder once, then are cached. RSS with the model loaded alone: ${rssModel.toFixed(0)} MB.)`,
);
rmSync(dir, { recursive: true, force: true });
