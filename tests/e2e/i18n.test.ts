import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { hydrated, newPage, signIn, startApp, type App } from "./harness";

// Five interface languages, Arabic right to left, and a phone at 200 % text (issue 15): every main
// page in Arabic is mirrored, and no page scrolls sideways in any language at 200 % on 390 px.
let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.stop());

const LANGS = ["en", "es", "fr", "de", "ar"] as const;
const VISITOR_PAGES = [
  "/",
  "/about",
  "/login",
  "/signup",
  "/settings",
  "/boards/1",
  "/cards/1",
  "/u/1",
  "/search?q=food",
  "/interests/food",
];
// María (the demo creator) owns board 1.
const CREATOR_PAGES = ["/", "/boards/new", "/boards/1/arrange", "/boards/1/cards/new", "/import", "/workshops", "/practice", "/settings"];
const AUTONYM: Record<(typeof LANGS)[number], string> = { en: "English", es: "Español", fr: "Français", de: "Deutsch", ar: "العربية" };

async function visit(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** How far the page reaches past the screen's edge (0: nothing to scroll sideways). */
const sideways = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);

/** A phone (390 px wide) with the 200 % text setting, in `lng`: the visitor's cookies, as the settings and the switcher set them. */
async function phoneAt200(lng: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.url, viewport: { width: 390, height: 800 }, locale: "en-GB" });
  // Generous: the first search on a fresh server loads the encoder, and CI runs two browser files at
  // once on two cores (a 10 s limit failed once under load). Page speed is measured in bench:http.
  context.setDefaultTimeout(30_000);
  const prefs = { textSize: 200, highContrast: false, reducedMotion: false, speechRate: 0.9 };
  await context.addCookies([
    { name: "tablero_lng", value: lng, url: app.url },
    { name: "tablero_a11y", value: encodeURIComponent(JSON.stringify(prefs)), url: app.url },
  ]);
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return { context, page };
}

/** The header's layout in the reading direction: where its first item (the name) sits, and the main heading. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const r = (q: string) => document.querySelector(q)!.getBoundingClientRect();
    const main = document.querySelector("main")!;
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      width: document.documentElement.clientWidth,
      brand: { left: r(".brand").left, right: r(".brand").right },
      nav: { left: r(".nav-list li").left, right: r(".nav-list li").right },
      // Where the main heading's text begins and ends, and its own box: in Arabic the text hugs the box's right.
      h1: (() => {
        const h1 = document.querySelector("main h1");
        if (!h1) return null;
        const range = document.createRange();
        range.selectNodeContents(h1);
        const rects = [...range.getClientRects()];
        const box = h1.getBoundingClientRect();
        return {
          textRight: Math.max(...rects.map((x) => x.right)),
          boxRight: box.right - parseFloat(getComputedStyle(h1).paddingInlineEnd),
        };
      })(),
      textAlign: getComputedStyle(document.querySelector("main h1") ?? main).textAlign,
    };
  });

describe("Arabic, right to left", () => {
  it("every main page is rtl and mirrored: the header starts at the right edge, headings align right, nothing overflows", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "maria@tablero.example", "tablero-demo");
    // The switcher names each language in its own language, so this works whatever the page's language.
    await visit(page, "/about");
    await page.getByRole("button", { name: AUTONYM.ar }).click();
    await page.waitForFunction(() => document.documentElement.lang === "ar");
    const wrong: string[] = [];
    const check = async (path: string) => {
      await visit(page, path);
      const l = await layout(page);
      if (l.lang !== "ar" || l.dir !== "rtl") wrong.push(`${path}: lang=${l.lang} dir=${l.dir}`);
      if (l.brand.right < l.width - 40) wrong.push(`${path}: the name is not at the right edge (${l.brand.right} of ${l.width})`);
      if (!(l.nav.right < l.brand.left)) wrong.push(`${path}: the first link is not left of the name`);
      if (l.h1 && Math.abs(l.h1.textRight - l.h1.boxRight) > 2) wrong.push(`${path}: the heading does not start at the right`);
      if ((await sideways(page)) > 0) wrong.push(`${path}: scrolls sideways`);
    };
    for (const path of CREATOR_PAGES) await check(path);
    await page.locator("header form[action='/logout'] button").click();
    await page.waitForURL((u) => u.pathname === "/");
    for (const path of VISITOR_PAGES) await check(path);
    expect(wrong).toEqual([]);
    await context.close();
  });

  it("the board grid's arrow keys follow the reading direction: ← goes to the next card", async () => {
    const { context, page } = await newPage(app);
    await context.addCookies([{ name: "tablero_lng", value: "ar", url: app.url }]);
    await visit(page, "/boards/1");
    const first = page.getByRole("row").first();
    await first.focus();
    const word = () => page.evaluate(() => document.activeElement?.textContent);
    const start = await word();
    await page.keyboard.press("ArrowLeft");
    expect(await word()).toBe("egg");
    // The second card sits to the left of the first.
    const [a, b] = await page.getByRole("row").evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getBoundingClientRect().left));
    expect(b!).toBeLessThan(a!);
    await page.keyboard.press("ArrowRight");
    expect(await word()).toBe(start);
    await context.close();
  });

  it("content in another language runs its own way: Arabic words in the French interface are rtl, English ones in Arabic ltr", async () => {
    const { context, page } = await newPage(app);
    await context.addCookies([{ name: "tablero_lng", value: "fr", url: app.url }]);
    await visit(page, "/search?q=" + encodeURIComponent("خبز") + "&lang=ar");
    const word = page.locator('.card-word[lang="ar"]').first();
    expect(await word.getAttribute("dir")).toBe("rtl");
    // The card itself: its word, its hint and everything else marked Arabic.
    await word.click();
    await page.waitForURL((u) => u.pathname.startsWith("/cards/"));
    await hydrated(page);
    // (A picture's alt text is not laid out: pictures carry lang only.)
    const marked = await page
      .locator('main [lang="ar"]:not(img)')
      .evaluateAll((els) => els.map((e) => `${e.tagName} dir=${e.getAttribute("dir")}`));
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.filter((m) => !m.endsWith("dir=rtl"))).toEqual([]);
    await context.addCookies([{ name: "tablero_lng", value: "ar", url: app.url }]);
    await visit(page, "/boards/1");
    expect(await page.locator('.card-word[lang="en"]').first().getAttribute("dir")).toBe("ltr");
    // A Latin query in the Arabic interface reads left to right in the box; the empty header box
    // (its Arabic placeholder) and an Arabic query read right to left.
    const direction = (id: string) => page.locator(`#${id}`).evaluate((el) => getComputedStyle(el).direction);
    await visit(page, "/search?q=dog");
    expect([await direction("search-q"), await direction("header-q")]).toEqual(["ltr", "rtl"]);
    await visit(page, "/search?q=" + encodeURIComponent("خبز"));
    expect(await direction("search-q")).toBe("rtl");
    await context.close();
  });

  it("a long German word on a board tile shrinks to fit at 1280 px and 100 % text instead of breaking mid-word", async () => {
    const { context, page } = await newPage(app);
    await context.addCookies([{ name: "tablero_lng", value: "de", url: app.url }]);
    await visit(page, "/search?q=Geburtstagstorte&lang=de");
    const word = page.locator(".card-word", { hasText: /^Geburtstagstorte$/ }).first();
    // One line: the word's box is no taller than one line of its own text.
    const { height, line } = await word.evaluate((e) => ({
      height: e.getBoundingClientRect().height,
      line: parseFloat(getComputedStyle(e).lineHeight),
    }));
    expect(height).toBeLessThan(line * 1.5);
    await context.close();
  });

  it("the server's own refusal page is rtl in Arabic too", async () => {
    const r = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { Cookie: "tablero_lng=ar", "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=" + "a".repeat(70 * 1024),
    });
    expect(r.status).toBe(413);
    expect(await r.text()).toContain('<html lang="ar" dir="rtl">');
    // And Accept-Language with a region tag picks the language (de-AT → de).
    const de = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "Accept-Language": "de-AT,de;q=0.9,en;q=0.5", "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=" + "a".repeat(70 * 1024),
    });
    expect(await de.text()).toContain('<html lang="de" dir="ltr">');
  });
});

describe("a 390 px phone at 200 % text", () => {
  for (const lng of LANGS) {
    it(`in ${lng}: no page scrolls sideways, and the header is one short row with a Menu`, async () => {
      const { context, page } = await phoneAt200(lng);
      const wrong: string[] = [];
      for (const path of VISITOR_PAGES) {
        await visit(page, path);
        expect(await page.evaluate(() => document.documentElement.style.fontSize)).toBe("200%");
        const over = await sideways(page);
        if (over > 0) wrong.push(`${path}: ${over} px sideways`);
      }
      expect(wrong).toEqual([]);
      // Folded: one row (the name and Menu) under a fifth of the screen, the links hidden until Menu opens.
      await visit(page, "/");
      const menu = page.locator("summary.menu-button");
      expect(await menu.isVisible()).toBe(true);
      const header = await page.locator("header").boundingBox();
      expect(header!.height).toBeLessThan(800 / 5);
      const signInLink = page.locator("header nav a[href='/login']");
      expect(await signInLink.isVisible()).toBe(false);
      // By keyboard: Enter opens, the links are there and reachable; Escape closes and leaves focus on Menu.
      await menu.focus();
      await page.keyboard.press("Enter");
      expect(await signInLink.isVisible()).toBe(true);
      expect(await page.evaluate(() => document.querySelector("details.site-menu")!.hasAttribute("open"))).toBe(true);
      expect(await sideways(page)).toBe(0);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.closest("nav") !== null)).toBe(true);
      await page.keyboard.press("Escape");
      expect(await signInLink.isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
      // Following a link from the menu closes it on the next page.
      await page.keyboard.press("Enter");
      await signInLink.click();
      await page.waitForURL((u) => u.pathname === "/login");
      // The address changes a moment before React shows the new page and closes the menu.
      await expect.poll(() => page.evaluate(() => document.querySelector("details.site-menu")!.hasAttribute("open"))).toBe(false);
      await context.close();
    });
  }

  it("signed in, in Arabic and German: the creator's pages do not scroll sideways either", async () => {
    const { context, page } = await phoneAt200("en");
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, "maria@tablero.example", "tablero-demo");
    // An account keeps its own settings: English to find the form's words, then 200 % text.
    await visit(page, "/about");
    await page.getByRole("button", { name: AUTONYM.en }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await visit(page, "/settings");
    await page.getByRole("radio", { name: /200/ }).check({ force: true });
    await page.getByRole("button", { name: /^Save reading/ }).click();
    await page.getByText("Your settings are saved.").waitFor();
    expect(await page.evaluate(() => document.documentElement.style.fontSize)).toBe("200%");
    const wrong: string[] = [];
    for (const lng of ["ar", "de"] as const) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await visit(page, "/about");
      // At 200 % text even 1280 px folds the header: the switcher is behind Menu.
      if (await page.locator("summary.menu-button").isVisible()) await page.locator("summary.menu-button").click();
      await page.getByRole("button", { name: AUTONYM[lng] }).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lng);
      await page.setViewportSize({ width: 390, height: 800 });
      for (const path of CREATOR_PAGES) {
        await visit(page, path);
        const over = await sideways(page);
        if (over > 0) wrong.push(`${lng} ${path}: ${over} px sideways`);
      }
    }
    expect(wrong).toEqual([]);
    await context.close();
  });
});
