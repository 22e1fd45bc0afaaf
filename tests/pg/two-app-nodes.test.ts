/**
 * Issue 13, item 4: two APP nodes on one PostgreSQL. Each is `scripts/serve.ts` as `npm start` runs it
 * (the production build, one worker each, its own data directory for logs and its own memory), with
 * DATABASE_URL naming one PostgreSQL database and TABLERO_STORAGE_DIR one picture directory that both
 * mount (docs/architecture.md). A card created through node A's HTTP form is found by node B's
 * /api/search within 2 s — by its words (PostgreSQL's full text) and by its vector, which only B's
 * change-feed follower (LISTEN/NOTIFY) can have put into B's in-memory index — and B serves its picture.
 *
 * Needs the production build (`npm run build`; `npm test` builds before, .ci/run runs this after it).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardForm, startApp, type App } from "../e2e/harness";
import { freshDatabase } from "./db";

let a: App;
let b: App;
let url: string;
let drop: () => Promise<void>;
let shared: string;

beforeAll(async () => {
  if (!existsSync("build/server/index.js")) throw new Error("two-app-nodes needs the production build: run `npm run build` first");
  const fresh = await freshDatabase("appnodes");
  drop = fresh.drop;
  url = fresh.url;
  shared = mkdtempSync(join(tmpdir(), "tablero-shared-pictures-"));
  const env = { DATABASE_URL: url, TABLERO_STORAGE_DIR: shared, TABLERO_BACKGROUND: "0", LOG_LEVEL: "warn" };
  // A seeds the starter library into PostgreSQL (setup.ts); B finds it seeded.
  a = await startApp({ browser: false, env });
  b = await startApp({ browser: false, env });
}, 240_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await drop?.();
  if (shared) rmSync(shared, { recursive: true, force: true });
});

async function one<T extends pg.QueryResultRow>(q: string, params: unknown[] = []): Promise<T | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(q, params)).rows[0];
  } finally {
    await c.end();
  }
}

async function signIn(app: App): Promise<string> {
  const r = await fetch(`${app.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: new URLSearchParams({ email: "maria@tablero.example", password: "tablero-demo" }),
  });
  expect(r.status).toBe(302);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("two app nodes on one PostgreSQL", () => {
  it("are two servers answering from the same database", async () => {
    expect(a.server.pid).not.toBe(b.server.pid);
    expect(a.url).not.toBe(b.url);
    const cards = await one<{ n: number }>("SELECT count(*)::int AS n FROM pin");
    expect(cards!.n).toBeGreaterThan(50);
    for (const app of [a, b]) {
      const r = await fetch(`${app.url}/api/search?q=apple&lang=en`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { cards: { title: string }[] };
      expect(body.cards.length).toBeGreaterThan(0);
    }
    // Nothing was written to a SQLite file in either node's data directory.
    for (const app of [a, b]) expect(existsSync(join(app.dataDir, "tablero.db"))).toBe(false);
  });

  it("a card created through node A is found by node B's search within 2 s, by its words and its vector", async () => {
    const title = "kohlrabi";
    // B's vector index is built before the card exists.
    expect((await fetch(`${b.url}/api/search?q=${title}&lang=en`)).status).toBe(200);
    const cookie = await signIn(a);
    const board = await one<{ id: number }>(
      `SELECT b.id FROM board b JOIN "user" u ON u.id = b.owner_id WHERE u.email = $1 AND b.visibility = 'public' ORDER BY b.id LIMIT 1`,
      ["maria@tablero.example"],
    );
    const form = await cardForm(title, "A pale green kohlrabi bulb with leaves");
    const created = await fetch(`${a.url}/boards/${board!.id}/cards/new`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: a.url },
      body: form,
    });
    expect(created.status).toBe(302);
    const createdAt = Date.now();
    const card = await one<{ id: number; image_key: string }>("SELECT id, image_key FROM pin WHERE title = $1 ORDER BY id DESC LIMIT 1", [
      title,
    ]);
    expect(card).toBeDefined();

    let found: { sources: string[]; after: number } | null = null;
    while (!found && Date.now() - createdAt < 2000) {
      const r = await fetch(`${b.url}/api/search?q=${title}&lang=en`);
      expect(r.status).toBe(200);
      const hit = ((await r.json()) as { cards: { id: number; sources: string[] }[] }).cards.find((c) => c.id === card!.id);
      if (hit?.sources.includes("vector")) found = { sources: hit.sources, after: Date.now() - createdAt };
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(found, "node B found the new card by its vector within 2 s").not.toBeNull();
    expect(found!.sources).toContain("text");

    // B serves the card's page and its picture (written by A to the shared picture directory).
    expect((await fetch(`${b.url}/cards/${card!.id}`)).status).toBe(200);
    const picture = await fetch(`${b.url}/images/${card!.image_key}`);
    expect(picture.status).toBe(200);
    expect(Number(picture.headers.get("content-length") ?? (await picture.arrayBuffer()).byteLength)).toBeGreaterThan(0);
  });
});
