/**
 * Transactions that may await, on either engine (issue 13: one asynchronous data layer).
 *
 * PostgreSQL: drizzle's own `db.transaction(async tx => …)` on one pooled connection.
 * SQLite: better-sqlite3's transactions are synchronous (an async callback throws "Transaction
 * function cannot return a promise"), and a process has ONE connection, so statements of other
 * requests would land inside an open transaction. Here a transaction is BEGIN IMMEDIATE … COMMIT on
 * that connection, one at a time per connection (a promise chain is the lock), and its body may await
 * only database statements: drizzle's SQLite queries resolve at once, so the body runs to its end in
 * microtasks and no other request's I/O callback can run in between. Network, model or file work
 * inside a transaction is a bug on both engines (it holds the write lock); do it before or after.
 * Nested calls from inside the body become savepoints, as drizzle does.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DrizzleError, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import { dialectOf } from "./dialect.server";

type Open = { db: Db; depth: number };
const current = new AsyncLocalStorage<Open>();
/** The tail of each SQLite connection's queue of transactions. */
const queues = new WeakMap<object, Promise<void>>();

/**
 * Runs a transaction-control statement. drizzle's `db.run(sql)` wraps a failure in a DrizzleError
 * ("Failed to run the query 'COMMIT'"); the SQLite error itself is what callers must see, so that a
 * commit that failed (a full disk, a deferred foreign key) is still recognised as a storage failure
 * (save-failure.server.ts: "Could not save — nothing was changed"), as it was with db.transaction().
 */
function control(db: Db, q: SQL): void {
  try {
    db.run(q);
  } catch (e) {
    throw e instanceof DrizzleError && e.cause ? e.cause : e;
  }
}

export async function transaction<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "pg") {
    // drizzle's pg transaction handle has the same query-builder surface the services use.
    const pgDb = db as unknown as { transaction<R>(fn: (tx: unknown) => Promise<R>): Promise<R> };
    return pgDb.transaction((tx) => body(tx as Db));
  }
  const open = current.getStore();
  if (open && open.db === db) return savepoint(open, body);

  const before = queues.get(db.$client) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  queues.set(
    db.$client,
    before.then(() => mine),
  );
  await before;
  try {
    control(db, sql`BEGIN IMMEDIATE`);
    try {
      const result = await current.run({ db, depth: 1 }, () => body(db));
      // COMMIT can fail (a full disk): it throws here and the catch rolls back what is still open.
      control(db, sql`COMMIT`);
      return result;
    } catch (e) {
      if (db.$client.inTransaction) control(db, sql`ROLLBACK`);
      throw e;
    }
  } finally {
    done();
  }
}

async function savepoint<T>(open: Open, body: (tx: Db) => Promise<T>): Promise<T> {
  const name = sql.raw(`sp${open.depth}`);
  control(open.db, sql`SAVEPOINT ${name}`);
  try {
    const result = await current.run({ db: open.db, depth: open.depth + 1 }, () => body(open.db));
    control(open.db, sql`RELEASE ${name}`);
    return result;
  } catch (e) {
    control(open.db, sql`ROLLBACK TO ${name}`);
    control(open.db, sql`RELEASE ${name}`);
    throw e;
  }
}
