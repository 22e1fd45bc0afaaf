import { describe, expect, it } from "vitest";
import { SkeletonIndex, arabicSkeleton, latinSkeleton } from "./transliterate";

describe("loanwords by their consonants", () => {
  it("reads an Arabic loanword and its English word to the same skeleton", () => {
    const pairs: [string, string][] = [
      ["ساندويتش", "sandwich"],
      ["همبرغر", "hamburger"],
      ["ميكروفون", "microphone"],
      ["بولينغ", "bowling"],
      ["ماراكاس", "maracas"],
      ["سكوتر", "scooter"],
      ["شيرت", "shirt"],
    ];
    for (const [ar, en] of pairs) expect(arabicSkeleton(ar), `${ar} / ${en}`).toBe(latinSkeleton(en));
  });

  it("drops vowels, silent gh, doubled letters; says nothing of words outside its alphabets", () => {
    expect(latinSkeleton("doughnut")).toBe("DNT");
    expect(latinSkeleton("Hammer")).toBe("HMR");
    expect(latinSkeleton("t-shirt")).toBe(""); // only plain words: the index holds single words
    expect(arabicSkeleton("كمبيوتر 2")).toBe("");
    expect(arabicSkeleton("سَنْدْوِيتْش")).toBe(arabicSkeleton("سندويتش")); // marks are folded away
  });

  it("finds look-alikes, also without a silent last consonant, never from a skeleton too short to tell", () => {
    const idx = new SkeletonIndex(["croissant", "sandwich", "sandwiches", "piano", "cat", "reason"]);
    expect(idx.guesses("كرواسون")).toEqual(["croissant"]); // KRSN = KRSNT without its T
    expect(idx.guesses("ساندويتش")).toEqual(["sandwich", "sandwiches"]); // the plural too, by its dropped S
    expect(idx.guesses("بيانو")).toEqual([]); // BN: two consonants
    // The index against a plain scan of the same words: same answers for every word in both scripts.
    const words = ["croissant", "sandwich", "sandwiches", "piano", "cat", "reason"];
    for (const ar of ["كرواسون", "ساندويتش", "بيانو", "قطة", "ريزن"]) {
      const k = arabicSkeleton(ar);
      const plain =
        k.length < 3
          ? []
          : words.filter((w) => latinSkeleton(w) === k || (latinSkeleton(w).length >= 4 && latinSkeleton(w).slice(0, -1) === k));
      expect(idx.guesses(ar)).toEqual(plain);
    }
  });
});
