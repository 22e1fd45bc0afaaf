import Database from "better-sqlite3";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { armCommitFailure } from "../support/commit-trap";
import { axe, hydrated, newPage, signIn, startApp, type App } from "../e2e/harness";

// A save that did not commit never says "saved", and the form keeps what was typed; too long a title
// is refused with its limit instead of being cut. The commit failure is forced in the server's own
// SQLite file from this process (a deferred foreign key, see tests/support/commit-trap.ts).
let app: App;
let sqlite: Database.Database;

beforeAll(async () => {
  app = await startApp();
  sqlite = new Database(join(app.dataDir, "tablero.db"));
});
afterAll(async () => {
  sqlite?.close();
  await app?.stop();
});

async function chooseLanguage(page: Page, label: "English" | "Español") {
  await page.getByRole("button", { name: label }).click();
  await page.waitForFunction((lng) => document.documentElement.lang === lng, label === "English" ? "en" : "es");
}

const boardCount = () => (sqlite.prepare("SELECT count(*) AS n FROM board").get() as { n: number }).n;

describe("the new-board form", () => {
  it("says 'could not save' when the commit fails, keeps the input, and saves once the disk is back", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "ana@tablero.example", "tablero-demo");
    await page.goto("/boards/new");
    await hydrated(page);
    await page.getByLabel(/^Title/).fill("Kitchen words");
    await page.getByLabel(/^Description/).fill("Things we use when we cook together.");
    await page.getByRole("radio", { name: /^Private/ }).check({ force: true });
    const before = boardCount();
    const disarm = armCommitFailure(sqlite, "board");
    await page.getByRole("button", { name: "Create board" }).click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("Could not save — nothing was changed");
    expect(new URL(page.url()).pathname).toBe("/boards/new"); // no redirect to a board that does not exist
    expect(await page.getByText("Board created.").count()).toBe(0);
    expect(await page.getByLabel(/^Title/).inputValue()).toBe("Kitchen words");
    expect(await page.getByLabel(/^Description/).inputValue()).toBe("Things we use when we cook together.");
    expect(await page.getByRole("radio", { name: /^Private/ }).isChecked()).toBe(true);
    expect(boardCount()).toBe(before);
    expect(await axe(page)).toEqual([]);

    disarm();
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Kitchen words");
    expect(boardCount()).toBe(before + 1);
    await context.close();
  });

  for (const lang of ["English", "Español"] as const) {
    it(`refuses an 81-character title with its limit and keeps every character (${lang}), axe clean`, async () => {
      const { context, page } = await newPage(app);
      await signIn(page, "ana@tablero.example", "tablero-demo");
      await page.goto("/boards/new");
      await hydrated(page);
      await chooseLanguage(page, lang);
      const title = "Palabras de la cocina para practicar con papá después de comer, todos los días!!".padEnd(81, "!");
      expect([...title].length).toBe(81);
      const field = page.getByLabel(lang === "English" ? /^Title/ : /^Título/);
      // The limit is said beside the field, before anyone types.
      const hint = lang === "English" ? "At most 80 characters." : "Como máximo 80 caracteres.";
      const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
      const described = await Promise.all(
        describedBy
          .split(" ")
          .filter(Boolean)
          .map((id) => page.locator(`[id="${id}"]`).textContent()),
      );
      expect(described.join(" ")).toContain(hint);
      await field.fill(title);
      expect(await field.inputValue()).toBe(title); // the browser does not cut it either
      const before = boardCount();
      await page.getByRole("button", { name: lang === "English" ? "Create board" : "Crear tablero" }).click();
      const message =
        lang === "English"
          ? "This is too long: at most 80 characters (this has 81)."
          : "Es demasiado largo: como máximo 80 caracteres (tiene 81).";
      await expect.poll(() => page.getByRole("alert").textContent()).toContain(message);
      expect(await field.inputValue()).toBe(title);
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(boardCount()).toBe(before);
      expect(await axe(page)).toEqual([]);
      await chooseLanguage(page, "English"); // Ana's account language back as it was
      await context.close();
    });
  }
});

describe("other forms say what they refuse", () => {
  for (const lang of ["English", "Español"] as const) {
    it(`the practice-sharing form shows words, not raw keys (${lang}), axe clean`, async () => {
      const { context, page } = await newPage(app);
      await signIn(page, "ana@tablero.example", "tablero-demo");
      await page.goto("/practice");
      await hydrated(page);
      await chooseLanguage(page, lang);
      await page.getByRole("button", { name: lang === "English" ? "Invite" : "Invitar" }).click();
      const alert = page.getByRole("alert");
      await expect.poll(() => alert.textContent()).toContain(lang === "English" ? "Please fill this in." : "Rellena este campo");
      const text = (await alert.textContent()) ?? "";
      expect(text).not.toMatch(/form\.fixErrors|errors\.required|grants\.email/);
      expect(await axe(page)).toEqual([]);
      await chooseLanguage(page, "English");
      await context.close();
    });
  }

  it("a 10,000-character workshop title is refused with its limit and kept whole", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "ana@tablero.example", "tablero-demo");
    await page.goto("/workshops/new");
    await hydrated(page);
    const title = "Grupo de palabras ".repeat(600).slice(0, 10_000);
    const field = page.getByLabel(/^Title/);
    await field.fill(title);
    await page.getByRole("button", { name: "Create workshop" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("at most 100 characters (this has 10000)");
    expect(new URL(page.url()).pathname).toBe("/workshops/new");
    expect((await field.inputValue()).length).toBe(10_000);
    await context.close();
  });
});

describe("error pages by status", () => {
  it("a delete whose commit fails shows 'Could not save', not the 500 page, and the board is still there", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "ana@tablero.example", "tablero-demo");
    const board = sqlite
      .prepare("SELECT b.id FROM board b JOIN user u ON u.id = b.owner_id WHERE u.email = 'ana@tablero.example' LIMIT 1")
      .get() as { id: number };
    await page.goto(`/boards/${board.id}/edit`);
    await hydrated(page);
    page.on("dialog", (d) => void d.accept());
    const disarm = armCommitFailure(sqlite, "board", "DELETE");
    try {
      await page.getByRole("button", { name: "Delete board" }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Could not save");
      expect(await page.locator(".error-page").textContent()).toContain("nothing was changed");
      expect(await page.locator(".error-page").textContent()).not.toContain("Nothing you saved was lost");
      expect(sqlite.prepare("SELECT count(*) AS n FROM board WHERE id = ?").get(board.id)).toEqual({ n: 1 });
      expect(await axe(page)).toEqual([]);
    } finally {
      disarm();
    }
    await context.close();
  });

  it("a malformed post gets the 400 page, not the 500 page", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "ana@tablero.example", "tablero-demo");
    await page.goto("/practice");
    await hydrated(page);
    // A plain document POST (as without JavaScript) with a missing id.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/practice") && r.request().method() === "POST"),
      page.evaluate(() => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/practice";
        form.innerHTML = '<input name="intent" value="revoke"><input name="granteeId" value="nope">';
        document.body.append(form);
        HTMLFormElement.prototype.submit.call(form);
      }),
    ]);
    expect(response.status()).toBe(400);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("This request could not be understood");
    expect(await page.title()).toBe("This request could not be understood — Tablero");
    await context.close();
  });
});
