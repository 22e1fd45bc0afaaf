import type Database from "better-sqlite3";

/**
 * Makes every INSERT (or UPDATE, DELETE) on `table` fail at COMMIT time, as a full disk does (SQLITE_FULL at
 * the WAL write), in a real SQLite file: a trigger adds a row whose `DEFERRABLE INITIALLY DEFERRED`
 * foreign key points at a row that does not exist, so the statement itself succeeds and only the
 * commit is refused (SQLITE_CONSTRAINT_FOREIGNKEY). `PRAGMA max_page_count` would fail inside the
 * statement instead and not reproduce the commit case. Works from another connection too (the e2e
 * tests arm it on the server's database file). Returns a function that disarms it.
 */
export function armCommitFailure(sqlite: Database.Database, table: string, event: "INSERT" | "UPDATE" | "DELETE" = "INSERT"): () => void {
  const trigger = `commit_trap_${table}_${event.toLowerCase()}`;
  sqlite.exec(`
    CREATE TABLE IF NOT EXISTS commit_trap_parent (id INTEGER PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS commit_trap (
      id INTEGER PRIMARY KEY,
      parent INTEGER NOT NULL REFERENCES commit_trap_parent(id) DEFERRABLE INITIALLY DEFERRED
    );
    CREATE TRIGGER IF NOT EXISTS ${trigger} AFTER ${event} ON "${table}"
    BEGIN INSERT INTO commit_trap (parent) VALUES (-1); END;
  `);
  return () => sqlite.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
}
