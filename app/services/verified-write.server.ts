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
 * (the answer is then a promise, to be awaited: a query handed over unawaited is a promise on both
 * engines, so the type checker catches a `.id` read off it).
 */

type Written<T> = readonly T[] | PromiseLike<readonly T[]>;

function isPending<T>(query: Written<T>): query is PromiseLike<readonly T[]> {
  return !Array.isArray(query);
}

const rowsOf = <T>(rows: readonly T[]): readonly T[] => rows;

function one<T>(rows: readonly T[]): T {
  if (!rows.length) throw new Error("The write returned no row");
  return rows[0]!;
}

/** The one row a write returned; throws if the write (or its commit) failed or touched nothing. */
export function writtenRow<T>(rows: readonly T[]): T;
export function writtenRow<T>(rows: PromiseLike<readonly T[]>): Promise<T>;
export function writtenRow<T>(query: Written<T>): T | Promise<T> {
  if (isPending(query)) return Promise.resolve(query).then(one);
  return one(rowsOf(query));
}

/** The row a write returned, or undefined when it touched nothing (e.g. ON CONFLICT DO NOTHING). */
export function writtenRowOrNone<T>(rows: readonly T[]): T | undefined;
export function writtenRowOrNone<T>(rows: PromiseLike<readonly T[]>): Promise<T | undefined>;
export function writtenRowOrNone<T>(query: Written<T>): T | undefined | Promise<T | undefined> {
  if (isPending(query)) return Promise.resolve(query).then((rows) => rows[0]);
  return rowsOf(query)[0];
}
