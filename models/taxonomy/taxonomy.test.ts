import { describe, it, expect } from "vitest";
import { LOCALES, MAX_DEPTH, Taxonomy, loadTaxonomy, matchSynonyms, normalizeText, validateTaxonomy, type InterestNode } from "./index";

function node(slug: string, parent: string | null): InterestNode {
  return {
    slug,
    parent,
    labels: { en: `${slug} en`, es: `${slug} es`, fr: `${slug} fr`, de: `${slug} de`, ar: `${slug} ar` },
    synonyms: { en: [`${slug} word`], es: [`${slug} palabra`], fr: [], de: [], ar: [] },
  };
}

// root ─┬─ a ─┬─ a1
//       │     └─ a2
//       └─ b
// other
const tree = (): InterestNode[] => [
  node("root", null),
  node("a", "root"),
  node("b", "root"),
  node("a1", "a"),
  node("a2", "a"),
  node("other", null),
];

const slugs = (nodes: InterestNode[]) => nodes.map((n) => n.slug);

describe("shipped interests.json", () => {
  const taxonomy = loadTaxonomy();
  const all = taxonomy.all();

  it("validates with zero problems", () => {
    expect(validateTaxonomy(all)).toEqual([]);
  });

  it("is big enough, shallow enough and has a small set of roots", () => {
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(Math.max(...all.map((n) => taxonomy.depth(n.slug)))).toBeLessThanOrEqual(MAX_DEPTH);
    expect(taxonomy.roots().length).toBeGreaterThanOrEqual(12);
    expect(taxonomy.roots().length).toBeLessThanOrEqual(16);
    expect(taxonomy.version).toBeGreaterThanOrEqual(1);
  });

  it("lists every parent before its children", () => {
    const seen = new Set<string>();
    for (const n of all) {
      if (n.parent !== null) expect(seen.has(n.parent), `${n.slug} -> ${n.parent}`).toBe(true);
      seen.add(n.slug);
    }
  });

  it("has a label in all five languages everywhere, 2-6 synonyms in English and Spanish, at most 6 in the others", () => {
    for (const n of all) {
      for (const locale of LOCALES) {
        expect(n.labels[locale]?.trim(), `${n.slug} ${locale} label`).toBeTruthy();
        const count = n.synonyms[locale]?.length ?? -1;
        const least = locale === "en" || locale === "es" ? 2 : 0;
        expect(count >= least && count <= 6, `${n.slug} has ${count} ${locale} synonyms`).toBe(true);
      }
    }
  });

  it("names French, German and Arabic topics in their own words, not copied from English", () => {
    // A label may equal the English one where the word is the same ("Sport"), but not across the tree.
    for (const locale of ["fr", "de", "ar"] as const) {
      const same = all.filter((n) => n.labels[locale] === n.labels.en).length;
      expect(same / all.length, locale).toBeLessThan(0.05);
    }
    for (const n of all) expect(n.labels.ar, n.slug).toMatch(/^[\u0600-\u06FF\s،-]+$/u);
    expect(taxonomy.bySlug("fruit")?.labels).toMatchObject({ fr: "Fruits", de: "Obst", ar: "الفواكه" });
  });

  it("refuses a node without a label in one of the five languages", () => {
    const bad = { ...node("x", null), labels: { ...node("x", null).labels, de: " " } };
    expect(validateTaxonomy([bad])).toEqual([`"x" has an empty de label`]);
  });

  it("has no two interests sharing a label in the same language", () => {
    for (const locale of LOCALES) {
      const labels = all.map((n) => normalizeText(n.labels[locale]));
      expect(labels.length - new Set(labels).size, locale).toBe(0);
    }
  });

  it("is cached", () => {
    expect(loadTaxonomy()).toBe(taxonomy);
  });
});

describe("Taxonomy navigation", () => {
  const t = new Taxonomy(tree());

  it("finds nodes, parents and children", () => {
    expect(t.bySlug("a1")?.parent).toBe("a");
    expect(t.bySlug("nope")).toBeUndefined();
    expect(t.parent("a1")?.slug).toBe("a");
    expect(t.parent("root")).toBeUndefined();
    expect(slugs(t.children("root"))).toEqual(["a", "b"]);
    expect(slugs(t.children("a1"))).toEqual([]);
    expect(slugs(t.children("nope"))).toEqual([]);
    expect(slugs(t.roots())).toEqual(["root", "other"]);
    expect(t.all()).toHaveLength(6);
  });

  it("lists ancestors root first", () => {
    expect(slugs(t.ancestors("a1"))).toEqual(["root", "a"]);
    expect(slugs(t.ancestors("root"))).toEqual([]);
    expect(slugs(t.ancestors("nope"))).toEqual([]);
  });

  it("lists siblings without the node itself", () => {
    expect(slugs(t.siblings("a1"))).toEqual(["a2"]);
    expect(slugs(t.siblings("b"))).toEqual(["a"]);
    expect(slugs(t.siblings("root"))).toEqual(["other"]);
    expect(slugs(t.siblings("nope"))).toEqual([]);
  });

  it("computes depth with roots at 1", () => {
    expect(t.depth("root")).toBe(1);
    expect(t.depth("a")).toBe(2);
    expect(t.depth("a2")).toBe(3);
    expect(t.depth("nope")).toBe(0);
  });

  it("does not let callers mutate its internals", () => {
    t.children("root").pop();
    t.roots().pop();
    expect(slugs(t.children("root"))).toEqual(["a", "b"]);
    expect(slugs(t.roots())).toEqual(["root", "other"]);
  });

  it("refuses to build from invalid nodes", () => {
    expect(() => new Taxonomy([node("x", "missing")])).toThrow(/missing parent/);
  });
});

describe("validateTaxonomy", () => {
  const problemsFor = (nodes: InterestNode[]) => validateTaxonomy(nodes).join("\n");

  it("accepts a good tree", () => {
    expect(validateTaxonomy(tree())).toEqual([]);
  });

  it("reports duplicates, missing parents and bad slugs", () => {
    expect(problemsFor([...tree(), node("a", "root")])).toMatch(/duplicate slug "a"/);
    expect(problemsFor([node("x", "ghost")])).toMatch(/missing parent "ghost"/);
    expect(problemsFor([node("Not_Kebab", null)])).toMatch(/invalid slug/);
  });

  it("reports a cycle once", () => {
    const problems = validateTaxonomy([node("p", "q"), node("q", "p"), node("r", "p")]);
    expect(problems.filter((p) => p.startsWith("cycle"))).toHaveLength(1);
  });

  it("reports nodes deeper than 6", () => {
    const chain = ["l1", "l2", "l3", "l4", "l5", "l6", "l7"].map((s, i, arr) => node(s, i === 0 ? null : arr[i - 1]!));
    expect(validateTaxonomy(chain.slice(0, 6))).toEqual([]);
    expect(problemsFor(chain)).toMatch(/"l7" is at depth 7/);
  });

  it("reports empty labels and synonyms", () => {
    const bad = node("x", null);
    bad.labels.es = "  ";
    bad.synonyms.en = [];
    const problems = problemsFor([bad]);
    expect(problems).toMatch(/empty es label/);
    expect(problems).toMatch(/no en synonyms/);
  });
});

describe("normalizeText", () => {
  it("lower-cases, strips accents and collapses whitespace", () => {
    expect(normalizeText("  Afasia   ÁNOMICA ")).toBe("afasia anomica");
    expect(normalizeText("Logopedia\tpara\nniños")).toBe("logopedia para ninos");
  });
});

describe("matchSynonyms", () => {
  const taxonomy = loadTaxonomy();
  const top = (text: string) => matchSynonyms(taxonomy, text)[0];
  const found = (text: string) => matchSynonyms(taxonomy, text).map((m) => m.slug);
  const isFood = (slug: string) => slug === "food" || taxonomy.ancestors(slug).some((a) => a.slug === "food" || a.slug === "food-drink");

  it("finds aphasia in English and Spanish, with and without accents", () => {
    expect(top("aphasia")).toEqual({ slug: "aphasia", score: 1 });
    expect(top("afasia")).toEqual({ slug: "aphasia", score: 1 });
    expect(top("  AFASIA ")?.slug).toBe("aphasia");
    expect(top("afasia anómica")?.slug).toBe("anomic-aphasia");
    expect(top("Afasia Anomica")?.slug).toBe("anomic-aphasia");
  });

  it("finds a food interest for searcher phrasing in both languages", () => {
    const en = top("words for food");
    expect(en?.score).toBe(1);
    expect(isFood(en!.slug)).toBe(true);
    expect(isFood(top("comida")!.slug)).toBe(true);
  });

  it("scores partial matches by share of the text and sorts best first", () => {
    const matches = matchSynonyms(taxonomy, "my broca's aphasia naming practice board");
    expect(matches.map((m) => m.slug)).toEqual(["brocas-aphasia", "naming"]);
    expect(matches[0]!.score).toBeCloseTo(3 / 7);
    expect(matches[1]!.score).toBeCloseTo(2 / 7);
  });

  it("lets the longest phrase claim its words", () => {
    expect(found("aphasia exercises")).toEqual(["aphasia-exercises"]);
    expect(found("pasta de dientes")).toEqual(["teeth"]);
  });

  it("only matches whole words", () => {
    expect(found("aphasiac")).toEqual([]);
    expect(found("catalogue")).toEqual([]);
  });

  it("returns nothing for unrelated or empty text", () => {
    expect(matchSynonyms(taxonomy, "qwerty zzz")).toEqual([]);
    expect(matchSynonyms(taxonomy, "   ")).toEqual([]);
  });
});
