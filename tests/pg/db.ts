import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server under test (global-setup.ts has checked it is set and answers). */
export const serverUrl = () => process.env.DATABASE_URL!;

/** The same server, another database. */
export function urlFor(database: string): string {
  const u = new URL(serverUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/** A new empty database for one test file (files run in parallel); drop() removes it. */
export async function freshDatabase(label: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `tablero_t_${label.replace(/\W/g, "_")}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(name),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
