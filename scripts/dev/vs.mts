import { openDb } from "../../db/client";
import { getPipeline } from "../../app/services/pipeline.server";
import { pinIndex, readVectors } from "../../app/services/vectors.server";
const db = openDb("/tmp/seedtest/tablero.db");
const p = await getPipeline();
for (const q of ["qwertyzz", "xkcd blorp", "apple", "aphasia", "how do you feel", "words for food", "sandwitch", "asdf"]) {
  const [v] = await p.embedder.embed([q]);
  const hits = pinIndex(db).search(v!, 10, { fetchVectors: (ids) => readVectors(db, "pin_vec", ids) });
  console.log(q.padEnd(16), hits.map((h) => h.score.toFixed(2)).join(" "));
}
