import { describe, expect, it } from "vitest";
import { accessibilitySchema, boardSchema, cardSchema, parseForm, signUpSchema } from "../../app/lib/forms";
import { fromAcceptLanguage, resolveLocale, resolvePrefs } from "../../app/services/preferences.server";
import en from "../../locales/en/common.json";
import es from "../../locales/es/common.json";

const form = (entries: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) for (const x of [v].flat()) f.append(k, x);
  return f;
};

describe("form validation", () => {
  it("returns translated-key errors per field and keeps what was typed (never the password)", () => {
    const r = parseForm(signUpSchema, form({ email: "not-an-email", password: "short", displayName: "  ", locale: "pt" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      email: "errors.email",
      password: "errors.passwordShort",
      displayName: "errors.required",
      locale: "errors.choice",
    });
    expect(r.values).toEqual({ email: "not-an-email", displayName: "  ", locale: "pt" });
  });

  it("accepts a valid board and card, trimming text", () => {
    const b = parseForm(boardSchema, form({ title: "  Food ", lang: "es", visibility: "unlisted" }));
    expect(b).toEqual({ ok: true, data: { title: "Food", description: "", lang: "es", visibility: "unlisted" } });
    const c = parseForm(cardSchema, form({ title: "manzana", alt: "Una manzana roja", lang: "es" }));
    expect(c.ok && c.data).toEqual({
      title: "manzana",
      alt: "Una manzana roja",
      cue: "",
      note: "",
      cueSentence: "",
      firstSound: "",
      lang: "es",
    });
  });

  it("requires alt text on a card", () => {
    const c = parseForm(cardSchema, form({ title: "apple", alt: "", lang: "en" }));
    expect(!c.ok && c.errors.alt).toBe("errors.required");
  });

  it("parses accessibility settings and refuses sizes we do not offer", () => {
    const ok = parseForm(accessibilitySchema, form({ textSize: "150", highContrast: "on", speechRate: "0.75" }));
    expect(ok).toEqual({ ok: true, data: { textSize: 150, highContrast: true, reducedMotion: false, speechRate: 0.75 } });
    const bad = parseForm(accessibilitySchema, form({ textSize: "130", speechRate: "9" }));
    expect(!bad.ok && bad.errors).toEqual({ textSize: "errors.choice", speechRate: "errors.range" });
  });

  it("has every error key it can return in both languages", () => {
    const keys = Object.keys(en.errors);
    expect(Object.keys(es.errors).sort()).toEqual([...keys].sort());
  });
});

describe("language and preferences", () => {
  it("picks the best supported language from Accept-Language", () => {
    expect(fromAcceptLanguage("pt-BR,pt;q=0.9,es;q=0.8,en;q=0.5")).toBe("es");
    expect(fromAcceptLanguage("en-GB,en;q=0.9")).toBe("en");
    expect(fromAcceptLanguage("pt")).toBeNull();
    expect(fromAcceptLanguage(null)).toBeNull();
  });

  it("negotiates over the five interface languages, a region tag naming its language", () => {
    expect(fromAcceptLanguage("fr-CA")).toBe("fr");
    expect(fromAcceptLanguage("de-AT,de;q=0.9,en;q=0.8")).toBe("de");
    expect(fromAcceptLanguage("ar-EG,ar;q=0.9")).toBe("ar");
    expect(fromAcceptLanguage("FR-ch")).toBe("fr");
    // q-values rank, not the order written; equal q-values keep the order written.
    expect(fromAcceptLanguage("en;q=0.3, ar-SA;q=0.8, de;q=0.5")).toBe("ar");
    expect(fromAcceptLanguage("de, fr")).toBe("de");
    // q=0 means "not this one"; a malformed q-value counts for nothing; * names no language.
    expect(fromAcceptLanguage("fr;q=0, *;q=0.5, en;q=0.1")).toBe("en");
    expect(fromAcceptLanguage("ar;q=abc, es;q=0.2")).toBe("es");
    expect(resolveLocale(new Request("http://x/", { headers: { "Accept-Language": "de-AT" } }), null)).toBe("de");
  });

  it("the switcher's choice (the cookie) comes before the browser's language, for each of the five", () => {
    for (const lng of ["en", "es", "fr", "de", "ar"]) {
      const req = new Request("http://x/", { headers: { Cookie: `tablero_lng=${lng}`, "Accept-Language": "pt,es;q=0.5" } });
      expect(resolveLocale(req, null)).toBe(lng);
    }
    const junk = new Request("http://x/", { headers: { Cookie: "tablero_lng=xx", "Accept-Language": "fr-BE" } });
    expect(resolveLocale(junk, null)).toBe("fr");
  });

  it("an account's interface language and a card's language can each be any of the five, nothing else", () => {
    const base = { email: "a@b.example", password: "long enough password", displayName: "Amal" };
    for (const locale of ["fr", "de", "ar"]) expect(parseForm(signUpSchema, form({ ...base, locale })).ok).toBe(true);
    expect(parseForm(signUpSchema, form({ ...base, locale: "pt" })).ok).toBe(false);
    const card = { title: "pot", alt: "a pot", cue: "", note: "" };
    for (const lang of ["es", "fr", "de", "ar"]) expect(parseForm(cardSchema, form({ ...card, lang })).ok, lang).toBe(true);
    expect(parseForm(cardSchema, form({ ...card, lang: "pt" })).ok).toBe(false);
  });

  it("prefers the visitor's chosen language over the browser's", () => {
    const req = new Request("http://x/", { headers: { Cookie: "tablero_lng=es", "Accept-Language": "en" } });
    expect(resolveLocale(req, null)).toBe("es");
    expect(resolveLocale(new Request("http://x/", { headers: { "Accept-Language": "es-MX" } }), null)).toBe("es");
  });

  it("reads a visitor's accessibility cookie and ignores a tampered one", () => {
    const good = encodeURIComponent(JSON.stringify({ textSize: 200, highContrast: true, reducedMotion: true, speechRate: 0.6 }));
    expect(resolvePrefs(new Request("http://x/", { headers: { Cookie: `tablero_a11y=${good}` } }), null)).toEqual({
      textSize: 200,
      highContrast: true,
      reducedMotion: true,
      speechRate: 0.6,
    });
    const bad = encodeURIComponent(JSON.stringify({ textSize: 999, speechRate: 50 }));
    expect(resolvePrefs(new Request("http://x/", { headers: { Cookie: `tablero_a11y=${bad}` } }), null).textSize).toBe(100);
  });
});
