import { describe, expect, it } from "vitest";
import { pickVoice, voicesForLanguage } from "../../app/lib/speech";
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
