// Sharing that means what it says (issue 12, finding 5), in the browser: an unlisted board's share link
// is shown to its owner, copied and renewed by keyboard, axe-clean in English and Spanish; a visitor
// with only the id gets a 404, with the link the board.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axe, hydrated, newPage, signIn, startApp, type App } from "../e2e/harness";

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.stop();
});

/** Makes an unlisted board through the form, by keyboard only after the title; returns its path. */
async function makeUnlistedBoard(page: Page, title: string, es: boolean): Promise<string> {
  await page.goto("/boards/new");
  await hydrated(page);
  await page.getByLabel(es ? /^Título/ : /^Title/).fill(title);
  await page.getByRole("radio", { name: es ? "Español" : "English" }).check({ force: true });
  await page.getByRole("radio", { name: es ? /^No listado/ : /^Unlisted/ }).check({ force: true });
  await page.getByRole("button", { name: es ? /Crear tablero/ : /Create board/ }).press("Enter");
  await page.waitForURL(/\/boards\/\d+/);
  return new URL(page.url()).pathname;
}

async function shareUrl(page: Page, es: boolean): Promise<string> {
  return page.getByLabel(es ? "Enlace a este tablero" : "Link to this board").inputValue();
}

describe("the share link of an unlisted board", () => {
  it("is shown to the owner, copied and renewed by keyboard, and opens the board for a visitor (en)", async () => {
    const { context, page } = await newPage(app);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    await signIn(page, "ana@tablero.example", "tablero-demo");
    const path = await makeUnlistedBoard(page, "Our family", false);
    await hydrated(page);
    await page.getByRole("heading", { name: "Share link" }).waitFor();
    expect(await axe(page)).toEqual([]);

    const first = await shareUrl(page, false);
    expect(first).toMatch(new RegExp(`${path}\\?key=[0-9a-f]{32}$`));

    // Keyboard: Tab from the link field reaches Copy, then "Make a new link".
    await page.getByLabel("Link to this board").focus();
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Copy link");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Link copied." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Make a new link");
    await page.keyboard.press("Enter");
    await page.getByText("New link made. The old link no longer works.").waitFor();
    await expect.poll(() => shareUrl(page, false), { timeout: 5000 }).not.toBe(first);
    const second = await shareUrl(page, false);
    expect(await axe(page)).toEqual([]);

    // A visitor: the id alone is a 404, the old link too; the new link opens the board.
    const visitor = await newPage(app);
    expect((await visitor.page.goto(path))?.status()).toBe(404);
    expect((await visitor.page.goto(first))?.status()).toBe(404);
    expect((await visitor.page.goto(second))?.status()).toBe(200);
    await visitor.page.getByRole("heading", { level: 1, name: "Our family" }).waitFor();
    // The visitor sees no share controls, and nothing on the page names the owner's profile (she has no public board).
    expect(await visitor.page.getByRole("heading", { name: "Share link" }).count()).toBe(0);
    expect(await visitor.page.locator('a[href^="/u/"]').count()).toBe(0);
    // Profiles exist only for people with public content: Ana has a private and an unlisted board.
    const file = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const id = (email: string) => (file.prepare("SELECT id FROM user WHERE email = ?").get(email) as { id: number }).id;
    expect((await visitor.page.goto(`/u/${id("ana@tablero.example")}`))?.status()).toBe(404);
    expect((await visitor.page.goto(`/u/${id("maria@tablero.example")}`))?.status()).toBe(200);
    file.close();
    await visitor.context.close();
    await context.close();
  });

  it("is axe-clean and translated in Spanish", async () => {
    const { context, page } = await newPage(app, { locale: "es-ES" });
    await signIn(page, "maria@tablero.example", "tablero-demo");
    await makeUnlistedBoard(page, "Mi familia", true);
    await hydrated(page);
    await page.getByRole("heading", { name: "Enlace para compartir" }).waitFor();
    expect(await shareUrl(page, true)).toMatch(/\?key=[0-9a-f]{32}$/);
    await page.getByRole("button", { name: "Crear un enlace nuevo" }).press("Enter");
    await page.getByText("Enlace nuevo creado. El anterior ya no funciona.").waitFor();
    expect(await axe(page)).toEqual([]);
    await context.close();
  });
});
