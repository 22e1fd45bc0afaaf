-- PostgreSQL-only parts of the schema, hand-written (docs/decisions/0021-postgresql.md). They replace
-- SQLite's virtual tables (FTS5, trigram FTS5, sqlite-vec) and add what several nodes need: a change
-- feed that NOTIFYs, and a job queue claimed with FOR UPDATE SKIP LOCKED. They never alter a derived
-- table, so db/pg/generate.ts can keep diffing the derived schema against its own last snapshot.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- English and Spanish stemming that ignores accents, like FTS5's `unicode61 remove_diacritics 2`
-- ("afasía" matches "afasia"): unaccent first, then the language's Snowball stemmer.
CREATE TEXT SEARCH CONFIGURATION tablero_en (COPY = pg_catalog.english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION tablero_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION tablero_es (COPY = pg_catalog.spanish);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION tablero_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE function.
CREATE FUNCTION tablero_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
--> statement-breakpoint
-- A board inserted without a share token gets one (SQLite: trigger board_share_token_default, 0009),
-- so inserts that bypass drizzle's $defaultFn still make an unguessable link: gen_random_uuid() is
-- built in and cryptographically random (122 random bits of the 128; SQLite's has 128).
CREATE FUNCTION tablero_board_share_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.share_token IS NULL THEN NEW.share_token := replace(gen_random_uuid()::text, '-', ''); END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER board_share_token_default BEFORE INSERT ON board FOR EACH ROW EXECUTE FUNCTION tablero_board_share_token();
--> statement-breakpoint
-- Full text (SQLite: pin_fts / board_fts, FTS5 with BM25). The same columns, filled the same way by the
-- indexing service; the tsvectors are generated, so they cannot drift from the text. Title weighs A,
-- the rest B: ts_rank_cd's default weights {0.1, 0.2, 0.4, 1.0} make a title match count 2.5× a body
-- match (FTS5 ranks title 3×). Each language has its own column: "runs" stems to "run" only in English,
-- "comidas" to "comid" only in Spanish, and a search tries both.
CREATE TABLE pin_fts (
	pin_id integer PRIMARY KEY,
	title text NOT NULL DEFAULT '',
	body text NOT NULL DEFAULT '',
	context text NOT NULL DEFAULT '',
	english text NOT NULL DEFAULT '',
	tsv_en tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_en'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_en'::regconfig, body || ' ' || context || ' ' || english), 'B')) STORED,
	tsv_es tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_es'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_es'::regconfig, body || ' ' || context || ' ' || english), 'B')) STORED
);
--> statement-breakpoint
CREATE INDEX pin_fts_en_idx ON pin_fts USING gin (tsv_en);
--> statement-breakpoint
CREATE INDEX pin_fts_es_idx ON pin_fts USING gin (tsv_es);
--> statement-breakpoint
CREATE TABLE board_fts (
	board_id integer PRIMARY KEY,
	title text NOT NULL DEFAULT '',
	description text NOT NULL DEFAULT '',
	english text NOT NULL DEFAULT '',
	tsv_en tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_en'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_en'::regconfig, description || ' ' || english), 'B')) STORED,
	tsv_es tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('tablero_es'::regconfig, title), 'A') ||
		setweight(to_tsvector('tablero_es'::regconfig, description || ' ' || english), 'B')) STORED
);
--> statement-breakpoint
CREATE INDEX board_fts_en_idx ON board_fts USING gin (tsv_en);
--> statement-breakpoint
CREATE INDEX board_fts_es_idx ON board_fts USING gin (tsv_es);
--> statement-breakpoint
-- Similar spelling (SQLite: pin_tri, FTS5 trigram): a card's word and its translation, trigram-indexed
-- with accents and case folded, for pg_trgm's word_similarity (`<%`).
CREATE TABLE pin_tri (
	pin_id integer PRIMARY KEY,
	words text NOT NULL
);
--> statement-breakpoint
CREATE INDEX pin_tri_words_idx ON pin_tri USING gin (tablero_fold(words) gin_trgm_ops);
--> statement-breakpoint
-- Vectors (SQLite: sqlite-vec vec0 tables). pgvector is not available here, so the embedding is kept as
-- bytea (512 float32, little-endian: the very bytes sqlite-vec stores) and the nearest-neighbour index
-- stays in each node's memory, fed by the change feed below.
CREATE TABLE pin_vec (pin_id integer PRIMARY KEY, embedding bytea NOT NULL);
--> statement-breakpoint
CREATE TABLE board_vec (board_id integer PRIMARY KEY, embedding bytea NOT NULL);
--> statement-breakpoint
CREATE TABLE interest_vec (interest_id integer PRIMARY KEY, embedding bytea NOT NULL);
--> statement-breakpoint
CREATE TABLE pin_sage_vec (pin_id integer PRIMARY KEY, embedding bytea NOT NULL);
--> statement-breakpoint
-- The change feed: one row per change to a table that nodes keep in memory, written by triggers (no
-- code path can forget it), announced with NOTIFY so followers need not poll. The payload is only the
-- seq; a follower reads the rows (a NOTIFY can be missed while it reconnects, the table cannot).
CREATE TABLE change_log (
	seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	entity text NOT NULL,
	ref_id bigint NOT NULL,
	ref2_id bigint,
	op text NOT NULL,
	at bigint NOT NULL DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
);
--> statement-breakpoint
CREATE INDEX change_log_at_idx ON change_log (at);
--> statement-breakpoint
-- TG_ARGV: the key column(s) of the changed row, read through to_jsonb so one function serves all tables.
-- The transaction-level advisory lock makes writers of change_log take seqs in commit order: a seq is
-- drawn only once the previous writer has committed or rolled back. So when a follower sees seq N+1,
-- N is committed or gone for good, and "seq > last" never skips a late commit. The price: transactions
-- that change these tables commit one after another from their first such change (short ones here).
CREATE FUNCTION tablero_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
	s bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(1952607075); -- 0x74626c63, "tblc": only this trigger takes it
	INSERT INTO change_log (entity, ref_id, ref2_id, op)
	VALUES (TG_TABLE_NAME, (r ->> TG_ARGV[0])::bigint, CASE WHEN TG_NARGS > 1 THEN (r ->> TG_ARGV[1])::bigint END, lower(TG_OP))
	RETURNING seq INTO s;
	PERFORM pg_notify('tablero_changes', s::text);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER pin_change AFTER INSERT OR UPDATE OR DELETE ON pin FOR EACH ROW EXECUTE FUNCTION tablero_log_change('id');
--> statement-breakpoint
CREATE TRIGGER board_change AFTER INSERT OR UPDATE OR DELETE ON board FOR EACH ROW EXECUTE FUNCTION tablero_log_change('id');
--> statement-breakpoint
CREATE TRIGGER board_pin_change AFTER INSERT OR UPDATE OR DELETE ON board_pin FOR EACH ROW EXECUTE FUNCTION tablero_log_change('board_id', 'pin_id');
--> statement-breakpoint
CREATE TRIGGER pin_fts_change AFTER INSERT OR UPDATE OR DELETE ON pin_fts FOR EACH ROW EXECUTE FUNCTION tablero_log_change('pin_id');
--> statement-breakpoint
CREATE TRIGGER pin_vec_change AFTER INSERT OR UPDATE OR DELETE ON pin_vec FOR EACH ROW EXECUTE FUNCTION tablero_log_change('pin_id');
--> statement-breakpoint
CREATE TRIGGER board_vec_change AFTER INSERT OR UPDATE OR DELETE ON board_vec FOR EACH ROW EXECUTE FUNCTION tablero_log_change('board_id');
--> statement-breakpoint
CREATE TRIGGER pin_sage_vec_change AFTER INSERT OR UPDATE OR DELETE ON pin_sage_vec FOR EACH ROW EXECUTE FUNCTION tablero_log_change('pin_id');
--> statement-breakpoint
-- Background jobs shared by every node: a claimer takes the oldest due job with FOR UPDATE SKIP LOCKED
-- (two claimers never get the same row) and holds it for a lease; a claim whose lease ran out (its node
-- crashed) is due again. app/services/pg/jobs.server.ts.
CREATE TABLE job (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	queue text NOT NULL,
	payload jsonb NOT NULL DEFAULT '{}'::jsonb,
	state text NOT NULL DEFAULT 'ready',
	attempts integer NOT NULL DEFAULT 0,
	max_attempts integer NOT NULL DEFAULT 5,
	run_at bigint NOT NULL DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint),
	locked_by text,
	locked_until bigint,
	last_error text,
	created_at bigint NOT NULL DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint),
	CONSTRAINT job_state_check CHECK (state IN ('ready', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE INDEX job_due_idx ON job (queue, run_at, id) WHERE state IN ('ready', 'running');
