import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hydrated, newPage, signIn, startApp, type App } from "./harness";
import { confirmSignUpByEmail, startMailbox, type Mailbox } from "../mailbox";

// One person's path through the app, step by step, as the foundation issue describes it:
// sign up → create a board → upload cards → reorder with the keyboard → view signed out and as
// another user → switch to Spanish.
let app: App;
let page: Page;
let mailbox: Mailbox;
let boardUrl = "";
const email = `creator-${Date.now()}@example.com`;
const password = "a long enough password";

async function picture(name: string, color: string, fmt: "png" | "jpeg" = "png") {
  const path = join(app.dataDir, name);
  writeFileSync(
    path,
    await sharp({ create: { width: 600, height: 400, channels: 3, background: color } })
      .toFormat(fmt)
      .toBuffer(),
  );
  return path;
}

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
const wordsInOrder = () => page.locator(".arrange-word").allTextContents();

beforeAll(async () => {
  // A real local SMTP server: sign-up finishes through the link it mails (docs/decisions/0016-accounts.md).
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
  ({ page } = await newPage(app));
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

describe("a creator's first board", () => {
  it("signs up, after fixing errors that keep what was typed", async () => {
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("link", { name: "Sign up" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1"); // focus moved to the new page's heading
    await page.getByLabel(/^Display name/).fill("Marta");
    await page.getByLabel(/^Email/).fill("not-an-email");
    await page.getByRole("button", { name: "Create account" }).click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("Please enter an email address");
    expect(await page.getByLabel(/^Display name/).inputValue()).toBe("Marta");
    const emailField = page.getByLabel(/^Email/);
    expect(await emailField.getAttribute("aria-invalid")).toBe("true");
    // The error is linked to its field, so a screen reader reads it with the field.
    const describedBy = (await emailField.getAttribute("aria-describedby")) ?? "";
    const described = await Promise.all(describedBy.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(described.join(" ")).toContain("Please enter an email address");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe("email");

    await emailField.fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole("checkbox", { name: "Creator" }).check({ force: true });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("body").textContent(), { timeout: 15_000 }).toContain(email); // "we sent a link to …"
    await confirmSignUpByEmail(page, mailbox, email);
    await page.waitForURL((u) => u.pathname === "/");
    await expect.poll(() => page.getByRole("heading", { name: "Your boards" }).count()).toBe(1);
    const cookie = (await page.context().cookies()).find((c) => c.name === "tablero_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
  });

  it("creates a board", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "New board" }).click();
    await page.getByLabel(/^Title/).fill("Kitchen words");
    await page.getByLabel(/^Description/).fill("Things we use when we cook together.");
    await page.getByRole("button", { name: "Create board" }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    boardUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Kitchen words");
    // It says so, and focus is on that message; the address is the board's own, without the message.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Board created.");
    expect(new URL(page.url()).search).toBe("");
    expect(await page.getByText("This board has no cards yet.").count()).toBe(1);
  });

  it("refuses a file that is not the picture it claims to be, keeping the typed word", async () => {
    await page.getByRole("link", { name: "Add a card" }).click();
    const fake = join(app.dataDir, "fake.png");
    writeFileSync(fake, "this is text, not a picture");
    await page.getByLabel(/^Picture \(/).setInputFiles(fake);
    await page.getByLabel(/^Picture description/).fill("A blue cooking pot");
    await page.getByLabel(/^Word or phrase/).fill("pot");
    await page.getByRole("button", { name: "Add card" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not the kind of picture its name says");
    expect(await page.getByLabel(/^Word or phrase/).inputValue()).toBe("pot");
    expect(await page.getByLabel(/^Picture description/).inputValue()).toBe("A blue cooking pot");
  });

  it("tells at once that a picture over 5 MB is too large", async () => {
    const big = join(app.dataDir, "big.png");
    writeFileSync(big, Buffer.alloc(5 * 1024 * 1024 + 10));
    await page.getByLabel(/^Picture \(/).setInputFiles(big);
    await page.getByRole("button", { name: "Add card" }).click();
    await expect.poll(() => page.locator("#image-error").textContent()).toContain("larger than 5 MB");
    expect(new URL(page.url()).pathname).toBe(`${boardUrl}/cards/new`);
  });

  it("names each problem by the label the form shows, in the form's order", async () => {
    await page.goto(`${boardUrl}/cards/new`);
    await page.getByRole("button", { name: "Add card" }).click();
    await expect.poll(() => page.getByRole("alert").locator("li").count()).toBeGreaterThanOrEqual(2);
    const named = (await page.getByRole("alert").locator("li").allTextContents()).map((x) => x.split(":")[0]!.trim());
    expect(named).toEqual(expect.arrayContaining(["Picture description (alt text)", "Word or phrase"]));
    expect(named).not.toContain("Title");
    const formOrder = [
      "Picture",
      "Picture description (alt text)",
      "Word or phrase",
      "Hint (optional)",
      "Note (optional)",
      "Language of the card",
    ];
    expect(named).toEqual([...named].sort((a, b) => formOrder.indexOf(a) - formOrder.indexOf(b)));
  });

  it("uploads three cards", async () => {
    const cards = [
      { word: "pot", alt: "A blue cooking pot", file: await picture("pot.png", "#2255aa") },
      { word: "spoon", alt: "A wooden spoon", file: await picture("spoon.jpg", "#aa7733", "jpeg") },
      { word: "cup", alt: "A red cup", file: await picture("cup.png", "#cc2222") },
    ];
    for (const c of cards) {
      if (!new URL(page.url()).pathname.endsWith("/cards/new")) await page.getByRole("link", { name: "Add a card" }).click();
      await page.getByLabel(/^Picture \(/).setInputFiles(c.file);
      await page.getByLabel(/^Picture description/).fill(c.alt);
      await page.getByLabel(/^Word or phrase/).fill(c.word);
      await page.getByRole("button", { name: "Add card" }).click();
      await page.waitForURL((u) => u.pathname === boardUrl);
    }
    const grid = page.getByRole("grid");
    await expect.poll(() => grid.getByRole("row").count()).toBe(3);
    expect(await grid.getByRole("img", { name: "A wooden spoon" }).count()).toBe(1);
    const src = await grid.getByRole("img", { name: "A red cup" }).getAttribute("src");
    const res = await page.request.get(src!);
    expect(res.headers()["content-type"]).toBe("image/webp");
  });

  it("reorders a card with the keyboard alone", async () => {
    await page.getByRole("link", { name: "Arrange cards" }).click();
    await page.waitForURL(/\/arrange$/);
    await expect.poll(wordsInOrder).toEqual(["pot", "spoon", "cup"]);
    // Tab from the heading to the first card's "Move down" button.
    await page.getByRole("heading", { level: 1 }).focus();
    let id = "";
    for (let i = 0; i < 20 && !id.startsWith("move-down-"); i++) {
      await page.keyboard.press("Tab");
      id = await focusedId();
    }
    expect(id).toMatch(/^move-down-/);
    await page.keyboard.press("Enter");
    await expect.poll(wordsInOrder).toEqual(["spoon", "pot", "cup"]);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("pot is now at position 2 of 3.");
    expect(await focusedId()).toBe(id); // focus stays with the moved card's button
    await page.keyboard.press("Space");
    await expect.poll(wordsInOrder).toEqual(["spoon", "cup", "pot"]);
    await page.reload();
    expect(await wordsInOrder()).toEqual(["spoon", "cup", "pot"]);
  });

  it("removes a card with one press and puts it back in its place with Undo", async () => {
    await page.locator(`[id^="remove-"]`).nth(1).focus(); // cup's "Remove from board"
    await page.keyboard.press("Enter");
    await expect.poll(wordsInOrder).toEqual(["spoon", "pot"]);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("cup was removed from this board.");
    await expect.poll(focusedId).toBe("undo-remove"); // the next press undoes it
    await page.keyboard.press("Enter");
    await expect.poll(wordsInOrder).toEqual(["spoon", "cup", "pot"]);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("cup is back on this board.");
    expect(await page.locator("#undo-remove").count()).toBe(0);
    await expect.poll(focusedId).toMatch(/^remove-/);
    await page.reload();
    expect(await wordsInOrder()).toEqual(["spoon", "cup", "pot"]);
  });

  it("shows the board in its new order to a visitor who is signed out", async () => {
    const { context, page: visitor } = await newPage(app);
    await visitor.goto(boardUrl);
    const words = await visitor.locator(".card-word").allTextContents();
    expect(words).toEqual(["spoon", "cup", "pot"]);
    expect(await visitor.getByRole("link", { name: "Arrange cards" }).count()).toBe(0);
    await visitor.getByRole("row", { name: "cup" }).click();
    await visitor.waitForURL(/\/cards\/\d+$/);
    await expect.poll(() => visitor.getByRole("heading", { level: 1 }).textContent()).toBe("cup");
    expect(await visitor.getByRole("heading", { level: 1 }).getAttribute("lang")).toBe("en");
    expect(await visitor.getByRole("button", { name: "Read aloud" }).count()).toBe(1);
    await context.close();
  });

  it("lets another user save a card but not change the board", async () => {
    const { context, page: ana } = await newPage(app);
    await signIn(ana, "ana@tablero.example", "tablero-demo");
    await ana.goto(boardUrl);
    await ana.getByRole("row", { name: "spoon" }).click();
    await ana.waitForURL(/\/cards\/\d+$/);
    const cardUrl = new URL(ana.url()).pathname;
    await ana.getByLabel("Board", { exact: true }).selectOption({ label: "Practice with Dad" });
    await ana.getByRole("button", { name: "Save card" }).click();
    await expect.poll(() => ana.getByRole("status").textContent()).toBe("Saved to “Practice with Dad”.");
    await expect.poll(() => ana.getByRole("link", { name: "Practice with Dad" }).count()).toBe(1);
    const edit = await ana.goto(`${boardUrl}/edit`);
    expect(edit?.status()).toBe(403);
    expect(await ana.getByRole("heading", { level: 1 }).textContent()).toBe("Not allowed");
    // A visitor does not see Ana's private board among the card's boards.
    const { context: c2, page: visitor } = await newPage(app);
    await visitor.goto(cardUrl);
    expect(await visitor.getByRole("link", { name: "Practice with Dad" }).count()).toBe(0);
    await c2.close();
    await context.close();
  });

  it("keeps a private board a 404 to everyone but its owner", async () => {
    await page.goto(`${boardUrl}/edit`);
    await page.getByRole("radio", { name: /^Private/ }).check({ force: true });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((u) => u.pathname === boardUrl);
    const { context, page: visitor } = await newPage(app);
    const res = await visitor.goto(boardUrl);
    expect(res?.status()).toBe(404);
    expect(await visitor.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await context.close();
    expect((await page.goto(boardUrl))?.status()).toBe(200);
  });

  it("switches to Spanish, remembered for the account; each card keeps its own language", async () => {
    await page.goto(boardUrl);
    await hydrated(page);
    await page.getByRole("button", { name: "Español" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("es");
    expect(await page.getByRole("link", { name: "Añadir una tarjeta" }).count()).toBe(1);
    expect(await page.locator(".card-word").first().getAttribute("lang")).toBe("en");
    expect(await page.getByRole("button", { name: "Español" }).getAttribute("aria-pressed")).toBe("true");
    // A fresh browser that signs in gets Spanish from the account, whatever it asks for.
    const { context, page: again } = await newPage(app, { locale: "en-US" });
    await signIn(again, email, password);
    await expect.poll(() => again.evaluate(() => document.documentElement.lang)).toBe("es");
    expect(await again.getByRole("heading", { name: "Tus tableros" }).count()).toBe(1);
    await context.close();
  });

  it("shows a translated 404 for an unknown page", async () => {
    const res = await page.goto("/no/such/page");
    expect(res?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Página no encontrada");
  });
});
