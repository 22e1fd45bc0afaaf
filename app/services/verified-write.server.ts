/**
 * The one rule for writes that return rows.
 *
 * better-sqlite3 12's `stmt.get()` on `INSERT/UPDATE … RETURNING` outside a transaction hands back the
 * row and then loses the error of the implicit COMMIT that follows (seen with a full disk: SQLITE_FULL
 * at the WAL write; reproducible with a deferred foreign key). The caller would say "saved" for a row
 * that does not exist. `.all()` and `.run()` step the statement to its end and throw what the commit
 * threw, and so does an awaited drizzle `insert/update … returning()` (drizzle runs `.all()` for it), so
 * every write that reads back its rows goes through these two helpers, never `.get()`.
 * (tests/unit/verified-writes.test.ts fails if a `.get()` after `.returning()` comes back anywhere.)
 *
 * Asynchronous data layer (docs/decisions/0022-async-data-layer.md): pass the AWAITED rows,
 * `writtenRow(await q.returning())`, which works on both engines. A promise of rows is accepted too
 * (the answer is then a promise). The old form, the unawaited SQLite query `writtenRow(q.returning())`,
 * still works on SQLite (it calls `.all()`) so services not yet converted keep running; it is not for
 * new code, as PostgreSQL's queries have no `.all()`.
 */

type Returning<T> = { all(): T[] };
type Written<T> = readonly T[] | Returning<T> | PromiseLike<readonly T[]>;

function rowsOf<T>(query: readonly T[] | Returning<T>): readonly T[] {
  return Array.isArray(query) ? (query as readonly T[]) : (query as Returning<T>).all();
}

function isPending<T>(query: Written<T>): query is PromiseLike<readonly T[]> {
  return !Array.isArray(query) && typeof (query as { all?: unknown }).all !== "function";
}

function one<T>(rows: readonly T[]): T {
  if (!rows.length) throw new Error("The write returned no row");
  return rows[0]!;
}

/** The one row a write returned; throws if the write (or its commit) failed or touched nothing. */
export function writtenRow<T>(rows: readonly T[] | Returning<T>): T;
export function writtenRow<T>(rows: PromiseLike<readonly T[]>): Promise<T>;
export function writtenRow<T>(query: Written<T>): T | Promise<T> {
  if (isPending(query)) return Promise.resolve(query).then(one);
  return one(rowsOf(query));
}

/** The row a write returned, or undefined when it touched nothing (e.g. ON CONFLICT DO NOTHING). */
export function writtenRowOrNone<T>(rows: readonly T[] | Returning<T>): T | undefined;
export function writtenRowOrNone<T>(rows: PromiseLike<readonly T[]>): Promise<T | undefined>;
export function writtenRowOrNone<T>(query: Written<T>): T | undefined | Promise<T | undefined> {
  if (isPending(query)) return Promise.resolve(query).then((rows) => rows[0]);
  return rowsOf(query)[0];
}
