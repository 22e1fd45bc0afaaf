import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page, signed out and signed in, in English
// and Spanish, including error states; in French, German and Arabic on a representative set of
// pages (the layout and components are the same; what changes is the wording and, in Arabic, the
// direction), to keep the run within CI's time. Any violation fails.
let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.stop());

const PUBLIC_PAGES = [
  "/",
  "/about",
  "/login",
  "/signup",
  "/settings",
  "/boards/1",
  "/cards/1",
  "/u/1",
  "/no-such-page",
  "/search",
  "/search?q=aphasia",
  "/search?q=comida&lang=es&kind=cards",
  "/search?q=qwertyzz",
  "/search?q=food&lang=it",
  "/interests/food",
  "/interests/aphasia",
];
// María (the demo creator) owns board 1 and card 1.
const OWNER_PAGES = [
  "/",
  "/import",
  "/boards/new",
  "/boards/1",
  "/boards/1/edit",
  "/boards/1/arrange",
  "/boards/1/cards/new",
  "/cards/1",
  "/cards/1/edit",
  "/cards/1/voice",
  "/settings",
  "/u/1",
  // Practice in each mode (issue 14).
  "/boards/1/practice",
  "/boards/1/practice?mode=comprehension",
  "/boards/1/practice?mode=features",
  "/boards/1/practice?mode=writing",
  "/caseload",
  "/practice/progress",
];

async function scan(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  return (await axe(page)).map((v) => `${path}: ${v}`);
}

// The switcher names each language in its own language (its autonym), whatever the page's language.
const LANGUAGES = [
  { label: "English", lng: "en", every: true },
  { label: "Español", lng: "es", every: true },
  { label: "Français", lng: "fr", every: false },
  { label: "Deutsch", lng: "de", every: false },
  { label: "العربية", lng: "ar", every: false },
] as const;
type Label = (typeof LANGUAGES)[number]["label"];
const lngOf = (label: Label) => LANGUAGES.find((l) => l.label === label)!.lng;
// For the languages checked on a sample: each kind of page (feed, grid, close-up, form, search, settings, arrange).
const SAMPLE_PUBLIC_PAGES = ["/", "/signup", "/boards/1", "/cards/1", "/search?q=aphasia", "/settings"];
const SAMPLE_OWNER_PAGES = ["/boards/1/arrange", "/boards/1/cards/new", "/settings"];

async function chooseLanguage(page: Page, label: Label) {
  await page.goto("/about");
  await hydrated(page);
  await page.getByRole("button", { name: label }).click();
  await page.waitForFunction((lng) => document.documentElement.lang === lng, lngOf(label));
}

/** Submits the page's form empty; `button` names its submit button, else the main form's last one (any language). */
async function submitEmpty(page: Page, path: string, button?: RegExp): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  await (
    button ? page.getByRole("button", { name: button }) : page.locator("main form[method='post'] button[type='submit']").last()
  ).click();
  await page.getByRole("alert").waitFor();
  return (await axe(page)).map((v) => `${path} (errors): ${v}`);
}

for (const { label: lang, lng, every } of LANGUAGES) {
  describe(`in ${lang}`, () => {
    it(`has no violations on ${every ? "any page" : "a page of each kind"} for a visitor`, async () => {
      const { context, page } = await newPage(app);
      await chooseLanguage(page, lang);
      const violations: string[] = [];
      for (const path of every ? PUBLIC_PAGES : SAMPLE_PUBLIC_PAGES) violations.push(...(await scan(page, path)));
      violations.push(...(await submitEmpty(page, "/signup")));
      if (every) violations.push(...(await submitEmpty(page, "/login")));
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
        lng,
        lng === "ar" ? "rtl" : "ltr",
      ]);
      expect(violations).toEqual([]);
      if (!every) return void (await context.close());
      // An error page says what went wrong in the tab's title too, in the reader's language.
      await page.goto("/no-such-page");
      expect(await page.title()).toBe(lang === "English" ? "Page not found — Tablero" : "Página no encontrada — Tablero");
      await context.close();
    });

    it(`has no violations on ${every ? "any page" : "a page of each kind"} for a signed-in creator`, async () => {
      const { context, page } = await newPage(app);
      await signIn(page, "maria@tablero.example", "tablero-demo");
      await chooseLanguage(page, lang);
      const violations: string[] = [];
      for (const path of every ? OWNER_PAGES : SAMPLE_OWNER_PAGES) violations.push(...(await scan(page, path)));
      if (every) violations.push(...(await submitEmpty(page, "/boards/new", /^(Create board|Crear tablero)$/)));
      violations.push(...(await submitEmpty(page, "/boards/1/cards/new")));
      expect(violations).toEqual([]);
      await context.close();
    });
  });
}

describe("reading and display settings", () => {
  it("has no violations in high contrast at 200% text, and keeps controls at least 44 px", async () => {
    const { context, page } = await newPage(app);
    await page.goto("/settings");
    await hydrated(page);
    await page.getByRole("radio", { name: /200/ }).check({ force: true });
    await page.getByRole("checkbox", { name: "High contrast" }).check({ force: true });
    await page.getByRole("checkbox", { name: "Reduce motion" }).check({ force: true });
    await page.getByRole("button", { name: /^Save reading/ }).click();
    await page.getByText("Your settings are saved.").waitFor();
    expect(await page.evaluate(() => [document.documentElement.style.fontSize, document.documentElement.className])).toEqual([
      "200%",
      "high-contrast reduced-motion",
    ]);
    const violations: string[] = [];
    for (const path of ["/", "/boards/1", "/cards/1", "/settings"]) violations.push(...(await scan(page, path)));
    expect(violations).toEqual([]);
    await page.goto("/boards/1");
    await hydrated(page);
    // 200 % text folds the header behind Menu even at 1280 px: open it, so its links are measured too.
    const menu = page.locator("summary.menu-button");
    if (await menu.isVisible()) await menu.click();
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("main button, main .button, header button, header a, header summary, [role=row]")]
        .map((el) => ({ name: el.textContent?.trim(), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
        .filter((r) => r.h < 44 || r.w < 44),
    );
    expect(small).toEqual([]);
    await context.close();
  });
});

describe("a phone-sized screen", () => {
  it("never scrolls sideways for long words, long board names or a pasted link, and keeps a long word whole", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, "maria@tablero.example", "tablero-demo");
    await chooseLanguage(page, "English"); // the tests above leave her account in Spanish
    await page.setViewportSize({ width: 390, height: 800 });
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.goto("/boards/new");
    await hydrated(page);
    await page.getByLabel(/^Title/).fill("Otorrinolaringología y electroencefalografía");
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    const board = new URL(page.url()).pathname;
    expect(await sideways()).toBe(0);
    await page.goto(`${board}/cards/new`);
    await hydrated(page);
    const png = join(app.dataDir, "ear.png");
    writeFileSync(
      png,
      await sharp({ create: { width: 120, height: 120, channels: 3, background: "#3366aa" } })
        .png()
        .toBuffer(),
    );
    await page.getByLabel(/^Picture \(/).setInputFiles(png);
    await page.getByLabel(/^Picture description/).fill("A doctor looking into an ear");
    await page.getByLabel(/^Word or phrase/).fill("otorrinolaringología");
    await page.getByRole("button", { name: "Add card" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    await page.getByRole("row").filter({ hasText: "otorrinolaringología" }).first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/cards\/\d+$/);
    await hydrated(page);
    expect(await sideways()).toBe(0); // the save form lists the long board name too
    // The word is on one line, smaller rather than split between letters.
    const word = page.locator(".closeup-word");
    const [height, size] = await word.evaluate((e) => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)]);
    expect(height).toBeLessThan(size * 1.5);
    expect(size).toBeGreaterThanOrEqual(24);
    await page.goto(
      "/search?q=" + encodeURIComponent("https://www.example.com/a/very/long/pasted/address/that/goes/on/and/on?with=parameters"),
    );
    await hydrated(page);
    expect(await sideways()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await context.close();
  });
});

describe("keyboard", () => {
  it("offers a skip link first, which moves focus to the main content", async () => {
    const { context, page } = await newPage(app);
    await page.goto("/boards/1");
    await hydrated(page);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.keyboard.press("Tab");
    // Next stop is inside main: the creator's profile link.
    expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
    await context.close();
  });

  it("moves between cards with the arrow keys and opens one with Enter", async () => {
    const { context, page } = await newPage(app);
    await page.goto("/boards/1");
    await hydrated(page);
    await page.getByRole("row").first().focus();
    await page.keyboard.press("ArrowRight");
    const second = await page.evaluate(() => document.activeElement?.textContent);
    expect(second).toBe("egg");
    // Each row is named by its card's word, so it carries the word's language (read with the right voice).
    expect(await page.getByRole("row").evaluateAll((rows) => rows.map((r) => r.getAttribute("lang")))).toEqual(
      await page.locator(".card-word").evaluateAll((ws) => ws.map((w) => w.getAttribute("lang"))),
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute("lang"))).toBe("en");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/cards\/\d+$/);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent))
      .toBe("H1:egg");
    await context.close();
  });
});
