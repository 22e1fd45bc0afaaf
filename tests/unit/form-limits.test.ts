import { describe, expect, it } from "vitest";
import { errorText } from "../../app/lib/error-message";
import { boardSchema, cardSchema, LIMITS, parseForm } from "../../app/lib/forms";
import { parseWorkshopForm, WORKSHOP_LIMITS, workshopSchema } from "../../app/lib/workshop-forms";
import { i18nFor } from "../../app/i18n";

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
};
const en = i18nFor("en").t as unknown as (k: string, o?: Record<string, unknown>) => string;
const es = i18nFor("es").t as unknown as (k: string, o?: Record<string, unknown>) => string;

describe("nothing is cut quietly: too long is refused with the limit, and the text is kept", () => {
  it("an 81-character board title", () => {
    const title = "a".repeat(81);
    const r = parseForm(boardSchema, form({ title, lang: "en", visibility: "public" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.values.title).toBe(title); // handed back whole for the form to show
    expect(errorText(en, r.errors.title!)).toBe("This is too long: at most 80 characters (this has 81).");
    expect(errorText(es, r.errors.title!)).toBe("Es demasiado largo: como máximo 80 caracteres (tiene 81).");
    // 80 is fine
    expect(parseForm(boardSchema, form({ title: "a".repeat(80), lang: "en", visibility: "public" })).ok).toBe(true);
  });

  it("card fields say their own limit", () => {
    const r = parseForm(
      cardSchema,
      form({ title: "apple", alt: "x".repeat(LIMITS.cardAlt + 5), cue: "c".repeat(LIMITS.cardCue + 1), lang: "en" }),
    );
    expect(!r.ok && errorText(en, r.errors.alt!)).toBe(
      `This is too long: at most ${LIMITS.cardAlt} characters (this has ${LIMITS.cardAlt + 5}).`,
    );
    expect(!r.ok && errorText(en, r.errors.cue!)).toContain(`at most ${LIMITS.cardCue} characters`);
  });

  it("a 10,000-character workshop title", () => {
    const title = "W".repeat(10_000);
    const r = parseWorkshopForm(
      workshopSchema,
      form({
        title,
        lang: "en",
        weekday: "1",
        startTime: "10:00",
        durationMinutes: "60",
        timeZone: "Europe/Madrid",
        startsOn: "2026-01-05",
        capacity: "3",
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.values.title).toBe(title);
    expect(errorText(en, r.errors.title!)).toBe(`This is too long: at most ${WORKSHOP_LIMITS.title} characters (this has 10000).`);
    expect(errorText(es, r.errors.title!)).toContain(`como máximo ${WORKSHOP_LIMITS.title} caracteres`);
  });

  it("counts characters, not UTF-16 units (an emoji is one)", () => {
    const r = parseForm(boardSchema, form({ title: "🍎".repeat(81), lang: "en", visibility: "public" }));
    expect(!r.ok && r.errors.title).toMatch(/length=81/);
  });
});

describe("feature forms show shared wording, never raw keys", () => {
  it("the practice namespace falls back to common for the summary and field errors, in both languages", () => {
    for (const lng of ["en", "es"] as const) {
      // react-i18next's useTranslation(["practice", "common"]) looks keys up in the first namespace only
      // (nsMode "default"): this is the t that FormAlert and the practice form get.
      const t = i18nFor(lng).getFixedT(lng, "practice") as unknown as (k: string, o?: Record<string, unknown>) => string;
      for (const key of ["form.fixErrors", "errors.required", "errors.email"]) {
        const text = t(key, { count: 1 });
        expect(text, `${lng} ${key}`).not.toBe(key);
        expect(text).not.toMatch(/^(form|errors)\./);
      }
    }
  });
});
