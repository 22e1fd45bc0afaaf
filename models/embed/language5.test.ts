import { describe, expect, it } from "vitest";
import { FreeDict } from "../lang/freedict";
import { dictionaryVocabulary } from "../lang/vocabulary";
import { detectContentLanguage, type ContentLang } from "./language";

const installed = ["deu-eng", "fra-eng", "spa-eng", "eng-deu", "eng-fra"].every((p) => FreeDict.installed(p));
if (!installed) console.warn("SKIPPED five-language detection with dictionary evidence: dict-freedict-* pairs are not installed");

describe("language detection over five without dictionaries", () => {
  it("tells Arabic by its letters, and nothing from emoji, digits or punctuation", () => {
    expect(detectContentLanguage("خبز", "en")).toMatchObject({ lang: "ar", sure: true });
    expect(detectContentLanguage("جبنة", "de")).toMatchObject({ lang: "ar", sure: true });
    expect(detectContentLanguage("🍞🧀", "en")).toMatchObject({ lang: null, sure: false });
    expect(detectContentLanguage(" 42 !? ", "fr")).toMatchObject({ lang: null, sure: false });
  });

  it("tells German, French and Spanish by letters only they use, and by function words", () => {
    expect(detectContentLanguage("Äpfel", "en").lang).toBe("de");
    expect(detectContentLanguage("Brötchen", "fr").lang).toBe("de");
    expect(detectContentLanguage("garçon", "en").lang).toBe("fr");
    expect(detectContentLanguage("crème brûlée", "de").lang).toBe("fr");
    expect(detectContentLanguage("niño", "en").lang).toBe("es");
    expect(detectContentLanguage("le chat", "en").lang).toBe("fr");
    expect(detectContentLanguage("ich möchte", "en").lang).toBe("de");
  });

  it("falls back to the reader's language, not sure, when nothing tells", () => {
    expect(detectContentLanguage("xyzzy", "fr")).toMatchObject({ lang: "fr", sure: false });
  });

  it("counts the cards' own words: a word on only French cards is French", () => {
    const cards = (w: string): ContentLang[] => (w === "pain" ? ["fr"] : []);
    expect(detectContentLanguage("pain", "en", { cards })).toMatchObject({ lang: "fr", sure: true });
  });
});

describe.skipIf(!installed)("language detection over five with the dictionaries' headwords", () => {
  const vocabulary = dictionaryVocabulary();
  const lang = (q: string, fallback: ContentLang = "en") => detectContentLanguage(q, fallback, { vocabulary });

  it("short queries: one word, one language", () => {
    expect(lang("Brot")).toMatchObject({ lang: "de", sure: true });
    expect(lang("Apfelsaft", "fr")).toMatchObject({ lang: "de", sure: true });
    expect(lang("bread", "de")).toMatchObject({ lang: "en", sure: true });
    expect(lang("fromage", "en")).toMatchObject({ lang: "fr", sure: true });
    expect(lang("manzana", "de")).toMatchObject({ lang: "es", sure: true });
    expect(lang("خبز", "fr")).toMatchObject({ lang: "ar", sure: true });
  });

  it("words of two languages are not sure, and go to the reader's language when it is one of them", () => {
    expect(lang("pain", "fr")).toMatchObject({ lang: "fr", sure: false }); // French bread, English pain
    expect(lang("pain", "en")).toMatchObject({ lang: "en", sure: false });
    expect(lang("pan", "es")).toMatchObject({ lang: "es", sure: false }); // Spanish, French and English
    expect(lang("pain", "de").sure).toBe(false);
    expect(["fr", "en"]).toContain(lang("pain", "de").lang); // never German, which has no such word
  });

  it("accented and umlauted words, and longer queries", () => {
    expect(lang("Käse").lang).toBe("de");
    expect(lang("gâteau").lang).toBe("fr");
    expect(lang("café", "de").lang).not.toBe("en");
    expect(lang("wo ist das Brot").lang).toBe("de");
    expect(lang("je voudrais du fromage").lang).toBe("fr");
    expect(lang("quiero agua por favor", "en").lang).toBe("es");
    expect(lang("I want bread and cheese", "de").lang).toBe("en");
  });
});
