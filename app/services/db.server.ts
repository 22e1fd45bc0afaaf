import { openDb, type Db } from "../../db/client";
import { dbFile } from "../../db/paths";

// One connection per process; remix's dev server reloads modules, so keep it on globalThis.
const g = globalThis as unknown as { __tableroDb?: Db };

export function getDb(): Db {
  g.__tableroDb ??= openDb(dbFile());
  return g.__tableroDb;
}
export type { Db };
