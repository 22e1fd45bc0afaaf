/**
 * Issue 13, item 3: read-only requests go to a streaming replica (read-routing.server.ts,
 * db/pg/replica.ts). A real app server (`scripts/serve.ts`, production build) with DATABASE_URL = the
 * primary and DATABASE_REPLICA_URL = a hot standby that `scripts/pg-test-cluster.sh replica` made of
 * the test cluster with pg_basebackup.
 *
 * That a visitor's page was read on the replica is shown by the one thing the primary cannot do:
 * answer from the past. With replay paused on the replica, a card the author just added is missing
 * from the visitor's board page and present on hers; once the replica's measured lag passes the
 * limit, the visitor's page comes from the primary too. Then, with replay running, a new card is
 * found by a visitor within 2 s, and with the replica stopped, visitor pages still work.
 *
 * Needs the production build (`npm run build`; .ci/run builds before the PostgreSQL tests).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg } from "../../db/pg/client";
import type { Db } from "../../app/services/db.server";
import { createBoard } from "../../app/services/boards.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../app/services/seed.server";
import { signUp } from "../../app/services/users.server";
import { cardForm, startApp, type App } from "../e2e/harness";
import { freshDatabase, serverUrl } from "./db";

/** Short limits, so the test sees the fallback in seconds (the defaults are in db/pg/replica.ts). */
// Long enough that adding a card (a form post: picture, text, vectors) finishes inside it on a busy
// machine (7.7 s was seen at load 10 with 5 s); the lagging-replica step then waits this long too.
const MAX_LAG_MS = 12_000;
const PROBE_MS = 200;

let app: App;
let url: string;
let replicaDir = "";
let replicaUrl = "";
let drop: () => Promise<void>;
let shared = "";
let boardId = 0;

const cluster = (...args: string[]) => {
  const r = spawnSync("scripts/pg-test-cluster.sh", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pg-test-cluster.sh ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim().split("\n");
};

/** The same database on another server. */
const onServer = (server: string, database: string) => {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
};

async function one<T extends pg.QueryResultRow>(at: string, q: string, params: unknown[] = []): Promise<T | undefined> {
  const c = new pg.Client({ connectionString: at });
  await c.connect();
  try {
    return (await c.query<T>(q, params)).rows[0];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  if (!existsSync("build/server/index.js")) throw new Error("the replica test needs the production build: run `npm run build` first");
  const fresh = await freshDatabase("replica", { migrated: true });
  drop = fresh.drop;
  url = fresh.url;
  // A small library instead of the starter one (seeding it takes minutes): the demo author, so that
  // setup.ts finds the database seeded, and one public board.
  const h = await openPg(url, { migrate: false, max: 2 });
  try {
    const db = h.primary as unknown as Db;
    const made = await signUp(db, { email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD, displayName: "María", locale: "en" });
    if (!made.ok) throw new Error("sign-up failed");
    boardId = (await createBoard(db, made.user.id, { title: "Garden", description: "", lang: "en", visibility: "public" })).id;
  } finally {
    await h.close();
  }
  const [dir, server] = cluster("replica", serverUrl());
  replicaDir = dir!;
  replicaUrl = onServer(server!, fresh.name);
  shared = mkdtempSync(join(tmpdir(), "tablero-replica-pictures-"));
  app = await startApp({
    browser: false,
    env: {
      DATABASE_URL: url,
      DATABASE_REPLICA_URL: replicaUrl,
      TABLERO_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
      TABLERO_REPLICA_PROBE_MS: String(PROBE_MS),
      TABLERO_STORAGE_DIR: shared,
      TABLERO_BACKGROUND: "0",
      LOG_LEVEL: "warn",
    },
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  if (replicaDir) cluster("stop", replicaDir);
  await drop?.();
  if (shared) rmSync(shared, { recursive: true, force: true });
});

async function signIn(): Promise<string> {
  const r = await fetch(`${app.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: new URLSearchParams({ email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD }),
  });
  expect(r.status).toBe(302);
  // A submitted form pins its sender to the primary (read-routing.server.ts), for longer than the
  // replica may lag: MAX_LAG_MS + 3 probe intervals, rounded up, + 5 s (18 s here).
  const pin = Math.ceil((MAX_LAG_MS + 3 * PROBE_MS) / 1000) + 5;
  expect(r.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^tablero_wrote=1; Path=/; Max-Age=${pin};`)));
  return r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function addCard(cookie: string, title: string): Promise<void> {
  const r = await fetch(`${app.url}/boards/${boardId}/cards/new`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: app.url },
    body: await cardForm(title, `A picture of ${title}`),
  });
  expect(r.status).toBe(302);
}

/** The board page as a visitor (no cookie, or the given one) sees it. */
async function boardPage(cookie?: string): Promise<string> {
  const r = await fetch(`${app.url}/boards/${boardId}`, { headers: cookie ? { Cookie: cookie } : {} });
  expect(r.status).toBe(200);
  return r.text();
}

/** Waits until the replica has replayed everything the primary committed so far. */
async function replicaCaughtUp(): Promise<void> {
  const lsn = (await one<{ lsn: string }>(url, "SELECT pg_current_wal_lsn()::text AS lsn"))!.lsn;
  for (const t0 = Date.now(); Date.now() - t0 < 10_000; await new Promise((r) => setTimeout(r, 50))) {
    const r = await one<{ ok: boolean }>(replicaUrl, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok", [lsn]);
    if (r?.ok) return;
  }
  throw new Error("the replica did not catch up within 10 s");
}

/** How often the replica's \`pin\` table was scanned, by sequence or by index, since it started. */
async function cardReadsOnReplica(): Promise<number> {
  const r = await one<{ n: number }>(
    replicaUrl,
    "SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS n FROM pg_stat_user_tables WHERE relname = 'pin'",
  );
  return r?.n ?? 0;
}

/** Polls `check` until it is true; returns how long that took, or null after `withinMs`. */
async function until(check: () => Promise<boolean>, withinMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < withinMs) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

describe("read-only requests on a streaming replica", () => {
  it("answers a visitor's page from the replica, the author's from the primary, and leaves a lagging replica", async () => {
    const author = await signIn();
    // A commit the replica has replayed just now: the lag it measures from here starts near zero.
    await one(url, "UPDATE board SET description = 'fresh' WHERE id = $1", [boardId]);
    await replicaCaughtUp();
    expect(await boardPage()).toContain("Garden");
    // That first reader query started the node's probe; let it measure the replica once or twice.
    await new Promise((r) => setTimeout(r, PROBE_MS * 3));

    await one(replicaUrl, "SELECT pg_wal_replay_pause()");
    const paused = Date.now();
    try {
      await addCard(author, "kohlrabi");
      // A visitor reads the replica, which has not replayed the card: only the replica can give this
      // answer, the primary has the card.
      const visitor = await boardPage();
      expect(Date.now() - paused, "still inside the lag limit").toBeLessThan(MAX_LAG_MS);
      expect(visitor).toContain("Garden");
      expect(visitor).not.toContain("kohlrabi");
      // The author's own page, at once: signed-in requests read the primary.
      expect(await boardPage(author)).toContain("kohlrabi");
      // A visitor who has just sent a form is pinned to the primary for a few seconds.
      expect(await boardPage("tablero_wrote=1")).toContain("kohlrabi");
      // Replay is still paused: once the replica's lag passes MAX_LAG_MS, visitors read the primary.
      const after = await until(async () => (await boardPage()).includes("kohlrabi"), MAX_LAG_MS + 3000);
      expect(after, "visitors moved to the primary when the replica lagged").not.toBeNull();
      expect(Date.now() - paused).toBeGreaterThanOrEqual(MAX_LAG_MS - 1000);
    } finally {
      await one(replicaUrl, "SELECT pg_wal_replay_resume()");
    }
  }, 60_000);

  it("tells visitors about the pin cookie on the privacy page, with its real lifetime", async () => {
    const pin = Math.ceil((MAX_LAG_MS + 3 * PROBE_MS) / 1000) + 5;
    const html = await (await fetch(`${app.url}/privacy`)).text();
    expect(html).toContain(`After you send a form, a cookie for ${pin} seconds`);
  });

  it("pins nobody for an engagement beacon (JSON): every page sends them", async () => {
    const r = await fetch(`${app.url}/api/engagement`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.url },
      body: JSON.stringify({ events: [] }),
    });
    expect(r.headers.getSetCookie().some((c) => c.startsWith("tablero_wrote="))).toBe(false);
  });

  it("lets a visitor find a card created on the primary within 2 s, through the replica", async () => {
    await replicaCaughtUp();
    const author = await signIn();
    const before = await cardReadsOnReplica();
    await addCard(author, "radish");
    const createdAt = Date.now();
    const found = await until(async () => {
      const r = await fetch(`${app.url}/api/search?q=radish&lang=en`);
      expect(r.status).toBe(200);
      return ((await r.json()) as { cards: { title: string }[] }).cards.some((c) => c.title === "radish");
    }, 2000);
    expect(found, "a visitor found the new card within 2 s").not.toBeNull();
    expect(Date.now() - createdAt).toBeLessThan(2500);
    // And those searches read the replica's own tables: its scan counters of \`pin\` moved (nothing
    // else reads that table there: the probe reads only recovery functions; statistics reach the
    // view when a backend goes idle, within a second or so).
    const moved = await until(async () => {
      await fetch(`${app.url}/api/search?q=radish&lang=en`);
      return (await cardReadsOnReplica()) > before;
    }, 15_000);
    expect(moved, "the replica counted the visitor's reads").not.toBeNull();
  });

  it("serves every replica-routed page, and writes what those pages log to the primary", async () => {
    await replicaCaughtUp();
    await new Promise((r) => setTimeout(r, PROBE_MS * 3)); // measured well again after the pause above
    const card = (await one<{ id: number; creator_id: number }>(url, "SELECT id, creator_id FROM pin WHERE title = 'radish'"))!;
    const logged = async () => (await one<{ n: number }>(url, "SELECT count(*)::int AS n FROM served_list"))!.n;
    const before = await logged();
    for (const path of ["/", `/cards/${card.id}`, "/search?q=radish", `/u/${card.creator_id}`]) {
      const r = await fetch(`${app.url}${path}`);
      expect([200, 404], `${path}: ${app.output().slice(-2000)}`).toContain(r.status);
    }
    // The served lists those pages queued reach the primary through the node's log writer.
    expect(await until(async () => (await logged()) > before, 5000), "served lists written").not.toBeNull();
    expect(app.output()).not.toMatch(/read-only transaction|cannot execute/);
  });

  it("keeps answering visitors from the primary when the replica is stopped", async () => {
    cluster("stop", replicaDir);
    replicaDir = "";
    // At once (the next probe has not run yet: the failed read itself is sent to the primary) and later.
    for (let i = 0; i < 3; i++) {
      const page = await boardPage();
      expect(page).toContain("kohlrabi");
      expect(page).toContain("radish");
      const r = await fetch(`${app.url}/api/search?q=radish&lang=en`);
      expect(r.status, app.output().slice(-3000)).toBe(200);
      await new Promise((res) => setTimeout(res, PROBE_MS * 2));
    }
    expect(app.output()).toMatch(/replica: reads go to the primary/);
  });
});
