import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page, signed out and signed in, in English
// and Spanish, including error states. Any violation fails.
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
  "/search?q=food&lang=fr",
  "/interests/food",
  "/interests/aphasia",
];
// María (the demo creator) owns board 1 and card 1.
const OWNER_PAGES = ["/", "/import", "/boards/new", "/boards/1", "/boards/1/edit", "/boards/1/arrange", "/boards/1/cards/new", "/cards/1", "/cards/1/edit", "/settings", "/u/1"];

async function scan(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  return (await axe(page)).map((v) => `${path}: ${v}`);
}

async function chooseLanguage(page: Page, label: "English" | "Español") {
  await page.goto("/about");
  await hydrated(page);
  await page.getByRole("button", { name: label }).click();
  await page.waitForFunction((lng) => document.documentElement.lang === lng, label === "English" ? "en" : "es");
}

async function submitEmpty(page: Page, path: string, button: RegExp): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  await page.getByRole("button", { name: button }).click();
  await page.getByRole("alert").waitFor();
  return (await axe(page)).map((v) => `${path} (errors): ${v}`);
}

for (const lang of ["English", "Español"] as const) {
  describe(`in ${lang}`, () => {
    it("has no violations on any page for a visitor", async () => {
      const { context, page } = await newPage(app);
      await chooseLanguage(page, lang);
      const violations: string[] = [];
      for (const path of PUBLIC_PAGES) violations.push(...(await scan(page, path)));
      violations.push(...(await submitEmpty(page, "/signup", /^(Create account|Crear cuenta)$/)));
      violations.push(...(await submitEmpty(page, "/login", /^(Sign in|Entrar)$/)));
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang === "English" ? "en" : "es");
      expect(violations).toEqual([]);
      await context.close();
    });

    it("has no violations on any page for a signed-in creator", async () => {
      const { context, page } = await newPage(app);
      await signIn(page, "maria@tablero.example", "tablero-demo");
      await chooseLanguage(page, lang);
      const violations: string[] = [];
      for (const path of OWNER_PAGES) violations.push(...(await scan(page, path)));
      violations.push(...(await submitEmpty(page, "/boards/new", /^(Create board|Crear tablero)$/)));
      violations.push(...(await submitEmpty(page, "/boards/1/cards/new", /^(Add card|Añadir tarjeta)$/)));
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
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("main button, main .button, header button, header a, [role=row]")]
        .map((el) => ({ name: el.textContent?.trim(), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
        .filter((r) => r.h < 44 || r.w < 44),
    );
    expect(small).toEqual([]);
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
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/cards\/\d+$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent)).toBe("H1:egg");
    await context.close();
  });
});
