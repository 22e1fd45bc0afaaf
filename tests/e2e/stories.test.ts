import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { confirmSignUpByEmail, startMailbox, type Mailbox } from "../mailbox";
import { axe, hydrated, newPage, startApp, type App } from "./harness";

// A learner makes a two-page Story Pin about a board of their own (stories only on your own boards:
// issue 12, finding 6), reads it with the
// keyboard, finds it by search; anyone prints a board's cards as a PDF. axe on every new page, en and es.
let app: App;
let mailbox: Mailbox;
let page: Page;
let storyUrl = "";
const ABOUT = "/boards/1"; // María's first starter board (public, with cards), for printing
let mine = ""; // the learner's own board, which the story is about
const SHOTS = process.env.STORIES_SHOTS; // a folder to save screenshots in, when set

beforeAll(async () => {
  // New accounts are confirmed by an emailed link: a real local SMTP server receives it.
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
  ({ page } = await newPage(app));
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

async function picture(name: string, color: string) {
  const path = join(app.dataDir, name);
  writeFileSync(
    path,
    await sharp({ create: { width: 480, height: 360, channels: 3, background: color } })
      .png()
      .toBuffer(),
  );
  return path;
}
const shot = async (name: string) => SHOTS && page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const violations = async (p: Page, label: string) => (await axe(p)).map((v) => `${label}: ${v}`);

describe("Story Pins", () => {
  it("a learner signs up and makes a board to keep stories on", async () => {
    await page.goto("/signup");
    await hydrated(page);
    await page.getByLabel(/^Display name/).fill("Luis");
    const email = `luis-${Date.now()}@example.com`;
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel(/^Password/).fill("a long enough password");
    await page.getByRole("checkbox", { name: "Learner" }).check({ force: true });
    await page.getByRole("button", { name: "Create account" }).click();
    await confirmSignUpByEmail(page, mailbox, email);
    await page.waitForURL((u) => u.pathname === "/");
    await page.goto("/boards/new");
    await hydrated(page);
    await page.getByLabel(/^Title/).fill("My stories");
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    mine = new URL(page.url()).pathname;
  });

  it("makes a two-page story about a board; a missing alt text keeps both pictures and all the words", async () => {
    // Someone else's board offers no "Make a Story Pin"; one's own does.
    await page.goto(ABOUT);
    await hydrated(page);
    expect(await page.getByRole("link", { name: "Make a Story Pin" }).count()).toBe(0);
    await page.goto(mine);
    await hydrated(page);
    const aboutTitle = (await page.getByRole("heading", { level: 1 }).textContent())!;
    await page.getByRole("link", { name: "Make a Story Pin" }).click();
    await page.waitForURL((u) => u.pathname === "/stories/new" && u.search === `?board=${mine.split("/")[2]}`);
    await hydrated(page);
    expect(await page.getByLabel("Board the story is about").inputValue()).toBe(mine.split("/")[2]);
    expect(await page.locator("#field-about option:checked").textContent()).toBe(aboutTitle);
    await page.getByLabel(/^Title of the story/).fill("Lunch with Grandma");

    const page1 = page.getByRole("group", { name: "Page 1", exact: true });
    await page1
      .getByLabel(/^Picture/)
      .first()
      .setInputFiles(await picture("soup.png", "#dd7722"));
    await page1.getByLabel(/^Picture description/).fill("A pot of orange carrot soup");
    await page1.getByLabel("Text on this page").fill("We cook carrot soup together.");
    await page.getByRole("button", { name: "Add a page" }).click();
    const page2 = page.getByRole("group", { name: "Page 2", exact: true });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toMatch(/^field-image-p2$/); // focus on the new page
    await page2
      .getByLabel(/^Picture/)
      .first()
      .setInputFiles(await picture("table.png", "#2255aa"));
    await page2.getByLabel("Text on this page").fill("Grandma smiles at the warm bowl.");
    await shot("story-editor");
    // Reorder with the buttons: focus stays on the moved page's button, the move is announced.
    const status = page.locator(".story-pages [role=status]");
    await page2.getByRole("button", { name: "Move up" }).click();
    await expect.poll(() => status.textContent()).toBe("The page is now page 1 of 2.");
    expect(await page1.getByLabel("Text on this page").inputValue()).toBe("Grandma smiles at the warm bowl.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("up-p2");
    await page1.getByRole("button", { name: "Move down" }).click();
    await expect.poll(() => page1.getByLabel("Text on this page").inputValue()).toBe("We cook carrot soup together.");
    // A third page, removed again.
    await page.getByRole("button", { name: "Add a page" }).click();
    await page.getByRole("group", { name: "Page 3", exact: true }).getByRole("button", { name: "Remove page" }).click();
    await expect.poll(() => status.textContent()).toBe("Page removed. 2 pages left.");
    expect(await page.getByRole("group", { name: "Page 3", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Save story" }).click();

    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("Page 2, Picture description (alt text): Please fill this in.");
    expect(await page2.getByLabel(/^Picture description/).getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-alt-p2");
    // Nothing lost: both pictures are kept by the server, every word is still there.
    expect(await page.getByText("The picture you chose is kept.").count()).toBe(2);
    expect(await page1.getByLabel(/^Picture description/).inputValue()).toBe("A pot of orange carrot soup");
    expect(await page2.getByLabel("Text on this page").inputValue()).toBe("Grandma smiles at the warm bowl.");
    expect(await page.getByLabel(/^Title of the story/).inputValue()).toBe("Lunch with Grandma");
    expect(await violations(page, "/stories/new (errors)")).toEqual([]);
    await shot("story-editor-errors");

    await page2.getByLabel(/^Picture description/).fill("Grandma at the table with a bowl");
    await page.getByRole("button", { name: "Save story" }).click();
    await page.waitForURL(/\/cards\/\d+$/);
    storyUrl = new URL(page.url()).pathname;
  });

  it("shows the story one page at a time, turned with the arrow keys", async () => {
    await hydrated(page);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Lunch with Grandma");
    const count = page.locator(".story-count[aria-live]");
    await expect.poll(() => count.textContent()).toBe("Page 1 of 2");
    expect(await page.getByRole("img", { name: "A pot of orange carrot soup" }).count()).toBe(1);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => count.textContent()).toBe("Page 2 of 2");
    expect(await page.getByRole("img", { name: "Grandma at the table with a bowl" }).count()).toBe(1);
    expect(await page.getByText("Grandma smiles at the warm bowl.").getAttribute("lang")).toBe("en");
    await shot("story-viewer");
    await page.keyboard.press("ArrowRight"); // the last page stays
    await expect.poll(() => count.textContent()).toBe("Page 2 of 2");
    await page.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(() => count.textContent()).toBe("Page 1 of 2");
    expect(await page.getByRole("button", { name: "Read this page aloud" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Edit card" }).getAttribute("href")).toBe(
      `/stories${storyUrl.slice("/cards".length)}/edit`,
    );
    expect(await violations(page, storyUrl)).toEqual([]);
  });

  it("shows every page as a list without JavaScript", async () => {
    const context = await app.browser.newContext({ baseURL: app.url, javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(storyUrl);
    const list = noJs.getByRole("region", { name: "Story" }).getByRole("listitem");
    expect(await list.count()).toBe(2);
    expect(await list.nth(1).getByRole("img", { name: "Grandma at the table with a bowl" }).count()).toBe(1);
    expect(await list.nth(1).textContent()).toContain("Page 2 of 2");
    await context.close();
  });

  it("is listed on the board it is about, and search finds it by a page's words", async () => {
    await page.goto(mine);
    await hydrated(page);
    const section = page.getByRole("region", { name: "Stories about this board" });
    await section.getByRole("link", { name: "Lunch with Grandma" }).waitFor();
    expect(await section.getByText("2 pages").count()).toBe(1);
    await section.scrollIntoViewIfNeeded();
    await shot("board-stories");
    await page.goto("/search?q=grandma%20smiles");
    await hydrated(page);
    await page.getByRole("row", { name: "Lunch with Grandma" }).click();
    await page.waitForURL((u) => u.pathname === storyUrl);
  });

  it("passes axe on the new pages in English and Spanish", async () => {
    const found: string[] = [];
    for (const lng of ["en", "es"] as const) {
      await page.goto("/about");
      await hydrated(page);
      await page.getByRole("button", { name: lng === "en" ? "English" : "Español" }).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lng);
      for (const path of [
        `/stories/new?board=${mine.split("/")[2]}`,
        mine,
        storyUrl,
        `${storyUrl.replace("/cards", "/stories")}/edit`,
        ABOUT,
        `${ABOUT}/print`,
        `${ABOUT}/print?per=5&paper=a3`,
      ]) {
        await page.goto(path);
        await hydrated(page);
        found.push(...(await violations(page, `${lng} ${path}`)));
      }
      if (lng === "es") expect(await page.getByRole("alert").textContent()).toContain("Elige 4, 6 o 9 tarjetas por página.");
    }
    expect(found).toEqual([]);
    await page.goto("/about");
    await hydrated(page);
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
  });
});

describe("printable cards", () => {
  it("downloads a PDF of the board's cards from the print page", async () => {
    await page.goto(`${ABOUT}/print`);
    await hydrated(page);
    await page.getByRole("radio", { name: "9 small cards" }).check({ force: true });
    await page.getByRole("radio", { name: "Español" }).check({ force: true });
    await shot("print-page");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download PDF" }).click()]);
    expect(download.url()).toMatch(/\/boards\/1\/print\.pdf\?per=9&paper=(a4|letter)&second=es$/);
    const path = join(app.dataDir, "cards.pdf");
    await download.saveAs(path);
    const pdf = readFileSync(path);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    if (SHOTS) writeFileSync(join(SHOTS, "cards.pdf"), pdf);
    const res = await page.request.get(`${ABOUT}/print.pdf?per=4&paper=letter&second=none`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="tablero-board-1-4-letter\.pdf"$/);
  });

  it("explains bad parameters and an empty board on the print page, and keeps a private board a 404", async () => {
    await page.goto(`${ABOUT}/print.pdf?per=5&paper=a4`);
    await page.waitForURL((u) => u.pathname === `${ABOUT}/print`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Please choose 4, 6 or 9 cards on each page.");
    await page.goto("/boards/new");
    await hydrated(page);
    await page.getByLabel(/^Title/).fill("Nothing yet");
    await page.getByRole("radio", { name: /^Private/ }).check({ force: true });
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    const empty = new URL(page.url()).pathname;
    await page.goto(`${empty}/print.pdf?per=4&paper=a4`);
    await page.waitForURL((u) => u.pathname === `${empty}/print`);
    expect(await page.getByText("This board has no cards yet, so there is nothing to print.").count()).toBe(1);
    const { context, page: visitor } = await newPage(app);
    expect((await visitor.request.get(`${empty}/print.pdf?per=4&paper=a4`)).status()).toBe(404);
    expect((await visitor.goto(`${empty}/print`))?.status()).toBe(404);
    await context.close();
  });
});
