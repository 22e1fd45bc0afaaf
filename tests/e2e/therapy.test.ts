import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { openDb } from "../../db/client";
import { boardPins, boards, pins, reviewLogs, users } from "../../db/tables";
import { createCard } from "../../app/services/cards.server";
import { attachBoard } from "../../app/services/workshop-sessions.server";
import { createInvite, createWorkshop, joinWithInvite } from "../../app/services/workshops.server";
import { axe, hydrated, newPage, signIn, startApp, type App } from "./harness";

// Issue 14 in the browser: naming with clues by keyboard alone (nothing names the picture early), undo,
// comprehension, semantic features, writing, each mode axe-clean; and present mode's clue steps.
let app: App;
let page: Page;
let boardPath = "";
const PASSWORD = "tablero-demo";

const focused = (p: Page) =>
  p.evaluate(() => ({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent?.trim() ?? "" }));
async function tabTo(p: Page, text: RegExp, max = 40) {
  for (let i = 0; i < max; i++) {
    if (text.test((await focused(p)).text)) return;
    await p.keyboard.press("Tab");
  }
  throw new Error(`never reached ${text}`);
}
const noAxe = async (p: Page) => expect(await axe(p)).toEqual([]);
const rated = (p: Page) => p.locator(".page-head .meta").textContent();
/** The word of a card, from its close-up page (the practice page must not tell it). */
async function wordOf(p: Page, pinId: string) {
  const html = await (await p.request.get(`/cards/${pinId}`)).text();
  return html.match(/<h1 class="closeup-word"[^>]*>([^<]+)<\/h1>/)![1]!.trim();
}
/** What the page's element with focus is (never <body> after an action: walk-through finding). */
const activeOf = (p: Page) =>
  p.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName.toLowerCase() ?? "", cls: a?.className ?? "", text: a?.textContent?.trim().slice(0, 80) ?? "" };
  });
/**
 * This Chromium has no voices of its own: it is given two, as a device with them lists them, and what
 * it is asked to say is kept. Choosing the voice and the text is the page's own code.
 */
async function fakeVoices(context: BrowserContext, more: [string, string][] = []) {
  await context.addInitScript((more) => {
    const list = [["Daniel", "en-GB"], ["Mónica", "es-ES"], ...more].map(([name, lang]) => ({
      name,
      lang,
      voiceURI: `uri:${name}`,
      default: false,
      localService: true,
    }));
    const said: string[] = [];
    (window as unknown as { __spoken: string[] }).__spoken = said;
    Object.defineProperty(window.speechSynthesis, "getVoices", { value: () => list });
    Object.defineProperty(window.speechSynthesis, "speak", { value: (u: SpeechSynthesisUtterance) => said.push(u.text) });
    window.SpeechSynthesisUtterance = class {
      voice: unknown = null;
      lang = "";
      rate = 1;
      constructor(public text: string) {}
    } as unknown as typeof SpeechSynthesisUtterance;
  }, more);
}
const spoken = (p: Page) => p.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
const pinIdOf = (p: Page) => p.locator('input[name="pinId"], input[name="reveal"]').first().getAttribute("value");

beforeAll(async () => {
  app = await startApp();
  ({ page } = await newPage(app));
  await signIn(page, "ana@tablero.example", PASSWORD);
  await page.goto("/u/1");
  const hrefs = await page.locator('main a[href^="/boards/"][lang="en"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  boardPath = hrefs.find((h) => /^\/boards\/\d+$/.test(h))!;
  expect(boardPath).toBeTruthy();
});
afterAll(async () => app?.stop());

describe("naming practice with clues", () => {
  it("gives clues one at a time by keyboard, never naming the picture early, scores clinically, and undoes", async () => {
    await page.goto(`${boardPath}/practice`);
    await hydrated(page);
    const pinId = (await page.locator('input[name="reveal"]').getAttribute("value"))!;
    const word = await wordOf(page, pinId);
    // Nothing in the accessible tree names the picture before the word is shown.
    const tree = await page.locator("main").ariaSnapshot();
    expect(tree.toLowerCase()).not.toContain(word.toLowerCase());
    expect(await page.locator(".practice-picture").getAttribute("alt")).toBe("Picture to name, card 1");
    expect(await page.getByRole("navigation", { name: "Kind of practice" }).getByRole("link").allTextContents()).toEqual([
      "Say the word",
      "Find the picture",
      "Describe it",
      "Write the word",
    ]);
    await noAxe(page);

    await page.getByRole("heading", { level: 1 }).focus();
    await tabTo(page, /^Give a clue/);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".cue-list li").count()).toBe(1);
    expect(await page.locator(".cue-list li").first().textContent()).toMatch(/^Meaning:/);
    // The starter card's "Starts with …" hint is the first-letters step, never the meaning (walk-through finding).
    expect(await page.locator(".cue-list li").first().textContent()).not.toMatch(/Starts with/);
    await page.keyboard.press("Enter"); // focus stays on the button: the next clue
    await expect.poll(() => page.locator(".cue-list li").count()).toBe(2);
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator(".cue-list li").count()).toBe(3);
    expect(await page.locator(".cue-firstSound").textContent()).toMatch(/^First sound: \S+…$/);
    expect((await page.locator("main").ariaSnapshot()).toLowerCase()).not.toContain(word.toLowerCase());
    await noAxe(page);
    await tabTo(page, /^Show the word$/);
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).text).toBe(`The word is: ${word}`);
    expect(await page.getByRole("button", { name: /^Named with help/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /^Named it/ }).count()).toBe(0);
    expect(await page.getByText("Said it after clue 3.").count()).toBe(1);
    await noAxe(page);
    await page.screenshot({ path: "/tmp/therapy-naming.png", fullPage: true });
    await page.keyboard.press("2"); // Named with help
    await expect.poll(async () => (await focused(page)).id).toBe("card-h");
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 1\./);

    // The next card: no clue, named at once.
    await tabTo(page, /^Show the word$/);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("button", { name: /^Named it/ }).count()).toBe(1);
    await page.keyboard.press("3");
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 2\./);

    // Undo takes the last answer back.
    await tabTo(page, /^Undo last answer$/);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Undone. The last answer is taken back.");
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 1\./);
    // The card comes back as it was first shown: the word hidden, no clue given.
    await expect.poll(() => page.locator(".practice-word").count()).toBe(0);
    expect(await page.locator(".cue-list").count()).toBe(0);

    const db = openDb(join(app.dataDir, "tablero.db"));
    const [ana] = await db.select().from(users).where(eq(users.email, "ana@tablero.example"));
    const logs = await db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, ana!.id));
    expect(logs.map((l) => [l.pinId, l.mode, l.outcome, l.cueLevel, l.rating])).toEqual([[Number(pinId), "naming", "cued", 3, 2]]);
  });

  it("in Spanish too", async () => {
    await page.getByRole("button", { name: "Español" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("es");
    await expect.poll(() => page.getByRole("button", { name: /^Dar una pista/ }).count()).toBe(1);
    await noAxe(page);
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("en");
  });
});

describe("other modes", () => {
  it("comprehension: four pictures; a wrong one is marked and saves nothing, the right one saves", async () => {
    await page.goto(`${boardPath}/practice?mode=comprehension`);
    await hydrated(page);
    expect(await page.getByRole("link", { name: "Find the picture" }).getAttribute("aria-current")).toBe("page");
    const pinId = (await pinIdOf(page))!;
    const choices = page.locator("button[name=choice]");
    expect(await choices.count()).toBe(4);
    expect(await page.locator(".comprehension-word").textContent()).toBe(await wordOf(page, pinId));
    await noAxe(page);
    await page.screenshot({ path: "/tmp/therapy-comprehension.png", fullPage: true });
    const values = await choices.evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).value));
    const wrongIdx = values.findIndex((v) => v !== pinId);
    await choices.nth(wrongIdx).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => choices.nth(wrongIdx).textContent()).toContain("Not this one");
    expect(await rated(page)).toMatch(/Done in this sitting: 0\./);
    await choices.nth(values.indexOf(pinId)).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 1\./);
  });

  it("writing: a wrong spelling keeps what was typed; tiles and first-letter help; the right word saves", async () => {
    await page.goto(`${boardPath}/practice?mode=writing`);
    await hydrated(page);
    const word = await wordOf(page, (await pinIdOf(page))!);
    const field = page.getByLabel("Write the word", { exact: true });
    await field.fill("zzzz");
    await page.getByRole("button", { name: "Check" }).press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Not quite. Look again and try once more.");
    expect(await field.inputValue()).toBe("zzzz");
    await noAxe(page);
    await page.getByRole("button", { name: "Clear" }).click();
    // Tap the word's first letter on a tile.
    await page
      .getByRole("button", { name: `Letter ${word[0]!.toLowerCase()}` })
      .first()
      .click();
    expect(await field.inputValue()).toBe(word[0]!.toLowerCase());
    await page.getByRole("button", { name: "Show the first letters" }).click();
    await expect.poll(() => page.locator(".writing-help").textContent()).toMatch(/^It starts with/);
    await field.fill(word.toUpperCase());
    await page.screenshot({ path: "/tmp/therapy-writing.png", fullPage: true });
    await page.getByRole("button", { name: "Check" }).click();
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 1\./);
  });

  it("semantic features: guided questions, then the word; answers on someone else's card are not kept", async () => {
    await page.goto(`${boardPath}/practice?mode=features`);
    await hydrated(page);
    expect(await page.getByText("This card belongs to someone else.", { exact: false }).count()).toBe(1);
    await page.getByLabel("What group is it in?").fill("food");
    await page.getByLabel("What is it used for?").fill("eating");
    await noAxe(page);
    await page.getByRole("button", { name: "Show the word" }).click();
    await page.getByRole("button", { name: /^Named it/ }).click();
    await expect.poll(() => rated(page)).toMatch(/Done in this sitting: 1\./);
    await noAxe(page);
  });
});

describe("present mode with clues", () => {
  it("the therapist shows the picture, gives clues and the word one key at a time, and marks the group", async () => {
    // A workshop meeting today with one participant (Ana) and a board of cards, made through the services.
    const db = openDb(join(app.dataDir, "tablero.db"));
    const [tomas] = await db.select().from(users).where(eq(users.email, "tomas@tablero.example"));
    const [ana] = await db.select().from(users).where(eq(users.email, "ana@tablero.example"));
    const today = new Date().toISOString().slice(0, 10);
    const w = await createWorkshop(db, tomas!, {
      title: "Naming group",
      description: "",
      lang: "es",
      weekday: new Date(`${today}T12:00:00Z`).getUTCDay(),
      startTime: "12:00",
      durationMinutes: 60,
      timeZone: "UTC",
      startsOn: today,
      endsOn: "",
      place: "",
      videoUrl: "",
      capacity: 5,
    });
    if (!w.ok) throw new Error(JSON.stringify(w.errors));
    const { token } = await createInvite(db, w.workshop.id, tomas!, "participant");
    expect((await joinWithInvite(db, token, ana!)).ok).toBe(true);
    const [board] = await db.select().from(boards).where(eq(boards.ownerId, tomas!.id));
    // A French card last on the board: its clues are French sentences, shown and read aloud in French.
    const [pic] = await db.select().from(pins).innerJoin(boardPins, eq(boardPins.pinId, pins.id)).where(eq(boardPins.boardId, board!.id));
    const image = { key: pic!.pin.imageKey, width: pic!.pin.imageWidth, height: pic!.pin.imageHeight };
    await createCard(db, tomas!, board!.id, { title: "pomme", alt: "Une pomme rouge", cue: "", note: "", lang: "fr" }, image);
    await attachBoard(db, w.workshop.id, today, tomas!, board!.id);

    const t = await newPage(app);
    await fakeVoices(t.context, [["Amélie", "fr-FR"]]);
    await signIn(t.page, "tomas@tablero.example", PASSWORD);
    await t.page.goto(`/workshops/${w.workshop.id}/sessions/${today}/present?naming=1`);
    await hydrated(t.page);
    const p = t.page;
    expect(await p.locator(".present-word").count()).toBe(0);
    expect(await p.locator(".present-card img").getAttribute("alt")).toMatch(/^(Picture|Imagen) 1 (of|de) \d+$/);
    await noAxe(p);
    // Before any clue, nothing can be read aloud (the word is hidden).
    expect(await p.getByRole("button", { name: /Read/ }).count()).toBe(0);
    await p.locator(".presentation").focus();
    await p.keyboard.press("Space");
    await expect.poll(() => p.locator(".present-cues li").count()).toBe(1);
    // C and W work wherever focus is in the deck, a button included (only text fields keep their letters).
    await p.getByRole("button", { name: /^(Give a clue|Dar una pista)$/ }).focus();
    await p.keyboard.press("c");
    await expect.poll(() => p.locator(".present-cues li").count()).toBe(2);
    // "Read the clue aloud" reads the clue on screen, never the hidden word.
    const clue = (await p.locator(".present-cues li").nth(1).locator(".cue-text").textContent())!;
    await p.getByRole("button", { name: /^(Read the clue aloud|Leer la pista en voz alta)$/ }).click();
    await expect.poll(() => spoken(p)).toEqual([clue]);
    await p.keyboard.press("w"); // focus is on "Read the clue aloud"
    await expect.poll(() => p.locator(".present-word").count()).toBe(1);
    // Once the word is shown, neither a clue nor the word is offered any more.
    expect(await p.getByRole("button", { name: /^(Give a clue|Dar una pista|Show the word|Mostrar la palabra)$/ }).count()).toBe(0);
    await noAxe(p);
    await p.screenshot({ path: "/tmp/therapy-present.png", fullPage: true });
    const shownWord = (await p.locator(".present-word").textContent())!;
    await p.getByRole("button", { name: /^(Read aloud|Leer en voz alta)$/ }).click();
    await expect.poll(() => spoken(p)).toEqual([clue, shownWord]);
    await p.locator("button[name=outcome][value=cued]").focus();
    await p.keyboard.press("Enter");
    await expect.poll(() => p.locator(".present-saved").textContent()).toMatch(/1/);
    // Saving does not take focus away from the mark button that was pressed.
    expect(await p.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value)).toBe("cued");
    // A new card replaces the mark buttons: focus stays in the deck, not on <body>.
    await p.keyboard.press("ArrowRight");
    await expect.poll(() => p.locator(".present-position").textContent()).toMatch(/^(Card|Tarjeta) 2/);
    expect(await p.evaluate(() => document.activeElement?.className)).toBe("presentation");
    await p.keyboard.press("ArrowLeft");
    await expect.poll(() => p.locator(".present-position").textContent()).toMatch(/^(Card|Tarjeta) 1/);
    const logs = await db.select().from(reviewLogs).where(eq(reviewLogs.ratedBy, tomas!.id));
    expect(logs.map((l) => [l.learnerId, l.mode, l.outcome, l.cueLevel])).toEqual([[ana!.id, "naming", "cued", 2]]);
    // Space after the word goes to the next card, its word hidden again.
    await p.locator(".presentation").focus();
    await p.keyboard.press("Space");
    await expect.poll(() => p.locator(".present-position").textContent()).toMatch(/^(Card|Tarjeta) 2/);
    expect(await p.locator(".present-word").count()).toBe(0);
    // Every clue with the clue button: the fifth is the word itself, and then both buttons go while
    // focus stays in the deck, not on <body>.
    // On an Arabic keyboard the C key types "ؤ": the shortcut follows the key's place (code KeyC).
    await p.evaluate(() => document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "ؤ", code: "KeyC", bubbles: true })));
    await expect.poll(() => p.locator(".present-cues li").count()).toBe(1);
    const clueButton = p.getByRole("button", { name: /^(Give a clue|Dar una pista)$/ });
    await clueButton.focus();
    for (let i = 2; i <= 5; i++) {
      await p.keyboard.press("Enter");
      await expect.poll(() => p.locator(".present-cues li").count()).toBe(i);
    }
    await expect.poll(() => p.locator(".present-word").count()).toBe(1);
    expect(await clueButton.count()).toBe(0);
    expect(await p.getByRole("button", { name: /^(Show the word|Mostrar la palabra)$/ }).count()).toBe(0);
    expect(await p.evaluate(() => document.activeElement?.className)).toBe("presentation");
    // The French card, last: its first clue is a French sentence, and that is what is read aloud.
    await p.keyboard.press("End");
    await p.keyboard.press("c");
    await expect.poll(() => p.locator(".present-cues li").count()).toBe(1);
    const french = (await p.locator(".present-cues li").first().locator(".cue-text").textContent())!;
    const before = (await spoken(p)).length;
    await p.getByRole("button", { name: /^(Read the clue aloud|Leer la pista en voz alta)$/ }).click();
    await expect.poll(async () => (await spoken(p)).slice(before)).toEqual([french]);
    expect(french).not.toMatch(/This is called|Think about/);
    await t.context.close();
  });
});

describe("focus never falls to the page", () => {
  it("after the last clue, a wrong picture and the first letters, focus is on what matters next", async () => {
    await page.goto(`${boardPath}/practice`);
    await hydrated(page);
    const clue = page.locator("button.practice-clue");
    await clue.focus();
    // Every clue by keyboard; after the last one the clue button is gone and "Show the word" has focus.
    for (let i = 0; i < 10 && (await clue.count()); i++) {
      const before = await page.locator(".cue-list li").count();
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator(".cue-list li").count()).toBe(before + 1);
    }
    expect(await page.locator(".cue-list li").count()).toBe(5);
    expect(await activeOf(page)).toMatchObject({ tag: "button", text: "Show the word" });

    // Comprehension: a wrong picture keeps focus on the picture pressed (now marked "Not this one").
    await page.goto(`${boardPath}/practice?mode=comprehension`);
    await hydrated(page);
    const pinId = (await pinIdOf(page))!;
    const choices = page.locator("button[name=choice]");
    const values = await choices.evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).value));
    const wrongIdx = values.findIndex((v) => v !== pinId);
    await choices.nth(wrongIdx).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => choices.nth(wrongIdx).textContent()).toContain("Not this one");
    expect(await activeOf(page)).toMatchObject({ tag: "button", text: `Picture ${wrongIdx + 1} · Not this one` });

    // Writing: "Show the first letters" goes away; focus is on the text field, described by the letters
    // shown, so the word can be typed at once.
    await page.goto(`${boardPath}/practice?mode=writing`);
    await hydrated(page);
    await page.getByRole("button", { name: "Show the first letters" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => activeOf(page)).toMatchObject({ tag: "input", cls: "writing-input" });
    const typedBox = page.getByLabel("Write the word", { exact: true });
    await expect
      .poll(() =>
        typedBox.evaluate((el) =>
          (el.getAttribute("aria-describedby") ?? "").split(" ").map((d) => document.getElementById(d)?.textContent),
        ),
      )
      .toEqual([expect.stringMatching(/^It starts with/)]);
    await page.keyboard.type("q");
    expect(await typedBox.inputValue()).toBe("q");
    // A wrong spelling keeps focus on "Check" (it is never disabled while checking).
    await page.getByLabel("Write the word", { exact: true }).fill("zzzz");
    await page.getByRole("button", { name: "Check" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Not quite. Look again and try once more.");
    expect(await activeOf(page)).toMatchObject({ tag: "button", text: "Check" });
  });
});

describe("comprehension by ear", () => {
  it("the word can be heard (the synthetic voice when no one recorded it) and the written word hidden", async () => {
    const c = await newPage(app);
    await fakeVoices(c.context);
    const p = c.page;
    await signIn(p, "ana@tablero.example", PASSWORD);
    await p.goto(`${boardPath}/practice?mode=comprehension`);
    await hydrated(p);
    const word = (await p.locator(".comprehension-word").textContent())!;
    await p.getByRole("button", { name: "Hear the word" }).click();
    await expect.poll(() => spoken(p)).toEqual([word]);
    // Spoken word only: the written word goes; the button stays where it was (and keeps focus), now
    // looks "on" and says what pressing it does next.
    const hide = p.getByRole("button", { name: "Hide the written word" });
    const offLook = await hide.evaluate((b) => getComputedStyle(b).backgroundColor);
    await hide.focus();
    await p.keyboard.press("Enter");
    await expect.poll(() => p.locator(".comprehension-word").count()).toBe(0);
    expect(await activeOf(p)).toMatchObject({ tag: "button", text: "Show the written word" });
    const show = p.getByRole("button", { name: "Show the written word" });
    expect(await show.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(offLook);
    expect((await p.locator("main").ariaSnapshot()).toLowerCase()).not.toContain(word.toLowerCase());
    await p.getByRole("button", { name: "Hear the word" }).click();
    await expect.poll(() => spoken(p)).toEqual([word, word]);
    await noAxe(p);
    // Pressed again, the written word is back and the button is as it was.
    await show.click();
    await expect.poll(() => p.locator(".comprehension-word").textContent()).toBe(word);
    expect(await hide.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(offLook);
    await c.context.close();
  });
});
