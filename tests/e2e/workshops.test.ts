import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { confirmSignUpByEmail, startMailbox, type Mailbox } from "../mailbox";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// A therapist's week: create a workshop, invite someone by link, plan a session with a board, present
// it with the keyboard alone, record attendance and notes, give homework; the member sees it all.
let app: App;
let mailbox: Mailbox;
let tomas: Page;
let tomasCtx: BrowserContext;
let workshopUrl = "";
let sessionUrl = "";
let inviteLink = "";
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** Every new page, visited again in Spanish at the end. */
const visited = new Set<string>();

async function scan(page: Page, label: string) {
  await hydrated(page);
  const violations = await axe(page);
  expect(violations, `${label} ${new URL(page.url()).pathname}`).toEqual([]);
  visited.add(new URL(page.url()).pathname);
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const position = (page: Page) => page.locator(".present-position").textContent();
const word = (page: Page) => page.locator(".present-word").textContent();

beforeAll(async () => {
  // New accounts are confirmed by an emailed link: a real local SMTP server receives it.
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
  ({ context: tomasCtx, page: tomas } = await newPage(app));
  await signIn(tomas, "tomas@tablero.example", "tablero-demo");
  await tomas.goto("/workshops");
  await hydrated(tomas);
  await tomas.getByRole("button", { name: "English" }).click(); // Tomás's account is in Spanish
  await tomas.waitForFunction(() => document.documentElement.lang === "en");
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

describe("workshops", () => {
  it("creates a workshop, after translated errors that keep what was typed", async () => {
    await scan(tomas, "en");
    await tomas.getByRole("link", { name: "New workshop" }).click();
    await tomas.waitForURL(/\/workshops\/new$/);
    await scan(tomas, "en");
    await tomas.getByLabel(/^Title/).fill("Tuesday naming group");
    await tomas.getByLabel(/^Day of the week/).selectOption({ label: "Tuesday" });
    await tomas.getByLabel(/^Start time/).fill("23:30");
    await tomas.getByLabel(/^Time zone/).selectOption("Europe/Madrid");
    await tomas.getByLabel(/^First date/).fill(isoDay(0));
    await tomas.getByLabel(/^Last date/).fill(isoDay(-7));
    await tomas.getByLabel(/^Video call link/).fill("not a link");
    await tomas.getByLabel(/^Places/).fill("0");
    await tomas.getByRole("button", { name: "Create workshop" }).click();
    const alert = tomas.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("The last date cannot be before the first date.");
    expect(await alert.textContent()).toContain("There must be at least 1 place.");
    expect(await alert.textContent()).toContain("starts with https://");
    expect(await tomas.getByLabel(/^Title/).inputValue()).toBe("Tuesday naming group");
    expect(await tomas.getByLabel(/^Places/).getAttribute("aria-invalid")).toBe("true");
    await scan(tomas, "en, with errors");
    await tomas.getByLabel(/^Last date/).fill("");
    await tomas.getByLabel(/^Video call link/).fill("https://meet.example.org/naming");
    await tomas.getByLabel(/^Places/).fill("4");
    await tomas.getByRole("button", { name: "Create workshop" }).click();
    await tomas.waitForURL(/\/workshops\/\d+$/);
    workshopUrl = new URL(tomas.url()).pathname;
    await expect.poll(() => heading(tomas)).toBe("Tuesday naming group");
    expect(await tomas.getByText(/^Every Tuesday at 23:30 \(Europe\/Madrid\), 60 minutes\.$/).count()).toBe(1);
  });

  it("makes a single-use invitation link that a second person uses after signing in", async () => {
    await tomas.getByRole("radio", { name: "Participant" }).check({ force: true });
    await tomas.getByRole("button", { name: "Make an invitation link" }).click();
    await expect.poll(() => tomas.getByLabel("Invitation link").count()).toBe(1);
    // The new link takes focus, so a keyboard or screen-reader user is where the link is.
    await expect.poll(() => tomas.evaluate(() => document.activeElement?.id)).toBe("invite-link");
    inviteLink = await tomas.getByLabel("Invitation link").inputValue();
    expect(inviteLink).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    await scan(tomas, "en");

    const { context, page: ana } = await newPage(app);
    await ana.goto(new URL(inviteLink).pathname);
    await scan(ana, "en, signed out");
    expect(await ana.getByText("Tuesday naming group").count()).toBe(1);
    await ana.getByRole("link", { name: "Sign in" }).last().click();
    await ana.waitForURL(/\/login/);
    await ana.getByLabel(/^Email/).fill("ana@tablero.example");
    await ana.getByLabel(/^Password/).fill("tablero-demo");
    await ana.getByRole("button", { name: "Sign in" }).last().click();
    await ana.waitForURL((u) => u.pathname.startsWith("/invite/"));
    await scan(ana, "en, signed in");
    await ana.getByRole("button", { name: "Join", exact: true }).click();
    await ana.waitForURL((u) => u.pathname === workshopUrl);
    await expect.poll(() => ana.getByRole("button", { name: "Leave this workshop" }).count()).toBe(1);
    await scan(ana, "en, member");
    // The link is used up.
    const { context: c2, page: other } = await newPage(app);
    await signIn(other, "maria@tablero.example", "tablero-demo");
    const res = await other.goto(new URL(inviteLink).pathname);
    expect(res?.status()).toBe(410);
    expect(await other.getByRole("alert").textContent()).toMatch(/already used|ya se usó/);
    // …and the workshop is a 404 to someone who is not in it.
    expect((await other.goto(workshopUrl))?.status()).toBe(404);
    expect((await other.goto(`${workshopUrl}/calendar.ics`))?.status()).toBe(404);
    await c2.close();
    await context.close();
  });

  it("brings a new person back to the invitation after signing up", async () => {
    await tomas.goto(workshopUrl);
    await hydrated(tomas);
    await tomas.getByRole("radio", { name: "Relative" }).check({ force: true });
    await tomas.getByRole("button", { name: "Make an invitation link" }).click();
    await expect
      .poll(
        async () =>
          (await tomas.getByLabel("Invitation link").count()) && (await tomas.getByLabel("Invitation link").inputValue()) !== inviteLink,
      )
      .toBeTruthy();
    const link = new URL(await tomas.getByLabel("Invitation link").inputValue()).pathname;
    const { context, page: newcomer } = await newPage(app);
    await newcomer.goto(link);
    await hydrated(newcomer);
    await newcomer.getByRole("link", { name: "Sign up" }).last().click();
    await newcomer.waitForURL(/\/signup\?redirectTo=/);
    await hydrated(newcomer);
    await newcomer.getByLabel(/^Display name/).fill("Luis");
    const email = `luis-${Date.now()}@example.com`;
    await newcomer.getByLabel(/^Email/).fill(email);
    await newcomer.getByLabel(/^Password/).fill("a long enough password");
    await newcomer.getByRole("button", { name: /^Create account/ }).click();
    // The emailed link brings them back to the invitation.
    await confirmSignUpByEmail(newcomer, mailbox, email);
    await newcomer.waitForURL((u) => u.pathname === link);
    await newcomer.getByRole("button", { name: "Join", exact: true }).click();
    await newcomer.waitForURL((u) => u.pathname === workshopUrl);
    // …and leaves again, so the rest of the story has one member.
    await hydrated(newcomer);
    await newcomer.getByRole("button", { name: "Leave this workshop" }).click();
    await newcomer.waitForURL((u) => u.pathname !== workshopUrl);
    await context.close();
  });

  it("plans a session with a board, then records attendance and notes", async () => {
    await tomas.goto(workshopUrl);
    await expect.poll(() => tomas.locator(".member-name").allTextContents()).toEqual(["Ana"]);
    await tomas.locator(".session-list a").first().click();
    await tomas.waitForURL(/\/sessions\/\d{4}-\d{2}-\d{2}$/);
    sessionUrl = new URL(tomas.url()).pathname;
    await hydrated(tomas);
    await tomas.getByRole("searchbox", { name: "Find a board by title" }).fill("feelings");
    await tomas.getByRole("button", { name: "Find", exact: true }).click();
    // The page reloads its list without moving focus, so the count is read out.
    await expect.poll(() => tomas.locator("[aria-live=polite].visually-hidden").textContent()).toMatch(/^\d+ boards? found\.$/);
    await tomas.getByRole("button", { name: "Add Feelings and needs" }).focus();
    await tomas.keyboard.press("Enter");
    await expect.poll(() => tomas.locator(".session-boards").textContent()).toContain("Feelings and needs");
    // The pressed button is gone with the added board: focus lands on what happened, not on the page.
    await expect.poll(() => tomas.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("status");
    await tomas.getByRole("checkbox", { name: /Ana/ }).check();
    await tomas.getByRole("button", { name: "Save attendance" }).click();
    await expect.poll(() => tomas.getByRole("status").textContent()).toBe("Attendance was saved.");
    await tomas.getByRole("textbox", { name: "Notes" }).fill("Ana named 12 of 15 feelings.");
    await tomas.getByRole("button", { name: "Save notes" }).click();
    await expect.poll(() => tomas.getByRole("status").textContent()).toBe("The notes were saved.");
    expect(await tomas.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
    await tomas.reload();
    expect(await tomas.getByRole("textbox", { name: "Notes" }).inputValue()).toBe("Ana named 12 of 15 feelings.");
    expect(await tomas.getByRole("checkbox", { name: /Ana/ }).isChecked()).toBe(true);
    // A second tab still holds the old version: its save overwrites nothing and keeps its text.
    const second = await tomasCtx.newPage();
    await second.goto(sessionUrl);
    await hydrated(second);
    await tomas.getByRole("textbox", { name: "Notes" }).fill("Ana named 12 of 15 feelings. Tired at the end.");
    await tomas.getByRole("button", { name: "Save notes" }).click();
    await expect.poll(() => tomas.getByRole("status").textContent()).toBe("The notes were saved.");
    await second.getByRole("textbox", { name: "Notes" }).fill("Second tab text");
    await second.getByRole("button", { name: "Save notes" }).click();
    await expect.poll(() => second.getByRole("alert").textContent()).toContain("Nothing was overwritten.");
    expect(await second.getByRole("textbox", { name: "Notes" }).inputValue()).toBe("Second tab text");
    expect(await second.locator(".saved-notes").textContent()).toBe("Ana named 12 of 15 feelings. Tired at the end.");
    await scan(second, "en, notes conflict");
    await second.close();
    await scan(tomas, "en");
  });

  it("presents the session with the keyboard alone", async () => {
    await tomas.getByRole("link", { name: "Present the cards" }).focus();
    await tomas.keyboard.press("Enter");
    await tomas.waitForURL(/\/present$/);
    await hydrated(tomas);
    await expect.poll(() => position(tomas)).toMatch(/^Card 1 of \d+$/);
    const total = Number((await position(tomas))!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(await tomas.locator(".present-position").getAttribute("aria-live")).toBe("polite");
    const first = await word(tomas);
    await tomas.keyboard.press("Space");
    await expect.poll(() => position(tomas)).toBe(`Card 2 of ${total}`);
    const second = await word(tomas);
    expect(second).not.toBe(first);
    await tomas.keyboard.press("ArrowRight");
    await expect.poll(() => position(tomas)).toBe(`Card 3 of ${total}`);
    await tomas.keyboard.press("ArrowLeft");
    await expect.poll(() => position(tomas)).toBe(`Card 2 of ${total}`);
    expect(await word(tomas)).toBe(second);
    await tomas.keyboard.press("End");
    await expect.poll(() => position(tomas)).toBe(`Card ${total} of ${total}`);
    await tomas.keyboard.press("Home");
    await expect.poll(() => position(tomas)).toBe(`Card 1 of ${total}`);
    expect(await tomas.getByRole("button", { name: "Read aloud" }).count()).toBe(1);
    expect(await tomas.getByRole("button", { name: /Next/ }).count()).toBe(1);
    await scan(tomas, "en");
    await tomas.setViewportSize({ width: 1280, height: 800 });
    await tomas.screenshot({ path: "/tmp/workshops-present-1280.png" });
    await tomas.setViewportSize({ width: 390, height: 844 });
    await tomas.screenshot({ path: "/tmp/workshops-present-390.png" });
    // The picture and the controls fit the phone screen without scrolling.
    const fits = await tomas.evaluate(() => {
      const r = document.querySelector(".present-controls")!.getBoundingClientRect();
      return r.bottom <= window.innerHeight;
    });
    expect(fits).toBe(true);
    await tomas.setViewportSize({ width: 1280, height: 900 });
    await tomas.keyboard.press("Escape");
    await tomas.waitForURL((u) => u.pathname === sessionUrl);
  });

  it("gives homework, refusing a past due date", async () => {
    await tomas.goto(workshopUrl);
    await hydrated(tomas);
    await tomas.getByLabel(/^Board/).selectOption({ label: "Feelings and needs" });
    await tomas.getByLabel(/^Due date/).fill(isoDay(-3));
    await tomas.getByRole("button", { name: "Give homework" }).click();
    await expect.poll(() => tomas.getByRole("alert").textContent()).toContain("The due date is in the past.");
    await tomas.getByLabel(/^Due date/).fill(isoDay(7));
    await tomas.getByRole("button", { name: "Give homework" }).click();
    await expect.poll(() => tomas.getByRole("status").textContent()).toBe("The homework was given.");
    expect(await tomas.locator("#homework-h ~ .agenda-list").textContent()).toContain("Feelings and needs");
  });

  it("shows the member the homework and the next session, but no notes", async () => {
    const { context, page: ana } = await newPage(app);
    await signIn(ana, "ana@tablero.example", "tablero-demo");
    await ana.goto("/workshops");
    await scan(ana, "en, member");
    const agenda = ana.locator(".member-agenda");
    expect(await agenda.textContent()).toContain("Tuesday naming group");
    expect(await agenda.getByRole("link", { name: "Feelings and needs", exact: true }).count()).toBe(1);
    const practise = agenda.getByRole("link", { name: "Practise Feelings and needs" });
    expect(await practise.getAttribute("href")).toMatch(/^\/boards\/\d+\/practice$/);
    await ana.goto(sessionUrl);
    await scan(ana, "en, member");
    expect(await ana.locator("main").textContent()).not.toContain("Ana named 12 of 15");
    expect(await ana.getByRole("heading", { name: "Notes" }).count()).toBe(0);
    expect(await ana.getByRole("button", { name: "Save attendance" }).count()).toBe(0);
    const ics = await ana.request.get(`${workshopUrl}/calendar.ics`);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect(await ics.text()).toMatch(/DTSTART;TZID=Europe\/Madrid:\d{8}T233000\r\n/); // 23:30 wall-clock time in Madrid
    await context.close();
  });

  it("has no accessibility violations in Spanish either", async () => {
    await tomas.goto(`${workshopUrl}/edit`);
    await scan(tomas, "en");
    await tomas.getByRole("button", { name: "Español" }).click();
    await expect.poll(() => tomas.evaluate(() => document.documentElement.lang)).toBe("es");
    for (const path of [...visited].filter((p) => !p.startsWith("/invite/"))) {
      await tomas.goto(path);
      await scan(tomas, "es");
    }
    await tomas.goto(`${sessionUrl}/present`);
    await hydrated(tomas);
    expect(await position(tomas)).toMatch(/^Tarjeta 1 de \d+$/);
    const { context, page: visitor } = await newPage(app, { locale: "es-ES" });
    await visitor.goto(new URL(inviteLink).pathname);
    expect(await heading(visitor)).toBe("Unirse a un taller");
    await scan(visitor, "es, used link");
    await context.close();
    await tomasCtx.close();
  });
});
