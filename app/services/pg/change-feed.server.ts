/**
 * Follows PostgreSQL's change feed (change_log, db/pg/migrations/0001_pg_extras.sql): a node keeps its
 * in-memory structures (card vector index, graph) in step with writes made by any node. The rows have
 * the shape and meaning of SQLite's (migration 0013, app/services/changes/feed.server.ts), so the same
 * callback serves both engines: `pin_vec` → re-read that card's vector, `graph` → the graph is stale.
 *
 * One dedicated connection LISTENs on `tablero_changes`; a NOTIFY only says "something new", the rows
 * are then read from the table with `seq > last`, in order, and handed to the callback one at a time.
 * Reading the table (not the payloads) is what makes it safe: on (re)connect the follower first
 * catches up from `last`, so NOTIFYs sent while it was away are not needed. Seqs commit in order
 * because the trigger serialises change_log writers (see the migration); a gap is a rolled-back
 * transaction and is passed over — unless nothing at or before the cursor is left in the table: then
 * the follower was away longer than pruning keeps rows (pruneChanges, 10 minutes), the missing rows may
 * have been real changes, and `onGap` is told so that everything derived is rebuilt from the tables.
 */
import pg from "pg";

export const CHANNEL = "tablero_changes";

/** Topics as on SQLite: a card's vector (rowId = card), the boards-and-cards graph (rowId = board). */
export type ChangeTopic = "pin_vec" | "graph";
export type Change = { seq: number; topic: ChangeTopic; rowId: number; op: "upsert" | "delete"; at: number };

export type FollowOptions = {
  /** Connection string for the LISTEN connection (a pool cannot hold a LISTEN). */
  url: string;
  /** Where the rows are read (the primary: a replica may lag behind the NOTIFY). */
  pool: pg.Pool;
  /** Deliver changes with seq > from. */
  from: number;
  /** Called in seq order, one change at a time; after a throw the same change is offered again shortly. */
  onChange: (c: Change) => void | Promise<void>;
  onError?: (e: unknown) => void;
  /**
   * The rows after the cursor were pruned before they were read (the follower was cut off too long):
   * called before the rows that remain are delivered; the subscriber rebuilds from the tables.
   */
  onGap?: (gap: { last: number; oldest: number }) => void | Promise<void>;
  /** First wait before reconnecting (doubled up to 10 s while the server stays away), and before retrying a failed change. */
  reconnectMs?: number;
  /** Also catch up this often without a NOTIFY (a safety net; 0 = never). */
  pollMs?: number;
  batch?: number;
};

export type Follower = {
  /** The last seq delivered. */
  readonly last: number;
  /** Resolves after a catch-up that started after this call has finished. */
  sync(): Promise<void>;
  stop(): Promise<void>;
};

export function followChanges(o: FollowOptions): Follower {
  let last = o.from;
  let stopped = false;
  let listener: pg.Client | null = null;
  let backoff = o.reconnectMs ?? 250;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  const batch = o.batch ?? 500;
  const report = (e: unknown) => o.onError?.(e);

  // Catch-ups never overlap: a request while one runs makes one more run after it.
  let running: Promise<void> | null = null;
  let again = false;
  const catchUp = (): Promise<void> => {
    if (running) {
      again = true; // the running loop goes round once more before it resolves
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          for (;;) {
            const { rows } = await o.pool.query<Change>(
              `SELECT seq, topic, row_id AS "rowId", op, at FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
              [last, batch],
            );
            const first = rows[0];
            if (first && first.seq > last + 1 && o.onGap) {
              // Rolled back, or pruned? Pruning removes the oldest rows, so if none at or before the
              // cursor is left, the ones in between may have been real changes: say so.
              const { rows: kept } = await o.pool.query<{ oldest: number | null }>(
                `SELECT min(seq) AS oldest FROM change_log WHERE seq <= $1`,
                [last],
              );
              if (kept[0]?.oldest == null && last > 0) await o.onGap({ last, oldest: first.seq });
            }
            for (const c of rows) {
              if (stopped) return;
              await o.onChange(c);
              last = c.seq;
            }
            if (rows.length < batch) break;
          }
        } catch (e) {
          // A failed read or callback: `last` stays before the change, which is tried again shortly.
          report(e);
          if (!stopped && !retryTimer)
            retryTimer = setTimeout(() => {
              retryTimer = null;
              void catchUp();
            }, o.reconnectMs ?? 250);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, backoff);
    backoff = Math.min(backoff * 2, 10_000);
  };

  const connect = async () => {
    const client = new pg.Client({ connectionString: o.url });
    let dead = false;
    const lost = (e?: unknown) => {
      if (dead) return;
      dead = true;
      if (e) report(e);
      if (listener === client) listener = null;
      client.end().catch(() => {});
      scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (n) => {
      if (n.channel === CHANNEL) void catchUp();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (stopped) return void client.end().catch(() => {});
      listener = client;
      backoff = o.reconnectMs ?? 250;
      // Listening first, then reading: a change committed in between is both read and notified (the
      // second catch-up finds nothing), never neither.
      await catchUp();
    } catch (e) {
      lost(e);
    }
  };

  const poll = o.pollMs ? setInterval(() => void catchUp(), o.pollMs) : null;
  poll?.unref();
  void connect();

  return {
    get last() {
      return last;
    },
    sync: () => catchUp(),
    async stop() {
      stopped = true;
      if (poll) clearInterval(poll);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (retryTimer) clearTimeout(retryTimer);
      const l = listener;
      listener = null;
      await l?.end().catch(() => {});
      await running;
    },
  };
}
