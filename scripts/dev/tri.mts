import { bestTrigramSimilarity, trigramExpression } from "../../models/query/index";
console.log(bestTrigramSimilarity("sandwitch", "sandwich Sándwich"), trigramExpression(["sandwitch"]));
import Database from "better-sqlite3";
const db = new Database("/tmp/seedtest/tablero.db");
console.log(db.prepare("SELECT rowid, words FROM pin_tri WHERE pin_tri MATCH ? ORDER BY bm25(pin_tri) LIMIT 5").all(trigramExpression(["sandwitch"])));
