import Database from "better-sqlite3";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardForm, startApp, type App } from "./harness";

// Issue 13, item 2: `npm start` with two workers on one SQLite file. A card created through one worker
// is found by the other worker's /api/search within 2 s — by its vector too, which only the change feed
// can have put into that worker's in-memory index — and a worker killed with SIGKILL is replaced while
// the app keeps answering. Every request uses a fresh connection (no keep-alive), so the cluster's
// round-robin spreads them; X-Tablero-Worker (TABLERO_EXPOSE_WORKER=1, tests only) names the process.

type Answer = { status: number; worker: string; body: Buffer; headers: Record<string, string | string[] | undefined> };

function send(url: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? "GET", headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          worker: String(res.headers["x-tablero-worker"] ?? ""),
          body: Buffer.concat(chunks),
          headers: res.headers,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer in 10 s: ${url}`)));
    req.end(o.body);
  });
}

let app: App;
let cookie = "";
let boardId = 0;

beforeAll(async () => {
  app = await startApp({ workers: 2, browser: false, env: { TABLERO_EXPOSE_WORKER: "1", LOG_LEVEL: "info" } });
  const login = await send(`${app.url}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: Buffer.from(new URLSearchParams({ email: "maria@tablero.example", password: "tablero-demo" }).toString()),
  });
  expect(login.status).toBe(302);
  const set = login.headers["set-cookie"] ?? [];
  cookie = (Array.isArray(set) ? set : [set]).map((c) => c.split(";")[0]).join("; ");
  const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
  boardId = (
    db
      .prepare(
        "SELECT b.id FROM board b JOIN user u ON u.id = b.owner_id WHERE u.email = ? AND b.visibility = 'public' ORDER BY b.id LIMIT 1",
      )
      .get("maria@tablero.example") as { id: number }
  ).id;
  db.close();
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** Asks until both workers have answered (each builds its vector index on its first search). */
async function bothWorkers(path: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < 40 && seen.size < 2; i++) {
    const r = await send(`${app.url}${path}`);
    expect(r.status).toBe(200);
    seen.add(r.worker);
  }
  return seen;
}

describe("two workers", () => {
  it("are two processes, both answering", async () => {
    const seen = await bothWorkers("/api/search?q=apple");
    expect(seen.size).toBe(2);
    expect([...seen].every((w) => /^\d+$/.test(w) && Number(w) !== app.server.pid)).toBe(true);
  });

  it("a card created on one worker is found, by its vector too, by the other within 2 s", async () => {
    const title = "kohlrabi";
    // Before the card exists, both workers' indexes are built (and do not have it).
    for (const w of await bothWorkers(`/api/search?q=${title}`)) expect(w).not.toBe("");
    const form = await cardForm(title, "A pale green kohlrabi bulb with leaves");
    const encoded = new Request("http://x/", { method: "POST", body: form });
    const created = await send(`${app.url}/boards/${boardId}/cards/new`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: app.url, "Content-Type": encoded.headers.get("content-type")! },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(created.status).toBe(302);
    const creator = created.worker;
    const createdAt = Date.now();
    const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const cardId = (db.prepare("SELECT id FROM pin WHERE title = ? ORDER BY id DESC LIMIT 1").get(title) as { id: number }).id;
    db.close();

    let found: { worker: string; sources: string[]; after: number } | null = null;
    while (!found && Date.now() - createdAt < 2000) {
      const r = await send(`${app.url}/api/search?q=${title}&lang=en`);
      expect(r.status).toBe(200);
      if (r.worker === creator) continue;
      const card = (JSON.parse(r.body.toString()) as { cards: { id: number; sources: string[] }[] }).cards.find((c) => c.id === cardId);
      if (card?.sources.includes("vector")) found = { worker: r.worker, sources: card.sources, after: Date.now() - createdAt };
    }
    expect(found, "the other worker found the new card by its vector within 2 s").not.toBeNull();
    expect(found!.worker).not.toBe(creator);
  });

  it("replaces a worker killed with SIGKILL, and keeps answering meanwhile", async () => {
    const before = await bothWorkers("/healthz");
    const victim = Number([...before][0]);
    process.kill(victim, "SIGKILL");
    // Connections the primary hands over in the instant before it sees the death are lost with the
    // worker (as with any crash); from the moment it logs the death, every request must be answered.
    for (let i = 0; i < 100 && !/worker died; restarting/.test(app.output()); i++) await new Promise((res) => setTimeout(res, 20));
    const seen = new Set<string>();
    // A new worker loads the encoder and dictionaries first: seconds alone, more on a loaded CI machine.
    const deadline = Date.now() + 45_000;
    let answered = 0;
    while (Date.now() < deadline) {
      const r = await send(`${app.url}/api/search?q=apple`);
      expect(r.status).toBe(200);
      answered++;
      seen.add(r.worker);
      if ([...seen].some((w) => !before.has(w))) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(seen.has(String(victim))).toBe(false);
    const replacement = [...seen].find((w) => !before.has(w));
    expect(replacement, "a new worker answered").toBeDefined();
    expect(answered).toBeGreaterThan(0);
    expect(app.output()).toMatch(new RegExp(`"workerPid":${victim}[^\\n]*"signal":"SIGKILL"[^\\n]*worker died; restarting`));
  }, 60_000);
});
