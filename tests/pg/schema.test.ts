import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { is } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { blob, getTableConfig as sqliteConfig, integer, SQLiteTable, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as sqliteSchema from "../../db/schema";
import { generatePg } from "../../db/pg/generate";
import { deriveFrom, PG_OWN_TABLES, pgTables } from "../../db/pg/schema";
import { makePool, migratePg } from "../../db/pg/client";
import { freshDatabase } from "./db";

const sqliteTables = Object.entries(sqliteSchema as Record<string, unknown>).filter((e): e is [string, SQLiteTable] =>
  is(e[1], SQLiteTable),
);

describe("the PostgreSQL schema derived from db/schema.ts", () => {
  it("has every SQLite table (or names it as PostgreSQL's own) and every column with the same nullability", () => {
    expect(sqliteTables.length).toBeGreaterThan(30);
    for (const [exportName, t] of sqliteTables) {
      const s = sqliteConfig(t);
      if (s.name in PG_OWN_TABLES) continue;
      const derived = pgTables[exportName];
      expect(derived, `${s.name} has no derived table`).toBeDefined();
      const p = pgConfig(derived!);
      expect(p.name).toBe(s.name);
      expect(p.columns.map((c) => c.name)).toEqual(s.columns.map((c) => c.name));
      for (const c of s.columns) {
        const pc = p.columns.find((x) => x.name === c.name)!;
        expect(pc.notNull, `${s.name}.${c.name} nullability`).toBe(c.notNull);
        expect(pc.primary, `${s.name}.${c.name} primary key`).toBe(c.primary);
        // SQLite counts any INTEGER PRIMARY KEY as defaulted (the rowid); only AUTOINCREMENT ones become
        // identities here, the others (story.pin_id, client_salt.day, …) are always given by the app.
        const rowidOnly = c.primary && c.columnType === "SQLiteInteger" && !(c as unknown as { autoIncrement: boolean }).autoIncrement;
        if (!rowidOnly) expect(pc.hasDefault || !!pc.defaultFn, `${s.name}.${c.name} default`).toBe(c.hasDefault || !!c.defaultFn);
      }
      // Keys, indexes and foreign keys, by name and columns (onDelete included).
      expect(p.primaryKeys.map((k) => k.columns.map((c) => c.name))).toEqual(s.primaryKeys.map((k) => k.columns.map((c) => c.name)));
      const ix = (list: { config: { name: string; unique: boolean; columns: unknown[] } }[]) =>
        list.map((i) => [i.config.name, i.config.unique, i.config.columns.map((c) => (c as { name: string }).name)]).sort();
      expect(ix(p.indexes as never)).toEqual(ix(s.indexes as never));
      const fk = (
        list: { reference(): { columns: { name: string }[]; foreignColumns: { name: string }[] }; onDelete?: string; getName(): string }[],
      ) =>
        list
          .map((f) => [
            f.getName(),
            f.reference().columns.map((c) => c.name),
            f.reference().foreignColumns.map((c) => c.name),
            f.onDelete ?? "no action",
          ])
          .sort();
      expect(fk(p.foreignKeys as never)).toEqual(fk(s.foreignKeys as never));
    }
    expect(Object.values(pgTables).every((t) => is(t, PgTable))).toBe(true);
  });

  it("maps the types as docs/decisions/0021 says", () => {
    const col = (exportName: string, name: string) => pgConfig(pgTables[exportName]!).columns.find((c) => c.name === name)!;
    expect(col("users", "id").getSQLType()).toBe("integer");
    expect((col("users", "id") as unknown as { generatedIdentity?: { type: string } }).generatedIdentity?.type).toBe("byDefault");
    expect(col("users", "created_at").getSQLType()).toBe("bigint");
    expect(col("users", "high_contrast").getSQLType()).toBe("boolean");
    expect(col("users", "speech_rate").getSQLType()).toBe("double precision");
    expect(col("users", "roles").getSQLType()).toBe("jsonb");
    expect(col("users", "email").getSQLType()).toBe("text");
    expect(col("rateLimits", "expire").getSQLType()).toBe("bigint");
    // The timestamp column keeps SQLite's JavaScript contract: a Date in, epoch milliseconds stored.
    const at = col("users", "created_at");
    expect(at.mapToDriverValue(new Date(1_700_000_000_123))).toBe(1_700_000_000_123);
    expect(at.mapFromDriverValue("1700000000123")).toEqual(new Date(1_700_000_000_123));
  });

  it("throws at load time, naming table and column, for what it cannot map", () => {
    const withBlobJson = { odd: sqliteTable("odd", { id: integer("id").primaryKey(), data: blob("data", { mode: "json" }) }) };
    expect(() => deriveFrom(withBlobJson)).toThrow(/odd\.data.*SQLiteBlobJson/);
    const withSeconds = { odd: sqliteTable("odd", { at: integer("at", { mode: "timestamp" }) }) };
    expect(() => deriveFrom(withSeconds)).toThrow(/odd\.at.*timestamp mode "timestamp"/);
    const withUnknownDefault = { odd: sqliteTable("odd", { v: text("v").default(sql`(hex(randomblob(4)))`) }) };
    expect(() => deriveFrom(withUnknownDefault)).toThrow(/odd\.v.*SQL default/);
    // A column added to a table is mapped with it: the derivation walks columns, it does not list them.
    const grown = { odd: sqliteTable("odd", { id: integer("id").primaryKey({ autoIncrement: true }), added: text("added").notNull() }) };
    expect(pgConfig(deriveFrom(grown).odd!).columns.map((c) => c.name)).toEqual(["id", "added"]);
  });

  const tmp = mkdtempSync(join(tmpdir(), "tablero-pg-gen-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is what the committed PG migrations create: `npm run db:generate:pg` has nothing left to write", async () => {
    cpSync("db/pg/migrations", tmp, { recursive: true });
    const tag = await generatePg(tmp);
    expect(tag, "db/schema.ts changed: run `npm run db:generate:pg` and commit db/pg/migrations").toBeNull();
    expect(readdirSync(tmp).sort()).toEqual(readdirSync("db/pg/migrations").sort());
  });

  it("writes the next migration, after the hand-written ones, when db/schema.ts grows — and it applies", async () => {
    const grown = mkdtempSync(join(tmpdir(), "tablero-pg-grow-"));
    try {
      cpSync("db/pg/migrations", grown, { recursive: true });
      const added = deriveFrom({
        ...sqliteSchema,
        noteTable: sqliteTable("added_note", {
          id: integer("id").primaryKey({ autoIncrement: true }),
          pinId: integer("pin_id")
            .notNull()
            .references(() => sqliteSchema.pins.id, { onDelete: "cascade" }),
          body: text("body").notNull().default(""),
        }),
      });
      // The next number after the committed ones (hand-written included), whatever their count today.
      const committed = JSON.parse(readFileSync("db/pg/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
      const want = `${String(committed.entries.length).padStart(4, "0")}_derived`;
      const tag = await generatePg(grown, 1, added);
      expect(tag).toBe(want);
      const created = readFileSync(join(grown, `${want}.sql`), "utf8");
      expect(created).toMatch(/CREATE TABLE "added_note"/);
      expect(created).not.toMatch(/CREATE TABLE "pin"/); // a diff, not the whole schema again
      const journal = JSON.parse(readFileSync(join(grown, "meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
      const [before, next] = journal.entries.slice(-2);
      expect(next!.tag).toBe(want);
      expect(next!.when).toBeGreaterThan(before!.when); // the migrator applies by this order
      expect(await generatePg(grown, 2, added)).toBeNull(); // deterministic: nothing more to write
      const fresh = await freshDatabase("grow");
      try {
        const pool = makePool(fresh.url, 1);
        await migratePg(pool, grown);
        const { rows } = await pool.query(
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'added_note' ORDER BY ordinal_position",
        );
        expect(rows.map((r) => r.column_name)).toEqual(["id", "pin_id", "body"]);
        await pool.end();
      } finally {
        await fresh.drop();
      }
    } finally {
      rmSync(grown, { recursive: true, force: true });
    }
  });

  it("leaves each table PostgreSQL owns to the hand-written migration", () => {
    const extras = readFileSync("db/pg/migrations/0001_pg_extras.sql", "utf8");
    for (const name of Object.keys(PG_OWN_TABLES)) expect(extras).toMatch(new RegExp(`CREATE TABLE ${name} \\(`));
  });
});
