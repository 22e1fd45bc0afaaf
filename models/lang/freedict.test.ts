import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FreeDict, decodeB64Number, dictKey, parseEntry } from "./freedict";

// The real Debian files (dict-freedict-*, installed by .ci/run). Without them the tests say so and skip.
const PAIRS = ["deu-eng", "eng-deu", "fra-eng", "eng-fra", "ara-eng", "eng-ara", "spa-eng"];
const missing = PAIRS.filter((p) => !FreeDict.installed(p));
if (missing.length) console.warn(`SKIPPED FreeDict tests: not installed: ${missing.map((p) => `dict-freedict-${p}`).join(", ")}`);
const real = missing.length ? describe.skip : describe;

const texts = (senses: { text: string }[]) => senses.map((s) => s.text);

describe("dictd index format", () => {
  it("decodes dictd's base64 numbers", () => {
    expect(decodeB64Number("A")).toBe(0);
    expect(decodeB64Number("B")).toBe(1);
    expect(decodeB64Number("BA")).toBe(64);
    expect(decodeB64Number("8m")).toBe(60 * 64 + 38);
    expect(decodeB64Number("a!")).toBeNaN();
  });

  it("keys words as dictfmt does: lower case, letters, digits and spaces only", () => {
    expect(dictKey("Sud-Est")).toBe("sudest");
    expect(dictKey("  Brötchen ")).toBe("brötchen");
    expect(dictKey("اللّكمة الجانبيّة")).toBe("اللكمة الجانبية"); // the shadda is a mark, not a letter
  });

  it("keeps an entry's translations and drops grammar, labels, glosses, examples, notes and references", () => {
    const e = parseEntry(
      'laufen /lˈaʊfən/ <v, intr>\n [mach.] run <v>, walk (on foot) <v>\n      "zum Bus laufen"  - run for the bus\n   Synonyms: {gehen}\n         Note: with sth.\n see: {gelaufen}\n',
    );
    expect(e.headword).toBe("laufen");
    expect(e.senses).toEqual([
      { text: "run", group: 0 },
      { text: "walk", group: 0 },
    ]);
    const numbered = parseEntry("en réalité /ʀealite/\n1. actually, in fact\n2. really, truly\n");
    expect(numbered.senses.map((s) => `${s.text}#${s.group}`)).toEqual(["actually#0", "in fact#0", "really#1", "truly#1"]);
    expect(texts(parseEntry("fehlleiten /x/ <v>\nmisguide sb. <v>\n").senses)).toEqual(["misguide"]);
  });

  it("reads a WikDict entry's translations, not the definitions under them", () => {
    // deu-fra and deu-spa as Debian ships them: a sense's first line translates, the next defines the
    // word in German; the next sense's number sometimes ends the line before.
    const apfel =
      "Apfel /ˈap͡fl̩/ <n, masc>\n1. pomme\nrundliche Frucht des Apfelbaums mit Schale, Fruchtfleisch und Kerngehäuse\n2. pommier\nKurzform, umgangssprachlich: Apfelbaum\n";
    expect(parseEntry(apfel, { glossed: true }).senses).toEqual([
      { text: "pomme", group: 0 },
      { text: "pommier", group: 1 },
    ]);
    const schnee = "Schnee /ʃneː/ <n, masc>\nnieve 2.\nNiederschlag in Form von Eiskristallen\n 3.\nKokain\n";
    expect(texts(parseEntry(schnee, { glossed: true }).senses)).toEqual(["nieve"]);
    // Read as a plain FreeDict entry, the definitions would pass for translations.
    expect(texts(parseEntry(apfel).senses)).toContain("Fruchtfleisch und Kerngehäuse");
  });

  it("reads a plain gzip (no dictzip chunk table) as absent rather than misreading it", () => {
    const dir = mkdtempSync(join(tmpdir(), "freedict-"));
    try {
      writeFileSync(join(dir, "freedict-xxx-yyy.index"), "word\tA\tF\n");
      writeFileSync(join(dir, "freedict-xxx-yyy.dict.dz"), gzipSync("word\ntrans\n"));
      expect(FreeDict.installed("xxx-yyy", dir)).toBe(true);
      expect(FreeDict.open("xxx-yyy", dir)).toBeNull();
      expect(FreeDict.open("zzz-yyy", dir)).toBeNull(); // not installed at all
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

real("the installed FreeDict pairs", () => {
  it("looks German words up, case-insensitively, senses in the dictionary's order", () => {
    const de = FreeDict.open("deu-eng")!;
    expect(de.size).toBeGreaterThan(300_000);
    expect(texts(de.lookup("Brot"))).toEqual(["bread"]);
    expect(texts(de.lookup("apfel"))).toContain("apple");
    expect(texts(de.lookup("Apfelsaft"))).toContain("apple juice");
    const laufen = texts(de.lookup("laufen"));
    expect(laufen).toEqual(expect.arrayContaining(["run", "walk"]));
    expect(laufen.every((s) => !/[<>[\]{}"]/.test(s))).toBe(true);
    expect(de.lookup("Kartoffelsalatwolkenkratzer")).toEqual([]);
  });

  it("reads entries in every chunk of the dictzip file, first to last (compared with a whole-file gunzip)", async () => {
    const { gunzipSync } = await import("node:zlib");
    const { readFileSync } = await import("node:fs");
    for (const pair of ["fra-eng", "ara-eng"]) {
      const d = FreeDict.open(pair)!;
      const whole = gunzipSync(readFileSync(FreeDict.files(pair).dict)); // offsets count bytes
      const idx = readFileSync(FreeDict.files(pair).index, "utf8")
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("00"));
      for (const line of [idx[5]!, idx[Math.floor(idx.length / 2)]!, idx[idx.length - 1]!]) {
        const [key, o, n] = line.split("\t") as [string, string, string];
        const expected = parseEntry(whole.subarray(decodeB64Number(o), decodeB64Number(o) + decodeB64Number(n)).toString("utf8")).senses;
        expect(expected.length).toBeGreaterThan(0);
        for (const s of expected) expect(texts(d.lookup(key))).toContain(s.text);
      }
    }
  });

  it("looks French, Arabic and Spanish words up, and English words in the other direction", () => {
    expect(texts(FreeDict.open("fra-eng")!.lookup("pain"))).toEqual(["bread", "loaf"]);
    expect(texts(FreeDict.open("ara-eng")!.lookup("الخبز")).map((s) => s.toLowerCase())).toContain("bread");
    expect(texts(FreeDict.open("spa-eng")!.lookup("destino"))).toEqual(["destiny", "fate"]);
    expect(texts(FreeDict.open("eng-deu")!.lookup("bread"))[0]).toBe("Brot");
    expect(texts(FreeDict.open("eng-fra")!.lookup("apple"))).toEqual(["pomme"]);
    expect(texts(FreeDict.open("eng-ara")!.lookup("bread"))).toEqual(["الخبز"]);
  });

  it("opens the largest pair's index in well under the start-up budget", () => {
    const t0 = performance.now();
    const d = FreeDict.open("deu-eng")!;
    const ms = performance.now() - t0;
    expect(d.size).toBeGreaterThan(300_000);
    expect(ms).toBeLessThan(5000); // ~0.5–1 s measured on this 2-core machine
  });
});
