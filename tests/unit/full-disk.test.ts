import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { imageDir } from "../../db/paths";
import { readCardSubmission } from "../../app/services/card-form.server";
import { ensureFile, holdsExactly } from "../../app/services/durable-file.server";
import { imagePath, storeImage, storeUpload } from "../../app/services/images.server";
import { NOT_SAVED } from "../../app/services/save-failure.server";
import { fileOf, pngBytes, tempDb } from "./helpers";

describe("pictures are written whole or not at all", () => {
  it("a truncated picture left under its content-hash name (a full disk once did this) is rewritten, not reused", async () => {
    const db = tempDb();
    const png = await pngBytes(64, 48, "#228833");
    const first = await storeImage(db, png);
    const path = imagePath(first.key)!;
    const whole = readFileSync(path);
    truncateSync(path, Math.floor(whole.length / 2));
    await expect(sharp(path).metadata()).rejects.toThrow(); // broken as it stands
    const again = await storeImage(db, png);
    expect(again.key).toBe(first.key);
    expect(readFileSync(path).equals(whole)).toBe(true);
    expect((await sharp(path).metadata()).format).toBe("webp");
  });

  it("a file with the right size but other bytes is replaced too; an identical one is left alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "tablero-durable-"));
    const path = join(dir, "x.bin");
    const data = Buffer.from("the real bytes");
    writeFileSync(path, Buffer.from("the fake bytes"));
    expect(holdsExactly(path, data)).toBe(false);
    ensureFile(path, data);
    expect(readFileSync(path).equals(data)).toBe(true);
    const before = statSync(path).mtimeMs;
    ensureFile(path, data);
    expect(statSync(path).mtimeMs).toBe(before);
    expect(readdirSync(dir)).toEqual(["x.bin"]); // no temporary file left behind
  });
});

// A real full and a real read-only file system: a small tmpfs mounted over the images folder. Needs
// root with mount rights (this machine and the CI container have them); root ignores chmod, so a
// read-only mount is the honest way to get EROFS. Skipped where mounting is not allowed.
function tryMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), "tablero-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const canMount = process.platform === "linux" && tryMount();
const mounted: string[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) execFileSync("umount", [m], { stdio: "ignore" });
});

function smallDisk(kb: number): string {
  const dir = imageDir();
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${kb}k`, "tmpfs", dir]);
  mounted.push(dir);
  return dir;
}

/** A picture whose WebP is large (noise does not compress). */
async function noisyPng(): Promise<Buffer> {
  const w = 600;
  const raw = Buffer.alloc(w * w * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width: w, height: w, channels: 3 } })
    .png()
    .toBuffer();
}

describe.skipIf(!canMount)("a full or read-only disk", () => {
  it("full: the upload is not 'the wrong type'; it throws, and no partial file is left", async () => {
    const db = tempDb();
    const dir = smallDisk(16);
    await expect(storeUpload(db, fileOf(await noisyPng(), "pic.png", "image/png"))).rejects.toMatchObject({ code: "ENOSPC" });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("full: the card form comes back with 'could not save' and what was typed", async () => {
    const db = tempDb();
    smallDisk(16);
    const form = new FormData();
    for (const [k, v] of Object.entries({ title: "apple", alt: "a red apple", cue: "fruit", note: "", lang: "en" })) form.set(k, v);
    form.set("image", fileOf(await noisyPng(), "pic.png", "image/png"));
    const sub = await readCardSubmission(db, new Request("http://localhost/", { method: "POST", body: form }), true);
    expect(sub).toMatchObject({
      ok: false,
      status: 503,
      errors: { form: NOT_SAVED },
      values: { title: "apple", alt: "a red apple", cue: "fruit" },
    });
  });

  it("read-only: storing a picture throws EROFS", async () => {
    const db = tempDb();
    const dir = smallDisk(1024);
    execFileSync("mount", ["-o", "remount,ro", dir]);
    await expect(storeImage(db, await pngBytes())).rejects.toMatchObject({ code: "EROFS" });
    expect(existsSync(dir)).toBe(true);
  });
});

describe.skipIf(!canMount)("a full disk under the database (the reported case: SQLITE_FULL at commit)", () => {
  it("create board throws instead of returning a board that was never stored, and the database still reads", async () => {
    const { openDb } = await import("../../db/client");
    const { createBoard } = await import("../../app/services/boards.server");
    const { makeUser } = await import("./helpers");
    const dir = mkdtempSync(join(tmpdir(), "tablero-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", dir]);
    mounted.push(dir);
    const db = openDb(join(dir, "tablero.db"));
    try {
      const owner = await makeUser(db);
      // An empty WAL, then no room left: the next commit has to grow the WAL and cannot.
      db.$client.pragma("wal_checkpoint(TRUNCATE)");
      try {
        writeFileSync(join(dir, "filler"), Buffer.alloc(12 * 1024 * 1024));
      } catch {
        // ENOSPC: the filler took what it could, which is the point
      }
      const before = (db.$client.prepare("SELECT count(*) AS n FROM board").get() as { n: number }).n;
      await expect(createBoard(db, owner.id, { title: "Lost", description: "", lang: "en", visibility: "public" })).rejects.toThrow(
        /full|disk/i,
      );
      expect((db.$client.prepare("SELECT count(*) AS n FROM board").get() as { n: number }).n).toBe(before);
    } finally {
      db.$client.close();
    }
  });
});

describe("a read-only database", () => {
  // The kernel refuses to remount a file system read-only while SQLite holds its files open for
  // writing (EBUSY), so a database that turned read-only under a running server is simulated with
  // PRAGMA query_only, which fails every write with SQLITE_READONLY as a read-only file would.
  it("a database that became read-only while running: the save throws (a storage failure), reads still work", async () => {
    const { openDb } = await import("../../db/client");
    const { createBoard, boardsOwnedBy } = await import("../../app/services/boards.server");
    const { isStorageFailure } = await import("../../app/services/save-failure.server");
    const { makeUser } = await import("./helpers");
    const dir = mkdtempSync(join(tmpdir(), "tablero-ro-"));
    const db = openDb(join(dir, "tablero.db"));
    try {
      const owner = await makeUser(db);
      await createBoard(db, owner.id, { title: "Kept", description: "", lang: "en", visibility: "public" });
      db.$client.pragma("wal_checkpoint(TRUNCATE)");
      db.$client.pragma("query_only = 1");
      let error: unknown = null;
      try {
        await createBoard(db, owner.id, { title: "Lost", description: "", lang: "en", visibility: "public" });
      } catch (e) {
        error = e;
      }
      expect(error).not.toBeNull();
      expect(isStorageFailure(error)).toBe(true); // so the form says "could not save", not a bare 500
      expect((await boardsOwnedBy(db, owner.id)).map((b) => b.title)).toEqual(["Kept"]);
    } finally {
      db.$client.close();
    }
  });
});
