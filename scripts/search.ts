// `npm run search -- "query" [--json] [--lang en|es] [--limit N] [--kind all|cards|boards]`
// The same search service as the app's search page and /api/search, on data/tablero.db (or the
// PostgreSQL database DATABASE_URL names).
import { parseArgs } from "node:util";
import { openDb } from "../db/client";
import { dbFile } from "../db/paths";
import { LOCALES, type Locale } from "../db/enums";
import { tablesEngine } from "../db/tables";
import { closeDatabase, openDatabase } from "../app/services/db.server";
import { getPipeline } from "../app/services/pipeline.server";
import { search, SEARCH_KINDS, type SearchKind } from "../app/services/search.server";
import { setup } from "./setup";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean" }, lang: { type: "string" }, limit: { type: "string" }, kind: { type: "string" } },
});
const q = positionals.join(" ");
const fail = (msg: string) => {
  console.error(msg);
  process.exit(2);
};
if (!q.trim()) fail('Usage: npm run search -- "query" [--json] [--lang en|es] [--limit N] [--kind all|cards|boards]');
if (values.lang && !(LOCALES as readonly string[]).includes(values.lang)) fail(`Unknown --lang "${values.lang}": use en or es.`);
if (values.kind && !(SEARCH_KINDS as readonly string[]).includes(values.kind))
  fail(`Unknown --kind "${values.kind}": use all, cards or boards.`);
const limit = values.limit ? Number(values.limit) : 10;
if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail("--limit must be a whole number from 1 to 100.");

const log = console.log;
if (values.json) console.log = () => {}; // keep stdout pure JSON: setup reports on stdout
await setup();
console.log = log;
const pg = tablesEngine === "pg";
const db = pg ? await openDatabase() : openDb(dbFile());
const result = await search(db, await getPipeline(), {
  q,
  uiLang: (values.lang as Locale) ?? "en",
  viewer: null,
  limit,
  kind: (values.kind as SearchKind) ?? "all",
});
if (values.json) {
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} else {
  const { query } = result;
  log(`“${query.display}” (${query.lang}) — interests: ${query.interests.map((i) => i.slug).join(", ") || "none"}`);
  if (query.expansions.length) log(`Related: ${query.expansions.join(" · ")}`);
  if (result.boards.length) {
    log("\nBoards");
    result.boards.forEach((b, i) =>
      log(
        `${String(i + 1).padStart(3)}. ${b.title} [${b.lang}] — ${b.cardCount} cards, by ${b.ownerName} (${b.sources.join("+")})  /boards/${b.id}`,
      ),
    );
  }
  if (result.cards.length) {
    log("\nCards");
    result.cards.forEach((c, i) => log(`${String(i + 1).padStart(3)}. ${c.title} [${c.lang}] (${c.sources.join("+")})  /cards/${c.id}`));
  }
  if (!result.boards.length && !result.cards.length) log("No results.");
}
if (pg) await closeDatabase();
else db.$client.close();
