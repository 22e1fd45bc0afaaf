import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../e2e/harness";
import { cookie, form, send } from "./http";

// Walk-through finding (issue 13 review): accepting an invitation that was cancelled while the page
// was open said "You can now practise with ." and granted nothing. It must say it is no longer open.
const DEMO_PW = "tablero-demo";
let app: App;

async function sessionOf(email: string): Promise<string> {
  const r = await send(`${app.url}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: form({ email, password: DEMO_PW }),
  });
  const c = cookie(r.headers, "tablero_session");
  if (!c) throw new Error(`sign-in failed for ${email} (${r.status})`);
  return c.split(";")[0]!;
}

const post = (session: string, fields: Record<string, string>) =>
  send(`${app.url}/practice`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url, Cookie: session, "Accept-Language": "en" },
    body: form(fields),
  });

beforeAll(async () => {
  app = await startApp({ browser: false });
}, 180_000);
afterAll(async () => app?.stop());

describe("answering a practice invitation that is no longer open", () => {
  it("says so with a 409 and grants nothing; an open one is still accepted", async () => {
    const ana = await sessionOf("ana@tablero.example");
    const tomas = await sessionOf("tomas@tablero.example");
    const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const anaId = (db.prepare("SELECT id FROM user WHERE email = ?").get("ana@tablero.example") as { id: number }).id;
    const grants = () => (db.prepare("SELECT count(*) AS n FROM practice_grant WHERE learner_id = ?").get(anaId) as { n: number }).n;
    try {
      const granted = await post(ana, { intent: "grant", email: "tomas@tablero.example" });
      expect(granted.status, String(granted.headers.location)).toBe(200);
      expect((await post(ana, { intent: "cancel", email: "tomas@tablero.example" })).status).toBe(200);
      for (const intent of ["accept", "decline"]) {
        const r = await post(tomas, { intent, learnerId: String(anaId) });
        expect(r.status).toBe(409);
        // Tomás reads Spanish (his account's language).
        expect(r.body).toContain("Esta invitación ya no está abierta");
        expect(r.body).not.toContain("Ya puedes practicar con");
      }
      expect(grants()).toBe(0);
      // The control: an open invitation is accepted and grants access.
      expect((await post(ana, { intent: "grant", email: "tomas@tablero.example" })).status).toBe(200);
      const ok = await post(tomas, { intent: "accept", learnerId: String(anaId) });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain("Ya puedes practicar con");
      expect(grants()).toBe(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
