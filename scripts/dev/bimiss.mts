import Database from "better-sqlite3";
import { openDb } from "../../db/client";
import { pins } from "../../db/schema";
import { getPipeline } from "../../app/services/pipeline.server";
import { search } from "../../app/services/search.server";
const db = openDb("/tmp/seedtest/tablero.db");
const p = await getPipeline();
const byHex = new Map<string, any>();
for (const r of db.select().from(pins).all()) { if (!r.source.startsWith("openmoji:")) continue; const h = r.source.slice(9); byHex.set(h, { ...byHex.get(h), [r.lang]: r }); }
let n = 0;
for (const [hex, w] of byHex) {
  if (!w.en || !w.es) continue;
  const r = await search(db, p, { q: w.en.title, uiLang: "en", viewer: null, limit: 10, kind: "cards", langFilter: "es" });
  if (!r.cards.some((c) => c.id === w.es.id)) { console.log(`${w.en.title} -> want ${w.es.title}; got ${r.cards.slice(0,3).map(c=>c.title).join(", ")}`); if (++n > 60) break; }
}
