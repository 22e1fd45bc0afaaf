import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg, type PgHandle } from "../../db/pg/client";
import type { Db } from "../../app/services/db.server";
import { inIds } from "../../app/services/data/id-list.server";
import { exec, rows } from "../../app/services/data/raw.server";
import { sageIndex, sageNearest } from "../../app/services/pinsage-index.server";
import { freshDatabase } from "./db";

// PinSage vectors on PostgreSQL: pin_sage_vec (bytea) searched from each node's memory, reloaded when
// pin_sage_version (migration 0004) says another statement changed the table. Two handles on one
// database stand for two nodes.
let a: PgHandle;
let b: PgHandle;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase("pinsage_index", { migrated: true });
  drop = fresh.drop;
  a = await openPg(fresh.url, { migrate: false });
  b = await openPg(fresh.url, { migrate: false });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await drop?.();
});

/** A unit vector pointing mostly along axis `i`, tilted towards axis `j` by `tilt`. */
const unit = (i: number, j = i, tilt = 0) => {
  const v = new Float32Array(512);
  v[i] = 1;
  v[j] = (v[j] ?? 0) + tilt;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const put = (db: Db, id: number, v: Float32Array) =>
  exec(
    db,
    sql`INSERT INTO pin_sage_vec (pin_id, embedding) VALUES (${id}, ${bytes(v)}) ON CONFLICT (pin_id) DO UPDATE SET embedding = excluded.embedding`,
  );
const dbOf = (h: PgHandle) => h.primary as unknown as Db;

describe("PinSage nearest neighbours on PostgreSQL", () => {
  it("answers like sqlite-vec's cosine k-NN, and sees another node's writes on its next search", async () => {
    const [da, db] = [dbOf(a), dbOf(b)];
    await put(da, 1, unit(0));
    await put(da, 2, unit(0, 1, 0.5));
    await put(da, 3, unit(1));
    const first = await sageNearest(db, unit(0), 2);
    expect(first.map((h) => h.id)).toEqual([1, 2]);
    expect(first[0]!.distance).toBeCloseTo(0, 6);
    expect(first[1]!.distance).toBeCloseTo(1 - 1 / Math.hypot(1, 0.5), 6);
    const loaded = await sageIndex(db);
    expect(await sageIndex(db)).toBe(loaded); // nothing changed: no reload

    // Node A adds a closer card and deletes one: node B's next search has both changes.
    await put(da, 4, unit(0, 1, 0.1));
    await exec(da, sql`DELETE FROM pin_sage_vec WHERE pin_id = 1`);
    expect((await sageNearest(db, unit(0), 2)).map((h) => h.id)).toEqual([4, 2]);
    expect(await sageIndex(db)).not.toBe(loaded);
  });

  it("binds a long id list as one parameter (= ANY int[])", async () => {
    const d = dbOf(a);
    const ids = Array.from({ length: 70_000 }, (_, i) => i + 1); // more than PostgreSQL's 65,535 parameters
    const got = await rows<{ id: number }>(
      d,
      sql`SELECT pin_id AS id FROM pin_sage_vec WHERE ${inIds(d, sql`pin_id`, ids)} ORDER BY pin_id`,
    );
    expect(got.map((r) => r.id)).toEqual([2, 3, 4]);
    expect(await rows(d, sql`SELECT pin_id FROM pin_sage_vec WHERE ${inIds(d, sql`pin_id`, [])}`)).toEqual([]);
  });
});
