/**
 * `npm run db:generate:pg`: writes the next PostgreSQL migration when the derived schema changed.
 *
 * drizzle-kit's diff engine (drizzle-kit/api) compares the derived tables (db/pg/schema.ts) with the
 * last snapshot in db/pg/migrations/meta and the SQL goes to db/pg/migrations/NNNN_derived.sql, with
 * a journal entry and a snapshot, in the layout drizzle's pg migrator reads. Hand-written migrations
 * (the PG-only extras) have a journal entry and no snapshot; they never touch derived tables, so the
 * last snapshot is always the derived schema as migrated. Deterministic: no change, no file; the
 * snapshot id is a hash of its content (drizzle-kit would draw a random one).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { format } from "prettier";
import config from "../../drizzle.pg.config";
import { pgTables } from "./schema";

type Journal = {
  version: string;
  dialect: string;
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
};

export async function generatePg(
  outDir = resolve(config.out ?? "db/pg/migrations"),
  now = Date.now(),
  tables: Readonly<Record<string, unknown>> = pgTables,
): Promise<string | null> {
  const meta = join(outDir, "meta");
  mkdirSync(meta, { recursive: true });
  const journalPath = join(meta, "_journal.json");
  const journal: Journal = existsSync(journalPath)
    ? JSON.parse(readFileSync(journalPath, "utf8"))
    : { version: "7", dialect: "postgresql", entries: [] };
  const snapshots = readdirSync(meta)
    .filter((f) => /^\d{4}_snapshot\.json$/.test(f))
    .sort();
  const prev = snapshots.length ? JSON.parse(readFileSync(join(meta, snapshots.at(-1)!), "utf8")) : generateDrizzleJson({});
  const cur = generateDrizzleJson({ ...tables }, prev.id);
  const statements = await generateMigration(prev, cur);
  if (!statements.length) return null;

  const idx = journal.entries.length ? Math.max(...journal.entries.map((e) => e.idx)) + 1 : 0;
  const tag = `${String(idx).padStart(4, "0")}_derived`;
  // After every earlier entry, hand-written ones included (the migrator applies by this order).
  const when = Math.max(now, ...journal.entries.map((e) => e.when + 1));
  const { id: _random, ...content } = cur;
  cur.id = createHash("sha256")
    .update(JSON.stringify(content))
    .digest("hex")
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5");
  writeFileSync(join(outDir, `${tag}.sql`), statements.join("\n--> statement-breakpoint\n") + "\n");
  // Formatted as `npm run lint` (prettier --check .) wants it.
  const json = (v: unknown) => format(JSON.stringify(v), { parser: "json", printWidth: 140 });
  writeFileSync(join(meta, `${String(idx).padStart(4, "0")}_snapshot.json`), await json(cur));
  journal.entries.push({ idx, version: "7", when, tag, breakpoints: true });
  writeFileSync(journalPath, await json(journal));
  return tag;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("db/pg/generate.ts")) {
  const tag = await generatePg();
  console.log(tag ? `wrote db/pg/migrations/${tag}.sql` : "db/pg/migrations: no change in the derived schema");
}
