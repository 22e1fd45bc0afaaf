import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { boards } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { storeImage } from "../../app/services/images.server";
import { makeUser, pngBytes, tempDb } from "./helpers";

// The scripts run as a user would run them (`npm run backup -- DIR`), against a database that another
// connection — the "running server" — has open and has just written to (its commits still in the WAL).
function run(script: string, dir: string, dataDir: string) {
  const r = spawnSync("node_modules/.bin/tsx", [`scripts/${script}.ts`, dir], {
    env: { ...process.env, TABLERO_DATA_DIR: dataDir },
    encoding: "utf8",
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const server = tempDb();
const dataDir = process.env.TABLERO_DATA_DIR!;
afterAll(() => server.$client.close());

describe("npm run backup / restore", () => {
  it("copies a running database with its newest commits and pictures, and restores them elsewhere", async () => {
    const owner = await makeUser(server, "Ana");
    for (let i = 0; i < 5; i++)
      await createBoard(server, owner.id, { title: `Board ${i}`, description: "", visibility: "public", lang: "en" });
    const picture = await storeImage(server, await pngBytes(50, 40, "#aa3300"));
    // The newest board is committed but lives only in the WAL: copying tablero.db as a file would miss it.
    server.$client.pragma("wal_autocheckpoint = 0");
    await createBoard(server, owner.id, { title: "Newest board", description: "", visibility: "private", lang: "en" });
    expect(readdirSync(dataDir)).toContain("tablero.db-wal");

    const backup = join(mkdtempSync(join(tmpdir(), "tablero-backup-")), "b1");
    const made = run("backup", backup, dataDir);
    expect(made.status, made.out).toBe(0);
    expect(made.out).toMatch(/Backed up/);

    const target = mkdtempSync(join(tmpdir(), "tablero-restore-"));
    writeFileSync(join(target, "old.txt"), "what was there before");
    const restored = run("restore", backup, target);
    expect(restored.status, restored.out).toBe(0);
    const copy = openDb(join(target, "tablero.db"));
    try {
      const titles = copy
        .select({ title: boards.title })
        .from(boards)
        .all()
        .map((b) => b.title);
      expect(titles).toContain("Newest board");
      expect(titles.length).toBe(6);
    } finally {
      copy.$client.close();
    }
    expect(readFileSync(join(target, "images", picture.key))).toEqual(readFileSync(join(dataDir, "images", picture.key)));
    // Nothing lost on restore: the previous contents are set aside, not deleted.
    const aside = readdirSync(target).find((n) => n.startsWith(".before-restore-"));
    expect(aside).toBeDefined();
    expect(readFileSync(join(target, aside!, "old.txt"), "utf8")).toBe("what was there before");
  });

  it("refuses a damaged backup and leaves the data directory untouched", async () => {
    const backup = join(mkdtempSync(join(tmpdir(), "tablero-backup-")), "b2");
    expect(run("backup", backup, dataDir).status).toBe(0);
    const imagesDir = join(backup, "images");
    const picture = readdirSync(imagesDir)[0]!;
    writeFileSync(join(imagesDir, picture), "truncated");
    const target = mkdtempSync(join(tmpdir(), "tablero-restore-"));
    writeFileSync(join(target, "keep.txt"), "mine");
    const r = run("restore", backup, target);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/Restore failed, nothing changed: .*wrong size/);
    expect(readdirSync(target)).toEqual(["keep.txt"]);
  });

  it("will not write a backup over a folder that has files in it", () => {
    const dir = mkdtempSync(join(tmpdir(), "tablero-backup-"));
    writeFileSync(join(dir, "x"), "x");
    const r = run("backup", dir, dataDir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/not empty/);
    expect(existsSync(join(dir, "tablero.db"))).toBe(false);
  });
});
