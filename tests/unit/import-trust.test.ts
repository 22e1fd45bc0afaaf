import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { importItems, importJobs, pins, type User } from "../../db/tables";
import { decodeImport } from "../../app/lib/import-encoding";
import { parseImport } from "../../app/lib/import-format";
import { importRecords } from "../../app/services/import.server";
import { ensureRunning, getImportJob, resumeImportJobs, startImportJob } from "../../app/services/import-jobs.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { makeUser, testDb } from "./helpers";

/** Issue 12, findings 10 and 13: encodings, NUL, ids scoped by content, jobs that survive a stop. */

const enc = (s: string) => new TextEncoder().encode(s);
const csv = "id,title,lang\n1,piña,es\n2,€uro “quoted”,es\n";

describe("decodeImport", () => {
  it("reads UTF-8 with and without a BOM", () => {
    for (const bytes of [enc(csv), new Uint8Array([0xef, 0xbb, 0xbf, ...enc(csv)])]) {
      const d = decodeImport(bytes);
      expect(d).toMatchObject({ ok: true, encoding: "utf-8", warnings: [] });
      expect(parseImport((d as { text: string }).text).records.map((r) => r.title)).toEqual(["piña", "€uro “quoted”"]);
    }
  });

  it("reads UTF-16 LE and BE with a BOM (and without one, with a warning)", () => {
    const le = Buffer.from(csv, "utf16le");
    const be = Buffer.from(le).swap16();
    expect(decodeImport(new Uint8Array([0xff, 0xfe, ...le]))).toMatchObject({ ok: true, encoding: "utf-16le", text: csv, warnings: [] });
    expect(decodeImport(new Uint8Array([0xfe, 0xff, ...be]))).toMatchObject({ ok: true, encoding: "utf-16be", text: csv, warnings: [] });
    expect(decodeImport(new Uint8Array(le))).toMatchObject({
      ok: true,
      encoding: "utf-16le",
      text: csv,
      warnings: ["import.warnings.utf16NoBom"],
    });
  });

  it("reads what is not UTF-8 as Windows-1252, with a warning (Excel's Spanish CSV)", () => {
    // "piña" and "€uro “quoted”" as Excel on Windows saves them.
    const bytes = new Uint8Array([
      ...enc("id,title,lang\n1,pi"),
      0xf1,
      ...enc("a,es\n2,"),
      0x80,
      ...enc("uro "),
      0x93,
      ...enc("quoted"),
      0x94,
      ...enc(",es\n"),
    ]);
    const d = decodeImport(bytes);
    expect(d).toMatchObject({ ok: true, encoding: "windows-1252", text: csv, warnings: ["import.warnings.windows1252"] });
  });

  it("refuses a NUL and names its line", () => {
    expect(decodeImport(enc("id,title\r\n1,apple\r\n2,pe\u0000ar\r\n"))).toEqual({ ok: false, error: "import.errors.nul", line: 3 });
    expect(decodeImport(enc('{"id":1,"title":"a"}\n{"id":2,"title":"b\u0000"}\n'))).toEqual({
      ok: false,
      error: "import.errors.nul",
      line: 2,
    });
  });
});

describe("importRecords and jobs (real SQLite, real pipeline)", () => {
  let db: Db;
  let p: Pipeline;
  let user: User;
  const opts = { defaultBoard: "Imported", visibility: "private" as const, batchSize: 4 };
  const fileA = parseImport("id,title\n1,apple\n2,pear\n3,plum\n4,fig\n5,kiwi\n6,lime\n").records;
  const fileB = parseImport("id,title\n1,dog\n2,cat\n3,cow\n4,hen\n5,pig\n6,owl\n").records;
  const mine = async () => await db.select().from(pins).where(eq(pins.creatorId, user.id));

  beforeAll(async () => {
    db = await testDb();
    p = await getPipeline();
    user = await makeUser(db, "Importer");
  });

  it("a second file reusing the ids of the first gets all its cards; the same file again adds none", async () => {
    expect(await importRecords(db, p, user, fileA, opts)).toMatchObject({ created: 6, skipped: 0 });
    // Before: "0 new, 6 already there" and six cards lost.
    expect(await importRecords(db, p, user, fileB, opts)).toMatchObject({ created: 6, skipped: 0 });
    expect(await importRecords(db, p, user, fileA, opts)).toMatchObject({ created: 0, skipped: 6 });
    expect(await importRecords(db, p, user, fileB, opts)).toMatchObject({ created: 0, skipped: 6 });
    expect((await mine()).map((c) => c.title).sort()).toEqual([
      "apple",
      "cat",
      "cow",
      "dog",
      "fig",
      "hen",
      "kiwi",
      "lime",
      "owl",
      "pear",
      "pig",
      "plum",
    ]);
  });

  it("skips cards imported before fingerprints existed when id, word and language match", async () => {
    const other = await makeUser(db, "Old importer");
    await importRecords(db, p, other, fileA.slice(0, 2), opts);
    await db.delete(importItems).where(eq(importItems.ownerId, other.id)); // as an old import left them
    expect(await importRecords(db, p, other, fileA, opts)).toMatchObject({ created: 4, skipped: 2 });
  });

  it("a job keeps its progress in SQLite and, interrupted, resumes where its cards stop, with no duplicates", async () => {
    const owner = await makeUser(db, "Job owner");
    const records = parseImport(["id,title", ...Array.from({ length: 150 }, (_, i) => `r${i},word ${i}`)].join("\n")).records;
    // A first run that a stop cut off after 64 records: its cards are committed, the row says so.
    await importRecords(db, p, owner, records.slice(0, 64), { ...opts, batchSize: 64 });
    await db.insert(importJobs).values({
      id: "interrupted-job",
      userId: owner.id,
      fileName: "big.csv",
      state: "running",
      total: 150,
      done: 64,
      created: 64,
      skipped: 0,
      defaultBoard: "Imported",
      visibility: "private",
      records: JSON.stringify(records),
    });
    expect(await getImportJob("interrupted-job", user, db)).toBeNull(); // never shown to anyone else
    expect(await resumeImportJobs(db)).toBe(1);
    await ensureRunning(db, "interrupted-job");
    const job = (await getImportJob("interrupted-job", owner, db))!;
    expect(job).toMatchObject({ state: "done", total: 150, done: 150, created: 150, skipped: 0, fileName: "big.csv" });
    expect(job.boards.map((b) => b.title)).toEqual(["Imported"]);
    expect(await db.select().from(pins).where(eq(pins.creatorId, owner.id))).toHaveLength(150);
    expect(
      (await db.select({ records: importJobs.records }).from(importJobs).where(eq(importJobs.id, "interrupted-job")))[0]?.records,
    ).toBeNull();
  });

  it("starts a job in SQLite and shows its warnings", async () => {
    const owner = await makeUser(db, "Web importer");
    const job = await startImportJob(
      owner,
      "w.csv",
      fileA,
      [],
      { defaultBoard: "Web", visibility: "private", warnings: ["import.warnings.windows1252"] },
      db,
    );
    expect((await db.select({ state: importJobs.state }).from(importJobs).where(eq(importJobs.id, job.id)))[0]?.state).toBe("running");
    await ensureRunning(db, job.id);
    expect(await getImportJob(job.id, owner, db)).toMatchObject({ state: "done", created: 6, warnings: ["import.warnings.windows1252"] });
  });
});
