/**
 * The SQLite migrations (db/migrations) and the PostgreSQL ones (db/pg/migrations) describe the same
 * tables: both are applied to fresh databases and introspected (pragma table_info / information_schema),
 * then compared table by table, column by column — names, nullability and type family. The tables one
 * engine does differently are listed below with their counterpart, and checked as such.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { openPg, type PgHandle } from "../../db/pg/client";
import { PG_OWN_TABLES } from "../../db/pg/schema";
import { freshDatabase } from "./db";

type Col = { name: string; type: string; notNull: boolean };

/** SQLite's virtual tables and the PostgreSQL table that does their job (same name), with its key column. */
const REPLACED: Record<string, { key: string; why: string }> = {
  pin_fts: { key: "pin_id", why: "FTS5 → tsvector columns per language + GIN" },
  board_fts: { key: "board_id", why: "FTS5 → tsvector columns per language + GIN" },
  pin_tri: { key: "pin_id", why: "FTS5 trigram → pg_trgm GIN" },
  pin_vec: { key: "pin_id", why: "sqlite-vec → bytea" },
  board_vec: { key: "board_id", why: "sqlite-vec → bytea" },
  interest_vec: { key: "interest_id", why: "sqlite-vec → bytea" },
  pin_sage_vec: { key: "pin_id", why: "sqlite-vec → bytea" },
};
/** Tables only PostgreSQL has (SQLite keeps jobs in import_job and runs them in-process). */
const PG_ONLY = new Set(["job", "pin_sage_version"]);

/** Which PostgreSQL types may hold a SQLite column of each declared type. */
const FAMILY: Record<string, string[]> = {
  integer: ["integer", "bigint", "boolean"],
  text: ["text", "jsonb"],
  real: ["double precision"],
  blob: ["bytea"],
};

let dir: string;
let sqliteTables: Map<string, { virtual: boolean; cols: Col[] }>;
let pgTablesSeen: Map<string, Col[]>;
let pgh: PgHandle;
let drop: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tablero-agree-"));
  const db = openDb(join(dir, "t.db"));
  const master = db.$client.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
  const virtuals = master.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  sqliteTables = new Map();
  for (const t of master) {
    // Engine bookkeeping and the virtual tables' own storage (pin_fts_data, pin_vec_chunks, …).
    if (t.name.startsWith("sqlite_") || t.name === "__drizzle_migrations") continue;
    if (virtuals.some((v) => t.name.startsWith(`${v}_`))) continue;
    const info = db.$client.prepare(`PRAGMA table_info("${t.name}")`).all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    sqliteTables.set(t.name, {
      virtual: virtuals.includes(t.name),
      cols: info.map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.notnull === 1 || c.pk > 0 })),
    });
  }
  db.$client.close();

  const fresh = await freshDatabase("agree");
  drop = fresh.drop;
  pgh = await openPg(fresh.url);
  const { rows } = await pgh.primaryPool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  pgTablesSeen = new Map();
  for (const r of rows) {
    const cols = pgTablesSeen.get(r.table_name) ?? [];
    cols.push({ name: r.column_name, type: r.data_type, notNull: r.is_nullable === "NO" });
    pgTablesSeen.set(r.table_name, cols);
  }
});

afterAll(async () => {
  await pgh?.close();
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe("SQLite and PostgreSQL migrations agree", () => {
  it("have the same tables, apart from the listed engine-specific ones", () => {
    expect(sqliteTables.size).toBeGreaterThan(40);
    const sqliteNames = [...sqliteTables.keys()].sort();
    const pgNames = [...pgTablesSeen.keys()].filter((n) => !PG_ONLY.has(n)).sort();
    expect(pgNames).toEqual(sqliteNames.filter((n) => !PG_ONLY.has(n)));
    for (const [name, t] of sqliteTables)
      if (t.virtual) expect(REPLACED[name], `virtual table ${name} has no listed PG replacement`).toBeDefined();
    for (const name of PG_ONLY) expect(pgTablesSeen.has(name)).toBe(true);
  });

  it("have the same columns, nullability and type family in every shared table", () => {
    const mismatches: string[] = [];
    for (const [name, t] of sqliteTables) {
      // PG_OWN_TABLES (change_log) are hand-written on PostgreSQL for their triggers, but hold the same
      // columns (one follower reads both engines' feeds), so they are compared like the derived ones.
      if (t.virtual) continue;
      const pgCols = pgTablesSeen.get(name)!;
      // As sets: SQLite's ALTER TABLE ADD appends (board.share_token), PostgreSQL's were created in place.
      expect(pgCols.map((c) => c.name).sort(), name).toEqual(t.cols.map((c) => c.name).sort());
      for (const c of t.cols) {
        const p = pgCols.find((x) => x.name === c.name)!;
        if (p.notNull !== c.notNull) mismatches.push(`${name}.${c.name}: NOT NULL ${c.notNull} vs ${p.notNull}`);
        const family = FAMILY[c.type];
        if (!family) mismatches.push(`${name}.${c.name}: SQLite type ${c.type} has no family`);
        else if (!family.includes(p.type)) mismatches.push(`${name}.${c.name}: ${c.type} vs ${p.type}`);
      }
    }
    expect(mismatches).toEqual([]);
    for (const name of Object.keys(PG_OWN_TABLES)) expect(sqliteTables.has(name), `${name} on SQLite`).toBe(true);
  });

  it("replace each virtual table with a PostgreSQL table holding the same columns", () => {
    for (const [name, t] of sqliteTables) {
      if (!t.virtual) continue;
      const pgCols = pgTablesSeen.get(name);
      expect(pgCols, `${name} (${REPLACED[name]!.why})`).toBeDefined();
      const have = new Set(pgCols!.map((c) => c.name));
      expect(have.has(REPLACED[name]!.key), `${name}.${REPLACED[name]!.key}`).toBe(true);
      for (const c of t.cols) expect(have.has(c.name), `${name}.${c.name}`).toBe(true);
    }
    // And the PostgreSQL-only parts are there: a stemmed vector per content language, the trigram index, bytea vectors.
    expect(
      pgTablesSeen
        .get("pin_fts")!
        .filter((c) => c.type === "tsvector")
        .map((c) => c.name),
    ).toEqual(["tsv_en", "tsv_es", "tsv_fr", "tsv_de", "tsv_ar"]);
    expect(pgTablesSeen.get("pin_vec")!.find((c) => c.name === "embedding")!.type).toBe("bytea");
  });
});
