-- Full-text indexes (FTS5, BM25). rowid = pin id / board id; kept in step by the indexing service.
-- porter: English stemming; unicode61 remove_diacritics 2: "afasia" matches "afasía", "ÁRBOL" matches "arbol".
-- english: the card's words in the other language (Apertium: Spanish cards in English, English cards in
-- Spanish), so a search in either language matches.
CREATE VIRTUAL TABLE IF NOT EXISTS pin_fts USING fts5(title, body, context, english, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE IF NOT EXISTS board_fts USING fts5(title, description, english, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE IF NOT EXISTS interest_vec USING vec0(interest_id integer primary key, embedding float[512] distance_metric=cosine);
