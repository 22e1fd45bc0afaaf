import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "../unit/helpers";
import { imagePath, storeImage } from "../../app/services/images.server";
import { localPictureStore, pictureDir } from "../../app/services/pg/picture-store.server";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "tablero-pictures-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const keyOf = (b: Buffer) => `${createHash("sha256").update(b).digest("hex")}.webp`;

describe("PictureStore (local directory)", () => {
  it("puts, gets and deletes by content key; a missing picture is null", async () => {
    const store = localPictureStore(tmp());
    const bytes = Buffer.from("not really a webp, but bytes");
    const key = keyOf(bytes);
    expect(await store.get(key)).toBeNull();
    await store.put(key, bytes);
    await store.put(key, bytes); // idempotent
    expect(await store.get(key)).toEqual(bytes);
    expect(readdirSync(store.dir)).toEqual([key]); // no temporary files left behind
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
  });

  it("is shared by several nodes through TABLERO_STORAGE_DIR", async () => {
    const shared = tmp();
    expect(pictureDir({ TABLERO_STORAGE_DIR: shared })).toBe(shared);
    expect(pictureDir({ TABLERO_DATA_DIR: "/srv/x" })).not.toBe(shared);
    const nodeA = localPictureStore(pictureDir({ TABLERO_STORAGE_DIR: shared }));
    const nodeB = localPictureStore(pictureDir({ TABLERO_STORAGE_DIR: shared }));
    const bytes = Buffer.from([1, 2, 3, 4]);
    await nodeA.put(keyOf(bytes), bytes);
    expect(await nodeB.get(keyOf(bytes))).toEqual(bytes);
  });

  it("refuses keys that are not content hashes (no path tricks)", async () => {
    const store = localPictureStore(tmp());
    await expect(store.get("../../etc/passwd")).rejects.toThrow(/not a picture key/);
    await expect(store.put("a.webp", Buffer.from("x"))).rejects.toThrow(/not a picture key/);
  });
});

describe("the app's pictures (images.server.ts) and TABLERO_STORAGE_DIR", () => {
  it("stores and finds uploads in the shared directory when it is set, in data/images otherwise", async () => {
    const shared = tmp();
    const saved = { data: process.env.TABLERO_DATA_DIR, storage: process.env.TABLERO_STORAGE_DIR };
    try {
      // This run's engine (the tables are PostgreSQL's here: a SQLite file would not take their SQL);
      // testDb also points TABLERO_DATA_DIR at a fresh folder.
      const db = await testDb();
      const data = process.env.TABLERO_DATA_DIR!;
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#c00" } })
        .png()
        .toBuffer();
      process.env.TABLERO_STORAGE_DIR = shared;
      const there = await storeImage(db, png);
      expect(imagePath(there.key)).toBe(join(shared, there.key));
      expect(await localPictureStore(shared).get(there.key)).not.toBeNull();
      delete process.env.TABLERO_STORAGE_DIR;
      expect(imagePath(there.key)).toBe(join(data, "images", there.key));
    } finally {
      for (const [k, v] of [
        ["TABLERO_DATA_DIR", saved.data],
        ["TABLERO_STORAGE_DIR", saved.storage],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});
