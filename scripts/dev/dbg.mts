import { openDb } from "../../db/client";
import { search } from "../../app/services/search.server";
import { getPipeline } from "../../app/services/pipeline.server";
const db = openDb("/tmp/seedtest/tablero.db");
const p = await getPipeline();
const r = await search(db, p, { q: "sandwitch", uiLang: "en", viewer: null, limit: 8, generators: ["fuzzy"] });
console.log(r.cards.map((c) => c.title));
