// Creates data/tablero.db (migrations applied with sqlite-vec loaded) and seeds it on first run.
import { openDb } from "../db/client";
import { dbFile } from "../db/paths";
import { isSeeded, seedStarterLibrary } from "../app/services/seed.server";
import { indexBoards, indexPins } from "../app/services/indexing.server";
import { getPipeline } from "../app/services/pipeline.server";

export async function setup(): Promise<void> {
  const file = dbFile();
  const db = openDb(file);
  if (await isSeeded(db)) {
    console.log(`Database ready: ${file}`);
  } else {
    const t0 = Date.now();
    console.log(`Seeding the starter library into ${file} …`);
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
  db.$client.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await setup();
