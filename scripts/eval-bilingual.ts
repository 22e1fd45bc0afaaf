// `npm run eval:bilingual [-- --json]`: cross-language recall on the starter library. Every starter
// picture has an English and a Spanish card; a word in one language should find the card in the other.
// Reports Recall@10 for es→en, en→en, en→es and es→es (the target language as a filter), through the
// app's search service on a fresh, seeded temporary database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Locale } from "../db/enums";

const { values } = parseArgs({ options: { json: { type: "boolean" } } });
const dir = mkdtempSync(join(tmpdir(), "tablero-bilingual-"));
process.env.TABLERO_DATA_DIR = dir;
const { openDb } = await import("../db/client");
const { pins } = await import("../db/tables");
const { getPipeline } = await import("../app/services/pipeline.server");
const { seedStarterLibrary } = await import("../app/services/seed.server");
const { indexBoards, indexPins } = await import("../app/services/indexing.server");
const { search } = await import("../app/services/search.server");

const db = openDb(join(dir, "tablero.db"));
const p = await getPipeline();
await seedStarterLibrary(db);
await indexPins(db, p);
await indexBoards(db, p);

// One card per picture and language (the starter boards; saved copies share the card).
const cardOf = new Map<string, number>();
const words: ({ hex: string } & Partial<Record<Locale, string>>)[] = [];
const byHex = new Map<string, { en?: string; es?: string }>();
for (const r of db.select({ id: pins.id, source: pins.source, lang: pins.lang, title: pins.title }).from(pins).all()) {
  const hex = r.source.replace(/^openmoji:/, "");
  cardOf.set(`${r.lang}:${hex}`, r.id);
  byHex.set(hex, { ...byHex.get(hex), [r.lang]: r.title });
}
for (const [hex, w] of byHex) if (w.en && w.es) words.push({ hex, en: w.en, es: w.es });

async function recallAt10(from: Locale, to: Locale): Promise<number> {
  let hits = 0;
  for (const w of words) {
    const q = w[from];
    if (!q) continue;
    const r = await search(db, p, { q, uiLang: from, viewer: null, limit: 10, kind: "cards", langFilter: to });
    if (r.cards.some((c) => c.id === cardOf.get(`${to}:${w.hex}`))) hits++;
  }
  return hits / words.length;
}
const out = {
  queries: words.length,
  translator: p.translator.id,
  "es→en": await recallAt10("es", "en"),
  "en→en": await recallAt10("en", "en"),
  "en→es": await recallAt10("en", "es"),
  "es→es": await recallAt10("es", "es"),
};
if (values.json) console.log(JSON.stringify(out));
else {
  console.log(`Bilingual starter-library set: ${out.queries} words per direction (translator: ${out.translator})`);
  console.log(`| direction | Recall@10 |\n|---|---|`);
  for (const k of ["es→en", "en→en", "en→es", "es→es"] as const) console.log(`| ${k} | ${out[k].toFixed(3)} |`);
  console.log(
    `es→en is ${((out["es→en"] / out["en→en"]) * 100).toFixed(1)}% of en→en; en→es is ${((out["en→es"] / out["es→es"]) * 100).toFixed(1)}% of es→es.`,
  );
}
db.$client.close();
rmSync(dir, { recursive: true, force: true });
