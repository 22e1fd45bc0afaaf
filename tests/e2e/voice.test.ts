import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, hydrated, signIn, startApp, type App } from "./harness";

/**
 * Recording one's own voice (issue 14) in the real Chromium, with its fake microphone (a real audio
 * stream, so MediaRecorder makes a real WebM/Opus file), then hearing it in the card's close-up.
 */
let app: App;
let browser: Browser;
beforeAll(async () => {
  app = await startApp({ browser: false });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function newPage(locale = "en-GB") {
  const context = await browser.newContext({ baseURL: app.url, locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  // Every play() of a media element, with what it played and whether the browser could play it.
  await context.addInitScript(() => {
    const w = window as unknown as { __played: { src: string; ok: boolean }[] };
    w.__played = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      const p = play.call(this);
      p.then(
        () => w.__played.push({ src: this.currentSrc || this.src, ok: true }),
        () => w.__played.push({ src: this.currentSrc || this.src, ok: false }),
      );
      return p;
    };
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return { context, page };
}

describe("own voice", () => {
  it("sends the microphone permission only on the recording page, and the browser obeys it", async () => {
    const mic = (r: Response) => r.headers.get("permissions-policy") ?? "";
    expect(mic(await fetch(`${app.url}/cards/1/voice`, { redirect: "manual" }))).toContain("microphone=(self)");
    for (const path of ["/", "/cards/1", "/settings", "/boards/1/practice"])
      expect(mic(await fetch(`${app.url}${path}`, { redirect: "manual" })), path).toContain("microphone=()");

    const { context, page } = await newPage();
    await page.goto("/cards/1");
    await hydrated(page);
    const blocked = await page.evaluate(() =>
      navigator.mediaDevices.getUserMedia({ audio: true }).then(
        () => "allowed",
        (e: DOMException) => e.name,
      ),
    );
    expect(blocked).toBe("NotAllowedError");
    await context.close();
  });

  // María, the demo creator, has her account in Spanish: these pages are checked in Spanish.
  it("records the word with the microphone, saves it, and plays it in the close-up", async () => {
    const { context, page } = await newPage();
    await signIn(page, "maria@tablero.example", "tablero-demo");
    await page.goto("/cards/1");
    await hydrated(page);
    await page.getByRole("link", { name: "Graba tu voz" }).click();
    await page.waitForURL(/\/cards\/1\/voice$/);
    await hydrated(page);
    expect(await axe(page)).toEqual([]);

    const word = page.getByRole("region", { name: "La palabra" });
    await word.getByRole("button", { name: /^Empezar a grabar/ }).click();
    await expect.poll(() => word.getByText("Grabando…").isVisible()).toBe(true);
    // Stop has the focus: a keyboard user presses Enter or Space to stop.
    await page.waitForTimeout(1500);
    await page.keyboard.press("Enter");
    await word.getByRole("button", { name: "Guardar grabación" }).waitFor();
    await word.getByRole("button", { name: "Guardar grabación" }).click();
    await word.getByRole("status").filter({ hasText: "Grabación guardada." }).waitFor();
    await word.getByText(/^Tu grabación \(1,\d s\)$/).waitFor();
    const src = await word.locator("audio").first().getAttribute("src");
    expect(src).toMatch(/^\/audio\/[a-f0-9]{64}\.webm$/);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(app.dataDir, "voice-page.png"), fullPage: true });

    // Served as audio, with ranges.
    const whole = await fetch(`${app.url}${src}`);
    expect(whole.headers.get("content-type")).toBe("audio/webm");
    const part = await fetch(`${app.url}${src}`, { headers: { Range: "bytes=0-3" } });
    expect(part.status).toBe(206);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML

    await page.goto("/cards/1");
    await hydrated(page);
    await page.getByRole("button", { name: "Leer en voz alta" }).first().click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __played: { src: string; ok: boolean }[] }).__played))
      .toEqual([{ src: `${app.url}${src}`, ok: true }]);

    // Delete it: the close-up falls back to the synthetic voice.
    await page.goto("/cards/1/voice");
    await hydrated(page);
    await word.getByRole("button", { name: "Borrar grabación" }).click();
    await word.getByRole("status").filter({ hasText: "Grabación borrada." }).waitFor();
    await word.getByText("Todavía no hay grabación.").waitFor();
    await context.close();
  });

  it("plays someone's own recording only for them (and those they practise with): a stranger gets a 404", async () => {
    const { context, page } = await newPage();
    await signIn(page, "ana@tablero.example", "tablero-demo");
    // Ana (not the card's creator) says the word of card 1 in her own voice.
    const res = await context.request.post("/cards/1/voice", {
      headers: { Origin: app.url },
      multipart: {
        intent: "save",
        slot: "word",
        audio: {
          name: "recording.webm",
          mimeType: "audio/webm",
          buffer: readFileSync(join(__dirname, "../support/audio/recorded-chromium.webm")),
        },
      },
    });
    expect(res.status()).toBeLessThan(400);
    const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const { key } = db
      .prepare("SELECT c.key FROM audio_clip c JOIN user u ON u.id = c.owner_id WHERE u.email = 'ana@tablero.example' AND c.pin_id = 1")
      .get() as { key: string };
    db.close();
    expect((await context.request.get(`/audio/${key}`)).status()).toBe(200);
    // Anyone else, signed in or not: not found.
    expect((await fetch(`${app.url}/audio/${key}`)).status).toBe(404);
    const other = await newPage();
    await signIn(other.page, "tomas@tablero.example", "tablero-demo");
    expect((await other.context.request.get(`/audio/${key}`)).status()).toBe(404);
    await other.context.close();
    await context.close();
  });

  it("refuses a text file named .mp3 and a file over 2 MB with a clear message, on the page and from the server", async () => {
    const { context, page } = await newPage();
    await signIn(page, "maria@tablero.example", "tablero-demo");
    await page.goto("/cards/1/voice");
    await hydrated(page);
    const word = page.getByRole("region", { name: "La palabra" });
    const fake = join(app.dataDir, "word.mp3");
    writeFileSync(fake, "this is not a sound, only words\n".repeat(40));
    await word.getByLabel("O sube un archivo de sonido").setInputFiles(fake);
    await word.getByRole("button", { name: "Subir" }).click();
    await word
      .getByRole("alert")
      .filter({ hasText: "No es un archivo de sonido que podamos reproducir. Usa MP3, WAV, M4A, Ogg o WebM." })
      .waitFor();
    expect(await axe(page)).toEqual([]);

    const big = join(app.dataDir, "big.wav");
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 1));
    await word.getByLabel("O sube un archivo de sonido").setInputFiles(big);
    await word.getByRole("button", { name: "Subir" }).click();
    await word.getByRole("alert").filter({ hasText: "El archivo es demasiado grande. El límite es 2 MB." }).waitFor();

    // Without the page's own check (no JavaScript), the server answers with the form and its message, not a 413 page.
    const res = await context.request.post("/cards/1/voice", {
      headers: { Origin: app.url },
      multipart: {
        intent: "save",
        slot: "word",
        audio: { name: "big.wav", mimeType: "audio/wav", buffer: Buffer.alloc(3 * 1024 * 1024, 1) },
      },
    });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain("El archivo es demasiado grande. El límite es 2 MB.");
    await context.close();
  });

  it("says so, in Spanish too, when no voice can read aloud; the voice picker lists what the device has", async () => {
    const { context, page } = await newPage("es-ES");
    await page.goto("/cards/2");
    await hydrated(page);
    const voices = await page.evaluate(
      () =>
        new Promise<number>((r) =>
          setTimeout(
            () =>
              r(
                speechSynthesis.getVoices().filter((v) => v.lang.startsWith(document.querySelector("h1")?.getAttribute("lang") ?? ""))
                  .length,
              ),
            1000,
          ),
        ),
    );
    await page
      .getByRole("button", { name: /Leer en voz alta/ })
      .first()
      .click();
    if (voices === 0)
      await page
        .getByRole("alert")
        .filter({ hasText: /Este dispositivo no tiene una voz para leer en/ })
        .first()
        .waitFor();
    await page.goto("/settings");
    await hydrated(page);
    await page.getByRole("heading", { name: "Voz de lectura" }).waitFor();
    await page
      .getByText(/^(Este dispositivo no tiene voz para|Voz para)/)
      .first()
      .waitFor();
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(app.dataDir, "settings-voices.png"), fullPage: true });
    await context.close();
  });
  it("reads aloud with the voice chosen per language in Settings (Latin American Spanish offered)", async () => {
    const { context, page } = await newPage("es-ES");
    // This Chromium has no voices of its own: it is given four, as a device with them lists them, and
    // what it is asked to say is kept. Everything else (picker, saving, choosing at read time) is real.
    await context.addInitScript(() => {
      const list = [
        ["Daniel", "en-GB"],
        ["Mónica", "es-ES"],
        ["Paulina", "es-MX"],
        ["Juan", "es-US"],
      ].map(([name, lang]) => ({ name, lang, voiceURI: `uri:${name}`, default: false, localService: true }));
      const spoken: { text: string; voice: string | undefined }[] = [];
      (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
      Object.defineProperty(window.speechSynthesis, "getVoices", { value: () => list });
      Object.defineProperty(window.speechSynthesis, "speak", {
        value: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, voice: (u.voice as unknown as { name: string } | null)?.name }),
      });
      window.SpeechSynthesisUtterance = class {
        voice: unknown = null;
        lang = "";
        rate = 1;
        constructor(public text: string) {}
      } as unknown as typeof SpeechSynthesisUtterance;
    });
    await page.goto("/settings");
    await hydrated(page);
    const spanish = page.getByLabel("Voz para español");
    // Spain's voice first, then Latin America's, each named with its region in the page's language.
    const options = await spanish.locator("option").allTextContents();
    expect(options[0]).toBe("La que elija el dispositivo");
    expect(options.slice(1)).toEqual([
      expect.stringMatching(/^Mónica \(.*España/),
      expect.stringMatching(/^Paulina \(.*México/),
      expect.stringMatching(/^Juan \(.*Estados Unidos/),
    ]);
    await spanish.selectOption("uri:Paulina");
    await page.getByRole("button", { name: "Guardar voces" }).click();
    await page.waitForURL(/saved=voices/);
    await hydrated(page);
    expect(await page.getByLabel("Voz para español").inputValue()).toBe("uri:Paulina");
    expect(await axe(page)).toEqual([]);

    const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const card = db.prepare("SELECT id, title FROM pin WHERE lang = 'es' AND kind = 'flashcard' LIMIT 1").get() as {
      id: number;
      title: string;
    };
    db.close();
    await page.goto(`/cards/${card.id}`);
    await hydrated(page);
    await page.getByRole("button", { name: "Leer en voz alta" }).first().click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __spoken: unknown[] }).__spoken))
      .toEqual([{ text: card.title, voice: "Paulina" }]);
    await context.close();
  });
});
