// `npm run import -- file.jsonl|file.csv [--user email] [--board "Title"] [--visibility public|unlisted|private]`
// Bulk-imports cards through the same service as the web import; resumable (re-running adds only
// what is missing). Bad lines are reported with their line numbers and skipped.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SingleBar, Presets } from "cli-progress";
import { eq } from "drizzle-orm";
import { openDb } from "../db/client";
import { dbFile } from "../db/paths";
import { tablesEngine, users, VISIBILITIES, type Visibility } from "../db/tables";
import { closeDatabase, openDatabase } from "../app/services/db.server";
import { parseImport } from "../app/lib/import-format";
import { decodeImport } from "../app/lib/import-encoding";
import { i18nFor } from "../app/i18n";
import { importRecords } from "../app/services/import.server";
import { getPipeline } from "../app/services/pipeline.server";
import { DEMO_ACCOUNTS } from "../app/services/seed.server";
import { setup } from "./setup";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: "string" },
    board: { type: "string" },
    visibility: { type: "string" },
    format: { type: "string" },
    quiet: { type: "boolean" },
  },
});
const file = positionals[0];
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
if (!file) fail("Usage: npm run import -- file.jsonl|file.csv [--user email] [--board Title] [--visibility public|unlisted|private]");
const visibility = (values.visibility ?? "public") as Visibility;
if (!VISIBILITIES.includes(visibility)) fail(`Unknown --visibility "${values.visibility}".`);
if (values.format && values.format !== "jsonl" && values.format !== "csv") fail(`Unknown --format "${values.format}": use jsonl or csv.`);

const path = resolve(file!);
let bytes: Buffer;
try {
  bytes = readFileSync(path);
} catch (e) {
  fail(`Cannot read ${path}: ${(e as Error).message}`);
}
const t = i18nFor("en").t;
// Encoding from the bytes (UTF-8 with or without BOM, UTF-16, else Windows-1252 with a warning); a NUL refuses the file.
const decoded = decodeImport(new Uint8Array(bytes!));
if (!decoded.ok) fail(`line ${decoded.line}: ${t(decoded.error)}`);
const content = (decoded as Extract<typeof decoded, { ok: true }>).text;
for (const w of (decoded as Extract<typeof decoded, { ok: true }>).warnings) console.error(t(w));
const { records, issues } = parseImport(content, values.format as "jsonl" | "csv" | undefined);
for (const i of issues) console.error(`line ${i.line}: ${t(i.message)}${i.detail ? ` (${i.detail})` : ""}`);

await setup();
// SQLite's data/tablero.db, or the PostgreSQL database DATABASE_URL names.
const pg = tablesEngine === "pg";
const db = pg ? await openDatabase() : openDb(dbFile());
const email = values.user ?? DEMO_ACCOUNTS[0].email;
const [found] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
const user = found ?? fail(`No account with the email ${email}.`);
const pipeline = await getPipeline();
const bar = new SingleBar(
  { format: "Importing [{bar}] {value}/{total} cards | {created} new, {skipped} already there | {eta_formatted} left", hideCursor: true },
  Presets.shades_classic,
);
if (!values.quiet) bar.start(records.length, 0, { created: 0, skipped: 0 });
const t0 = Date.now();
const summary = await importRecords(db, pipeline, user, records, {
  defaultBoard: values.board ?? "Imported cards",
  visibility,
  imageBase: dirname(path),
  onProgress: (p) => (values.quiet ? undefined : bar.update(p.done, { created: p.created, skipped: p.skipped })),
});
if (!values.quiet) bar.stop();
const secs = (Date.now() - t0) / 1000;
console.log(
  `Imported ${summary.created} new cards (${summary.skipped} already there, ${issues.length} bad lines skipped) on ${summary.boardIds.length} boards in ${secs.toFixed(1)} s (${(summary.created / Math.max(secs, 0.001)).toFixed(0)} cards/s).`,
);
if (pg) await closeDatabase();
else db.$client.close();
process.exit(issues.length && !records.length ? 1 : 0);
