/**
 * Background jobs shared by every node, on PostgreSQL's `job` table (db/pg/migrations/0001_pg_extras.sql).
 *
 * claim() takes the oldest due job of a queue with FOR UPDATE SKIP LOCKED: concurrent claimers skip
 * the rows another one is taking instead of waiting for it, so two never get the same job. A claim is a
 * lease: a node that crashes mid-job simply stops renewing it, and once `locked_until` has passed the
 * job is due again (attempts counts every claim, so a job that keeps crashing nodes ends "failed").
 * complete/fail/extend only act while the caller still holds the lease (same `locked_by`, same attempt).
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

export type Job<P = unknown> = {
  id: number;
  queue: string;
  payload: P;
  attempts: number;
  maxAttempts: number;
  lockedBy: string;
  lockedUntil: number;
};

const COLUMNS = `id, queue, payload, attempts, max_attempts AS "maxAttempts", locked_by AS "lockedBy", locked_until AS "lockedUntil"`;

export async function enqueue(
  db: Queryable,
  queue: string,
  payload: unknown,
  o: { runAt?: number; maxAttempts?: number } = {},
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO job (queue, payload, run_at, max_attempts) VALUES ($1, $2, coalesce($3, (floor(extract(epoch from clock_timestamp()) * 1000))::bigint), $4) RETURNING id`,
    [queue, JSON.stringify(payload ?? {}), o.runAt ?? null, o.maxAttempts ?? 5],
  );
  return rows[0]!.id;
}

/** The next due job of `queue`, leased to `worker` for `leaseMs`; null when none is due. */
export async function claim<P = unknown>(
  db: Queryable,
  queue: string,
  worker: string,
  leaseMs = 60_000,
  now = Date.now(),
): Promise<Job<P> | null> {
  // A lease that ran out on the last allowed attempt: the job is given up, not retried once more.
  await db.query(
    `UPDATE job SET state = 'failed', last_error = coalesce(last_error, 'lease expired') , locked_by = NULL
      WHERE queue = $1 AND state = 'running' AND locked_until < $2 AND attempts >= max_attempts`,
    [queue, now],
  );
  const { rows } = await db.query<Job<P>>(
    `UPDATE job SET state = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3 + $4::bigint
      WHERE id = (
        SELECT id FROM job
         WHERE queue = $1
           AND ((state = 'ready' AND run_at <= $3) OR (state = 'running' AND locked_until < $3 AND attempts < max_attempts))
         ORDER BY run_at, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [queue, worker, now, leaseMs],
  );
  return rows[0] ?? null;
}

const mine = `id = $1 AND state = 'running' AND locked_by = $2 AND attempts = $3`;

/** Marks the job done; false when the lease was lost (another node has it now, or it expired and was taken). */
export async function complete(db: Queryable, job: Job): Promise<boolean> {
  const r = await db.query(`UPDATE job SET state = 'done', locked_by = NULL, locked_until = NULL WHERE ${mine}`, [
    job.id,
    job.lockedBy,
    job.attempts,
  ]);
  return r.rowCount === 1;
}

/** A failed attempt: due again after `retryInMs`, or "failed" once max_attempts is used up. */
export async function fail(db: Queryable, job: Job, error: string, retryInMs = 30_000, now = Date.now()): Promise<boolean> {
  const r = await db.query(
    `UPDATE job SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'ready' END,
            run_at = $4 + $5::bigint, last_error = $6, locked_by = NULL, locked_until = NULL
      WHERE ${mine}`,
    [job.id, job.lockedBy, job.attempts, now, retryInMs, error],
  );
  return r.rowCount === 1;
}

/** Renews the lease of a long job; false when it was already lost. */
export async function extend(db: Queryable, job: Job, leaseMs = 60_000, now = Date.now()): Promise<boolean> {
  const r = await db.query(`UPDATE job SET locked_until = $4 + $5::bigint WHERE ${mine}`, [
    job.id,
    job.lockedBy,
    job.attempts,
    now,
    leaseMs,
  ]);
  return r.rowCount === 1;
}
