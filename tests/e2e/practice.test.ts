import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { confirmSignUpByEmail, startMailbox, type Mailbox } from "../mailbox";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// Practice with spaced repetition, as issue 4 describes it: a learner gives a relative access by email;
// the relative practises a starter-library board WITH the learner by keyboard alone, closes the
// browser half-way, and every rating given is in the learner's progress (chart and table).
let app: App;
let mailbox: Mailbox;
const stamp = Date.now();
const learner = { name: "Dad", email: `dad-${stamp}@example.com` };
const relative = { name: "Lucía", email: `lucia-${stamp}@example.com` };
const password = "a long enough password";
let learnerId = 0;
let boardPath = "";
let learnerPage: Page;

async function signUp(page: Page, who: { name: string; email: string }) {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel(/^Display name/).fill(who.name);
  await page.getByLabel(/^Email/).fill(who.email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await confirmSignUpByEmail(page, mailbox, who.email);
  await page.waitForURL((u) => u.pathname === "/");
}

const focused = (page: Page) =>
  page.evaluate(() => ({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent?.trim() ?? "" }));

async function noAxeViolations(page: Page) {
  expect(await axe(page)).toEqual([]);
}

/** Tabs forward until the focused element's text matches, as a keyboard user would. */
async function tabTo(page: Page, text: RegExp, max = 40) {
  for (let i = 0; i < max; i++) {
    if (text.test((await focused(page)).text)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`never reached ${text}`);
}

beforeAll(async () => {
  // New accounts are confirmed by an emailed link: a real local SMTP server receives it.
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

describe("practice", () => {
  it("asks a visitor to sign in first, and comes back after", async () => {
    const { context, page } = await newPage(app);
    // A seeded starter-library topic board: María (the first seeded account) made them, in English and Spanish.
    await page.goto("/u/1");
    const hrefs = await page
      .locator('main a[href^="/boards/"][lang="en"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    boardPath = hrefs.find((h) => /^\/boards\/\d+$/.test(h))!;
    expect(boardPath).toBeTruthy();
    await page.goto(`${boardPath}/practice`);
    await hydrated(page);
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toBe("Sign in to practise");
    await noAxeViolations(page);
    await page.getByRole("link", { name: "Sign in", exact: true }).last().click();
    await page.waitForURL(/\/login\?redirectTo=/);
    expect(decodeURIComponent(page.url())).toContain(`redirectTo=${boardPath}/practice`);
    await context.close();
  });

  it("the learner invites the relative by email (the same answer for any email), and the relative accepts", async () => {
    const r = await newPage(app);
    await signUp(r.page, relative);
    ({ page: learnerPage } = await newPage(app));
    await signUp(learnerPage, learner);
    await learnerPage.getByRole("navigation").getByRole("link", { name: "Practice" }).click();
    await learnerPage.waitForURL((u) => u.pathname === "/practice");
    await expect.poll(() => learnerPage.getByRole("heading", { level: 1 }).textContent()).toBe("Practice");
    await noAxeViolations(learnerPage);

    const field = learnerPage.getByLabel(/^Their email/);
    await field.fill(learner.email);
    await learnerPage.getByRole("button", { name: "Invite" }).click();
    await expect.poll(() => learnerPage.getByRole("alert").textContent()).toContain("This is your own email");
    expect(await field.inputValue()).toBe(learner.email); // what was typed is kept
    await noAxeViolations(learnerPage);
    // An email without an account and one with an account get the same answer, naming nobody.
    const answer = async (email: string) => {
      await learnerPage.getByLabel(/^Their email/).fill(email);
      await learnerPage.getByRole("button", { name: "Invite" }).click();
      await expect.poll(() => learnerPage.getByRole("status").first().textContent()).toContain(email.toLowerCase());
      return (await learnerPage.getByRole("status").first().textContent())!.replace(email.toLowerCase(), "X");
    };
    const unknown = await answer(`nobody-${stamp}@example.com`);
    // The invite form is new after an invitation: focus is on the message that says what happened, not <body>.
    await expect.poll(() => learnerPage.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("status");
    expect(await answer(relative.email.toUpperCase())).toBe(unknown);
    expect(await learnerPage.getByRole("main").textContent()).not.toContain(relative.name);
    await noAxeViolations(learnerPage);

    // The relative sees the offer on their Practice page and accepts it.
    await r.page.goto("/practice");
    await hydrated(r.page);
    expect(await r.page.getByText(`${learner.name} invites you to practise with them`).count()).toBe(1);
    await noAxeViolations(r.page);
    await r.page.getByRole("button", { name: new RegExp(`^Accept\\s*: ${learner.name}$`) }).focus();
    await r.page.keyboard.press("Enter");
    await expect.poll(() => r.page.getByRole("status").first().textContent()).toBe(`You can now practise with ${learner.name}.`);
    // The Accept button is gone with its offer: focus went to that message, not to <body>.
    await expect.poll(() => r.page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("status");
    await r.context.close();
    await learnerPage.reload();
    await expect.poll(() => learnerPage.getByRole("button", { name: new RegExp(`^Remove access\\s*: ${relative.name}$`) }).count()).toBe(1);
  });

  it("the relative practises with the learner by keyboard alone, then closes the browser half-way", async () => {
    const { context, page } = await newPage(app);
    await signIn(page, relative.email, password);
    await page.goto("/practice");
    expect(await page.getByRole("heading", { name: `Practise with ${learner.name}` }).count()).toBe(1);
    // Nobody else may practise for the learner: the learner cannot act for the relative either.
    const relId = await page.evaluate(() => Number(document.querySelector('nav a[href^="/u/"]')?.getAttribute("href")?.split("/")[2]));
    expect((await learnerPage.goto(`${boardPath}/practice?learner=${relId}`))?.status()).toBe(404);

    await page.goto(`${boardPath}/practice`);
    await hydrated(page);
    // Choose who is practising: the learner.
    const who = page.getByRole("navigation", { name: "Who is practising?" }).getByRole("link", { name: learner.name });
    learnerId = Number(new URL((await who.getAttribute("href"))!, app.url).searchParams.get("learner"));
    expect(learnerId).toBeGreaterThan(0);
    await who.click();
    await page.waitForURL((u) => u.searchParams.get("learner") === String(learnerId));
    await expect.poll(() => page.getByText(`You are practising with ${learner.name}.`).count()).toBe(1);
    await noAxeViolations(page);

    // Keys: 3 "Named it", 1 "Not yet" (issue 14's clinical scoring; 2 is "Named with help" after a clue).
    const ratings = ["3", "1", "3", "1"];
    for (const [i, key] of ratings.entries()) {
      if (i === 0) {
        await page.getByRole("heading", { level: 1 }).focus();
      } else {
        // Focus moved to the new card's heading, and the change was announced.
        await expect.poll(async () => (await focused(page)).id).toBe("card-h");
        await expect.poll(() => page.getByRole("status").textContent()).toBe("Saved. Here is the next card.");
      }
      expect(await page.locator("#card-h").textContent()).toContain(`Card ${i + 1}`);
      expect(await page.locator(".practice-picture").getAttribute("alt")).toBeTruthy();
      expect(await page.locator(".practice-word").count()).toBe(0); // the word is hidden until asked for
      await tabTo(page, /^Show the word$/);
      await page.keyboard.press(i % 2 ? "Space" : "Enter");
      await expect.poll(async () => (await focused(page)).text).toMatch(/^The word is:/);
      if (i === 0) {
        expect(await page.getByRole("button", { name: "Read aloud" }).count()).toBe(1);
        expect(await page.getByRole("button", { name: /^Named it/ }).count()).toBe(1);
        await noAxeViolations(page);
        await page.screenshot({ path: "/tmp/practice-card.png", fullPage: true });
      }
      await page.keyboard.press(key);
    }
    await expect.poll(async () => (await focused(page)).id).toBe("card-h");
    expect(await page.locator("#card-h").textContent()).toContain("Card 5");

    // In Spanish too.
    await page.getByRole("button", { name: "Español" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("es");
    await expect.poll(() => page.getByRole("button", { name: "Mostrar la palabra" }).count()).toBe(1);
    await noAxeViolations(page);
    await page.getByRole("button", { name: "Mostrar la palabra" }).press("Enter");
    await expect.poll(() => page.getByRole("button", { name: /^La dijo/ }).count()).toBe(1);
    await noAxeViolations(page);
    // Close the browser with card 5 shown and not rated.
    await context.close();

    // Coming back resumes the same sitting: four answers are already there.
    const again = await newPage(app);
    await signIn(again.page, relative.email, password);
    await again.page.goto(`${boardPath}/practice?learner=${learnerId}`);
    expect(await again.page.locator(".page-head .meta").textContent()).toMatch(/: 4\./);
    // A grantee sees the learner's progress (but may not delete it: there is no such section).
    await again.page.goto(`/practice/progress?learner=${learnerId}`);
    expect(await again.page.getByRole("heading", { level: 1 }).textContent()).toBe(`Progreso de ${learner.name}`);
    expect(await again.page.locator("#delete-h").count()).toBe(0);
    await again.context.close();
  });

  it("the learner sees every rating in the progress chart and table, in English and Spanish", async () => {
    await learnerPage.goto("/practice");
    expect(await learnerPage.locator(".practice-board").count()).toBe(1);
    await learnerPage.getByRole("link", { name: "See my progress" }).click();
    await learnerPage.waitForURL((u) => u.pathname === "/practice/progress");
    await hydrated(learnerPage);
    const total = (label: string) => learnerPage.locator(".progress-totals div", { hasText: label }).locator("dd").textContent();
    expect(await total("Answers given")).toBe("4");
    expect(await total("Cards practised")).toBe("4");
    expect(await total("Sittings")).toBe("1");
    // The chart: one image with a spoken summary, drawn by recharts.
    const chart = learnerPage.getByRole("img", { name: /^Chart from .*\. Cards learned in all: \d+\. Sittings: 1\. Answers: 4\.$/ });
    expect(await chart.count()).toBe(1);
    await expect.poll(() => learnerPage.locator(".progress-chart svg .recharts-bar-rectangle").count()).toBeGreaterThan(0);
    // The table alternative.
    await learnerPage.getByText("Show as table").click();
    const table = learnerPage.getByRole("table", { name: "Cards learned, sittings and answers, by day" });
    const lastRow = table.locator("tbody tr").last();
    expect(await lastRow.locator("td").allTextContents()).toEqual([expect.stringMatching(/^\d$/), "1", "4"]);
    await noAxeViolations(learnerPage);
    await learnerPage.screenshot({ path: "/tmp/practice-progress.png", fullPage: true });

    await learnerPage.getByRole("button", { name: "Español" }).click();
    await expect.poll(() => learnerPage.evaluate(() => document.documentElement.lang)).toBe("es");
    await expect.poll(() => learnerPage.getByRole("heading", { level: 1 }).textContent()).toBe("Mi progreso");
    await noAxeViolations(learnerPage);
    await learnerPage.goto("/practice");
    await noAxeViolations(learnerPage);
    await learnerPage.getByRole("button", { name: "English" }).click();
    await expect.poll(() => learnerPage.evaluate(() => document.documentElement.lang)).toBe("en");
  });

  it("when nothing is due, says so kindly and offers to practise more anyway", async () => {
    // Answer "Easy" to every card the server offers (the same requests the page's forms send).
    for (let i = 0; i < 40; i++) {
      const html = await (await learnerPage.request.get(`${boardPath}/practice`)).text();
      const pinId = html.match(/name="reveal" value="(\d+)"/)?.[1];
      if (!pinId) break;
      const res = await learnerPage.request.post(`${boardPath}/practice`, { form: { pinId, rating: "4" }, maxRedirects: 0 });
      expect(res.status()).toBe(302);
    }
    await learnerPage.goto(`${boardPath}/practice`);
    await hydrated(learnerPage);
    expect(await learnerPage.getByRole("heading", { level: 2 }).first().textContent()).toBe("All done for now");
    expect(await learnerPage.getByText("No cards are waiting.", { exact: false }).count()).toBe(1);
    await noAxeViolations(learnerPage);
    await learnerPage.screenshot({ path: "/tmp/practice-done.png", fullPage: true });
    await learnerPage.getByRole("link", { name: "Practise more anyway" }).click();
    await expect.poll(() => learnerPage.locator("#card-h").textContent()).toContain("Extra practice");
    await expect.poll(async () => (await focused(learnerPage)).id).toBe("card-h");
  });

  it("only the learner can delete the history, after confirming", async () => {
    await learnerPage.goto("/practice/progress");
    await hydrated(learnerPage);
    await learnerPage.getByRole("link", { name: "Delete my practice history" }).click();
    await expect.poll(async () => (await focused(learnerPage)).text).toBe("Are you sure?");
    await noAxeViolations(learnerPage);
    await learnerPage.getByRole("button", { name: "Yes, delete it" }).click();
    await expect.poll(() => learnerPage.getByRole("status").textContent()).toBe("Your practice history is deleted.");
    expect(await learnerPage.getByText("No practice yet.", { exact: false }).count()).toBe(1);
  });
});
