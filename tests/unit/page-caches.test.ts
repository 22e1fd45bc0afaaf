// What pages keep between requests (issue 13) must never outlive a write: data-memo.server.ts keeps
// loaders' read-only work until the database changes, from this connection or another one (another
// worker process on the same file); render-cache.server.ts keys rendered pages by their data.
// Real SQLite files, the real pipeline, the real route loaders.
import { sql } from "drizzle-orm";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../db/client";
import { dataDir } from "../../db/paths";
import { users, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { indexBoards, indexPins } from "../../app/services/indexing.server";
import { getPipeline } from "../../app/services/pipeline.server";
import { dataVersion, memoByData } from "../../app/services/data-memo.server";
import { exec } from "../../app/services/data/raw.server";
import { transaction } from "../../app/services/data/transaction.server";
import { cachedPage, clearRenderCache, keepPage, renderKey } from "../../app/services/render-cache.server";
import { loader as apiSearch } from "../../app/routes/api.search";
import { loader as boardPage } from "../../app/routes/boards.$boardId._index";
import { loader as cardPage } from "../../app/routes/cards.$cardId._index";
import { homeFeed } from "../../app/services/feed.server";
import { flushServed, logServedList } from "../../app/services/discovery/served-log.server";
import type { EntryContext } from "@remix-run/node";
import { tempDb } from "./helpers";

let db: Db;
/** A second connection to the same file: what another worker process would write through. */
let other: Db;
let owner: User;
let boardId: number;
let kettleId: number;
const image = { key: "0".repeat(64) + ".webp", width: 10, height: 10 };
const card = (title: string) => ({ title, alt: `A ${title}`, cue: "", note: "", lang: "en" as const });

beforeAll(async () => {
  db = tempDb();
  (globalThis as unknown as { __tableroDb?: Db }).__tableroDb = db; // the routes' getDb() reads this file
  other = openDb(join(dataDir(), "tablero.db"));
  owner = db.insert(users).values({ email: "o@example.com", passwordHash: "x", displayName: "Owner", locale: "en" }).returning().all()[0]!;
  const board = await createBoard(db, owner.id, { title: "Kitchen", description: "", lang: "en", visibility: "public" });
  boardId = board.id;
  kettleId = (await createCard(db, owner, board.id, card("red kettle"), image)).id;
  for (const t of ["blue kettle", "teapot", "kettle lid"]) await createCard(db, owner, board.id, card(t), image);
  const p = await getPipeline();
  await indexPins(db, p);
  await indexBoards(db, p);
});

const visitor = (path: string) => new Request(`http://localhost${path}`);

describe("memoByData", () => {
  it("computes once while nothing is written, again after a write on this connection or another one", () => {
    db.$client.exec("CREATE TABLE IF NOT EXISTS memo_t (x INTEGER)");
    let runs = 0;
    const count = () =>
      memoByData(db, "memo-count", () => {
        runs++;
        return (db.$client.prepare("SELECT count(*) AS n FROM memo_t").get() as { n: number }).n;
      });
    expect([count(), count()]).toEqual([0, 0]);
    expect(runs).toBe(1);
    db.$client.prepare("INSERT INTO memo_t (x) VALUES (1)").run();
    expect(count()).toBe(1);
    other.$client.prepare("INSERT INTO memo_t (x) VALUES (2)").run();
    expect(count()).toBe(2);
    expect(runs).toBe(3);
    expect(count()).toBe(2);
    expect(runs).toBe(3);
  });

  it("keeps nothing inside a transaction, and no thrown error", () => {
    let runs = 0;
    const v = () => memoByData(db, "memo-tx", () => ++runs);
    db.transaction(() => {
      v();
      v();
    });
    expect(runs).toBe(2);
    expect(() =>
      memoByData(db, "memo-throw", () => {
        throw new Error("no");
      }),
    ).toThrow("no");
    expect(memoByData(db, "memo-throw", () => 5)).toBe(5);
  });

  it("keeps asynchronous work as its promise: shared until a write, a rejected one not kept, none inside transaction()", async () => {
    db.$client.exec("CREATE TABLE IF NOT EXISTS memo_a (x INTEGER)");
    let runs = 0;
    const count = () =>
      memoByData(db, "memo-async", async () => {
        runs++;
        return (await db.select({ n: sql<number>`count(*)` }).from(sql`memo_a`))[0]!.n;
      });
    const [a, b] = [count(), count()];
    expect(a).toBe(b); // the second caller shares the first one's promise
    expect([await a, await count()]).toEqual([0, 0]);
    expect(runs).toBe(1);
    await exec(db, sql`INSERT INTO memo_a (x) VALUES (1)`);
    expect(await count()).toBe(1);
    expect(runs).toBe(2);

    let fails = 0;
    const failing = () =>
      memoByData(db, "memo-reject", async () => {
        fails++;
        await Promise.resolve();
        throw new Error("no");
      });
    await expect(failing()).rejects.toThrow("no");
    await expect(failing()).rejects.toThrow("no");
    expect(fails).toBe(2); // the rejected promise was dropped, not handed out again
    expect(await memoByData(db, "memo-reject", async () => 5)).toBe(5);

    let inTx = 0;
    await transaction(db, async () => {
      await memoByData(db, "memo-async-tx", async () => ++inTx);
      await memoByData(db, "memo-async-tx", async () => ++inTx);
    });
    expect(inTx).toBe(2);
  });

  it("keeps the value of async work (the page loaders' now), never a rejected promise", async () => {
    let runs = 0;
    const ok = () => memoByData(db, "memo-async", async () => ++runs);
    expect([await ok(), await ok()]).toEqual([1, 1]);
    let fails = 0;
    const bad = () =>
      memoByData(db, "memo-async-bad", async () => {
        fails++;
        throw new Error("no");
      });
    await expect(bad()).rejects.toThrow("no");
    await expect(bad()).rejects.toThrow("no");
    expect(fails).toBe(2);
  });

  it("expires an entry after its age even without a write", () => {
    let runs = 0;
    const at = (now: number) => memoByData(db, "memo-age", () => ++runs, { now, maxAgeMs: 1000 });
    expect([at(0), at(900), at(1901)]).toEqual([1, 1, 2]);
  });

  it("keeps what it computed across a served-list flush (pages never read it), not across other writes", () => {
    let runs = 0;
    const v = () => memoByData(db, "memo-served", () => ++runs);
    v();
    logServedList(db, {
      requestId: "00000000-0000-4000-8000-000000000001",
      surface: "home",
      userId: null,
      sessionKey: "a:test",
      query: null,
      ranker: "fusion",
      items: [{ pinId: kettleId, position: 0, score: 1, features: [1, 2], propensity: null }],
    });
    expect(flushServed(db)).toBe(1);
    v();
    expect(runs).toBe(1);
    db.$client.prepare("INSERT INTO memo_t (x) VALUES (4)").run();
    v();
    expect(runs).toBe(2);
  });

  it("dataVersion moves on another connection's commit", () => {
    const before = dataVersion(db);
    other.$client.prepare("INSERT INTO memo_t (x) VALUES (3)").run();
    expect(dataVersion(db)).not.toBe(before);
  });
});

describe("pages see writes made through another connection", () => {
  it("board page: a renamed board, then a board made private", async () => {
    const title = async () =>
      (
        (await boardPage({ request: visitor(`/boards/${boardId}`), params: { boardId: String(boardId) }, context: {} })) as {
          board: { title: string };
        }
      ).board.title;
    expect(await title()).toBe("Kitchen");
    expect(await title()).toBe("Kitchen");
    other.$client.prepare("UPDATE board SET title = 'Galley' WHERE id = ?").run(boardId);
    expect(await title()).toBe("Galley");
    other.$client.prepare("UPDATE board SET visibility = 'private' WHERE id = ?").run(boardId);
    await expect(title()).rejects.toSatisfy((e: unknown) => e instanceof Response && e.status === 404);
    other.$client.prepare("UPDATE board SET visibility = 'public', title = 'Kitchen' WHERE id = ?").run(boardId);
  });

  it("card page and its 'more like this': a retitled card, then a card made invisible", async () => {
    const page = async (id: number) =>
      (await cardPage({ request: visitor(`/cards/${id}`), params: { cardId: String(id) }, context: {} })) as {
        card: { title: string };
        related: { cards: { id: number }[]; requestId: string | null };
      };
    const first = await page(kettleId);
    expect(first.card.title).toBe("red kettle");
    const again = await page(kettleId);
    // The kept ranking is shared, but every response is logged as its own served list.
    if (first.related.requestId) expect(again.related.requestId).not.toBe(first.related.requestId);
    other.$client.prepare("UPDATE pin SET title = 'green kettle' WHERE id = ?").run(kettleId);
    expect((await page(kettleId)).card.title).toBe("green kettle");
    const shown = (await page(kettleId)).related.cards.map((c) => c.id);
    expect(shown.length).toBeGreaterThan(0);
    const gone = shown[0]!;
    // Moving a related card to a private board of the owner's hides it from visitors.
    const secret = await createBoard(other, owner.id, { title: "Secret", description: "", lang: "en", visibility: "private" });
    other.$client.prepare("UPDATE board_pin SET board_id = ? WHERE pin_id = ?").run(secret.id, gone);
    expect((await page(kettleId)).related.cards.map((c) => c.id)).not.toContain(gone);
    other.$client.prepare("UPDATE board_pin SET board_id = ? WHERE pin_id = ?").run(boardId, gone);
    other.$client.prepare("UPDATE pin SET title = 'red kettle' WHERE id = ?").run(kettleId);
  });

  it("home feed: a card made invisible leaves a visitor's feed", async () => {
    const who = { userId: null, sessionKey: "a:test" };
    const ids = async () => (await homeFeed(db, who, { locale: "en", picked: [], log: false })).cards.map((c) => c.id);
    const before = await ids();
    expect(before).toContain(kettleId);
    expect(await ids()).toEqual(before);
    other.$client.prepare("UPDATE board SET visibility = 'private' WHERE id = ?").run(boardId);
    expect(await ids()).not.toContain(kettleId);
    other.$client.prepare("UPDATE board SET visibility = 'public' WHERE id = ?").run(boardId);
    expect(await ids()).toContain(kettleId);
  });

  it("repeated /api/search: a card made invisible is no longer found", async () => {
    const found = async () => {
      const res = await apiSearch({ request: visitor("/api/search?q=kettle&limit=50"), params: {}, context: {} });
      return ((await res.json()) as { cards: { id: number }[] }).cards.map((c) => c.id);
    };
    expect(await found()).toContain(kettleId);
    expect(await found()).toContain(kettleId);
    other.$client.prepare("UPDATE board SET visibility = 'private' WHERE id = ?").run(boardId);
    expect(await found()).not.toContain(kettleId);
    other.$client.prepare("UPDATE board SET visibility = 'public' WHERE id = ?").run(boardId);
    expect(await found()).toContain(kettleId);
  });
});

describe("render cache", () => {
  const ctx = (loaderData: unknown) =>
    ({ staticHandlerContext: { loaderData, actionData: null, errors: null } }) as unknown as EntryContext;
  const uuid = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, "0")}`;

  it("keys by address and data: other data, another address, a Map or an error page are not the same page", () => {
    const r = visitor("/boards/1");
    const k = renderKey(r, 200, ctx({ root: { user: null }, board: { title: "A" } }), "n1")!;
    expect(renderKey(r, 200, ctx({ root: { user: null }, board: { title: "A" } }), "n2")!.key).toBe(k.key);
    expect(renderKey(r, 200, ctx({ root: { user: null }, board: { title: "B" } }), "n1")!.key).not.toBe(k.key);
    expect(renderKey(r, 200, ctx({ root: { user: { id: 1 } }, board: { title: "A" } }), "n1")!.key).not.toBe(k.key);
    expect(renderKey(visitor("/boards/1?x=1"), 200, ctx({ root: { user: null }, board: { title: "A" } }), "n1")!.key).not.toBe(k.key);
    expect(renderKey(r, 200, ctx({ board: new Map([["title", "A"]]) }), "n1")).toBeNull();
    expect(renderKey(r, 404, ctx({ board: { title: "A" } }), "n1")).toBeNull();
    expect(renderKey(new Request("http://localhost/boards/1", { method: "POST" }), 200, ctx({}), "n1")).toBeNull();
  });

  it("gives every response its own nonce and served-list id", () => {
    clearRenderCache();
    const r = visitor("/cards/1");
    const first = renderKey(r, 200, ctx({ related: { requestId: uuid(1) } }), "NONCE-1")!;
    const html = `<script nonce="NONCE-1">x</script><div data-request="${uuid(1)}"></div><script nonce="NONCE-1">"${uuid(1)}"</script>`;
    expect(cachedPage(first, "NONCE-1")).toBeNull();
    keepPage(first, html, "NONCE-1");
    const second = renderKey(r, 200, ctx({ related: { requestId: uuid(2) } }), "NONCE-2")!;
    expect(second.key).toBe(first.key);
    expect(cachedPage(second, "NONCE-2")).toBe(
      `<script nonce="NONCE-2">x</script><div data-request="${uuid(2)}"></div><script nonce="NONCE-2">"${uuid(2)}"</script>`,
    );
    // A page with no list where the kept one had one is another page.
    expect(renderKey(r, 200, ctx({ related: { requestId: null } }), "NONCE-3")!.key).not.toBe(first.key);
  });
});
