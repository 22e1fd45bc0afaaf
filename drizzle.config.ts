import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: migrations are applied by drizzle-orm's migrate() on a
// connection with sqlite-vec loaded (see db/client.ts), which drizzle-kit's own connection is not.
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
