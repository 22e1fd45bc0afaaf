import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import type { User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { storeImage, storeTrustedSvg } from "../../app/services/images.server";
import { boardPdf, parsePrintOptions, printableCards, renderCardsPdf } from "../../app/services/print.server";
import type { Translator } from "../../models/embed/index";
import { makeUser, pngBytes, testDb } from "./helpers";
import { pdfText } from "./pdf-text";

const pageCount = (pdf: Buffer) => pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length ?? 0;

let db: Db;
let owner: User;
let boardId: number;
const WORDS = ["niño", "árbol", "cup", "spoon", "pot", "bread", "water", "chair", "table", "door"];

beforeAll(async () => {
  db = await testDb();
  owner = await makeUser(db, "Printer");
  const board = await createBoard(db, owner.id, { title: "Home things", description: "", lang: "en", visibility: "public" });
  boardId = board.id;
  const colours = ["#cc2222", "#22aa44", "#2255cc"];
  for (const [i, word] of WORDS.entries()) {
    const image = await storeImage(db, await pngBytes(120, 90, colours[i % 3]));
    await createCard(db, owner, board.id, { title: word, alt: `a picture of ${word}`, cue: "", note: "", lang: "en" }, image);
  }
});

describe("print options", () => {
  it("reads per, paper and second language", () => {
    expect(parsePrintOptions(new URLSearchParams("per=6&paper=a4&second=es"))).toEqual({
      ok: true,
      options: { per: 6, paper: "a4", second: "es" },
    });
    expect(parsePrintOptions(new URLSearchParams("per=9&paper=letter"))).toEqual({
      ok: true,
      options: { per: 9, paper: "letter", second: null },
    });
  });

  it("reports each bad parameter with a translatable key, keeping what was sent", () => {
    const r = parsePrintOptions(new URLSearchParams("per=5&paper=a3&second=pt"));
    expect(r).toEqual({
      ok: false,
      errors: { per: "stories:print.errors.per", paper: "stories:print.errors.paper", second: "stories:print.errors.second" },
      values: { per: "5", paper: "a3", second: "pt" },
    });
    expect(parsePrintOptions(new URLSearchParams("")).ok).toBe(false);
  });
});

describe("board PDF", () => {
  it("prints 10 cards at 4 per page on 3 pages, every word on them", async () => {
    const r = await boardPdf(db, boardId, null, { per: 4, paper: "a4", second: null }, { compress: false });
    if (!r.ok) throw new Error(r.error);
    expect(r.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pageCount(r.pdf)).toBe(3);
    const text = pdfText(r.pdf);
    for (const w of WORDS) expect(text).toContain(w);
    // Pictures are embedded (as PNG images) and the cut lines are dashed.
    expect(r.pdf.toString("latin1").match(/\/Subtype \/Image/g)?.length).toBe(3); // three distinct pictures
    expect(r.pdf.toString("latin1")).toMatch(/\[6 4\] 0 d/);
  });

  it("fits 10 cards on 2 pages at 6 and on 2 at 9 per page, on Letter too", async () => {
    for (const [per, pages] of [
      [6, 2],
      [9, 2],
    ] as const) {
      const r = await boardPdf(db, boardId, null, { per, paper: "letter", second: null });
      if (!r.ok) throw new Error(r.error);
      expect(pageCount(r.pdf)).toBe(pages);
      expect(r.pdf.toString("latin1")).toContain("/MediaBox [0 0 612 792]");
    }
  });

  it("uses the standard Helvetica when DejaVu is not there, Spanish letters intact", async () => {
    const r = await boardPdf(db, boardId, null, { per: 9, paper: "a4", second: null }, { compress: false, fontDir: "/nonexistent" });
    if (!r.ok) throw new Error(r.error);
    expect(r.pdf.toString("latin1")).toContain("/BaseFont /Helvetica-Bold");
    const text = pdfText(r.pdf);
    expect(text).toContain("niño");
    expect(text).toContain("árbol");
  });

  it("prints Arabic shaped, right to left, with Noto Sans Arabic; digits and Latin words keep their own order", async () => {
    const cards = [{ id: 1, title: "خبز 12", lang: "en" as const, imageKey: "none.png", second: "bread خبز" }];
    const r = await renderCardsPdf(cards, { per: 4, paper: "a4", second: "es" }, { compress: false });
    const raw = r.toString("latin1");
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansArabic-Bold/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansArabic-Regular/);
    // The reader gives each drawn run, left to right as on paper. Read from the right, the line is the
    // word in its logical order: "خبز" then "12" (not "21", as a whole-line reversal would print it).
    const visual = (s: string) => [...s].reverse().join("");
    const runs = pdfText(r)
      .split("\n")
      .map((x) => x.trim())
      .join("|");
    expect(runs).toContain(`12|${visual("خبز")}|`);
    expect(runs).toContain(`|${visual("خبز")}|bread|`);
  });

  it("lays out a right-to-left board from the top right: the first card right of the second", async () => {
    const cards = ["one", "two"].map((title, i) => ({ id: i + 1, title, lang: "en" as const, imageKey: "none.png", second: null }));
    // The x of each text drawn, in drawing order (the cards' order); pdfkit positions every text run with Tm.
    const xs = async (lang: "ar" | "fr") => {
      const raw = (await renderCardsPdf(cards, { per: 4, paper: "a4", second: null }, { compress: false, lang })).toString("latin1");
      return [...raw.matchAll(/1 0 0 -?1 ([\d.]+) [\d.]+ Tm/g)].map((m) => Number(m[1]));
    };
    const [ar1, ar2] = await xs("ar");
    const [fr1, fr2] = await xs("fr");
    expect(fr1!).toBeLessThan(fr2!);
    expect(ar1!).toBeGreaterThan(ar2!);
    // The same places, mirrored: the Arabic first card sits where the French second one does.
    expect(Math.round(ar1!)).toBe(Math.round(fr2!));
  });

  it("without the Arabic font, still prints (in the Latin font), and says which package is missing", async () => {
    const warn = console.warn;
    const said: string[] = [];
    console.warn = (m: string) => void said.push(m);
    try {
      const cards = [{ id: 1, title: "خبز", lang: "en" as const, imageKey: "none.png", second: null }];
      const r = await renderCardsPdf(cards, { per: 4, paper: "a4", second: null }, { compress: false, arabicFontDir: "/nonexistent" });
      expect(r.toString("latin1")).not.toContain("NotoSansArabic");
      expect(r.subarray(0, 5).toString()).toBe("%PDF-");
    } finally {
      console.warn = warn;
    }
    // Said once per process (the first PDF that needed it); this file's first Arabic PDF had the font.
    expect(said.join("")).toMatch(/fonts-noto-core/);
  });

  it("says an empty board has nothing to print, and a private board is a 404 to others", async () => {
    const empty = await createBoard(db, owner.id, { title: "Empty", description: "", lang: "en", visibility: "private" });
    expect(await boardPdf(db, empty.id, owner, { per: 4, paper: "a4", second: null })).toEqual({
      ok: false,
      error: "stories:print.errors.empty",
    });
    const other = await makeUser(db, "Other");
    const thrown = await boardPdf(db, empty.id, other, { per: 4, paper: "a4", second: null }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });
});

describe("second-language words", () => {
  it("pairs starter-library cards by their shared picture first, then asks the translator, else leaves none", async () => {
    const svg = await storeTrustedSvg(
      db,
      Buffer.from('<svg viewBox="0 0 72 72" xmlns="http://www.w3.org/2000/svg"><circle cx="36" cy="36" r="30" fill="#ea5a47"/></svg>'),
    );
    const en = await createBoard(db, owner.id, { title: "Fruit", description: "", lang: "en", visibility: "public" });
    const es = await createBoard(db, owner.id, { title: "Fruta", description: "", lang: "es", visibility: "public" });
    await createCard(db, owner, en.id, { title: "red apple", alt: "a red apple", cue: "", note: "", lang: "en" }, svg, "openmoji:1F34E");
    await createCard(
      db,
      owner,
      es.id,
      { title: "manzana roja", alt: "una manzana roja", cue: "", note: "", lang: "es" },
      svg,
      "openmoji:1F34E",
    );
    const img = await storeImage(db, await pngBytes(50, 50, "#888888"));
    await createCard(db, owner, en.id, { title: "pear", alt: "a pear", cue: "", note: "", lang: "en" }, img);
    await createCard(db, owner, en.id, { title: "zzyzx", alt: "a made-up thing", cue: "", note: "", lang: "en" }, img);
    const asked: string[][] = [];
    // A stand-in with the Translator contract, so this test does not depend on Apertium being installed.
    const translator: Translator = {
      id: "test",
      canTranslate: () => false,
      toEnglish: async (t) => t,
      canTranslateBetween: (from, to) => from === "en" && to === "es",
      translate: async (texts) => (asked.push(texts), texts.map((t) => ({ pear: "pera" })[t] ?? t)),
    };
    const { cards } = await printableCards(db, en.id, null, "es", translator);
    expect(cards.map((c) => [c.title, c.second])).toEqual([
      ["red apple", "manzana roja"],
      ["pear", "pera"],
      ["zzyzx", null], // unknown to the translator: no second word rather than the same one
    ]);
    expect(asked).toEqual([["pear", "zzyzx"]]); // the paired card was not sent to the translator
    const none = await printableCards(db, en.id, null, "en", translator);
    expect(none.cards.every((c) => c.second === null)).toBe(true); // already in English

    const r = await boardPdf(db, en.id, null, { per: 4, paper: "a4", second: "es" }, { compress: false, translator });
    if (!r.ok) throw new Error(r.error);
    const text = pdfText(r.pdf);
    for (const w of ["red apple", "manzana roja", "pear", "pera", "zzyzx"]) expect(text).toContain(w);
  });
});
