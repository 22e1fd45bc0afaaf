import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./harness";

// Issue 13: no GET writes. Reads can then be answered by any worker (or, later, a read-only replica),
// and a page view never waits for the database's single writer. Each main page is fetched, as a visitor
// and signed in, while a separate connection watches `PRAGMA data_version` (it changes whenever any
// other connection commits) and a fingerprint of every table (row count and largest rowid). The log of
// what a page served and searched is written by a background writer off the request path: the server
// here holds it (TABLERO_LOG_FLUSH_MS) and runs no background jobs, so anything written is the GET's.

let app: App;
let watch: Database.Database;
let cookie = "";
let cardId = 0;

const version = () => watch.pragma("data_version", { simple: true }) as number;
function fingerprint(): Record<string, string> {
  const tables = watch
    .prepare(
      "SELECT name, sql LIKE '%WITHOUT ROWID%' AS noRowid FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'",
    )
    .all() as { name: string; noRowid: number }[];
  const out: Record<string, string> = {};
  for (const { name: t, noRowid } of tables) {
    const r = watch.prepare(`SELECT count(*) AS n, ${noRowid ? "0" : "coalesce(max(rowid), 0)"} AS m FROM "${t}"`).get() as {
      n: number;
      m: number;
    };
    out[t] = `${r.n}:${r.m}`;
  }
  return out;
}

beforeAll(async () => {
  app = await startApp({ browser: false, env: { TABLERO_BACKGROUND: "0", TABLERO_LOG_FLUSH_MS: "3600000" } });
  watch = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
  cardId = watch.prepare("SELECT pin_id FROM board_pin WHERE board_id = 1 ORDER BY position LIMIT 1").pluck().get() as number;
}, 120_000);

afterAll(async () => {
  watch?.close();
  await app?.stop();
});

const PAGES = () => [
  "/",
  "/boards/1",
  `/cards/${cardId}`,
  "/search?q=food",
  "/search?q=comida&lang=es",
  "/api/search?q=comida",
  "/interests/food",
  "/u/1",
  "/workshops",
  "/about",
  "/privacy",
  "/boards/1/practice",
  `/cards/${cardId}.data`,
];
const SIGNED_IN_ONLY = ["/settings", "/practice", "/import", "/boards/1/edit"];

/** Signs in (a POST: it writes the session) once, after the visitor's pages were checked. */
async function signIn() {
  if (cookie) return;
  const login = await fetch(`${app.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: new URLSearchParams({ email: "maria@tablero.example", password: "tablero-demo" }),
  });
  expect(login.status).toBe(302);
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function get(path: string, signedIn: boolean) {
  const r = await fetch(`${app.url}${path}`, {
    headers: signedIn ? { Cookie: cookie, "Accept-Language": "en" } : { "Accept-Language": "es" },
  });
  await r.arrayBuffer();
  return r.status;
}

/** Each page twice (the first view may build caches: that must not write either), watched throughout. */
async function checkPages(signedIn: boolean) {
  if (signedIn) await signIn();
  for (const path of [...PAGES(), ...(signedIn ? SIGNED_IN_ONLY : [])]) {
    const v = version();
    const before = fingerprint();
    expect(await get(path, signedIn), path).toBe(200);
    expect(await get(path, signedIn), path).toBe(200);
    expect({ path, version: version(), tables: fingerprint() }).toEqual({ path, version: v, tables: before });
  }
}

describe("GET writes nothing", () => {
  // The visitor's pages come first, before any POST: the first request of the day must not write either.
  it("main pages as a visitor leave the database as it was", () => checkPages(false), 120_000);

  it("a POST that records engagement does change what the watcher sees (the check can fail)", async () => {
    await signIn();
    const v = version();
    const before = fingerprint();
    const r = await fetch(`${app.url}/api/engagement`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie, Origin: app.url },
      body: JSON.stringify({ events: [{ pinId: cardId, action: "closeup", surface: "card" }] }),
    });
    expect(r.status).toBe(200);
    expect(version()).not.toBe(v);
    expect(fingerprint()).not.toEqual(before);
  });

  it("main pages signed in leave the database as it was", () => checkPages(true), 120_000);

  it("what the pages served and searched is still logged: by the background writer, at the latest on shutdown", async () => {
    const count = (t: string) => watch.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    // The engagement POST above wrote what waited until then (its events join the lists); the signed-in
    // pages' searches since are still waiting, and the shutdown writes them.
    const searches = count("search_log");
    const served = count("served_list");
    await app.stop();
    expect(count("search_log")).toBeGreaterThanOrEqual(searches + 4);
    expect(count("served_list")).toBeGreaterThan(served);
  });
});
