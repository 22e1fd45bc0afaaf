-- PinSage vectors on PostgreSQL (pin_sage_vec, bytea, 0001_pg_extras) are searched in each node's
-- memory (app/services/pinsage-index.server.ts). They change only when PinSage trains (every row) or
-- embeds new cards (a few), so instead of a change-feed row per vector a node compares one counter,
-- bumped once per statement that touches the table, and reloads the vectors when it moved.
CREATE TABLE pin_sage_version (
	id integer PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO pin_sage_version (id, version) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION tablero_pin_sage_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE pin_sage_version SET version = version + 1 WHERE id = 1;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER pin_sage_vec_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pin_sage_vec
	FOR EACH STATEMENT EXECUTE FUNCTION tablero_pin_sage_bump();
