import { describe, expect, it } from "vitest";
import { CUE_LEVEL, cuesFor, deriveFirstLetters, deriveFirstSound, firstUnit, letterCount, meaningCue, starterHint } from "./cues";
import { isOutcome, ratingFor, storedCueLevel } from "./scoring";
import { chooseDistractors, seedOf, type Candidate } from "./distractors";
import { answerMatches, letterTiles, normaliseAnswer } from "./writing";

describe("cue derivation", () => {
  it("first sound: opening consonants and the first vowel, digraphs as one sound", () => {
    expect(deriveFirstSound("banana", "en")).toBe("ba");
    expect(deriveFirstSound("Chair", "en")).toBe("Cha");
    expect(deriveFirstSound("shoe", "en")).toBe("sho");
    expect(deriveFirstSound("three", "en")).toBe("thre");
    expect(deriveFirstSound("apple", "en")).toBe("a");
    expect(deriveFirstSound("queso", "es")).toBe("que");
    expect(deriveFirstSound("llave", "es")).toBe("lla");
    expect(deriveFirstSound("chocolate", "es")).toBe("cho");
    expect(deriveFirstSound("guitarra", "es")).toBe("gui");
    expect(deriveFirstSound("árbol", "es")).toBe("á");
    expect(deriveFirstSound("¿Dónde?", "es")).toBe("Dó");
    expect(deriveFirstSound("", "es")).toBe("");
  });
  it("first letters: one unit for short words, two letters (or the digraph) for longer ones, blanks kept in shape", () => {
    expect(deriveFirstLetters("cat", "en")).toBe("c__");
    expect(deriveFirstLetters("shoe", "en")).toBe("sh__");
    expect(deriveFirstLetters("banana", "en")).toBe("ba____");
    expect(deriveFirstLetters("cherry", "en")).toBe("ch____");
    expect(deriveFirstLetters("ice cream", "en")).toBe("i__ _____");
    expect(deriveFirstLetters("llave", "es")).toBe("ll___");
    expect(deriveFirstLetters("pan", "es")).toBe("p__");
    expect(deriveFirstLetters("ñandú", "es")).toBe("ña___");
    expect(deriveFirstLetters("Ávila", "es")).toBe("Áv___");
    expect(letterCount("ice cream")).toBe(8);
  });
  it("digraphs per language: 'll' is one unit in Spanish, not in English", () => {
    expect(firstUnit("llama", "es")).toBe("ll");
    expect(firstUnit("llama", "en")).toBe("l");
    expect(firstUnit("thumb", "en")).toBe("th");
    expect(firstUnit("queso", "es")).toBe("qu");
    expect(firstUnit("gato", "es")).toBe("g");
  });
  it("first sounds in French, German and Arabic, each by its own spelling", () => {
    expect(deriveFirstSound("chapeau", "fr")).toBe("cha");
    expect(deriveFirstSound("guêpe", "fr")).toBe("guê");
    expect(deriveFirstSound("pomme", "fr")).toBe("po");
    expect(deriveFirstSound("Schuh", "de")).toBe("Schu");
    expect(deriveFirstSound("Brötchen", "de")).toBe("Brö");
    expect(deriveFirstSound("Apfel", "de")).toBe("A");
    // Arabic: the first letter, with the long vowel written after it; vowel marks never count.
    expect(deriveFirstSound("خبز", "ar")).toBe("خ");
    expect(deriveFirstSound("ماء", "ar")).toBe("ما");
    expect(deriveFirstSound("خُبْز", "ar")).toBe("خ");
    expect(firstUnit("Schule", "de")).toBe("Sch");
    expect(firstUnit("champ", "fr")).toBe("ch");
    expect(deriveFirstLetters("Brötchen", "de")).toBe("Br______");
    expect(deriveFirstLetters("تفاحة", "ar")).toBe("تف___");
  });
  it("cues come in hierarchy order; written cues win over derived ones", () => {
    const base = { title: "apple", lang: "en" as const, cue: "", cueSentence: "", firstSound: "", category: "Fruit" };
    const derived = cuesFor(base);
    expect(derived.map((c) => c.level)).toEqual(["semantic", "sentence", "firstSound", "firstLetters", "wholeWord"]);
    expect(derived[0]).toEqual({ level: "semantic", text: "", category: "Fruit", derived: true });
    expect(derived[2]).toEqual({ level: "firstSound", text: "a", derived: true });
    expect(derived[3]).toMatchObject({ text: "ap___", letters: 5 });
    const own = cuesFor({ ...base, cue: "You eat it", cueSentence: "An ___ a day", firstSound: "æ" });
    expect(own[0]).toMatchObject({ text: "You eat it", derived: false });
    expect(own[1]).toMatchObject({ text: "An ___ a day", derived: false });
    expect(own[2]).toMatchObject({ text: "æ", derived: false });
    expect(CUE_LEVEL.wholeWord).toBe(5);
  });
});

describe("clinical scoring → FSRS", () => {
  it("maps each outcome and cue level to a rating", () => {
    expect(ratingFor("correct", 0)).toBe(3);
    expect(ratingFor("correct", 0, 2)).toBe(4); // already known well
    expect(ratingFor("cued", CUE_LEVEL.semantic)).toBe(3);
    for (const level of [2, 3, 4, 5]) expect(ratingFor("cued", level)).toBe(2);
    expect(ratingFor("not_yet", 3)).toBe(1);
    expect(() => ratingFor("cued", 0)).toThrow(RangeError);
    expect(() => ratingFor("cued", 6)).toThrow(RangeError);
    expect(storedCueLevel("correct", 3)).toBe(0);
    expect(storedCueLevel("not_yet", 4)).toBe(4);
    expect(isOutcome("cued")).toBe(true);
    expect(isOutcome("good")).toBe(false);
  });
});

describe("comprehension distractors", () => {
  const target = { id: 1, title: "apple" };
  const candidates: Candidate[] = [
    { id: 2, title: "pear", tier: 0 },
    { id: 3, title: "banana", tier: 0 },
    { id: 4, title: "grape", tier: 0 },
    { id: 5, title: "Apple", tier: 0 }, // the same word: never a distractor
    { id: 6, title: "carrot", tier: 1 },
    { id: 7, title: "bread", tier: 1 },
    { id: 8, title: "chair", tier: 2 },
    { id: 1, title: "apple", tier: 0 }, // the target itself
  ];
  it("takes two from the same interest and one from a neighbouring one, deterministic by seed", () => {
    const a = chooseDistractors(target, candidates, 42);
    expect(a.distractors).toHaveLength(3);
    expect(a.distractors.filter((d) => d.tier === 0)).toHaveLength(2);
    expect(a.distractors.filter((d) => d.tier === 1)).toHaveLength(1);
    expect(a.distractors.map((d) => d.id)).not.toContain(5);
    expect(a.distractors.map((d) => d.id)).not.toContain(1);
    expect([...a.order].sort()).toEqual([1, ...a.distractors.map((d) => d.id)].sort());
    expect(chooseDistractors(target, candidates, 42)).toEqual(a);
    const orders = new Set(Array.from({ length: 20 }, (_, s) => chooseDistractors(target, candidates, s).order.join()));
    expect(orders.size).toBeGreaterThan(3);
  });
  it("falls back to neighbours and then the board when the interest has too few", () => {
    const few: Candidate[] = [
      { id: 2, title: "pear", tier: 0 },
      { id: 8, title: "chair", tier: 2 },
      { id: 9, title: "table", tier: 2 },
    ];
    const r = chooseDistractors(target, few, 7);
    expect(r.distractors.map((d) => d.id).sort()).toEqual([2, 8, 9]);
    expect(chooseDistractors(target, [], 7)).toEqual({ distractors: [], order: [1] });
  });
  it("seeds from parts", () => {
    expect(seedOf(1, 2, "x")).toBe(seedOf(1, 2, "x"));
    expect(seedOf(1, 2, "x")).not.toBe(seedOf(1, 2, "y"));
  });
});

describe("writing", () => {
  it("compares accent-insensitively on request, keeping ñ", () => {
    expect(answerMatches(" Árbol ", "árbol", false)).toBe(true);
    expect(answerMatches("arbol", "árbol", false)).toBe(false);
    expect(answerMatches("arbol", "árbol", true)).toBe(true);
    expect(answerMatches("ano", "año", true)).toBe(false);
    expect(answerMatches("", "", true)).toBe(false);
    expect(normaliseAnswer("ice   cream", false)).toBe("ice cream");
  });
  it("tiles hold every letter of the word plus extras not in it, seeded", () => {
    const tiles = letterTiles("Pan", "es", 3);
    expect(tiles).toHaveLength(6);
    const letters = tiles.map((t) => t.letter);
    for (const ch of "pan") expect(letters).toContain(ch);
    expect(letters.filter((l) => !"pan".includes(l))).toHaveLength(3);
    expect(letterTiles("Pan", "es", 3)).toEqual(tiles);
    expect(letterTiles("ice cream", "en", 1).map((t) => t.letter)).not.toContain(" ");
    // Spare tiles are letters of the word's own alphabet.
    expect(letterTiles("خبز", "ar", 2).every((t) => /\p{Script=Arabic}/u.test(t.letter))).toBe(true);
    expect(letterTiles("Brot", "de", 2).map((t) => t.letter)).toHaveLength(7);
  });
});

describe("the starter library's hint is not a meaning clue", () => {
  it("is replaced by the taxonomy's meaning, while a creator's own cue is kept", () => {
    expect(meaningCue({ title: "bread", lang: "en", cue: starterHint("bread", "en") })).toBe("");
    expect(meaningCue({ title: "árbol", lang: "es", cue: "Empieza por «ár…»" })).toBe("");
    expect(meaningCue({ title: "bread", lang: "en", cue: "You make toast with it" })).toBe("You make toast with it");
    // Each language's own hint, in its own quotes, is recognised as the starter hint too.
    expect(starterHint("pomme", "fr")).toBe("Commence par «\u00a0po…\u00a0»");
    expect(starterHint("Apfel", "de")).toBe("Beginnt mit „Ap…“");
    expect(starterHint("خبز", "ar")).toBe("يبدأ بـ «خب…»");
    for (const [title, lang] of [
      ["pomme", "fr"],
      ["Apfel", "de"],
      ["خبز", "ar"],
    ] as const)
      expect(meaningCue({ title, lang, cue: starterHint(title, lang) })).toBe("");
    const cues = cuesFor({
      title: "bread",
      lang: "en",
      cue: meaningCue({ title: "bread", lang: "en", cue: starterHint("bread", "en") }),
      cueSentence: "",
      firstSound: "",
      category: "Food",
    });
    expect(cues[0]!.level).toBe("semantic");
    expect(JSON.stringify(cues[0])).not.toContain("br…");
  });
});
