import { describe, expect, it } from "vitest";
import { pickVoice, planSpeech, voicesForLanguage } from "../../app/lib/speech";
import { parseVoiceChoices, resolveVoices, voiceChoicesFromForm, voicesCookie } from "../../app/services/preferences.server";
import { updateVoices } from "../../app/services/users.server";
import { eq } from "drizzle-orm";
import { users } from "../../db/tables";
import { makeUser, testDb } from "./helpers";

const v = (name: string, lang: string, isDefault = false) => ({ voiceURI: `uri:${name}`, name, lang, default: isDefault });
const device = [
  v("Daniel", "en-GB"),
  v("Paulina", "es-MX"),
  v("Mónica", "es-ES"),
  v("Juan", "es_US"),
  v("Ana", "es-419"),
  v("Jorge", "es-AR"),
  v("Anna", "de-DE", true),
];

describe("choosing the synthetic voice", () => {
  it("offers every Spanish voice, Spain's and Latin America's first", () => {
    expect(voicesForLanguage(device, "es").map((x) => x.lang)).toEqual(["es-ES", "es-MX", "es_US", "es-419", "es-AR"]);
    expect(voicesForLanguage(device, "en").map((x) => x.name)).toEqual(["Daniel"]);
    expect(voicesForLanguage(device, "fr")).toEqual([]);
  });

  it("uses the chosen voice while the device has it, else the first that fits, else none", () => {
    expect(pickVoice(device, "es", "uri:Paulina")?.name).toBe("Paulina");
    expect(pickVoice(device, "es", "uri:Gone")?.name).toBe("Mónica");
    expect(pickVoice(device, "es")?.name).toBe("Mónica");
    // German is the device's default voice, but it cannot read French: no voice, and the page says so.
    expect(pickVoice(device, "fr")).toBeNull();
  });

  it("reads each text with a voice of the TEXT's language, never the interface's, and names what it cannot read", () => {
    // A French-speaking person's device: its default voice is French, and it has one Spanish voice.
    const french = [v("Thomas", "fr-FR", true), v("Mónica", "es-ES"), v("Amélie", "fr_CA")];
    // A Spanish card (even tagged with a region) is read in Spanish, whatever the interface language.
    expect(pickVoice(french, "es-MX")?.name).toBe("Mónica");
    const board = planSpeech(
      [
        { text: "pan", lang: "es" },
        { text: "leche", lang: "es" },
        { text: "bread", lang: "en" },
        { text: "agua", lang: "es" },
        { text: "  ", lang: "ar" },
      ],
      french,
    );
    // Consecutive words of one language go together; English has no voice here, so it is not read
    // (not with the French default voice either) and the page is told which language is missing.
    expect(board.utterances.map((u) => [u.text, u.voice.name])).toEqual([["pan. leche. agua", "Mónica"]]);
    expect(board.missing).toEqual(["en"]);
    // With an English voice too, each word in its own voice, in the board's order.
    const both = planSpeech(
      ["pan", "bread", "agua"].map((text, i) => ({ text, lang: i === 1 ? "en" : "es" })),
      [...french, v("Daniel", "en-GB")],
    );
    expect(both.utterances.map((u) => [u.text, u.voice.name])).toEqual([
      ["pan", "Mónica"],
      ["bread", "Daniel"],
      ["agua", "Mónica"],
    ]);
    expect(both.missing).toEqual([]);
    // The person's chosen voice for a language is used for that language only.
    const chosen = planSpeech([{ text: "bonjour", lang: "fr" }], french, { fr: "uri:Amélie", es: "uri:Thomas" });
    expect(chosen.utterances.map((u) => u.voice.name)).toEqual(["Amélie"]);
    expect(planSpeech([{ text: "hola", lang: "es" }], french, { es: "uri:Thomas" }).utterances[0]?.voice.name).toBe("Mónica");
    // A device with no voices at all reads nothing and says so.
    expect(planSpeech([{ text: "hola", lang: "es" }], [])).toEqual({ utterances: [], missing: ["es"] });
  });

  it("keeps only the site's languages and plausible names, from the form, a cookie or the account", async () => {
    expect(parseVoiceChoices({ es: "uri:Paulina", en: "", xx: "uri:Daniel", de: 3, fr: "x".repeat(201) })).toEqual({ es: "uri:Paulina" });
    const form = new FormData();
    form.set("intent", "voices");
    form.set("voice.es", "uri:Paulina");
    form.set("voice.en", "");
    expect(voiceChoicesFromForm(form)).toEqual({ es: "uri:Paulina" });

    const cookie = voicesCookie(new Request("http://x/"), { es: "uri:Paulina" }).split(";")[0]!;
    expect(resolveVoices(new Request("http://x/", { headers: { Cookie: cookie } }), null)).toEqual({ es: "uri:Paulina" });
    expect(resolveVoices(new Request("http://x/", { headers: { Cookie: "tablero_voices=%7Bbroken" } }), null)).toEqual({});

    const db = await testDb();
    const user = await makeUser(db);
    expect(resolveVoices(new Request("http://x/"), user)).toEqual({});
    await updateVoices(db, user.id, { es: "uri:Paulina", en: "uri:Daniel" });
    expect(resolveVoices(new Request("http://x/"), (await db.select().from(users).where(eq(users.id, user.id)))[0]!)).toEqual({
      es: "uri:Paulina",
      en: "uri:Daniel",
    });
  });
});
