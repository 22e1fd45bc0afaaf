import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ApertiumTranslator, deformat, reformat } from "./apertium";

const SPANISH = [
  "manzana roja",
  "terapia de la afasia",
  "Señala el perro y di la palabra.",
  "¿Es café o té? Elige uno.",
  "Mi zapato está al lado de la mesa.",
  "lavarse los dientes",
  "Tarjeta de texto: abuela",
  "precio: 3,50 € / kilo [oferta] <hoy> a@b.c {x} ^y$ \\z",
  "a ~ b ~~c",
  "El médico dice: «descanse».",
  "fin.",
];
const ENGLISH = [
  "red apple",
  "aphasia exercises",
  "Point to the dog and say the word.",
  "Is it coffee or tea? Choose one.",
  "Text card: grandma",
  "price: $3.50 / kilo [offer] <today> {x}",
  "end.",
];

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitUntil = async (ok: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; Date.now() < end && !ok();) await new Promise((r) => setTimeout(r, 50));
  return ok();
};

describe("Apertium's stream format", () => {
  it("writes paragraphs as apertium-destxt does, and reads one unit back into paragraphs", () => {
    expect(deformat(["a [b] $c^ d/e @f <g> {h} \\i"])).toBe("a \\[b\\] \\$c\\^ d\\/e \\@f \\<g\\> \\{h\\} \\\\i.[][\n]\0");
    expect(deformat(["a ~b  c\td", "e."])).toBe("a[ ~]b[  ]c[\t]d.[][\n\n]e..[][\n]\0");
    expect(reformat("Red apple.[][\n\n]The end..[][\n]")).toEqual(["Red apple", "The end."]);
    expect(reformat("a \\[b\\] \\@c[ ~]d.[][\n]")).toEqual(["a [b] @c ~d"]);
  });
});

const a = new ApertiumTranslator();
const oneShot = new ApertiumTranslator({ stream: false, cacheSize: 0 });
afterAll(() => a.close());

describe.skipIf(!a.canTranslate("es") || !a.canTranslateBetween("en", "es"))("Apertium, one long-lived pipeline per direction", () => {
  it("translates exactly as a one-shot `apertium -u` run does, both ways", async () => {
    expect(await a.translate(SPANISH, "es", "en")).toEqual(await oneShot.translate(SPANISH, "es", "en"));
    expect(await a.translate(ENGLISH, "en", "es")).toEqual(await oneShot.translate(ENGLISH, "en", "es"));
    // A word's translation can depend on the paragraph before it (the tagger reads a call as one
    // stream): a batch must come out as a one-shot run of the same batch gives it.
    const batch = [
      "one-dimensional transient heat conduction into a double-layer slab subjected to a linear heat input for a small time internal .. Text card: x",
      "dynamic stability of vehicles traversing ascending or descending paths through the atmosphere .. Text card: y",
      "calculated velocity distributions and force derivatives for a series of high-speed aerofoils .",
      "tables of exact laminar-boundary layer solutions when the wall is porous and fluid properties are variable .",
      "",
    ];
    expect(await a.translate(batch, "en", "es")).toEqual(await oneShot.translate(batch, "en", "es"));
    const [apple, , aphasia] = await a.toEnglish(["manzana roja", "", "terapia de la afasia\ncon tarjetas"], "es");
    expect(apple!.toLowerCase()).toContain("apple");
    expect(aphasia!.toLowerCase()).toContain("aphasia");
  });

  it("keeps one pipeline and answers concurrent calls each with their own texts, fast", async () => {
    const t = new ApertiumTranslator({ cacheSize: 0 });
    try {
      const words = Array.from({ length: 40 }, (_, i) => `el perro número ${i} come una manzana`);
      const sequential: string[] = [];
      for (const w of words.slice(0, 5)) sequential.push((await t.toEnglish([w], "es"))[0]!);
      const pid = t.pipelinePid("es", "en");
      const started = performance.now();
      const together = await Promise.all(words.map((w) => t.toEnglish([w], "es")));
      const elapsed = performance.now() - started;
      expect(together.slice(0, 5).map((x) => x[0])).toEqual(sequential);
      together.forEach((x, i) => expect(x[0]).toMatch(new RegExp(`\\b${i}\\b`)));
      expect(t.pipelinePid("es", "en")).toBe(pid); // no new process per query
      // Batches (indexing) go through a pipeline that has translated nothing before: exactly a
      // one-shot run's output, whatever went through before (the tagger carries state across units).
      const batch = ["Señala el banco y di la palabra.", "El banco está al lado de la mesa.", "banco"];
      const [one, two] = await Promise.all([t.toEnglish(batch, "es"), t.toEnglish(["gato", "perro"], "es")]);
      expect(one).toEqual(await oneShot.toEnglish(batch, "es"));
      expect(two).toEqual(["Cat", "Dog"]);
      expect(elapsed).toBeLessThan(3000); // one process start alone costs ~0.2 s: 40 would be 8 s
    } finally {
      t.close();
    }
  });

  it("gives the texts back untranslated when the pipeline is too slow, and starts a new one after a crash", async () => {
    const slow = new ApertiumTranslator({ timeoutMs: 0, perTextMs: 0, cacheSize: 0 });
    try {
      expect(await slow.toEnglish(["manzana roja"], "es")).toEqual(["manzana roja"]);
    } finally {
      slow.close();
    }
    const t = new ApertiumTranslator({ cacheSize: 0 });
    try {
      expect(await t.toEnglish(["perro"], "es")).toEqual(["Dog"]);
      const first = t.pipelinePid("es", "en")!;
      process.kill(-first, "SIGKILL");
      expect(await waitUntil(() => !groupAlive(first))).toBe(true);
      // The call that meets the dead pipeline may come back untranslated; the next one is served again.
      await t.toEnglish(["gato"], "es");
      expect(await t.toEnglish(["manzana"], "es")).toEqual(["Apple"]);
      expect(t.pipelinePid("es", "en")).not.toBe(first);
    } finally {
      t.close();
    }
  });

  it("stops its pipelines when the process using it exits", async () => {
    const script = `
      import { ApertiumTranslator } from ${JSON.stringify(fileURLToPath(new URL("./apertium.ts", import.meta.url)))};
      const t = new ApertiumTranslator();
      const [out] = await t.toEnglish(["manzana"], "es");
      console.log(JSON.stringify({ out, pid: t.pipelinePid("es", "en") }));
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(0); // it exits by itself: the pipeline does not keep it alive
    const { out, pid } = JSON.parse(stdout.trim()) as { out: string; pid: number };
    expect(out).toBe("Apple");
    expect(await waitUntil(() => !groupAlive(pid))).toBe(true);
  });
});
