import { describe, expect, it } from "vitest";
import { loadTaxonomy } from "../taxonomy/index";
import { cleanQuery } from "./index";
import { emojiForWord, emojiIn, distinctiveWords, withoutEmoji } from "./emoji";
import { loadNeeds, matchNeeds } from "./needs";
import { adjacentSwaps, correctWord, editDistance } from "./spelling";

const needsOf = (q: string) => matchNeeds(cleanQuery(q).tokens).map((m) => m.need.id);

describe("need phrases", () => {
  it("finds needs in both languages, whatever the interface", () => {
    expect(needsOf("tengo sed")).toEqual(["thirst"]);
    expect(needsOf("I'm hungry")).toEqual(["hunger"]);
    expect(needsOf("me duele la cabeza")).toEqual(["pain"]);
    expect(needsOf("quiero ir al baño")).toEqual(["toilet"]);
  });
  it("reads an ordinary noun as a need only with a request word", () => {
    expect(needsOf("baño")).toEqual([]);
    expect(needsOf("necesito el baño")).toEqual(["toilet"]);
    expect(needsOf("cold")).toEqual([]);
    expect(needsOf("I'm cold")).toEqual(["cold"]);
  });
  it("names only interests the taxonomy has, and words in both languages", () => {
    const t = loadTaxonomy();
    for (const n of loadNeeds().needs) {
      for (const slug of Object.keys(n.interests)) expect(t.bySlug(slug), `${n.id} → ${slug}`).toBeDefined();
      expect(n.search.en.length + n.search.es.length).toBeGreaterThan(0);
      expect(n.words.en.length && n.words.es.length).toBeTruthy();
    }
  });
});

describe("emoji", () => {
  it("knows an emoji by its names in the five languages, with or without the variation selector", () => {
    const [apple] = emojiIn("🍎");
    expect(apple?.label).toEqual({ en: "red apple", es: "manzana roja", fr: "pomme rouge", de: "roter Apfel", ar: "تفاح أحمر" });
    expect(emojiIn("❤️")[0]?.hexcode).toBe("2764");
    expect(emojiIn("❤")[0]?.hexcode).toBe("2764");
    expect(withoutEmoji("🐶 dog")).toBe("dog");
  });
  it("keeps the telling words of a name: not 'face', which is in a hundred emoji names", () => {
    const [dog] = emojiIn("🐶");
    expect(distinctiveWords(dog!, "en")).toEqual(["dog"]);
    expect(distinctiveWords(dog!, "es")).toEqual(["perro"]);
  });
  it("reaches an emoji from one of its keywords when few emoji share it", () => {
    expect(emojiForWord("cafe").flatMap((x) => x.emoji.map((e) => e.hexcode))).toContain("2615");
    expect(emojiForWord("face")).toEqual([]);
  });
});

describe("spelling", () => {
  it("counts an adjacent swap as one edit", () => {
    expect(editDistance("cheeze", "cheese")).toBe(1);
    expect(editDistance("tomaot", "tomato")).toBe(1);
    expect(editDistance("abc", "xyzxyz", 2)).toBe(3);
  });
  it("corrects to the closest card word, the more common one on ties, and leaves short words alone", () => {
    const vocab = new Map([
      ["cheese", 3],
      ["chess", 1],
      ["banana", 2],
      ["bandana", 5],
    ]);
    expect(correctWord("cheeze", vocab)?.word).toBe("cheese");
    expect(correctWord("bananna", vocab)?.word).toBe("banana");
    expect(correctWord("cat", vocab)).toBeNull();
    expect(correctWord("qwertyzz", vocab)).toBeNull();
  });
  it("gives a three-letter word its swapped letters back, and nothing else", () => {
    const vocab = new Map([
      ["dog", 2],
      ["dot", 5],
      ["god", 1],
      ["hund", 1],
    ]);
    expect(correctWord("dgo", vocab)).toEqual({ word: "dog", edits: 1 });
    expect(correctWord("dox", vocab)).toBeNull(); // one letter from dog and dot: not a swap
    expect(correctWord("hnud", vocab)).toEqual({ word: "hund", edits: 1 });
    expect(adjacentSwaps("hnud")).toEqual(["nhud", "hund", "hndu"]);
    expect(adjacentSwaps("aab")).toEqual(["aba"]);
  });
});
