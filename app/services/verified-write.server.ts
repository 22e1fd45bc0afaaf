/**
 * The one rule for writes that return rows.
 *
 * better-sqlite3 12's `stmt.get()` on `INSERT/UPDATE … RETURNING` outside a transaction hands back the
 * row and then loses the error of the implicit COMMIT that follows (seen with a full disk: SQLITE_FULL
 * at the WAL write; reproducible with a deferred foreign key). The caller would say "saved" for a row
 * that does not exist. `.all()` and `.run()` step the statement to its end and throw what the commit
 * threw, so every write that reads back its rows goes through these two helpers, never `.get()`.
 * (tests/unit/verified-writes.test.ts fails if a `.get()` after `.returning()` comes back anywhere.)
 */

type Returning<T> = { all(): T[] };

/** The one row a write returned; throws if the write (or its commit) failed or touched nothing. */
export function writtenRow<T>(query: Returning<T>): T {
  const rows = query.all();
  if (!rows.length) throw new Error("The write returned no row");
  return rows[0]!;
}

/** The row a write returned, or undefined when it touched nothing (e.g. ON CONFLICT DO NOTHING). */
export function writtenRowOrNone<T>(query: Returning<T>): T | undefined {
  return query.all()[0];
}
