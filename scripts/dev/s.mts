import { openDb } from "../../db/client";
import { search } from "../../app/services/search.server";
import { getPipeline } from "../../app/services/pipeline.server";
const db = openDb("/tmp/seedtest/tablero.db");
const p = await getPipeline();
for (const q of process.argv.slice(2)) {
  const t0 = performance.now();
  const r = await search(db, p, { q, uiLang: "en", viewer: null, limit: 8 });
  console.log(`\n## ${q} (${(performance.now() - t0).toFixed(0)} ms) lang=${r.query.lang} interests=${r.query.interests.map((i) => i.slug + ":" + i.score).join(",")}`);
  console.log("  exp:", r.query.expansions.join(" | "));
  console.log("  boards:", r.boards.slice(0, 5).map((b) => `${b.title}[${b.sources}]`).join("; "));
  console.log("  cards:", r.cards.map((c) => `${c.title}(${c.lang})[${c.sources}]`).join("; "));
}
