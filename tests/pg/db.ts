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

/** Migrated once by global-setup.ts; `freshDatabase(label, { migrated: true })` copies it. */
export const TEMPLATE_DB = "tablero_template";

/**
 * A new database for one test (files run in parallel): empty, or a copy of the migrated template.
 * drop() removes it; global-setup.ts drops whatever is left at the end.
 */
export async function freshDatabase(
  label: string,
  o: { migrated?: boolean; template?: string } = {},
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `tablero_t_${label.replace(/\W/g, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${o.template ?? (o.migrated ? TEMPLATE_DB : "template0")} ENCODING 'UTF8'`);
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
