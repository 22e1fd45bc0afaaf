-- French, German and Arabic text search (issue 15): cards and boards can be written in five languages.
-- Like tablero_en / tablero_es (0001_pg_extras): accents folded by unaccent, then the language's
-- Snowball stemmer ("pâtes" and "pâte" meet, "Brötchen" and "Brotchen" too). Arabic has PostgreSQL's own
-- Snowball stemmer, which also drops the short-vowel marks and the article ("الخبز" finds "خبز");
-- unaccent leaves Arabic letters as they are and folds the Latin words an Arabic text may hold.
-- Each language gets its own generated column, as en/es have, and a search tries all five.
CREATE TEXT SEARCH CONFIGURATION tablero_fr (COPY = pg_catalog.french);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION tablero_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION tablero_de (COPY = pg_catalog.german);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION tablero_de ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION tablero_ar (COPY = pg_catalog.arabic);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION tablero_ar ALTER MAPPING FOR hword, hword_part, word WITH unaccent, arabic_stem;
--> statement-breakpoint
ALTER TABLE pin_fts
	ADD COLUMN tsv_fr tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_fr'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_fr'::regconfig, body || ' ' || context || ' ' || english), 'B')) STORED,
	ADD COLUMN tsv_de tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_de'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_de'::regconfig, body || ' ' || context || ' ' || english), 'B')) STORED,
	ADD COLUMN tsv_ar tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_ar'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_ar'::regconfig, body || ' ' || context || ' ' || english), 'B')) STORED;
--> statement-breakpoint
CREATE INDEX pin_fts_fr_idx ON pin_fts USING gin (tsv_fr);
--> statement-breakpoint
CREATE INDEX pin_fts_de_idx ON pin_fts USING gin (tsv_de);
--> statement-breakpoint
CREATE INDEX pin_fts_ar_idx ON pin_fts USING gin (tsv_ar);
--> statement-breakpoint
ALTER TABLE board_fts
	ADD COLUMN tsv_fr tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_fr'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_fr'::regconfig, description || ' ' || english), 'B')) STORED,
	ADD COLUMN tsv_de tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_de'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_de'::regconfig, description || ' ' || english), 'B')) STORED,
	ADD COLUMN tsv_ar tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_ar'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_ar'::regconfig, description || ' ' || english), 'B')) STORED;
--> statement-breakpoint
CREATE INDEX board_fts_fr_idx ON board_fts USING gin (tsv_fr);
--> statement-breakpoint
CREATE INDEX board_fts_de_idx ON board_fts USING gin (tsv_de);
--> statement-breakpoint
CREATE INDEX board_fts_ar_idx ON board_fts USING gin (tsv_ar);
