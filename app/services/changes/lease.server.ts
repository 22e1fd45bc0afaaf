import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "../db.server";

/**
 * Named leases in the database (job_lease, migration 0013): how background work runs exactly once
 * across the workers of one machine (and, on a shared database, across machines) without a
 * coordinator. A lease is taken by one statement — insert, or take over one that expired, or extend
 * our own — so two workers asking at the same moment cannot both get it (SQLite serialises writers).
 */

/** This process, for the `owner` column: host and pid for people reading the table, random for uniqueness. */
export const LEASE_OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** Takes (or extends, when already ours) the lease for `ms`; false when another live owner holds it. */
export function claimLease(db: Db, name: string, ms: number, o: { owner?: string; now?: number } = {}): boolean {
  const now = o.now ?? Date.now();
  const owner = o.owner ?? LEASE_OWNER;
  const r = db.$client
    .prepare(
      `INSERT INTO job_lease (name, owner, until) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until
       WHERE job_lease.until <= ? OR job_lease.owner = excluded.owner`,
    )
    .run(name, owner, now + ms, now);
  return r.changes === 1;
}

/** Gives the lease back (only if it is still ours), so the next claim need not wait for it to expire. */
export function releaseLease(db: Db, name: string, o: { owner?: string } = {}) {
  db.$client.prepare("DELETE FROM job_lease WHERE name = ? AND owner = ?").run(name, o.owner ?? LEASE_OWNER);
}

/**
 * For periodic jobs: true at most once per `everyMs` across all processes. The lease is not given back:
 * it is the record of the last run, and its expiry is when the next one is due.
 */
export function dueOnce(db: Db, name: string, everyMs: number, o: { owner?: string; now?: number } = {}): boolean {
  // Our own lease that has not expired yet means we already ran it this period.
  const now = o.now ?? Date.now();
  const held = db.$client.prepare("SELECT until FROM job_lease WHERE name = ?").get(name) as { until: number } | undefined;
  if (held && held.until > now) return false;
  return claimLease(db, name, everyMs, o);
}
