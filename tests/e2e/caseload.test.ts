import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// Issue 14's caseload in the real browser: María (a seeded learner) shares her practice with Tomás
// (the seeded therapist); Tomás finds her on /caseload by keyboard, reads per word and per cue level
// (chart AND table), downloads the CSV and the PDF; Ana (no grant) gets a 404; María sees the same
// about herself, stops sharing, and Tomás loses access at once. Her history is written straight into
// the app's SQLite file: the rating service's Again/Good reviews plus the outcome and cue level that
// naming with cues records (built in parallel; the practice page cannot write them yet).
let app: App;
const PASSWORD = "tablero-demo";
const MARIA = "maria@tablero.example";
const TOMAS = "tomas@tablero.example";
let words: string[] = [];

function seedHistory(dataDir: string) {
  const db = new Database(join(dataDir, "tablero.db"));
  const id = (email: string) => (db.prepare("select id from user where email = ?").get(email) as { id: number }).id;
  const maria = id(MARIA);
  const tomas = id(TOMAS);
  const pins = db
    .prepare("select p.id, p.title from board_pin bp join pin p on p.id = bp.pin_id where bp.board_id = 1 order by bp.position limit 3")
    .all() as {
    id: number;
    title: string;
  }[];
  words = pins.map((p) => p.title);
  const day = (n: number) => Date.now() - n * 86_400_000;
  db.prepare("insert into practice_grant (learner_id, grantee_id, created_at) values (?, ?, ?)").run(maria, tomas, day(10));
  const session = db
    .prepare("insert into practice_session (learner_id, board_id, started_by, created_at, last_rated_at) values (?, 1, ?, ?, ?)")
    .run(maria, maria, day(8), day(1)).lastInsertRowid;
  const log = db.prepare(
    "insert into review_log (learner_id, pin_id, session_id, rated_by, rating, mode, outcome, cue_level, state_before, reviewed_at) values (?, ?, ?, ?, ?, 'naming', ?, ?, 0, ?)",
  );
  log.run(maria, pins[0]!.id, session, maria, 3, null, null, day(8)); // an old-style Good
  log.run(maria, pins[1]!.id, session, maria, 1, "not_yet", 5, day(8));
  log.run(maria, pins[1]!.id, session, maria, 2, "cued", 3, day(1));
  log.run(maria, pins[2]!.id, session, maria, 3, "correct", 0, day(1));
  // Two cards due now, for the home page's reminder.
  const review = db.prepare(
    "insert into review (learner_id, pin_id, mode, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review) values (?, ?, 'naming', ?, 1, 5, 1, 1, 0, 1, 0, 2, ?)",
  );
  for (const p of pins.slice(0, 2)) review.run(maria, p.id, day(0.5), day(1));
  db.close();
}

async function tabTo(page: Page, name: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "")) === name) return;
  }
  throw new Error(`never reached ${name}`);
}

beforeAll(async () => {
  app = await startApp();
  seedHistory(app.dataDir);
});
afterAll(async () => app?.stop());

describe("caseload", () => {
  it("the therapist reaches a learner's record by keyboard: chart and tables, axe clean in both languages", async () => {
    const { context, page } = await newPage(app, { locale: "en-GB" });
    await signIn(page, TOMAS, PASSWORD);
    await page.goto("/caseload");
    await hydrated(page);
    if ((await page.evaluate(() => document.documentElement.lang)) !== "es") throw new Error("Tomás reads Spanish");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Pacientes");
    const table = page.getByRole("table", { name: "Práctica de cada persona en las fechas elegidas" });
    expect(await table.getByRole("row").count()).toBe(2);
    expect(await table.getByRole("rowheader").textContent()).toBe("María Luisa");
    expect(await axe(page)).toEqual([]);

    await page
      .locator("main")
      .focus()
      .catch(() => undefined);
    await tabTo(page, "María Luisa");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/caseload\/\d+$/);
    await hydrated(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Práctica de María Luisa");
    // The chart is a picture with a spoken summary; the numbers are in tables on the page.
    await page.locator(".recharts-surface").first().waitFor();
    expect(await page.getByRole("img", { name: /^Gráfico del/ }).count()).toBe(1);
    const wordsTable = page.getByRole("table", { name: "Resultados de cada palabra" });
    for (const w of words) expect(await wordsTable.getByRole("rowheader", { name: w, exact: true }).count()).toBe(1);
    const cues = page.getByRole("table", { name: "Intentos según la mayor ayuda dada" });
    expect(await cues.getByRole("row", { name: /^Primer sonido 1 1 0$/ }).count()).toBe(1);
    expect(await page.getByRole("table", { name: /^Resultados por semana/ }).count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(app.dataDir, "caseload-report.png"), fullPage: true });

    // A date that is not a date: a translated message at the field, the typed value kept.
    await page.goto(`${new URL(page.url()).pathname}?from=31-02-2026`);
    await hydrated(page);
    expect(await page.getByRole("alert").textContent()).toContain("Escribe una fecha como 2026-03-31.");
    expect(await axe(page)).toEqual([]);

    // And in English.
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.goto("/caseload");
    await hydrated(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Caseload");
    expect(await axe(page)).toEqual([]);
    await page.getByRole("button", { name: "Español" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "es");
    await context.close();
  });

  it("downloads the CSV (BOM, one row per review, translated) and the PDF report", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, TOMAS, PASSWORD);
    await page.goto("/caseload");
    await hydrated(page);
    await page.getByRole("link", { name: "María Luisa" }).click();
    await page.waitForURL(/\/caseload\/\d+$/);
    await hydrated(page);
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Descargar cada intento (CSV)" }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^tablero-practica-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Fecha y hora (UTC);Persona;Tarjeta;Tipo de práctica;Ayuda dada;Resultado");
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => l.endsWith(`;María Luisa;${words[1]};Nombrar;Primer sonido;Con ayuda`))).toBe(true);
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Descargar informe (PDF)" }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await context.close();
  });

  it("someone without a grant gets a 404 for the page and the downloads", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "ana@tablero.example", PASSWORD);
    const mariaPath = await (async () => {
      const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
      const { id } = db.prepare("select id from user where email = ?").get(MARIA) as { id: number };
      db.close();
      return `/caseload/${id}`;
    })();
    for (const path of [mariaPath, `${mariaPath}/reviews.csv`, `${mariaPath}/report.pdf`])
      expect((await page.request.get(path)).status()).toBe(404);
    // Her own caseload is empty, and says how people come onto it.
    await page.goto("/caseload");
    await hydrated(page);
    expect(await page.locator("main .empty").count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    await context.close();
  });

  it("the learner sees her due cards on the home page, her own record, and stops sharing; the therapist loses access", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, MARIA, PASSWORD);
    await page.goto("/");
    await hydrated(page);
    const due = page.getByRole("region", { name: "Para practicar hoy" });
    expect(await due.getByRole("link").first().textContent()).toContain("Nombrar: 2");
    await page.goto("/practice/progress");
    await hydrated(page);
    const sharing = page.getByRole("region", { name: "Quién puede ver tu práctica" });
    await sharing.getByRole("link", { name: "Ver cada palabra y cuánta ayuda necesitaste" }).click();
    await page.waitForURL(/\/caseload\/\d+$/);
    await hydrated(page);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Tus palabras y la ayuda");
    const mine = new URL(page.url()).pathname;
    expect(await axe(page)).toEqual([]);
    await page.getByRole("link", { name: "Volver a tu progreso" }).click();
    await page.waitForURL(/\/practice\/progress$/);
    await hydrated(page);
    await page.getByRole("button", { name: "Dejar de compartir con Tomás (logopeda)" }).click();
    // Said only once the grant is gone (the action's answer), and the list no longer offers it.
    await page.getByRole("status").filter({ hasText: "ya no puede ver tu práctica" }).waitFor();
    await expect.poll(() => sharing.getByRole("button").count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await context.close();

    const t = await newPage(app);
    await signIn(t.page, TOMAS, PASSWORD);
    expect((await t.page.request.get(mine)).status()).toBe(404);
    await t.page.goto("/caseload");
    await hydrated(t.page);
    expect(await t.page.locator("main .empty").count()).toBe(1);
    await t.context.close();
  });
});
