import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { exec, first } from "../data/raw.server";

/**
 * Named leases in the database (job_lease, migration 0013): how background work runs exactly once
 * across the workers of one machine (and, on a shared database, across machines) without a
 * coordinator. A lease is taken by one statement — insert, or take over one that expired, or extend
 * our own — so two workers asking at the same moment cannot both get it (SQLite serialises writers).
 */

/**
 * This process, for the `owner` column: host and pid (readable, and how a dead holder on this machine
 * is recognised), then random (a reused pid is another owner). On globalThis: the server and the Remix
 * build each load their own copy of this module, and both must be the same owner.
 */
const g = globalThis as unknown as { __tableroLeaseOwner?: string };
export const LEASE_OWNER = (g.__tableroLeaseOwner ??= `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`);

/** Takes (or extends, when already ours) the lease for `ms`; false when another live owner holds it. */
export async function claimLease(db: Db, name: string, ms: number, o: { owner?: string; now?: number } = {}): Promise<boolean> {
  const now = o.now ?? Date.now();
  const owner = o.owner ?? LEASE_OWNER;
  // One statement both engines accept (PostgreSQL's ON CONFLICT … DO UPDATE … WHERE is the same), so
  // the claim stays atomic without a transaction.
  const changes = await exec(
    db,
    sql`INSERT INTO job_lease (name, owner, until) VALUES (${name}, ${owner}, ${now + ms})
        ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until
        WHERE job_lease.until <= ${now} OR job_lease.owner = excluded.owner`,
  );
  if (changes === 1) return true;
  // A holder on this machine whose process is gone (a worker killed -9, a restart) need not be waited for.
  const held = await first<{ owner: string }>(db, sql`SELECT owner FROM job_lease WHERE name = ${name}`);
  if (!held || !deadHereOwner(held.owner)) return false;
  return (
    (await exec(db, sql`UPDATE job_lease SET owner = ${owner}, until = ${now + ms} WHERE name = ${name} AND owner = ${held.owner}`)) === 1
  );
}

/** True when `owner` names a process on this host that no longer exists. */
function deadHereOwner(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Gives the lease back (only if it is still ours), so the next claim need not wait for it to expire. */
export async function releaseLease(db: Db, name: string, o: { owner?: string } = {}): Promise<void> {
  await exec(db, sql`DELETE FROM job_lease WHERE name = ${name} AND owner = ${o.owner ?? LEASE_OWNER}`);
}

/**
 * For periodic jobs: true at most once per `everyMs` across all processes. The lease is not given back:
 * it is the record of the last run, and its expiry is when the next one is due.
 */
export async function dueOnce(db: Db, name: string, everyMs: number, o: { owner?: string; now?: number } = {}): Promise<boolean> {
  // Our own lease that has not expired yet means we already ran it this period.
  const now = o.now ?? Date.now();
  // Number(): PostgreSQL returns the bigint column as a string.
  const held = await first<{ until: number | string }>(db, sql`SELECT until FROM job_lease WHERE name = ${name}`);
  if (held && Number(held.until) > now) return false;
  return claimLease(db, name, everyMs, o);
}
