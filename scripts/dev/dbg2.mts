import { openDb } from "../../db/client";
import { search, understandQuery } from "../../app/services/search.server";
import { getPipeline } from "../../app/services/pipeline.server";
const db = openDb("/tmp/seedtest/tablero.db");
const p = await getPipeline();
const u = await understandQuery(db, p, "candle", "en");
console.log(u.lang, u.english, u.translated);
for (const g of [["text"], ["fuzzy"], ["vector"], ["interest"], undefined]) {
  const r = await search(db, p, { q: "candle", uiLang: "en", viewer: null, limit: 5, kind: "cards", langFilter: "es", generators: g as any });
  console.log(g, r.cards.map((c) => `${c.title}:${c.score}`).join(", "));
}
