import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// Searching as a person would: one vague word in the header box, the chips, the filters, the
// no-results page, the JSON endpoint, and a creator's bulk import with its progress.
let app: App;
let page: Page;
beforeAll(async () => {
  app = await startApp();
  ({ page } = await newPage(app));
});
afterAll(async () => app?.stop());

describe("search", () => {
  it("finds aphasia boards from the header search box, with related searches as chips", async () => {
    await page.goto("/");
    await hydrated(page);
    const box = page.getByRole("search").first().getByRole("searchbox");
    await box.fill("aphasia");
    await box.press("Enter");
    // The server's first search loads the encoder and the dictionaries (~1.4 s alone; more on a busy
    // machine with another browser test running beside this one).
    await page.waitForURL(/\/search\?q=aphasia/, { timeout: 30_000 });
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Results for “aphasia”");
    const boards = page.getByRole("region", { name: "Boards" });
    const firstTwo = await boards.getByRole("link").evaluateAll((links) => links.slice(0, 2).map((l) => l.textContent));
    expect(firstTwo).toContain("Aphasia naming practice: everyday things");
    const chips = page.getByRole("navigation", { name: "Related searches" }).getByRole("link");
    const count = await chips.count();
    expect(count).toBeGreaterThanOrEqual(4);
    expect(count).toBeLessThanOrEqual(8);
    await chips.filter({ hasText: "Aphasia exercises" }).click();
    await page.waitForURL(/q=Aphasia%20exercises/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Results for “Aphasia exercises”");
    expect(await axe(page)).toEqual([]);
  });

  it("answers a Spanish word in either language, filtered to Spanish cards when asked", async () => {
    await page.goto("/search?q=manzana");
    const words = await page.locator(".card-word").allTextContents();
    expect(words.slice(0, 3)).toContain("manzana roja");
    await page.getByRole("combobox", { name: "Language" }).selectOption("es");
    await page.getByRole("combobox", { name: "Show" }).selectOption("cards");
    await page.getByRole("main").getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/lang=es/);
    await expect.poll(() => page.getByRole("region", { name: "Boards" }).count()).toBe(0);
    const langs = await page.locator(".card-word").evaluateAll((els) => els.map((e) => e.getAttribute("lang")));
    expect(langs.length).toBeGreaterThan(0);
    expect(new Set(langs)).toEqual(new Set(["es"]));
  });

  it("offers suggestions when nothing matches, and explains a bad filter", async () => {
    await page.goto("/search?q=qwertyzz");
    expect(await page.getByText("No boards or cards match “qwertyzz”.").count()).toBe(1);
    expect(await page.getByRole("navigation", { name: "Try one of these searches" }).getByRole("link").count()).toBeGreaterThanOrEqual(4);
    const res = await page.goto("/search?q=food&lang=it");
    expect(res?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toBe("Unknown language. Choose English, Spanish, French, German or Arabic.");
    expect(await page.getByRole("searchbox", { name: "Search boards and cards" }).last().inputValue()).toBe("food");
  });

  it("refuses a search over 200 characters with a message, keeping the text to shorten", async () => {
    const long = "apple ".repeat(50).trim(); // 299 characters
    const res = await page.goto(`/search?q=${encodeURIComponent(long)}`);
    expect(res?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toBe("This search is too long. Please use 200 characters or fewer.");
    // The heading does not repeat a search it did not run.
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Search boards and cards");
    const box = page.locator("#search-q");
    expect(await box.inputValue()).toBe(long);
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    // Focus is on the box, which is marked (red border) and described by the message beside it.
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await box.evaluate((el) => getComputedStyle(el).borderTopColor)).not.toBe(
      await page.locator("#search-lang").evaluate((el) => getComputedStyle(el).borderTopColor),
    );
    expect(await box.getAttribute("maxlength")).toBe("200");
    expect(await axe(page)).toEqual([]);
    // Typing stops at the limit; exactly 200 is searched.
    await box.fill("");
    await box.pressSequentially("b".repeat(205), { delay: 0 });
    expect((await box.inputValue()).length).toBe(200);
    expect((await page.goto(`/search?q=${"b".repeat(200)}`))?.status()).toBe(200);
    const api = await page.request.get(`/api/search?q=${"x".repeat(201)}`);
    expect(api.status()).toBe(400);
    expect(await api.json()).toEqual({
      code: "search.errors.tooLong",
      error: "This search is too long. Please use 200 characters or fewer.",
    });
  });

  it("serves the same search as JSON, with each result's generators", async () => {
    const res = await page.request.get("/api/search?q=afasia&lang=es&limit=5");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.query.lang).toBe("es");
    expect(body.query.expansions).toContain("Ejercicios para la afasia");
    expect(body.boards[0].title).toMatch(/afasia|aphasia/i);
    expect(body.cards.length).toBeLessThanOrEqual(5);
    for (const c of body.cards) expect(c.sources.length).toBeGreaterThan(0);
    for (const bad of ["/api/search?q=x&lang=zz", "/api/search?q=x&limit=0", "/api/search?q=x&kind=pins"]) {
      const r = await page.request.get(bad);
      expect(r.status()).toBe(400);
      expect((await r.json()).error).toMatch(/\w/);
    }
    const empty = await page.request.get("/api/search?q=%20%20");
    expect((await empty.json()).cards).toEqual([]);
  });

  it("shows a card's topics, each linking to a page of boards on that topic", async () => {
    await page.goto("/search?q=apple&kind=cards");
    await page.getByRole("row", { name: "red apple" }).click();
    await page.waitForURL(/\/cards\/\d+$/);
    const topics = page.getByRole("region", { name: "Topics" }).getByRole("link");
    await expect.poll(() => topics.count()).toBeGreaterThan(0);
    await topics.first().click();
    await page.waitForURL(/\/interests\//);
    await expect.poll(() => page.getByRole("heading", { name: "Best boards on this topic" }).count()).toBe(1);
  });
});

describe("bulk import", () => {
  it("imports a CSV with a bad line, shows progress and the line that failed, and resumes", async () => {
    await signIn(page, "ana@tablero.example", "tablero-demo"); // Ana's account is in English
    const csv = join(app.dataDir, "cards.csv");
    const rows = ["id,title,text,lang,board"];
    for (let i = 0; i < 40; i++) rows.push(`w${i},palabra${i},"texto, con coma ${i}",es,Taller importado`);
    rows.splice(5, 0, "broken,row"); // line 6: wrong number of columns
    writeFileSync(csv, rows.join("\n"));
    await page.goto("/import");
    await hydrated(page);
    await page.getByLabel(/^File/).setInputFiles(csv);
    await page.getByRole("button", { name: "Import" }).click();
    await page.waitForURL(/\/import\?job=/);
    await expect.poll(() => page.locator("progress").count()).toBe(1);
    await expect
      .poll(() => page.getByRole("status").textContent(), { timeout: 60_000 })
      .toMatch(/^Done: 40 new cards, 0 already there, 1 lines? skipped/);
    expect(await page.getByText("Line 6: This row has a different number of columns from the header.").count()).toBe(1);
    await page.getByRole("link", { name: "Open the board “Taller importado”" }).click(); // named by its title, not its number
    await page.waitForURL(/\/boards\/\d+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Taller importado");
    await expect.poll(() => page.getByRole("row").count()).toBe(40);
    // The same file again adds nothing.
    await page.goto("/import");
    await page.getByLabel(/^File/).setInputFiles(csv);
    await page.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => page.getByRole("status").textContent(), { timeout: 60_000 }).toMatch(/^Done: 0 new cards, 40 already there/);
  });
});
