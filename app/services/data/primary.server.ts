import type { Db } from "../db.server";

/**
 * The primary behind a replica's handle (getReadDb()). A page may read through the replica, but what
 * it queues for writing (served lists, the search log) and the in-memory structures it consults (the
 * vector index, the Pixie graph, the change-feed follower that keeps them current — a replica cannot
 * LISTEN) belong to the primary: modules that key such things by handle look them up under
 * primaryOf(db), so a replica handle never gets its own writer, index or follower.
 */
// On globalThis: the server build and scripts/serve-main.ts each load their own copy of this module
// (db.server.ts), and the one that opens the database registers what the other one looks up.
const g = globalThis as unknown as { __tableroPrimaries?: WeakMap<object, Db> };
const primaries = (g.__tableroPrimaries ??= new WeakMap<object, Db>());

export function registerReplica(reader: Db, primary: Db): void {
  if (reader !== primary) primaries.set(reader, primary);
}

export function primaryOf(db: Db): Db {
  return primaries.get(db) ?? db;
}
