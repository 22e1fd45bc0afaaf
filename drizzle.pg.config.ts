import { defineConfig } from "drizzle-kit";

/**
 * PostgreSQL migrations, generated from the tables db/pg/schema.ts DERIVES from db/schema.ts.
 * `npm run db:generate:pg` (db/pg/generate.ts) is the command to use, not `drizzle-kit generate`:
 * drizzle-kit's CLI only sees tables that are named exports of the schema file, and the derived tables
 * are built in a loop, so the script hands them to drizzle-kit's own diff engine (drizzle-kit/api)
 * and writes the files where this config says. This config still serves `drizzle-kit studio`,
 * `introspect` and `check` against a PostgreSQL database (DATABASE_URL).
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema.ts",
  out: "./db/pg/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/tablero" },
});
