import pg from "pg";

/**
 * `npm run test:pg` without a server is a mistake to say plainly, not a pile of connection errors (or
 * vitest's "No test files found"): run first by the npm script, and again as vitest's global setup
 * for direct `vitest --config vitest.pg.config.ts` runs.
 */
export async function checkDatabaseUrl(url = process.env.DATABASE_URL): Promise<void> {
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      "npm run test:pg needs DATABASE_URL=postgres://… (a server where it may create and drop databases).\n" +
        'Start a throw-away one with:  out=$(scripts/pg-test-cluster.sh start); export DATABASE_URL=$(echo "$out" | sed -n 2p)\n' +
        'and stop it with:           scripts/pg-test-cluster.sh stop "$(echo "$out" | sed -n 1p)"',
    );
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (e) {
    throw new Error(`DATABASE_URL=${url.replace(/:[^:@/]*@/, ":***@")} does not answer: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

if (process.argv[1]?.endsWith("preflight.ts")) {
  await checkDatabaseUrl().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
