import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { dialectOf } from "../../app/services/data/dialect.server";
import { exec } from "../../app/services/data/raw.server";
import { armCommitFailure } from "./commit-trap";

/**
 * armCommitFailure (commit-trap.ts) on either engine: every INSERT on `table` makes the COMMIT fail,
 * not the statement. On PostgreSQL the same means: an AFTER trigger adds a row whose foreign key is
 * `DEFERRABLE INITIALLY DEFERRED` and points at nothing, so only the commit's constraint check refuses
 * (23503, a pg.DatabaseError, as a lost connection or a full disk at commit would also surface).
 */
export async function armCommitFailureOn(db: Db, table: string): Promise<void> {
  if (dialectOf(db) === "sqlite") {
    armCommitFailure(db.$client, table);
    return;
  }
  const trigger = sql.raw(`commit_trap_${table}_insert`);
  await exec(db, sql`CREATE TABLE IF NOT EXISTS commit_trap_parent (id integer PRIMARY KEY)`);
  await exec(
    db,
    sql`CREATE TABLE IF NOT EXISTS commit_trap (
      id serial PRIMARY KEY,
      parent integer NOT NULL REFERENCES commit_trap_parent(id) DEFERRABLE INITIALLY DEFERRED
    )`,
  );
  await exec(
    db,
    sql`CREATE OR REPLACE FUNCTION commit_trap_fn() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO commit_trap (parent) VALUES (-1); RETURN NULL; END $$`,
  );
  await exec(db, sql`CREATE TRIGGER ${trigger} AFTER INSERT ON ${sql.identifier(table)} FOR EACH ROW EXECUTE FUNCTION commit_trap_fn()`);
}
