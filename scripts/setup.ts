// Creates the database and seeds it on first run. SQLite (the default): data/tablero.db, migrations
// applied with sqlite-vec loaded. PostgreSQL (DATABASE_URL=postgres://…): openDatabase() migrates it
// (under an advisory lock, so nodes starting together migrate once).
import { openDb } from "../db/client";
import { dbFile } from "../db/paths";
import { tablesEngine } from "../db/tables";
import { closeDatabase, openDatabase } from "../app/services/db.server";
import { isSeeded, seedStarterLibrary } from "../app/services/seed.server";
import { indexBoards, indexPins } from "../app/services/indexing.server";
import { getPipeline } from "../app/services/pipeline.server";

export async function setup(): Promise<void> {
  const pg = tablesEngine === "pg";
  // Where the data lives, for the messages (a PostgreSQL URL without its password).
  const where = pg ? new URL(process.env.DATABASE_URL!).host + new URL(process.env.DATABASE_URL!).pathname : dbFile();
  const db = pg ? await openDatabase() : openDb(dbFile());
  try {
    if (await isSeeded(db)) {
      console.log(`Database ready: ${where}`);
    } else {
      const t0 = Date.now();
      console.log(`Seeding the starter library into ${where} …`);
      const { boards, cards } = await seedStarterLibrary(db, (m) => process.stdout.write(`  ${m}\n`));
      console.log(`Seeded ${boards} boards and ${cards} cards in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Content understanding for everything not yet indexed (idempotent: unchanged rows are skipped).
    const t1 = Date.now();
    const pipeline = await getPipeline();
    const pinsDone = await indexPins(db, pipeline);
    const boardsDone = await indexBoards(db, pipeline);
    if (pinsDone || boardsDone) {
      console.log(
        `Indexed ${pinsDone} cards and ${boardsDone} boards for search in ${((Date.now() - t1) / 1000).toFixed(1)} s (translation: ${pipeline.translator.id})`,
      );
    }
  } finally {
    if (pg) await closeDatabase();
    else db.$client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await setup();
