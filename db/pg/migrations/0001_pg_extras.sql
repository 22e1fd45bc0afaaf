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
-- The change feed: the same table, topics and meaning as SQLite's (db/migrations/0013_change_feed.sql,
-- docs/decisions/0020-workers-and-change-feed.md), so one follower callback serves both engines:
-- `pin_vec` (row_id = a card: re-read its vector) and `graph` (row_id = a board: the graph is stale),
-- op `upsert` or `delete`. Written by triggers (no code path can forget it) and, here, announced with
-- NOTIFY so followers need not poll. The payload is only the seq; a follower reads the rows (a NOTIFY
-- can be missed while it reconnects, the table cannot).
CREATE TABLE change_log (
	seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	topic text NOT NULL,
	row_id integer NOT NULL,
	op text NOT NULL,
	at bigint NOT NULL DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
);
--> statement-breakpoint
CREATE INDEX change_log_at_idx ON change_log (at);
--> statement-breakpoint
-- TG_ARGV: the topic, and the column of the changed row (NEW's, OLD's for a delete) that is the row id,
-- read through to_jsonb so one function serves every table. A delete logs 'delete', anything else
-- 'upsert', as SQLite's triggers do.
-- The transaction-level advisory lock makes writers of change_log take seqs in commit order: a seq is
-- drawn only once the previous writer has committed or rolled back. So when a follower sees seq N+1,
-- N is committed or gone for good, and "seq > last" never skips a late commit. The price: transactions
-- that change these tables commit one after another from their first such change (short ones here).
CREATE FUNCTION tablero_log(p_topic text, p_row_id integer, p_op text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	s bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(1952607075); -- 0x74626c63, "tblc": only the feed takes it
	INSERT INTO change_log (topic, row_id, op) VALUES (p_topic, p_row_id, p_op) RETURNING seq INTO s;
	PERFORM pg_notify('tablero_changes', s::text);
END $$;
--> statement-breakpoint
CREATE FUNCTION tablero_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM tablero_log(TG_ARGV[0], (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1])::integer,
		CASE WHEN TG_OP = 'DELETE' THEN 'delete' ELSE 'upsert' END);
	RETURN NULL;
END $$;
--> statement-breakpoint
-- A card's vector. SQLite hangs this on embedding_state (kind 'pin') only because its vec0 pin_vec
-- refuses triggers; indexing writes the two together, one row each, so a trigger on the vectors
-- themselves logs the same rows for the same writes, and also catches a vector written without its
-- embedding_state. (Not on embedding_state too: each store would then be logged twice.)
CREATE TRIGGER change_pin_vec AFTER INSERT OR UPDATE OR DELETE ON pin_vec FOR EACH ROW EXECUTE FUNCTION tablero_log_change('pin_vec', 'pin_id');
--> statement-breakpoint
-- A deleted card announces itself as well (SQLite: change_pin_delete).
CREATE TRIGGER change_pin_delete AFTER DELETE ON pin FOR EACH ROW EXECUTE FUNCTION tablero_log_change('pin_vec', 'id');
--> statement-breakpoint
-- The graph: a card put on, moved within or taken off a board (SQLite: change_board_pin_*).
CREATE TRIGGER change_board_pin AFTER INSERT OR UPDATE ON board_pin FOR EACH ROW EXECUTE FUNCTION tablero_log_change('graph', 'board_id');
--> statement-breakpoint
-- BEFORE, not AFTER, for the order SQLite logs in. Deleting a card or a board deletes its board_pin rows
-- by cascade, and SQLite runs the cascade, with its triggers, before the deleted row's own AFTER
-- trigger. PostgreSQL's cascade is itself an AFTER trigger (named "RI_ConstraintTrigger_…", so it fires
-- before our lower-case names): the AFTER triggers of the rows it deletes would be queued behind the
-- card's own, but their BEFORE triggers run inside it. So: board_pin's graph row, then the card's.
-- (A BEFORE trigger returning NULL would cancel the delete: this one returns OLD.)
CREATE FUNCTION tablero_log_change_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM tablero_log(TG_ARGV[0], (to_jsonb(OLD) ->> TG_ARGV[1])::integer, 'delete');
	RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_board_pin_delete BEFORE DELETE ON board_pin FOR EACH ROW EXECUTE FUNCTION tablero_log_change_before_delete('graph', 'board_id');
--> statement-breakpoint
-- A board created or deleted, or made public or private; other edits of a board leave the graph as it
-- is (SQLite: change_board_insert, change_board_visibility, change_board_delete).
CREATE TRIGGER change_board AFTER INSERT OR DELETE ON board FOR EACH ROW EXECUTE FUNCTION tablero_log_change('graph', 'id');
--> statement-breakpoint
CREATE TRIGGER change_board_visibility AFTER UPDATE OF visibility ON board FOR EACH ROW
	WHEN (NEW.visibility IS DISTINCT FROM OLD.visibility) EXECUTE FUNCTION tablero_log_change('graph', 'id');
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
