import { defineConfig } from "drizzle-kit";

/**
 * PostgreSQL migrations, generated from the tables db/pg/schema.ts DERIVES from db/schema.ts.
 * `npm run db:generate:pg` (db/pg/generate.ts) is the command to use, not `drizzle-kit generate`:
 * drizzle-kit's CLI loads db/pg/schema.ts fine but collects only tables that are named exports, and the
 * derived tables are built in a loop ("0 tables"), so the script hands them to drizzle-kit's own diff
 * engine (drizzle-kit/api) and writes the files where this config says (`out`).
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema.ts",
  out: "./db/pg/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/tablero" },
});
