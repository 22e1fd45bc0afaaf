import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { interests } from "../../db/tables";
import { transaction } from "../../app/services/data/transaction.server";
import { changed, exec, first, rows } from "../../app/services/data/raw.server";
import { dialectOf } from "../../app/services/data/dialect.server";
import { tempDb } from "./helpers";

const slug = (s: string) => ({ slug: s, depth: 0, labelEn: s, labelEs: s, synonymsEn: [], synonymsEs: [], version: 1 });

describe("async data layer on SQLite", () => {
  it("knows the engine", () => {
    expect(dialectOf(tempDb())).toBe("sqlite");
  });

  it("commits a transaction whose body awaits, and rolls back one that throws", async () => {
    const db = tempDb();
    await transaction(db, async (tx) => {
      await tx.insert(interests).values(slug("kept-a"));
      await tx.insert(interests).values(slug("kept-b"));
    });
    await expect(
      transaction(db, async (tx) => {
        await tx.insert(interests).values(slug("lost"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const got = (await db.select({ slug: interests.slug }).from(interests)).map((r) => r.slug);
    expect(got).toContain("kept-a");
    expect(got).toContain("kept-b");
    expect(got).not.toContain("lost");
    expect(db.$client.inTransaction).toBe(false);
  });

  it("runs concurrent transactions one after another, never one inside the other", async () => {
    const db = tempDb();
    const order: string[] = [];
    const one = (name: string) =>
      transaction(db, async (tx) => {
        order.push(`${name}:begin`);
        await tx.insert(interests).values(slug(name));
        await Promise.resolve();
        await tx.select().from(interests).where(eq(interests.slug, name));
        order.push(`${name}:end`);
      });
    // The second one fails on purpose: it must not undo the first one's rows.
    const results = await Promise.allSettled([
      one("t1"),
      transaction(db, async (tx) => {
        order.push("t2:begin");
        await tx.insert(interests).values(slug("t2"));
        order.push("t2:end");
        throw new Error("t2 fails");
      }),
      one("t3"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(order).toEqual(["t1:begin", "t1:end", "t2:begin", "t2:end", "t3:begin", "t3:end"]);
    const got = (await db.select({ slug: interests.slug }).from(interests)).map((r) => r.slug);
    expect(got).toEqual(expect.arrayContaining(["t1", "t3"]));
    expect(got).not.toContain("t2");
  });

  it("turns a nested transaction into a savepoint that can fail alone", async () => {
    const db = tempDb();
    await transaction(db, async (tx) => {
      await tx.insert(interests).values(slug("outer"));
      await transaction(tx, async (inner) => {
        await inner.insert(interests).values(slug("inner"));
        throw new Error("inner fails");
      }).catch(() => undefined);
    });
    const got = (await db.select({ slug: interests.slug }).from(interests)).map((r) => r.slug);
    expect(got).toContain("outer");
    expect(got).not.toContain("inner");
  });

  it("raw helpers read, count and write", async () => {
    const db = tempDb();
    expect(
      await exec(
        db,
        sql`INSERT INTO interest (slug, depth, label_en, label_es, synonyms_en, synonyms_es, version) VALUES ('raw', 0, 'raw', 'raw', '[]', '[]', 1)`,
      ),
    ).toBe(1);
    const r = await first<{ slug: string }>(db, sql`SELECT slug FROM interest WHERE slug = ${"raw"}`);
    expect(r?.slug).toBe("raw");
    expect((await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM interest WHERE slug = 'raw'`))[0]!.n).toBe(1);
    expect(changed(await db.delete(interests).where(eq(interests.slug, "raw")))).toBe(1);
  });
});

describe("a failed statement through drizzle's wrappers", () => {
  it("is still a storage failure (the form says 'not saved', not a bare 500)", async () => {
    const { isStorageFailure } = await import("../../app/services/save-failure.server");
    const db = tempDb();
    // db.run wraps the SQLite error in a DrizzleError whose cause is the SqliteError.
    const error = await exec(db, sql`INSERT INTO no_such_table VALUES (1)`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isStorageFailure(error)).toBe(true);
    expect(isStorageFailure(new Error("a bug"))).toBe(false);
    expect(isStorageFailure(new Error("wrapped bug", { cause: new Error("still a bug") }))).toBe(false);
  });
});
