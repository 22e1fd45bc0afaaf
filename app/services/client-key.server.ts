import { createHmac, randomBytes } from "node:crypto";
import { eq, lt } from "drizzle-orm";
import { clientSalts } from "../../db/tables";
import type { Db } from "./db.server";

/**
 * Who a visitor is, for counting and limiting only (issue 12, finding 7): their network address,
 * hashed with a random salt of the day that is kept in SQLite (the same across restarts and workers,
 * deleted after two days), so the key groups one client's requests today but cannot be linked to
 * yesterday's or turned back into the address. A cookie a client sends is its own to invent, so it
 * never decides how much a visitor counts; the address does.
 */

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

const saltCache = new WeakMap<Db, { day: number; salt: string }>();

async function saltOf(db: Db, day: number): Promise<string> {
  const hit = saltCache.get(db);
  if (hit?.day === day) return hit.salt;
  // Insert unless there, then read: two processes racing on a new day agree on one salt.
  await db
    .insert(clientSalts)
    .values({ day, salt: randomBytes(24).toString("base64url") })
    .onConflictDoNothing();
  await db.delete(clientSalts).where(lt(clientSalts.day, day - 1));
  const [row] = await db.select({ salt: clientSalts.salt }).from(clientSalts).where(eq(clientSalts.day, day)).limit(1);
  const salt = row!.salt;
  saltCache.set(db, { day, salt });
  return salt;
}

/**
 * "ip:<hash>" for a visitor's address today. Every visitor whose address is unknown shares one key:
 * without an address there is nothing better to count by, and a fresh key per request (what a
 * cookie-less client used to get) is exactly what let one client count as thousands.
 */
export async function visitorSource(db: Db, address: string | null, now = Date.now()): Promise<string> {
  const mac = createHmac("sha256", await saltOf(db, dayOf(now)))
    .update(address ?? "unknown")
    .digest("base64url");
  return `ip:${mac.slice(0, 22)}`;
}
