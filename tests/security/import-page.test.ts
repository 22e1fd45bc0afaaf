import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, hydrated, newPage, signIn, startApp, type App } from "../e2e/harness";

/**
 * The import page in the browser, in both languages (issue 12, finding 10): a Windows-1252 file is read
 * right and says so; a file with a NUL is refused naming its line and the form keeps what was typed;
 * axe finds nothing on either.
 */
let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.stop());

// "piña" and "año" as Excel on Windows saves them (Windows-1252).
const cp1252 = Buffer.concat([
  Buffer.from("id,title,lang\n1,pi"),
  Buffer.from([0xf1]),
  Buffer.from("a,es\n2,a"),
  Buffer.from([0xf1]),
  Buffer.from("o,es\n"),
]);
const withNul = Buffer.from("id,title\n1,apple\n2,pe\u0000ar\n");

const cases = [
  {
    who: "ana@tablero.example",
    locale: "en-GB",
    warning: /read as Windows-1252/,
    nul: /Line 3: This file contains a NUL character/,
    done: /Done: 2 new cards/,
  },
  {
    who: "maria@tablero.example",
    locale: "es-ES",
    warning: /se leyó como Windows-1252/,
    nul: /Línea 3: Este archivo contiene un carácter NUL/,
    done: /Listo: 2 tarjetas nuevas/,
  },
];

describe("import page", () => {
  for (const c of cases) {
    it(`reads Windows-1252 with a warning and refuses a NUL naming the line (${c.locale})`, async () => {
      const { context, page } = await newPage(app, { locale: c.locale });
      await signIn(page, c.who, "tablero-demo");

      await page.goto("/import");
      await hydrated(page);
      await page.locator("#field-file").setInputFiles({ name: "cards.csv", mimeType: "text/csv", buffer: withNul });
      await page.locator('input[name="board"]').fill("Mis palabras");
      await page.getByRole("button", { name: /^(Import|Importar)$/ }).click();
      await expect.poll(() => page.locator("#file-error").textContent()).toMatch(c.nul);
      expect(await page.locator('input[name="board"]').inputValue()).toBe("Mis palabras");
      expect(await axe(page)).toEqual([]);

      await page.locator("#field-file").setInputFiles({ name: "excel.csv", mimeType: "text/csv", buffer: cp1252 });
      await page.getByRole("button", { name: /^(Import|Importar)$/ }).click();
      await page.waitForURL((u) => u.searchParams.has("job"));
      await expect.poll(() => page.locator("body").textContent(), { timeout: 60_000 }).toMatch(c.done);
      expect(await page.locator("body").textContent()).toMatch(c.warning);
      expect(await axe(page)).toEqual([]);
      await page.getByRole("link", { name: /Mis palabras/ }).click();
      await page.getByRole("heading", { level: 1, name: "Mis palabras" }).waitFor();
      await expect.poll(() => page.locator("main").textContent()).toContain("piña");
      await context.close();
    });
  }
});
