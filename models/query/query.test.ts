import { describe, expect, it } from "vitest";
import { loadTaxonomy } from "../taxonomy/index";
import {
  bestTrigramSimilarity,
  trigramScorer,
  cleanQuery,
  expandQuery,
  ftsExpression,
  suggestionWords,
  trigramExpression,
  MAX_QUERY_CHARS,
} from "./index";
import { detectLanguage } from "../embed/language";

describe("query cleaning", () => {
  it("normalises case, diacritics and whitespace, and caps the length", () => {
    expect(cleanQuery("  Afasia   ANÓMICA \n")).toEqual({
      display: "Afasia ANÓMICA",
      normalized: "afasia anomica",
      tokens: ["afasia", "anomica"],
    });
    expect(cleanQuery("x".repeat(20_000)).display.length).toBe(MAX_QUERY_CHARS);
  });

  it("never lets FTS5 syntax through", () => {
    const expr = ftsExpression(cleanQuery('"a" * NEAR(b) -c d:e').tokens)!;
    expect(expr).toBe('"near" OR "b" OR "c" OR "d" OR "e"');
    expect(ftsExpression([])).toBeNull();
    expect(ftsExpression(["the", "of"])).toBe('"the" OR "of"'); // only stopwords: keep them
  });

  it("makes trigram expressions for short queries only", () => {
    expect(trigramExpression(["bread"])).toBe('"bre" OR "rea" OR "ead"');
    expect(trigramExpression(["alpha", "bravo", "charlie", "delta"], 3)).toBeNull();
    expect(bestTrigramSimilarity("sandwitch", "sandwich emparedado")).toBeCloseTo(4 / 9);
    expect(bestTrigramSimilarity("qwerty", "sandwich")).toBe(0);
    // The memoising scorer gives exactly the best over the query's words of the plain version.
    const words = ["sandwitch", "brekfast", "té"];
    const score = trigramScorer(words);
    for (const text of ["sandwich emparedado", "Breakfast toast", "TÉ verde y café", "qwerty", "", "sandwich emparedado"]) {
      expect(score(text)).toBe(Math.max(...words.map((w) => bestTrigramSimilarity(w, text))));
    }
  });
});

describe("language detection", () => {
  it("tells short queries apart by their marks, words and the index's evidence", () => {
    expect(detectLanguage("afasia", "en")).toBe("es");
    expect(detectLanguage("ejercicios de habla", "en")).toBe("es");
    expect(detectLanguage("words for food", "es")).toBe("en");
    expect(detectLanguage("manzana", "en", { es: 3, en: 0 })).toBe("es");
    expect(detectLanguage("pan", "es")).toBe("es"); // nothing tells: the reader's language
  });
});

describe("expansions", () => {
  const tax = loadTaxonomy();
  it("suggests refinements and the broader topic in the searcher's language, co-searched queries first", () => {
    const en = expandQuery(tax, { normalized: "aphasia", tokens: ["aphasia"], lang: "en", interests: [{ slug: "aphasia", score: 1 }] }, [
      "speech drills",
    ]);
    expect(en[0]).toBe("speech drills");
    expect(en).toContain("Aphasia exercises");
    expect(en).toContain("Speech and language therapy");
    expect(en.length).toBeLessThanOrEqual(8);
    const es = expandQuery(tax, { normalized: "afasia", tokens: ["afasia"], lang: "es", interests: [{ slug: "aphasia", score: 1 }] });
    expect(es).toContain("Ejercicios para la afasia");
  });
});

describe("suggestionWords", () => {
  it("gives the content words of a short plain phrase, and null for anything else", () => {
    expect(suggestionWords("Soft food recipes")).toEqual(["soft", "food", "recipes"]);
    expect(suggestionWords("ejercicios para la afasia")).toEqual(["ejercicios", "afasia"]);
    expect(suggestionWords("call 600123123")).toBeNull();
    expect(suggestionWords("see www.example.com")).toBeNull();
    expect(suggestionWords("a@b")).toBeNull();
    expect(suggestionWords("http things")).toEqual(["http", "things"]);
    expect(suggestionWords("https://x")).toBeNull();
    expect(suggestionWords("one two three four five")).toBeNull();
    expect(suggestionWords("x".repeat(41))).toBeNull();
    expect(suggestionWords("the and of")).toBeNull();
    expect(suggestionWords("   ")).toBeNull();
  });
});

describe("Arabic as the full-text index holds it", () => {
  it("drops the short-vowel marks and tatweel so a word is one token, folded as a query is", async () => {
    const { foldArabic } = await import("./arabic-fold");
    const { normalizeText } = await import("../taxonomy/index");
    expect(foldArabic("خُبْز")).toBe("خبز");
    expect(foldArabic("خـــبز")).toBe("خبز");
    // Hamza on alif folds like normalizeText folds the query ("أرز" is searched as "ارز").
    expect(foldArabic("أرز")).toBe(normalizeText("أرز"));
    expect(foldArabic("Brötchen et pâtes")).toBe("Brötchen et pâtes");
  });

  it("gives the word without its article, not for short words the article would eat", async () => {
    const { arabicWithoutArticle } = await import("./arabic-fold");
    expect(arabicWithoutArticle("الخبز والحليب")).toEqual(["خبز", "حليب"]);
    expect(arabicWithoutArticle("ألم")).toEqual([]); // pain: "الم" after folding, not al- + one letter
    expect(arabicWithoutArticle("bread")).toEqual([]);
  });
});
