import { describe, expect, it } from "vitest";
import { arabicForms, arabicLookupForms, hasArabic, normalizeArabic } from "./arabic";
import { splitCompound, splitCompoundBrute } from "./compound";
import { reducedForms, withoutElision, withoutUmlaut } from "./inflect";
import { FreeDict } from "./freedict";
import { mulberry32 } from "../random";

describe("reduced forms (fr, de, es, en)", () => {
  const has = (lang: Parameters<typeof reducedForms>[0], word: string, lemma: string) => {
    const forms = reducedForms(lang, word);
    expect(forms[0]).toBe(word.toLowerCase()); // the word as typed is always tried first
    expect(forms).toContain(lemma);
  };
  it("German plurals, umlauts, adjective and verb endings", () => {
    has("de", "Kinder", "kind");
    has("de", "Frauen", "frau");
    has("de", "Lehrerinnen", "lehrerin");
    has("de", "Äpfel", "apfel");
    has("de", "läuft", "laufen");
    has("de", "kochte", "kochen");
    has("de", "großen", "groß");
    expect(withoutUmlaut("bärenfänger")).toEqual(["bärenfanger"]); // only the last umlaut
  });
  it("French plurals, feminines, participles and elision", () => {
    has("fr", "chevaux", "cheval");
    has("fr", "maisons", "maison");
    has("fr", "petite", "petit");
    has("fr", "mangé", "manger");
    has("fr", "l'avion", "avion");
    expect(withoutElision("d’eau")).toBe("eau");
    expect(withoutElision("lait")).toBe("lait");
  });
  it("Spanish and English plurals", () => {
    has("es", "luces", "luz");
    has("es", "canciones", "canción");
    has("es", "rojas", "rojo");
    has("en", "berries", "berry");
    has("en", "wings", "wing");
  });
  it("never reduces below three letters", () => {
    expect(reducedForms("de", "Eis")).toEqual(["eis"]);
    expect(reducedForms("fr", "os")).toEqual(["os"]);
  });
});

describe("German compound splitting", () => {
  const words = (list: string[]) => {
    const set = new Set(list);
    return (w: string) => set.has(w);
  };

  it("prefers fewer parts, then longer parts first, with linking elements", () => {
    const known = words(["apfel", "saft", "geburtstag", "geburt", "tag", "kuchen", "was", "wasser", "ser", "flasche", "arbeit", "zimmer"]);
    expect(splitCompound("Apfelsaft", known)).toEqual(["apfel", "saft"]);
    expect(splitCompound("Geburtstagskuchen", known)).toEqual(["geburtstag", "kuchen"]); // linking -s-
    expect(splitCompound("Wasserflasche", known)).toEqual(["wasser", "flasche"]);
    expect(splitCompound("Arbeitszimmer", known)).toEqual(["arbeit", "zimmer"]);
    expect(splitCompound("Apfel", known)).toBeNull(); // one word is not a split
    expect(splitCompound("Apfelxyz", known)).toBeNull();
  });

  it("agrees with brute force on random words over a small alphabet", () => {
    const rand = mulberry32(15);
    const pick = (n: number) => Array.from({ length: n }, () => "abens"[Math.floor(rand() * 5)]).join("");
    for (let round = 0; round < 300; round++) {
      const vocab = Array.from({ length: 12 }, () => pick(2 + Math.floor(rand() * 4)));
      const known = words(vocab);
      // Words built from the vocabulary (so splits exist) and random ones (so most do not).
      const word =
        round % 2
          ? pick(6 + Math.floor(rand() * 8))
          : Array.from(
              { length: 2 + Math.floor(rand() * 3) },
              () => vocab[Math.floor(rand() * vocab.length)]! + (rand() < 0.3 ? "s" : ""),
            ).join("");
      for (const o of [{}, { minPart: 2, maxParts: 3 }, { minPart: 2, maxParts: 5 }])
        expect(splitCompound(word, known, o), `${word} over ${vocab.join(",")}`).toEqual(splitCompoundBrute(word, known, o));
    }
  });

  const deu = FreeDict.installed("deu-eng") ? FreeDict.open("deu-eng") : null;
  if (!deu) console.warn("SKIPPED compound splitting over the real German dictionary: dict-freedict-deu-eng is not installed");
  it.skipIf(!deu)("splits real compounds over the German dictionary's headwords", () => {
    const known = (w: string) => deu!.has(w);
    expect(splitCompound("Apfelsaft", known)).toEqual(["apfel", "saft"]);
    expect(splitCompound("Geburtstagskuchen", known)).toEqual(["geburtstag", "kuchen"]);
    expect(splitCompound("Strömungsgeschwindigkeit", known)).toEqual(["strömung", "geschwindigkeit"]);
    expect(splitCompound("Überschallströmung", known)).toEqual(["überschall", "strömung"]);
  });
});

describe("Arabic normalisation and clitics", () => {
  it("normalises diacritics, alef and hamza shapes, taa marbuta and alef maqsura", () => {
    expect(normalizeArabic("مَدْرَسَةٌ")).toBe("مدرسه");
    expect(normalizeArabic("أحمد إلى آخر")).toBe("احمد الي اخر");
    expect(normalizeArabic("سؤال")).toBe("سوال");
    expect(normalizeArabic("كـــتاب")).toBe("كتاب");
    expect(hasArabic("خبز")).toBe(true);
    expect(hasArabic("bread")).toBe(false);
  });

  it("strips conjunctions, prepositions, the article and pronoun suffixes", () => {
    expect(arabicForms("والخبز")).toContain("خبز");
    expect(arabicForms("بالماء")).toContain("ماء");
    expect(arabicForms("للبيت")).toContain("بيت");
    expect(arabicForms("كتابها")).toContain("كتاب");
    expect(arabicForms("مدرستنا")).toContain("مدرسه");
    expect(arabicForms("المعلمون")).toContain("معلم");
    expect(arabicForms("الطائرات")).toContain("طاير"); // the article and the plural ending off (ئ is normalised to ي)
    expect(arabicForms("خبز")[0]).toBe("خبز"); // the word itself first
    expect(arabicForms("لا")).toEqual(["لا"]); // nothing shorter than two letters
  });

  it("offers each form with and without the article, as dictionaries list them", () => {
    expect(arabicLookupForms("خبز")).toEqual(["خبز", "الخبز"]);
    expect(arabicLookupForms("والجبنة")).toEqual(expect.arrayContaining(["الجبنه", "جبنه"]));
  });
});
