// `npm run eval:bilingual [-- --json]`: cross-language recall on the starter library. Every starter
// picture has a card in each of the library's languages; a word in one language should find the card
// in another. For every ordered pair of the languages the seeded cards have (from → to, the target
// language as a filter) it reports Recall@10 of the card with the same picture, and its ratio to the
// monolingual figure (to → to), through the app's search service on a fresh, seeded temporary database.
// `--split dev|test` keeps half the pictures (by a hash of the picture's code, fixed), so a choice can be
// made on one half and reported on the other; `--from fr,de` limits the query languages (targets stay all);
// `--misses` prints, on standard error, each query whose card was not in the first ten, with what was.
// Also, without a filter: how often a reader's word brings that picture first, and in their own language
// (`--first-only`: that alone).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    split: { type: "string" },
    from: { type: "string" },
    misses: { type: "boolean" },
    "first-only": { type: "boolean" },
  },
});
if (values.split && values.split !== "dev" && values.split !== "test") throw new Error("--split is dev or test");
const dir = mkdtempSync(join(tmpdir(), "tablero-bilingual-"));
process.env.TABLERO_DATA_DIR = dir;
const { openDb } = await import("../db/client");
const { pins } = await import("../db/tables");
const { getPipeline } = await import("../app/services/pipeline.server");
const { seedStarterLibrary } = await import("../app/services/seed.server");
const { indexBoards, indexPins } = await import("../app/services/indexing.server");
const { search } = await import("../app/services/search.server");
type Locale = import("../models/taxonomy/index").Locale;

const db = openDb(join(dir, "tablero.db"));
const p = await getPipeline();
// The dictionaries' reverse indexes are built in the background; a query before the end would see
// part of them, and the figures would vary from run to run.
await (p.translator as { warm?: () => Promise<void> }).warm?.();
await seedStarterLibrary(db);
await indexPins(db, p);
await indexBoards(db, p);

// One card per picture and language (the starter boards; saved copies share the card).
const cardOf = new Map<string, number>();
const byHex = new Map<string, Map<string, string>>();
for (const r of db.select({ id: pins.id, source: pins.source, lang: pins.lang, title: pins.title }).from(pins).all()) {
  const hex = r.source.replace(/^openmoji:/, "");
  cardOf.set(`${r.lang}:${hex}`, r.id);
  if (!byHex.has(hex)) byHex.set(hex, new Map());
  byHex.get(hex)!.set(r.lang, r.title);
}
// The languages every picture has a word in (today en, es; five once the library has them).
const langs = [...new Set([...byHex.values()].flatMap((m) => [...m.keys()]))]
  .filter((l) => [...byHex.values()].every((m) => m.has(l)))
  .sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
// The split: FNV-1a of the picture's code, even → dev, odd → test (the same halves on every run).
const half = (hex: string) => {
  let h = 0x811c9dc5;
  for (const ch of hex) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h % 2 === 0 ? "dev" : "test";
};
const words = [...byHex].filter(([hex]) => !values.split || half(hex) === values.split).map(([hex, m]) => ({ hex, word: m }));
const fromLangs = values.from ? values.from.split(",").filter((l) => langs.includes(l)) : langs;

async function recallAt10(from: string, to: string): Promise<number> {
  let hits = 0;
  for (const w of words) {
    const r = await search(db, p, {
      q: w.word.get(from)!,
      // The reader's language is the query's (a French speaker types French); types widen with the library.
      uiLang: from as Locale,
      viewer: null,
      limit: 10,
      kind: "cards",
      langFilter: to as Locale,
    });
    if (r.cards.some((c) => c.id === cardOf.get(`${to}:${w.hex}`))) hits++;
    else if (values.misses)
      process.stderr.write(
        `${from}→${to} ${w.word.get(from)} ⇏ ${w.word.get(to)}: ${r.cards
          .slice(0, 4)
          .map((c) => c.title)
          .join(" | ")}\n`,
      );
  }
  return hits / words.length;
}

/**
 * Without a language filter, a word typed by a reader of its language: is the first card that
 * picture (any language: "picture") and is it the card in the reader's own language ("own")? A reader
 * who types "dog" expects the English dog first, then perro, chien…
 */
async function ownFirst(lang: string): Promise<{ picture: number; own: number }> {
  let picture = 0;
  let own = 0;
  for (const w of words) {
    const r = await search(db, p, { q: w.word.get(lang)!, uiLang: lang as Locale, viewer: null, limit: 5, kind: "cards" });
    const top = r.cards[0]?.id;
    if (top === cardOf.get(`${lang}:${w.hex}`)) own++;
    if (langs.some((l) => cardOf.get(`${l}:${w.hex}`) === top)) picture++;
    else if (values.misses) process.stderr.write(`first ${lang} ${w.word.get(lang)}: ${r.cards[0]?.title ?? "nothing"}\n`);
  }
  return { picture: picture / words.length, own: own / words.length };
}

const recall: Record<string, number> = {};
// Monolingual figures for every target (the ratios' denominators), then the asked query languages.
if (!values["first-only"]) {
  for (const to of langs) recall[`${to}→${to}`] = await recallAt10(to, to);
  for (const to of langs) for (const from of fromLangs) if (from !== to) recall[`${from}→${to}`] = await recallAt10(from, to);
}
const first: Record<string, { picture: number; own: number }> = {};
for (const l of fromLangs) first[l] = await ownFirst(l);
const ratio: Record<string, number> = {};
for (const to of langs)
  for (const from of fromLangs) if (from !== to) ratio[`${from}→${to}`] = recall[`${from}→${to}`]! / (recall[`${to}→${to}`] || 1);
const out = {
  queries: words.length,
  split: values.split ?? "all",
  languages: langs,
  translator: p.translator.id,
  recall,
  ratioToMonolingual: ratio,
  firstCard: first,
};
if (values.json) console.log(JSON.stringify(out));
else {
  console.log(`Starter-library set: ${out.queries} words per direction, languages ${langs.join(", ")} (translator: ${out.translator})`);
  console.log(`| from → to | Recall@10 | ÷ monolingual (to → to) |\n|---|---|---|`);
  for (const to of langs)
    for (const from of langs) {
      const k = `${from}→${to}`;
      if (recall[k] === undefined) continue;
      console.log(`| ${k} | ${recall[k]!.toFixed(3)} | ${from === to ? "—" : `${(ratio[k]! * 100).toFixed(1)} %`} |`);
    }
  console.log(`\n| typed by a reader of | first card is the picture | …in the reader's language |\n|---|---|---|`);
  for (const [l, f] of Object.entries(first)) console.log(`| ${l} | ${f.picture.toFixed(3)} | ${f.own.toFixed(3)} |`);
  const below = Object.entries(ratio).filter(([, r]) => r < 0.85);
  if (!values["first-only"])
    console.log(
      below.length
        ? `Below 85 % of monolingual: ${below.map(([k, r]) => `${k} ${(r * 100).toFixed(1)} %`).join(", ")}`
        : "Every pair within 15 % of its monolingual figure.",
    );
}
db.$client.close();
rmSync(dir, { recursive: true, force: true });
