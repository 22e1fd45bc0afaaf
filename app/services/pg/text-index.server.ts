/**
 * Writes a card's searchable text on PostgreSQL (pin_fts + pin_tri), the counterpart of the FTS5
 * inserts in indexing.server.ts. Upserts, so re-indexing a changed card is the same call; the tsvectors
 * are generated columns and follow by themselves. Not in the change feed (as on SQLite): text search
 * runs in the database, so no node keeps the text in memory.
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

export type PinText = {
  title: string;
  body?: string;
  context?: string;
  english?: string;
  /** pin_tri: the word and its translation */ words?: string;
};

export async function putPinText(db: Queryable, pinId: number, t: PinText): Promise<void> {
  await db.query(
    `INSERT INTO pin_fts (pin_id, title, body, context, english) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (pin_id) DO UPDATE SET title = excluded.title, body = excluded.body, context = excluded.context, english = excluded.english`,
    [pinId, t.title, t.body ?? "", t.context ?? "", t.english ?? ""],
  );
  await db.query(`INSERT INTO pin_tri (pin_id, words) VALUES ($1, $2) ON CONFLICT (pin_id) DO UPDATE SET words = excluded.words`, [
    pinId,
    t.words ?? [t.title, t.english ?? ""].join(" ").trim(),
  ]);
}

export async function putBoardText(
  db: Queryable,
  boardId: number,
  t: { title: string; description?: string; english?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO board_fts (board_id, title, description, english) VALUES ($1, $2, $3, $4)
     ON CONFLICT (board_id) DO UPDATE SET title = excluded.title, description = excluded.description, english = excluded.english`,
    [boardId, t.title, t.description ?? "", t.english ?? ""],
  );
}

export async function deletePinText(db: Queryable, pinId: number): Promise<void> {
  await db.query("DELETE FROM pin_fts WHERE pin_id = $1", [pinId]);
  await db.query("DELETE FROM pin_tri WHERE pin_id = $1", [pinId]);
}
