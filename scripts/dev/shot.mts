import { startApp, newPage, axe, hydrated } from "../../tests/e2e/harness";
const app = await startApp();
const { page } = await newPage(app);
for (const [name, path] of [["home", "/"], ["board", "/boards/1"], ["card", "/cards/1"], ["signup", "/signup"], ["settings", "/settings"]]) {
  await page.goto(path); await hydrated(page);
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: false });
  console.log(name, await axe(page));
}
await app.stop();
