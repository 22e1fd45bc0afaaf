-- Vector tables for the discovery pipeline (sqlite-vec). vec0 rows are keyed by the integer id of
-- the pin or board; 512 = the bundled Universal Sentence Encoder Lite's dimension.
CREATE VIRTUAL TABLE IF NOT EXISTS pin_vec USING vec0(pin_id integer primary key, embedding float[512] distance_metric=cosine);
--> statement-breakpoint
CREATE VIRTUAL TABLE IF NOT EXISTS board_vec USING vec0(board_id integer primary key, embedding float[512] distance_metric=cosine);
