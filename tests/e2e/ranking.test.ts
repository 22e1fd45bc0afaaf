import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hydrated, newPage, startApp, type App } from "./harness";

// What a searcher does in the browser becomes training data: the page's list is logged with its
// features, and the impressions, the click and the close-up the page sends join that list.
let app: App;
let page: Page;
beforeAll(async () => {
  app = await startApp();
  ({ page } = await newPage(app));
});
afterAll(async () => app?.stop());

const query = <T>(sql: string, ...args: unknown[]): T[] => {
  const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
};

describe("learning from what searchers do", () => {
  it("logs the served search list and joins the impressions, the click and the close-up to it", async () => {
    await page.goto("/search?q=apple");
    await hydrated(page);
    const cards = page.getByRole("region", { name: "Cards" });
    const first = cards.getByRole("row").first();
    const word = (await first.textContent())?.trim() ?? "";
    expect(word.length).toBeGreaterThan(0);
    // The served list is written within a moment of the page (batched, off the request).
    await expect
      .poll(() => query<{ n: number }>("SELECT count(*) AS n FROM served_list WHERE surface = 'search' AND query = 'apple'")[0]!.n, {
        timeout: 5000,
      })
      .toBe(1);
    const [list] = query<{ id: string; ranker: string; items: number }>(
      "SELECT l.request_id AS id, l.ranker AS ranker, (SELECT count(*) FROM served_item i WHERE i.request_id = l.request_id) AS items FROM served_list l WHERE query = 'apple'",
    );
    expect(list!.ranker).toBe("fusion@1"); // no model trained yet: today's fusion order
    expect(list!.items).toBeGreaterThan(0);
    // Open the first card from the keyboard, as a screen-reader or switch user would.
    await first.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/cards\/\d+/);
    await hydrated(page);
    // Leaving the page sends what is queued (sendBeacon); give the server's queue its flush.
    await page.goto("/about");
    await expect
      .poll(
        () =>
          query<{ action: string }>("SELECT DISTINCT action FROM engagement WHERE request_id = ? ORDER BY action", list!.id).map(
            (r) => r.action,
          ),
        { timeout: 8000 },
      )
      .toEqual(["click", "closeup", "impression"]);
  });
});
