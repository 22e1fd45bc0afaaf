import Database from "better-sqlite3";
const db = new Database("/tmp/seedtest/tablero.db");
console.log(db.prepare(`select rowid, title, context from pin_fts where pin_fts match '"afasia"' limit 3`).all());
console.log(db.prepare(`select count(*) n from pin_fts`).get());
console.log(db.prepare(`select rowid, title, context, english from pin_fts where title = 'toothbrush' or title='cepillo de dientes'`).all());
