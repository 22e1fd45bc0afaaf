import { env, pipeline } from "@xenova/transformers";
import { describe, expect, it } from "vitest";
import { ApertiumTranslator, cosine, loadUseLite } from "./index";

describe("the bundled sentence encoder", () => {
  it("matches transformers.js's own mean pooling, offline, and puts related words close", async () => {
    const e = await loadUseLite();
    const texts = ["aphasia", "Naming exercises for aphasia therapy", "", "red apple", "a b c d e f g h i j"];
    const mine = await e.embed(texts);
    env.allowRemoteModels = false;
    const ref = await pipeline("feature-extraction", "use-lite-en", { quantized: true });
    const out = (
      await ref(
        texts.map((t) => t || " "),
        { pooling: "mean", normalize: true },
      )
    ).data as Float32Array;
    mine.forEach((v, i) => expect(cosine(v, out.slice(i * 512, (i + 1) * 512))).toBeGreaterThan(0.9999));
    const [apple, fruit, car] = await e.embed(["apple", "fruit", "car engine"]);
    expect(cosine(apple!, fruit!)).toBeGreaterThan(cosine(apple!, car!));
  });

  it("gives vectors within cosine 0.995 of the float model it was quantised from", async () => {
    const texts = [
      "aphasia",
      "Naming exercises for aphasia therapy",
      "manzana",
      "Point to the kettle and say the word. Kitchen",
      "a person getting a massage",
      "speech therapy cards for stroke recovery",
    ];
    const mine = await (await loadUseLite()).embed(texts);
    env.allowRemoteModels = false;
    const float = await pipeline("feature-extraction", "use-lite-en", { quantized: false });
    const out = (await float(texts, { pooling: "mean", normalize: true })).data as Float32Array;
    mine.forEach((v, i) => expect(cosine(v, out.slice(i * 512, (i + 1) * 512))).toBeGreaterThan(0.995));
  });
});

describe("Apertium", () => {
  const a = new ApertiumTranslator();
  it.skipIf(!a.canTranslate("es"))("translates Spanish to English in one batch, keeping one output per input", async () => {
    const out = await a.toEnglish(["manzana roja", "", "terapia de la afasia\ncon tarjetas"], "es");
    expect(out).toHaveLength(3);
    expect(out[0]!.toLowerCase()).toContain("apple");
    expect(out[2]!.toLowerCase()).toContain("aphasia");
  });
});
