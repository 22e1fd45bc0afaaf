import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { confirmSignUpByEmail, startMailbox, type Mailbox } from "../mailbox";
import { axe, hydrated, newPage, startApp, type App } from "./harness";

// A new account's path through the feed: it picks topics with the keyboard, opens and saves a few
// cards, and its home feed and a card's "More like this" change towards them; Hide works from the
// keyboard; the privacy page lists and deletes what was recorded; axe finds nothing on the new pages.
let app: App;
let mailbox: Mailbox;
let page: Page;
const email = `feed-${Date.now()}@example.com`;
const password = "a long enough password";
const ids: Record<string, number> = {};
let toolWords: string[] = [];
let feedBefore: string[] = [];
let relatedBefore: string[] = [];
const SAVED = ["red apple", "hammer", "screwdriver", "wrench"];

/** Read-only look-ups in the app's database (ids of starter cards; what the log holds). */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const feedWords = () => page.locator("ul.feed-grid").first().locator(".feed-link .card-word").allTextContents();
const relatedWords = () => page.locator("section.related .card-word").allTextContents();
const focused = () =>
  page.evaluate(() => ({
    tag: document.activeElement?.tagName ?? "",
    id: document.activeElement?.id ?? "",
    text: document.activeElement?.textContent?.trim() ?? "",
    name: (document.activeElement as HTMLInputElement | null)?.value ?? "",
  }));

beforeAll(async () => {
  // New accounts are confirmed by an emailed link: a real local SMTP server receives it.
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
  ({ page } = await newPage(app));
  for (const r of query<{ id: number; title: string }>("SELECT id, title FROM pin WHERE lang = 'en'")) ids[r.title] = r.id;
  toolWords = query<{ title: string }>(
    "SELECT p.title FROM board_pin bp JOIN board b ON b.id = bp.board_id JOIN pin p ON p.id = bp.pin_id WHERE b.title = 'Tools'",
  ).map((r) => r.title);
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

describe("a new account's feed", () => {
  it("signs up and picks topics with the keyboard alone", async () => {
    await page.goto("/signup");
    await hydrated(page);
    await page.getByLabel(/^Display name/).fill("Rosa");
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await confirmSignUpByEmail(page, mailbox, email);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    // No history yet: the picker, and popular cards.
    await expect.poll(() => page.getByRole("heading", { name: "What would you like to see?" }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Popular cards" }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Your boards" }).count()).toBe(1);

    await page.locator("#picker-h").focus();
    let f = await focused();
    for (let i = 0; i < 40 && f.name !== "food-drink"; i++) {
      await page.keyboard.press("Tab");
      f = await focused();
    }
    expect(f).toMatchObject({ tag: "INPUT", name: "food-drink" });
    await page.keyboard.press("Space");
    expect(await page.getByRole("checkbox", { name: "Food and drink" }).isChecked()).toBe(true);
    for (let i = 0; i < 40 && f.text !== "Show my cards"; i++) {
      await page.keyboard.press("Tab");
      f = await focused();
    }
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "Cards about your topics" }).count()).toBe(1);
    await expect.poll(() => focused().then((x) => x.id)).toBe("feed"); // focus lands on the new cards' heading
    expect(await page.getByRole("heading", { name: "What would you like to see?" }).count()).toBe(0);
    expect(await page.locator(".chosen-topics").getByRole("link", { name: "Food and drink" }).count()).toBe(1);
    await expect.poll(() => page.getByText("Popular in Food and drink").count()).toBeGreaterThan(10);
    feedBefore = await feedWords();
    expect(feedBefore.filter((w) => toolWords.includes(w))).toEqual([]);
  });

  it("opens and saves a few cards; More like this changes with them", async () => {
    await page.goto("/boards/new");
    await page.getByLabel(/^Title/).fill("Fix and eat");
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);

    await page.goto(`/cards/${ids["red apple"]}`);
    await hydrated(page);
    relatedBefore = await relatedWords();
    expect(relatedBefore.length).toBeGreaterThan(6);
    expect(relatedBefore).not.toContain("hammer");

    for (const word of SAVED) {
      await page.goto(`/cards/${ids[word]}`);
      await hydrated(page);
      await page.getByRole("button", { name: "Save card" }).click();
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Saved to" }).textContent()).toBe("Saved to “Fix and eat”.");
    }
    await page.waitForTimeout(2_200); // the walk graph looks for new saves every 2 s
    await page.goto(`/cards/${ids["red apple"]}`);
    await hydrated(page);
    const relatedAfter = await relatedWords();
    // Cards saved together with the apple now come up beside it, and did not before.
    expect(relatedAfter).toEqual(expect.arrayContaining(["hammer", "screwdriver", "wrench"]));
    expect(relatedBefore.filter((w) => ["hammer", "screwdriver", "wrench"].includes(w))).toEqual([]);
    // Close-ups and saves were logged for this account (saves by the server, close-ups by the page).
    await expect
      .poll(() =>
        query<{ action: string; n: number }>(
          "SELECT e.action, count(*) AS n FROM engagement e JOIN user u ON u.id = e.user_id WHERE u.email = ? GROUP BY e.action",
          email,
        ),
      )
      .toEqual(
        expect.arrayContaining([
          { action: "save", n: 4 },
          expect.objectContaining({ action: "closeup" }),
          expect.objectContaining({ action: "impression" }),
        ]),
      );
  });

  it("turns the home feed towards those cards, saying why", async () => {
    await page.goto("/");
    await hydrated(page);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "For you" }).count()).toBe(1);
    const after = await feedWords();
    const newTools = after.slice(0, 12).filter((w) => toolWords.includes(w));
    expect(newTools.length).toBeGreaterThanOrEqual(3);
    expect(newTools.filter((w) => feedBefore.includes(w))).toEqual([]);
    for (const w of SAVED) expect(after).not.toContain(w); // already saved: not offered again
    // Both saves give reasons. The page is asked again while one is missing: the feed's exploration
    // share is a random draw, and the apple's neighbours compete with the tools' for the first places.
    const reasons = async () => {
      const why = await page.locator(".feed-why").allTextContents();
      return ["hammer", "red apple"].filter((w) => why.includes(`Because you saved ${w}`));
    };
    for (let i = 0; i < 5 && (await reasons()).length < 2; i++) {
      await page.reload();
      await hydrated(page);
    }
    expect(await reasons()).toEqual(["hammer", "red apple"]);
    // The word in the reason carries its own language.
    expect(await page.locator(".feed-why .why-word").first().getAttribute("lang")).toBe("en");
    // Following a card is logged as a click from the home feed, at its position.
    await page.locator(".feed-link").nth(2).click();
    await page.waitForURL(/\/cards\/\d+$/);
    const opened = Number(new URL(page.url()).pathname.split("/").pop());
    await expect
      .poll(() =>
        query<{ position: number }>("SELECT position FROM engagement WHERE action = 'click' AND surface = 'home' AND pin_id = ?", opened),
      )
      .toEqual([{ position: 2 }]);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === "/");
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "For you" }).count()).toBe(1);
  });

  it("hides a card with the keyboard: it goes, focus moves to the next card, and it stays gone", async () => {
    const before = await feedWords();
    const victim = before[0]!;
    await page.locator("#feed").focus();
    let f = await focused();
    for (let i = 0; i < 10 && !f.text.startsWith("Hide"); i++) {
      await page.keyboard.press("Tab");
      f = await focused();
    }
    expect(f.text).toBe(`Hide ${victim}`);
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".feed-section .feed-status").textContent())
      .toBe(`Hidden: ${victim}. You will see fewer cards like it.`);
    await expect.poll(() => feedWords().then((w) => w.includes(victim))).toBe(false);
    // Focus moved to the card now in its place (the feed re-ranks: cards like the hidden one sink).
    await expect.poll(async () => (await focused()).text === (await feedWords())[0]).toBe(true);
    expect((await focused()).tag).toBe("A");
    await page.reload();
    await hydrated(page);
    expect(await feedWords()).not.toContain(victim);
    expect(
      query<{ n: number }>(
        "SELECT count(*) AS n FROM engagement WHERE action = 'hide' AND surface = 'home' AND pin_id = ?",
        ids[victim] ?? -1,
      )[0]?.n ?? 1,
    ).toBe(1);

    // From a card's own page too.
    await page.goto(`/cards/${ids["shovel"]}`);
    await hydrated(page);
    await page.getByRole("button", { name: "Hide shovel" }).focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".card-hide .feed-status").textContent())
      .toBe("Hidden: shovel. You will see fewer cards like it.");
    // The message comes once the hide is recorded.
    expect(
      query<{ n: number }>(
        "SELECT count(*) AS n FROM engagement WHERE action = 'hide' AND surface = 'card' AND pin_id = ?",
        ids["shovel"],
      )[0]!.n,
    ).toBe(1);
    await page.goto("/");
    expect(await feedWords()).not.toContain("shovel");
  });

  it("answers bad or flooding event posts with a clear message, never an error page", async () => {
    const bad = await page.request.post("/api/engagement", { headers: { "Content-Type": "application/json" }, data: "{not json" });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: "This was not a list of events Tablero understands." });
    const wrong = await page.request.post("/api/engagement", { data: { events: [{ pinId: 999999, action: "click", surface: "home" }] } });
    expect(await wrong.json()).toEqual({ accepted: 0, refused: 1, limited: 0 });
    const flood = Array.from({ length: 100 }, () => ({ pinId: ids["hammer"], action: "impression", surface: "home" }));
    let limited = 0;
    for (let i = 0; i < 3; i++) {
      const r = await page.request.post("/api/engagement", { data: { events: flood } });
      if (r.status() === 429) {
        limited++;
        expect((await r.json()).error).toBe("Too many events. Please wait a few seconds.");
      }
    }
    expect(limited).toBeGreaterThan(0);
  });

  it("lists what was recorded on the privacy page and deletes it after a confirm step", async () => {
    // A search, so there is search history to delete too (issue 12, finding 8).
    await page.goto("/search?q=apple");
    const searches = () =>
      query<{ n: number }>(
        "SELECT count(*) AS n FROM search_log s JOIN user u ON s.session_key = 'u:' || u.id WHERE u.email = ?",
        email,
      )[0]!.n;
    // Logged by the background writer a moment after the page (issue 13: a GET writes nothing itself).
    await expect.poll(searches).toBeGreaterThan(0);
    await page.goto("/");
    await page.getByRole("contentinfo").getByRole("link", { name: "Privacy" }).click();
    await page.waitForURL(/\/privacy$/);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Your history, newest first" });
    // A client-side navigation: the URL can change a moment before the new page is drawn (a CI run saw no table yet).
    await expect.poll(() => table.getByRole("columnheader").allTextContents()).toEqual(["Date", "What you did", "Card", "Where"]);
    const saved = table
      .getByRole("row")
      .filter({ hasText: "Saved" })
      .filter({ has: page.getByRole("link", { name: "hammer", exact: true }) });
    expect(await saved.count()).toBe(1);
    expect(await saved.getByRole("cell").nth(3).textContent()).toBe("Card page");
    expect(await table.getByRole("row").filter({ hasText: "Hid" }).count()).toBe(2);

    await page.getByRole("link", { name: "Delete my history" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Delete everything?" }).count()).toBe(1);
    await page.getByRole("button", { name: "Yes, delete my history" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Your history is deleted." }).count()).toBe(1);
    expect(await page.getByText("Tablero remembers nothing about you.").count()).toBe(1);
    // Nothing comes back: not even events the earlier pages were still sending.
    await page.waitForTimeout(1_500);
    expect(
      query<{ n: number }>("SELECT count(*) AS n FROM engagement e JOIN user u ON u.id = e.user_id WHERE u.email = ?", email)[0]!.n,
    ).toBe(0);
    expect(
      query<{ n: number }>("SELECT count(*) AS n FROM user_cluster c JOIN user u ON u.id = c.user_id WHERE u.email = ?", email)[0]!.n,
    ).toBe(0);
    expect(
      query<{ n: number }>("SELECT count(*) AS n FROM user_ranking_cluster c JOIN user u ON u.id = c.user_id WHERE u.email = ?", email)[0]!
        .n,
    ).toBe(0);
    expect(searches()).toBe(0);
  });
});

describe("accessibility of the new pages", () => {
  it("has no axe violations on /, /privacy and a card page, signed in and as a visitor, in English and Spanish", async () => {
    const violations: string[] = [];
    const scan = async (p: Page, path: string, label: string) => {
      await p.goto(path);
      await hydrated(p);
      violations.push(...(await axe(p)).map((v) => `${label} ${path}: ${v}`));
    };
    const card = `/cards/${ids["red apple"]}`;
    for (const path of ["/", "/privacy", card, "/?topics"]) await scan(page, path, "signed in, en");
    await page.getByRole("button", { name: "Español" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "es");
    for (const path of ["/", "/privacy", card]) await scan(page, path, "signed in, es");
    expect(await page.getByRole("heading", { name: "Más como esta" }).count()).toBe(1);
    for (const locale of ["en-GB", "es-ES"]) {
      const { context, page: visitor } = await newPage(app, { locale });
      for (const path of ["/", "/privacy", card]) await scan(visitor, path, `visitor ${locale}`);
      if (locale === "es-ES") {
        await visitor.goto("/");
        expect(await visitor.getByRole("heading", { name: "¿Qué te gustaría ver?" }).count()).toBe(1);
        expect(await visitor.getByRole("heading", { name: "Más como esta" }).count()).toBe(0);
      }
      await context.close();
    }
    expect(violations).toEqual([]);
  });
});
