// `npm run eval:golden -- [--json] [--set dev|heldout|all] [--no-distractors]`: everyday queries over
// the starter library (tests/golden/*.jsonl, judged by hand; see tests/golden/README.md), run through
// the app's own search service on a fresh, seeded temporary database: kind "cards", an anonymous
// visitor, each query's interface language. Prints {"queries", "success@5", "precision@5"}; the misses
// of each query go to stderr.
//
// Besides the starter library, a few boards that people really make are added (unless
// --no-distractors): an emoji-only title, a title of one word repeated, a card named by emoji alone.
// Weak vector matches to such boards are what filled the top 5 with noise before (issue 11).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Locale } from "../db/enums";

export type GoldenQuery = { id: string; q: string; uiLang: Locale; type: string; right: string[]; topics: string[] };
export type GoldenSet = "dev" | "heldout" | "all";
export type GoldenMiss = { id: string; q: string; uiLang: string; type: string; top: string[]; right: number; shown: number };
export type GoldenResult = {
  queries: number;
  "success@5": number;
  "precision@5": number;
  byType: Record<string, { queries: number; "success@5": number; "precision@5": number }>;
  misses: GoldenMiss[];
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function readGolden(set: GoldenSet): GoldenQuery[] {
  const files = set === "all" ? ["dev", "heldout"] : [set];
  return files.flatMap((f) =>
    readFileSync(join(root, "tests/golden", `${f}.jsonl`), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as GoldenQuery),
  );
}

/** Seeds a fresh temporary database (the app's own seed and indexing) and runs the set through search(). */
export async function runGolden(set: GoldenSet, opts: { distractors?: boolean } = {}): Promise<GoldenResult> {
  const dir = mkdtempSync(join(tmpdir(), "tablero-golden-"));
  const before = process.env.TABLERO_DATA_DIR;
  process.env.TABLERO_DATA_DIR = dir;
  const { openDb } = await import("../db/client");
  const { pins } = await import("../db/tables");
  const { getPipeline } = await import("../app/services/pipeline.server");
  const { seedStarterLibrary } = await import("../app/services/seed.server");
  const { indexBoards, indexPins } = await import("../app/services/indexing.server");
  const { search } = await import("../app/services/search.server");
  const db = openDb(join(dir, "tablero.db"));
  try {
    const p = await getPipeline();
    await seedStarterLibrary(db);
    if (opts.distractors !== false) await addDistractors(db);
    await indexPins(db, p);
    await indexBoards(db, p);

    const pictureOf = new Map<number, string>();
    for (const r of db.select({ id: pins.id, source: pins.source }).from(pins).all())
      if (r.source.startsWith("openmoji:")) pictureOf.set(r.id, r.source.slice("openmoji:".length));
    const starter = JSON.parse(readFileSync(join(root, "db/seed/starter-library.json"), "utf8")) as {
      topics: { slug: string; cards: { hexcode: string }[] }[];
    };
    const topic = new Map(starter.topics.map((t) => [t.slug, t.cards.map((c) => c.hexcode)]));

    const queries = readGolden(set);
    const rows: { type: string; success: number; precision: number }[] = [];
    const misses: GoldenMiss[] = [];
    for (const g of queries) {
      const right = new Set([...g.right, ...g.topics.flatMap((t) => topic.get(t) ?? [])]);
      const r = await search(db, p, { q: g.q, uiLang: g.uiLang, viewer: null, limit: 10, kind: "cards" });
      const top = r.cards.slice(0, 5);
      const hits = top.filter((c) => right.has(pictureOf.get(c.id) ?? "")).length;
      const success = hits > 0 ? 1 : 0;
      const precision = top.length ? hits / Math.min(5, top.length) : 0;
      rows.push({ type: g.type, success, precision });
      if (precision < 1)
        misses.push({
          id: g.id,
          q: g.q,
          uiLang: g.uiLang,
          type: g.type,
          top: top.map((c) => `${right.has(pictureOf.get(c.id) ?? "") ? "+" : "-"}${c.title}`),
          right: hits,
          shown: top.length,
        });
    }
    const summary = (rs: typeof rows) => ({
      queries: rs.length,
      "success@5": round(mean(rs.map((x) => x.success))),
      "precision@5": round(mean(rs.map((x) => x.precision))),
    });
    const byType: GoldenResult["byType"] = {};
    for (const t of [...new Set(rows.map((x) => x.type))].sort()) byType[t] = summary(rows.filter((x) => x.type === t));
    return { ...summary(rows), byType, misses };
  } finally {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
    if (before === undefined) delete process.env.TABLERO_DATA_DIR;
    else process.env.TABLERO_DATA_DIR = before;
  }
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Boards people make that say little: an emoji-only title, one word repeated, a card named by emoji. */
async function addDistractors(db: import("../db/client").Db) {
  const { signUp } = await import("../app/services/users.server");
  const { createBoard } = await import("../app/services/boards.server");
  const { createCard } = await import("../app/services/cards.server");
  const { storeImage } = await import("../app/services/images.server");
  const sharp = (await import("sharp")).default;
  const r = await signUp(db, { email: "distractor@example.com", password: "correct horse battery", displayName: "Pat", locale: "en" });
  if (!r.ok) throw new Error("sign-up failed");
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#88aa33" } })
    .png()
    .toBuffer();
  const image = await storeImage(db, png);
  const boards: [string, string, Locale, string[]][] = [
    ["🍎🍌🍇🥕", "", "en", ["🙂", "Our trip"]],
    [
      "Long Long Long Long Long Long Long Long Long Long Long Long",
      "Long long long long long long long long long long",
      "en",
      ["Long long long long long long long long", "Thing"],
    ],
    ["Cosas", "Mis cosas", "es", ["Cosa", "😀😀😀"]],
  ];
  for (const [title, description, lang, cards] of boards) {
    const b = await createBoard(db, r.user.id, { title, description, lang, visibility: "public" });
    for (const t of cards) await createCard(db, r.user, b.id, { title: t, alt: t, cue: "", note: "", lang }, image);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, set: { type: "string", default: "all" }, "no-distractors": { type: "boolean" } },
  });
  const set = values.set as GoldenSet;
  if (!["dev", "heldout", "all"].includes(set)) throw new Error("--set must be dev, heldout or all");
  const t0 = Date.now();
  const out = await runGolden(set, { distractors: !values["no-distractors"] });
  for (const m of out.misses)
    process.stderr.write(
      `${m.id} [${m.uiLang}] ${JSON.stringify(m.q)} (${m.type}) ${m.right}/${m.shown}: ${m.top.join(" | ") || "(no cards)"}\n`,
    );
  const { misses: _m, byType, ...figures } = out;
  if (values.json) console.log(JSON.stringify(figures));
  else {
    console.log(`Golden set "${set}": ${figures.queries} queries (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    console.log(`success@5 ${figures["success@5"].toFixed(3)}  precision@5 ${figures["precision@5"].toFixed(3)}`);
    console.log("| type | queries | success@5 | precision@5 |\n|---|---|---|---|");
    for (const [t, s] of Object.entries(byType))
      console.log(`| ${t} | ${s.queries} | ${s["success@5"].toFixed(3)} | ${s["precision@5"].toFixed(3)} |`);
  }
  // The encoder and Apertium keep handles open.
  process.exit(0);
}
