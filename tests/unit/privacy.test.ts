import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { searchLog } from "../../db/tables";
import { getDb } from "../../app/services/db.server";
import { DAY_MS, visitorSource } from "../../app/services/client-key.server";
import { pruneExpired, SEARCH_LOG_DAYS } from "../../app/services/retention.server";
import { sessionKeyFor, visitorKeyCookie } from "../../app/services/search-request.server";
import { testDb, testEngine } from "./helpers";
import { requestStore } from "../../app/services/http/request-context";

/** Issue 12: bounded search history, and visitors keyed without a tracking cookie. */
let db: Db;
beforeAll(async () => {
  const fresh = await testDb(); // sets TABLERO_DATA_DIR
  // sessionKeyFor reads the process's database (getDb): on PostgreSQL, that is the one openDatabase() would set.
  if (testEngine === "pg") (globalThis as { __tableroDb?: Db }).__tableroDb = fresh;
  db = getDb();
});

describe("retention", () => {
  it("deletes searches older than SEARCH_LOG_DAYS and keeps the rest", async () => {
    const now = Date.now();
    const at = (days: number) => new Date(now - days * DAY_MS);
    for (const [q, days] of [
      ["old", SEARCH_LOG_DAYS + 1],
      ["recent", SEARCH_LOG_DAYS - 1],
      ["today", 0],
    ] as const)
      await db.insert(searchLog).values({ query: q, normalized: q, lang: "en", resultCount: 0, sessionKey: "u:1", createdAt: at(days) });
    expect((await pruneExpired(db, now)).searches).toBe(1);
    expect((await db.select().from(searchLog).orderBy(searchLog.id)).map((r) => r.query)).toEqual(["recent", "today"]);
  });
});

describe("visitor keys", () => {
  const req = (headers: Record<string, string> = {}) => new Request("http://localhost/search?q=x", { headers });

  it("sets no cookie for a visitor, and cookie-less requests from one address share one key", async () => {
    // The address as the HTTP server resolved it (app/services/http/request-context.ts).
    const from = (ip: string) => requestStore.run({ id: "t", ip, nonce: "n" }, () => sessionKeyFor(req(), null));
    const [a, b, c] = await Promise.all([from("203.0.113.7"), from("203.0.113.7"), from("198.51.100.1")]);
    expect("setCookie" in a).toBe(false);
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
    expect(a.key).not.toContain("203.0.113.7");
    // With no address at all (no proxy configured, no load context), still one key, not one per request.
    expect((await sessionKeyFor(req(), null)).key).toBe((await sessionKeyFor(req(), null)).key);
  });

  it("keys a visitor's address with a salt of the day: not linkable across days", async () => {
    const now = Date.now();
    expect(await visitorSource(db, "203.0.113.7", now)).toBe(await visitorSource(db, "203.0.113.7", now));
    expect(await visitorSource(db, "203.0.113.7", now)).not.toBe(await visitorSource(db, "203.0.113.7", now + DAY_MS));
  });

  it("gives a visitor a session cookie only when they choose topics, and keeps one they have", async () => {
    expect(visitorKeyCookie(req())).toMatch(/^tablero_sk=[A-Za-z0-9_-]{22}; /);
    expect(visitorKeyCookie(req({ Cookie: "tablero_sk=abcdefghijklmnopqrstuv" }))).toBeUndefined();
    expect((await sessionKeyFor(req({ Cookie: "tablero_sk=abcdefghijklmnopqrstuv" }), null)).key).toBe("v:abcdefghijklmnopqrstuv");
  });
});
