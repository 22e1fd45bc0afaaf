import pg from "pg";
import { makePool, migratePg } from "../../db/pg/client";
import { TEMPLATE_DB, urlFor } from "./db";
import { checkDatabaseUrl } from "./preflight";
import { seedTemplate } from "../unit/seeded-template";
import { rmSync } from "node:fs";

/** The migrated template with the starter library seeded and indexed (seededTestDb copies it). */
const SEEDED_DB = "tablero_t_seeded";

/**
 * Checks the server answers, then migrates a template database once: each service test then gets a
 * fresh, migrated database by copying it (CREATE DATABASE … TEMPLATE), in tens of milliseconds instead
 * of running every migration again; a second template holds the seeded starter library. At the end,
 * drops every database the tests made.
 */
export default async function setup({ provide }: { provide: (key: "seededDataDir" | "seededDatabase", value: string) => void }) {
  await checkDatabaseUrl();
  await dropTestDatabases(true);
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await admin.end();
  }
  const pool = makePool(urlFor(TEMPLATE_DB), 1);
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
  const admin2 = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin2.connect();
  try {
    await admin2.query(`CREATE DATABASE ${SEEDED_DB} TEMPLATE ${TEMPLATE_DB} ENCODING 'UTF8'`);
  } finally {
    await admin2.end();
  }
  const seededDir = seedTemplate(urlFor(SEEDED_DB));
  provide("seededDataDir", seededDir);
  provide("seededDatabase", SEEDED_DB);
  return async () => {
    rmSync(seededDir, { recursive: true, force: true });
    await dropTestDatabases(true);
  };
}

async function dropTestDatabases(withTemplate: boolean) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'tablero\\_t\\_%' OR datname = $1",
      [withTemplate ? TEMPLATE_DB : ""],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
