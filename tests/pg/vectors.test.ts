import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { openPg, type PgHandle } from "../../db/pg/client";
import { readVectors, upsertVector } from "../../app/services/vectors.server";
import { deleteVectorPg, readVectorsPg, upsertVectorPg } from "../../app/services/pg/vectors.server";
import { freshDatabase } from "./db";

let h: PgHandle;
let drop: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), "tablero-vec-"));

beforeAll(async () => {
  const fresh = await freshDatabase("vectors");
  drop = fresh.drop;
  h = await openPg(fresh.url);
});
afterAll(async () => {
  await h?.close();
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

const vector = (seed: number) => Float32Array.from({ length: 512 }, (_, i) => Math.sin(seed * 1000 + i) / (1 + i));

describe("vectors as bytea", () => {
  it("round-trip exactly, replace and delete", async () => {
    await upsertVectorPg(h.primaryPool, "pin_vec", 1, vector(1));
    await upsertVectorPg(h.primaryPool, "pin_vec", 2, vector(2));
    await upsertVectorPg(h.primaryPool, "pin_vec", 1, vector(3));
    const all = await readVectorsPg(h.reader.$client, "pin_vec");
    expect([...all.keys()].sort()).toEqual([1, 2]);
    expect(all.get(1)).toEqual(vector(3));
    expect(all.get(2)).toEqual(vector(2));
    expect([...(await readVectorsPg(h.reader.$client, "pin_vec", [2])).keys()]).toEqual([2]);
    await deleteVectorPg(h.primaryPool, "pin_vec", 2);
    expect((await readVectorsPg(h.reader.$client, "pin_vec")).has(2)).toBe(false);
  });

  it("hold the very bytes sqlite-vec stores, so a vector moves between engines unchanged", async () => {
    const db = openDb(join(dir, "t.db"));
    await upsertVector(db, "board_vec", 7, vector(7));
    const sqliteBytes = (db.$client.prepare("SELECT embedding FROM board_vec WHERE board_id = 7").get() as { embedding: Buffer }).embedding;
    await upsertVectorPg(h.primaryPool, "board_vec", 7, (await readVectors(db, "board_vec")).get(7)!);
    const pgBytes = (await h.primaryPool.query<{ embedding: Buffer }>("SELECT embedding FROM board_vec WHERE board_id = 7")).rows[0]!
      .embedding;
    expect(pgBytes.equals(sqliteBytes)).toBe(true);
    db.$client.close();
  });
});
