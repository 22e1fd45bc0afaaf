import { startApp, newPage, axe, hydrated } from "../../tests/e2e/harness";
const app = await startApp();
const { page } = await newPage(app);
for (const [name, path] of [["search", "/search?q=aphasia"], ["search-es", "/search?q=comida"], ["interest", "/interests/food"], ["none", "/search?q=qwertyzz"], ["card", "/cards/5"], ["bad", "/search?q=x&lang=fr"]]) {
  const r = await page.goto(path); await hydrated(page);
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: false });
  console.log(name, r?.status(), await axe(page));
}
console.log(await (await page.request.get("/api/search?q=afasia&limit=3")).json());
console.log((await page.request.get("/api/search?q=x&lang=zz")).status());
await app.stop();
