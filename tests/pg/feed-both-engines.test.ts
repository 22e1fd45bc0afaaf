/**
 * One change feed, two engines: the same writes on SQLite (migration 0013's triggers) and on PostgreSQL
 * (0001_pg_extras.sql's) leave the same (topic, row_id, op) rows in change_log, in the same order, so
 * one follower callback (re-read the card's vector / mark the graph stale) serves both.
 *
 * The writes are the ones the services make, as SQL text shared by both engines (placeholders aside),
 * each step in its own transaction; only the vector store differs, as it does in the app (sqlite-vec's
 * vec0 table vs a bytea table), and it is written together with embedding_state as indexing does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../db/client";
import { openPg, type PgHandle } from "../../db/pg/client";
import { deleteVectorPg, upsertVectorPg } from "../../app/services/pg/vectors.server";
import { freshDatabase } from "./db";

type Row = { topic: string; row_id: number; op: string };

/** What a step may do: run SQL (`?` placeholders; the rows of a RETURNING), store or remove a card's vector. */
type Engine = {
  run(sql: string, params?: unknown[]): Promise<{ id: number }[]>;
  putVector(pinId: number, v: Float32Array): Promise<void>;
  deleteVector(pinId: number): Promise<void>;
};

const DIM = 512; // sqlite-vec's pin_vec is float[512]

let dir: string;
let lite: Db;
let pgh: PgHandle;
let drop: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tablero-feed-"));
  lite = openDb(join(dir, "t.db"));
  const fresh = await freshDatabase("feedboth");
  drop = fresh.drop;
  pgh = await openPg(fresh.url);
});

afterAll(async () => {
  lite?.$client.close();
  await pgh?.close();
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite: better-sqlite3 is synchronous, so a step's statements run inside one transaction. */
function sqliteEngine(db: Db): { inTx: (step: (e: Engine) => Promise<void>) => Promise<void> } {
  const engine: Engine = {
    run: async (sql, params = []) => {
      const st = db.$client.prepare(sql);
      if (st.reader) return st.all(...params) as { id: number }[];
      st.run(...params);
      return [];
    },
    // As vectors.server.ts's upsertVector: vec0 wants BigInt keys and has no upsert.
    putVector: async (pinId, v) => {
      db.$client.prepare("DELETE FROM pin_vec WHERE pin_id = ?").run(BigInt(pinId));
      db.$client.prepare("INSERT INTO pin_vec(pin_id, embedding) VALUES (?, ?)").run(BigInt(pinId), v);
    },
    deleteVector: async (pinId) => {
      db.$client.prepare("DELETE FROM pin_vec WHERE pin_id = ?").run(BigInt(pinId));
    },
  };
  return {
    // Hand-made rather than db.transaction(): that one is synchronous and a step is written async.
    inTx: async (step) => {
      db.$client.exec("BEGIN IMMEDIATE");
      try {
        await step(engine); // every call above is synchronous underneath: nothing interleaves
        db.$client.exec("COMMIT");
      } catch (e) {
        db.$client.exec("ROLLBACK");
        throw e;
      }
    },
  };
}

/** PostgreSQL: one client per step, BEGIN … COMMIT, `?` turned into `$n`. */
function pgEngine(pool: pg.Pool): { inTx: (step: (e: Engine) => Promise<void>) => Promise<void> } {
  return {
    inTx: async (step) => {
      const client = await pool.connect();
      const engine: Engine = {
        run: async (sql, params = []) => {
          let n = 0;
          const text = sql.replace(/\?/g, () => `$${++n}`);
          return (await client.query<{ id: number }>(text, params)).rows;
        },
        putVector: (pinId, v) => upsertVectorPg(client, "pin_vec", pinId, v),
        deleteVector: (pinId) => deleteVectorPg(client, "pin_vec", pinId),
      };
      try {
        await client.query("BEGIN");
        await step(engine);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

const vector = (seed: number) => Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed + i));

/** Indexing's write of a card's vector: the vector and its embedding_state row, in one transaction. */
async function storeVector(e: Engine, pinId: number, hash: string) {
  await e.putVector(pinId, vector(hash.length));
  await e.run(
    `INSERT INTO embedding_state (kind, ref_id, content_hash, embedded_text) VALUES ('pin', ?, ?, 'text')
       ON CONFLICT (kind, ref_id) DO UPDATE SET content_hash = excluded.content_hash`,
    [pinId, hash],
  );
}

/**
 * The scenario, step by step; returns the ids it made so the expected rows can name them. Ids come
 * from the engines' own sequences; both start empty, so they agree (checked).
 */
async function scenario(inTx: (step: (e: Engine) => Promise<void>) => Promise<void>) {
  let user = 0;
  let board = 0;
  let card = 0;
  await inTx(async (e) => {
    user = (await e.run(`INSERT INTO "user" (email, password_hash, display_name) VALUES ('feed@example.org', 'h', 'F') RETURNING id`))[0]!
      .id;
  });
  // A public board.
  await inTx(async (e) => {
    board = (
      await e.run(`INSERT INTO board (owner_id, title, lang, visibility) VALUES (?, 'Fruit', 'en', 'public') RETURNING id`, [user])
    )[0]!.id;
  });
  // A card, added to it.
  await inTx(async (e) => {
    card = (
      await e.run(
        `INSERT INTO pin (creator_id, title, lang, image_key, image_width, image_height, alt) VALUES (?, 'apple', 'en', 'k', 1, 1, 'an apple') RETURNING id`,
        [user],
      )
    )[0]!.id;
    await e.run(`INSERT INTO board_pin (board_id, pin_id, position, saved_by) VALUES (?, ?, 0, ?)`, [board, card, user]);
  });
  // Its vector stored, then stored again after an edit (embedding_state updated, not inserted).
  await inTx((e) => storeVector(e, card, "one"));
  await inTx(async (e) => {
    await e.run(`UPDATE pin SET note = 'red' WHERE id = ?`, [card]);
    await storeVector(e, card, "two");
  });
  // Edits that do not touch the graph: a title, a visibility set to what it already is.
  await inTx(async (e) => {
    await e.run(`UPDATE board SET title = 'Fruits', visibility = 'public' WHERE id = ?`, [board]);
  });
  // The board made private.
  await inTx(async (e) => {
    await e.run(`UPDATE board SET visibility = 'private' WHERE id = ?`, [board]);
  });
  // The card deleted, as the services do: out of the indexes, then the row (board_pin cascades).
  await inTx(async (e) => {
    await e.deleteVector(card);
    await e.run(`DELETE FROM embedding_state WHERE kind = 'pin' AND ref_id = ?`, [card]);
    await e.run(`DELETE FROM pin WHERE id = ?`, [card]);
  });
  return { user, board, card };
}

describe("the change feed on SQLite and PostgreSQL", () => {
  it("the same writes log the same (topic, row_id, op) rows in the same order", async () => {
    const liteFrom = (lite.$client.prepare("SELECT coalesce(max(seq), 0) AS m FROM change_log").get() as { m: number }).m;
    const pgFrom = (await pgh.primaryPool.query<{ m: number }>("SELECT coalesce(max(seq), 0) AS m FROM change_log")).rows[0]!.m;

    const onLite = await scenario(sqliteEngine(lite).inTx);
    const onPg = await scenario(pgEngine(pgh.primaryPool).inTx);
    expect(onPg).toEqual(onLite);

    const liteRows = lite.$client.prepare("SELECT topic, row_id, op FROM change_log WHERE seq > ? ORDER BY seq").all(liteFrom) as Row[];
    const pgRows = (await pgh.primaryPool.query<Row>("SELECT topic, row_id, op FROM change_log WHERE seq > $1 ORDER BY seq", [pgFrom]))
      .rows;

    const { board, card } = onLite;
    // Spelled out, so that a trigger lost on both engines fails too.
    const want: Row[] = [
      { topic: "graph", row_id: board, op: "upsert" }, // board created
      { topic: "graph", row_id: board, op: "upsert" }, // card put on it
      { topic: "pin_vec", row_id: card, op: "upsert" }, // vector stored
      { topic: "pin_vec", row_id: card, op: "upsert" }, // and replaced
      { topic: "graph", row_id: board, op: "upsert" }, // made private
      { topic: "pin_vec", row_id: card, op: "delete" }, // vector removed
      { topic: "graph", row_id: board, op: "delete" }, // board_pin gone with the card (cascade)
      { topic: "pin_vec", row_id: card, op: "delete" }, // the card itself
    ];
    expect(liteRows).toEqual(want);
    expect(pgRows).toEqual(want);
  });
});
