import { describe, expect, it } from "vitest";
import { i18nFor } from "../../app/i18n";
import { formatList, formatSeconds } from "../../app/lib/format";

// Walk-through finding (issue 15): "1.0 s", lists joined with ", " and "label: value" were built in
// code, so French lacked its space before ":" and Arabic its comma "،".
describe("numbers, lists and labels in the interface's language", () => {
  it("formats a recording's seconds as the language writes decimals", () => {
    expect(formatSeconds(1400, "en")).toBe("1.4");
    expect(formatSeconds(1400, "fr")).toBe("1,4");
    expect(formatSeconds(1000, "es")).toBe("1,0");
    expect(formatSeconds(1400, "de")).toBe("1,4");
  });

  it("joins lists with the language's own commas and 'and'", () => {
    expect(formatList(["title", "meaning", "picture"], "en")).toBe("title, meaning, and picture");
    expect(formatList(["title", "meaning"], "en", "unit")).toBe("title, meaning");
    const ar = formatList(["العنوان", "المعنى", "الصورة"], "ar", "unit");
    expect(ar).toContain("،");
    expect(ar).not.toContain(", ");
    expect(formatList(["a", "b"], "fr")).toBe("a et b");
  });

  it("puts the label's colon where each language puts it", () => {
    const label = (lng: "en" | "es" | "fr" | "de" | "ar") => i18nFor(lng).t("common:punct.labelled", { label: "X", value: "y" });
    expect(label("en")).toBe("X: y");
    expect(label("fr")).toBe("X\u00a0: y");
    expect(label("de")).toBe("X: y");
    expect(i18nFor("fr").t("common:punct.label", { label: "Indice" })).toBe("Indice\u00a0:");
  });
});

// Walk-through finding: "Entraînement de Ana" — French elides "de" before a vowel or a mute h.
describe("French 'de' before a name", () => {
  it("elides before a vowel or h, not before a consonant, in the strings that use it", () => {
    const t = i18nFor("fr").t;
    expect(t("practice:progress.headingOf", { name: "Ana" })).toBe("Progrès d’Ana");
    expect(t("practice:progress.headingOf", { name: "Hélène" })).toBe("Progrès d’Hélène");
    expect(t("practice:progress.headingOf", { name: "Tomás" })).toBe("Progrès de Tomás");
    expect(t("practice:overview.theirProgress", { name: "Émile" })).toBe("Voir les progrès d’Émile");
    // Other languages keep their own wording; the formatter exists for all, used only in French.
    expect(i18nFor("en").t("practice:progress.headingOf", { name: "Ana" })).toContain("Ana");
  });
});
