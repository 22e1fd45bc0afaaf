import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import yauzl from "yauzl";
import { axe, hydrated, newPage, signIn, startApp, type App } from "../e2e/harness";
import { linkIn, startMailbox, type Mailbox } from "../mailbox";

// Accounts people can recover, export and delete (issue 12), in the browser, with a real SMTP server
// receiving the app's messages: sign up by emailed link, change password, sign out everywhere,
// reset by email, export, delete; axe in English and Spanish; keyboard for the forms.
let app: App;
let mailbox: Mailbox;
const stamp = Date.now();
const me = { name: "Rosa", email: `rosa-${stamp}@example.com`, password: "first long password" };

beforeAll(async () => {
  mailbox = await startMailbox();
  // The harness starts the server with this process's environment.
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

async function noAxe(page: Page, where: string) {
  expect((await axe(page)).map((v) => `${where}: ${v}`)).toEqual([]);
}

const signedInAs = async (page: Page) => (await page.getByRole("button", { name: /^(Sign out|Salir|Cerrar sesión)$/ }).count()) > 0;

async function chooseLanguage(page: Page, label: "English" | "Español") {
  await page.goto("/about");
  await hydrated(page);
  await page.getByRole("button", { name: label }).click();
  await page.waitForFunction((lng) => document.documentElement.lang === lng, label === "English" ? "en" : "es");
}

async function fillSignUp(page: Page, who: { name: string; email: string; password: string }) {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel(/^(Display name|Nombre visible)/).fill(who.name);
  await page.getByLabel(/^(Email|Correo electrónico)/).fill(who.email);
  await page.getByLabel(/^(Password|Contraseña)/).fill(who.password);
  await page.keyboard.press("Enter");
  await page.getByRole("status").waitFor();
  return (await page.getByRole("status").textContent())!;
}

function unzip(buf: Buffer): Promise<Record<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: Record<string, Buffer> = {};
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out[entry.fileName] = Buffer.concat(chunks);
            zip.readEntry();
          });
        }),
      );
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

describe("accounts", () => {
  it("sign-up answers the same for a new and a taken email, and the emailed link makes the account", async () => {
    const taken = await newPage(app);
    const takenText = await fillSignUp(taken.page, { name: "Someone", email: "maria@tablero.example", password: "whatever long password" });
    await noAxe(taken.page, "signup sent");
    await taken.context.close();

    const { context, page } = await newPage(app);
    const freshText = await fillSignUp(page, me);
    expect(freshText.replace(me.email, "X")).toBe(takenText.replace("maria@tablero.example", "X"));
    expect(await signedInAs(page)).toBe(false);
    // María is told someone tried; the newcomer gets the link.
    expect((await mailbox.waitFor("maria@tablero.example")).text).toContain("/forgot-password");
    const link = linkIn(await mailbox.waitFor(me.email, /signup\/confirm/), "/signup/confirm/");
    await page.goto(link);
    await hydrated(page);
    await noAxe(page, "signup confirm");
    await page.getByRole("button", { name: "Create my account" }).press("Enter");
    await page.waitForURL((u) => u.pathname === "/");
    await expect.poll(() => signedInAs(page)).toBe(true);
    // This browser now counts as one the account has used (it skips the per-account sign-in limit).
    expect((await context.cookies()).some((c) => c.name === "tablero_device")).toBe(true);
    // The link was for one use.
    await page.goto(link);
    expect(await page.getByRole("alert").textContent()).toContain("does not work any more");
    await context.close();
  });

  it("changes the password by keyboard: wrong current password is refused; other devices are signed out, this one is not", async () => {
    const here = await newPage(app);
    const there = await newPage(app);
    await signIn(here.page, me.email, me.password);
    await signIn(there.page, me.email, me.password);
    await here.page.goto("/settings");
    await hydrated(here.page);
    await noAxe(here.page, "/settings");
    await here.page.getByRole("link", { name: "Change password" }).focus();
    await here.page.keyboard.press("Enter");
    await here.page.waitForURL(/\/settings\/password$/);
    await hydrated(here.page);
    await noAxe(here.page, "/settings/password");
    await here.page.getByLabel(/^Current password/).fill("not my password");
    await here.page.getByLabel(/^New password/).fill("second long password");
    await here.page.keyboard.press("Enter");
    await expect.poll(() => here.page.getByRole("alert").textContent()).toContain("This password is not right.");
    await noAxe(here.page, "/settings/password (error)");
    // Focus went to the field to fix; nothing typed into passwords is echoed back.
    expect(await here.page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("currentPassword");
    await here.page.keyboard.press("ControlOrMeta+a");
    await here.page.keyboard.type(me.password);
    await here.page.getByLabel(/^New password/).fill("second long password");
    await here.page.keyboard.press("Enter");
    await here.page.waitForURL(/\/settings\?account=password/);
    expect(await here.page.getByRole("status").first().textContent()).toContain("Your password was changed");
    me.password = "second long password";
    await expect.poll(() => signedInAs(here.page)).toBe(true);
    await there.page.goto("/settings");
    expect(await signedInAs(there.page)).toBe(false);
    await here.context.close();
    await there.context.close();
  });

  it("signs out everywhere: another browser loses its session too", async () => {
    const a = await newPage(app);
    const b = await newPage(app);
    await signIn(a.page, me.email, me.password);
    await signIn(b.page, me.email, me.password);
    await a.page.goto("/settings");
    await hydrated(a.page);
    await a.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await a.page.waitForURL(/\/login\?notice=signedOutEverywhere/);
    expect(await a.page.getByRole("status").first().textContent()).toBe("You were signed out on every device.");
    await noAxe(a.page, "/login (signed out everywhere)");
    await b.page.goto("/settings");
    expect(await signedInAs(b.page)).toBe(false);
    await a.context.close();
    await b.context.close();
  });

  it("resets a forgotten password by the emailed link, in Spanish; an unknown email gets the same answer", async () => {
    const { context, page } = await newPage(app, { locale: "es-ES" });
    await page.goto("/login");
    await hydrated(page);
    await page.getByRole("link", { name: "¿Olvidaste tu contraseña?" }).click();
    await page.waitForURL(/\/forgot-password$/);
    await hydrated(page);
    await noAxe(page, "/forgot-password (es)");
    await page.getByRole("button", { name: "Enviar el enlace" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Correo electrónico");
    await noAxe(page, "/forgot-password (es, error)");
    const ask = async (email: string) => {
      await page.getByLabel(/^Correo electrónico/).fill(email);
      await page.keyboard.press("Enter");
      await page.getByRole("status").waitFor();
      return page.getByRole("status").textContent();
    };
    const unknown = await ask(`nadie-${stamp}@example.com`);
    const known = await ask(me.email);
    expect(known).toBe(unknown);
    expect(known).toContain("Si este correo tiene una cuenta");
    await noAxe(page, "/forgot-password (es, sent)");

    const link = linkIn(await mailbox.waitFor(me.email, /reset-password/), "/reset-password/");
    const signedInElsewhere = await newPage(app);
    await signIn(signedInElsewhere.page, me.email, me.password);
    await page.goto(link);
    await hydrated(page);
    await noAxe(page, "/reset-password (es)");
    await page.getByLabel(/^Contraseña nueva/).fill("corta");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Contraseña nueva");
    await noAxe(page, "/reset-password (es, error)");
    await page.getByLabel(/^Contraseña nueva/).fill("third long password");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/login\?notice=passwordReset/);
    expect(await page.getByRole("status").first().textContent()).toBe("Tu contraseña nueva está guardada. Entra con ella.");
    me.password = "third long password";
    // Using the link ended every session; the link works once.
    await signedInElsewhere.page.goto("/settings");
    expect(await signedInAs(signedInElsewhere.page)).toBe(false);
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    expect(await page.getByRole("alert").textContent()).toContain("ya no funciona");
    await signIn(page, me.email, me.password);
    await expect.poll(() => signedInAs(page)).toBe(true);
    await signedInElsewhere.context.close();
    await context.close();
  });

  it("exports a zip of the account's data, then deletes the account (axe in English and Spanish)", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, me.email, me.password);
    await page.goto("/settings");
    await hydrated(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download my data (zip)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tablero-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const entries = await unzip(readFileSync((await download.path())!));
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([
        "account.json",
        "boards.json",
        "cards.json",
        "stories.json",
        "practice.json",
        "workshops.json",
        "engagement.json",
      ]),
    );
    expect(JSON.parse(entries["account.json"]!.toString())).toMatchObject({ email: me.email, display_name: me.name });

    for (const lang of ["Español", "English"] as const) {
      await chooseLanguage(page, lang);
      for (const path of ["/settings", "/settings/password", "/settings/delete"]) {
        await page.goto(path);
        await hydrated(page);
        await noAxe(page, `${path} (${lang})`);
      }
    }
    // The page says plainly what goes, including cards saved on other people's boards.
    expect(await page.getByRole("main").textContent()).toContain("none of your cards is saved on other people's boards");
    await page.getByLabel(/^Your password/).fill("wrong password");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("This password is not right.");
    await noAxe(page, "/settings/delete (error)");
    await page.getByLabel(/^Your password/).fill(me.password);
    await page.getByRole("button", { name: "Delete my account for ever" }).press("Enter");
    await page.waitForURL(/\/account-deleted$/);
    expect(await page.getByRole("status").textContent()).toBe("Your account and everything in it were deleted.");
    await noAxe(page, "/account-deleted");
    expect(await signedInAs(page)).toBe(false);
    // The account is gone: its password no longer signs in.
    await page.goto("/login");
    await hydrated(page);
    await page.getByLabel(/^Email/).fill(me.email);
    await page.getByLabel(/^Password/).fill(me.password);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toBeTruthy();
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });
});
