import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { NAMESPACES, supportedLngs } from "~/i18n";

const flatEntries = (o: Record<string, unknown>, p = ""): [string, string][] =>
  Object.entries(o).flatMap(([k, v]): [string, string][] =>
    v && typeof v === "object" ? flatEntries(v as Record<string, unknown>, `${p}${k}.`) : [[`${p}${k}`, String(v)]],
  );
const flat = (o: Record<string, unknown>) => flatEntries(o).map(([k]) => k);
const load = (lng: string, ns: string) => JSON.parse(readFileSync(join("locales", lng, `${ns}.json`), "utf8")) as Record<string, unknown>;

/** CLDR's plural categories for a language, as i18next v23 asks Intl.PluralRules for them. */
const categories = (lng: string) => new Intl.PluralRules(lng).resolvedOptions().pluralCategories as string[];
const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * English's keys as another language must have them: a plural group (`x_one`, `x_other` in English)
 * becomes one key per plural category of that language (`x_many` in Spanish and French, six in Arabic).
 */
function expectedKeys(enKeys: string[], lng: string): string[] {
  const bases = new Set(enKeys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")));
  return [...enKeys.filter((k) => !PLURAL.test(k)), ...[...bases].flatMap((b) => categories(lng).map((c) => `${b}_${c}`))].sort();
}

/** What a string must carry through translation: {{placeholders}} and <tags> that <Trans> fills. */
const holes = (s: string) => new Set([...s.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}|<\/?([a-z0-9]+)>/gi)].map((m) => m[1] ?? `<${m[2]}>`));

describe("locales", () => {
  it("every namespace file is registered, in every interface language", () => {
    for (const lng of supportedLngs) {
      const files = readdirSync(join("locales", lng)).map((f) => f.replace(/\.json$/, ""));
      expect(files.sort(), lng).toEqual([...NAMESPACES].sort());
    }
    expect(readdirSync("locales").sort()).toEqual([...supportedLngs].sort());
  });

  it("English's plural groups have exactly English's plural forms", () => {
    for (const ns of NAMESPACES) {
      const en = flat(load("en", ns)).sort();
      expect(en).toEqual(expectedKeys(en, "en"));
    }
  });

  for (const lng of supportedLngs.filter((l) => l !== "en")) {
    for (const ns of NAMESPACES) {
      it(`${lng}/${ns}: English's keys with ${lng}'s plural forms, none empty, the same placeholders`, () => {
        const en = new Map(flatEntries(load("en", ns)));
        const other = new Map(flatEntries(load(lng, ns)));
        expect([...other.keys()].sort()).toEqual(expectedKeys([...en.keys()], lng));
        const wrong: string[] = [];
        for (const [key, text] of other) {
          if (!text.trim()) wrong.push(`${key}: empty`);
          const base = key.replace(PLURAL, "");
          const plural = PLURAL.test(key);
          // A plural form may leave the number out ("one card", Arabic's dual), never anything else; the
          // number is {{count}} or its localised digits {{formatted}}.
          const want = plural ? holes(en.get(`${base}_other`) ?? "") : holes(en.get(key) ?? "");
          const allowed = plural ? new Set([...want, ...holes(en.get(`${base}_one`) ?? ""), "count"]) : want;
          const got = holes(text);
          const missing = [...want].filter((h) => !got.has(h) && !(plural && (h === "count" || h === "formatted")));
          const extra = [...got].filter((h) => !allowed.has(h));
          if (missing.length) wrong.push(`${key}: lacks ${missing.join(", ")}`);
          if (extra.length) wrong.push(`${key}: has ${extra.join(", ")}, which English does not`);
        }
        expect(wrong).toEqual([]);
      });
    }
  }

  it("Spanish says 'de' after a million (CLDR's many form)", async () => {
    const { i18nFor } = await import("~/i18n");
    const t = i18nFor("es").t;
    expect(t("board.cardCount", { count: 1_000_000 })).toBe("1000000 de tarjetas");
    expect(t("board.cardCount", { count: 3 })).toBe("3 tarjetas");
    expect(t("board.cardCount", { count: 1 })).toBe("1 tarjeta");
  });

  it("'Waiting: n' is a phrase (joined with ' · ' on /practice), the practice page's line ends with one full stop", () => {
    for (const lng of supportedLngs) {
      const practise = load(lng, "practice").practise as Record<string, string>;
      expect(practise.waiting, lng).not.toMatch(/[.。]$/);
      expect(practise.progressLine, lng).toMatch(/\{\{waiting\}\}\.$/);
    }
  });

  it("present mode and the Arabic meaning clue use the interface's own words", () => {
    const word = { en: "session", es: "sesión", fr: "séance", de: "Treffen", ar: "الجلسة" } as Record<string, string>;
    for (const lng of supportedLngs) {
      const present = (load(lng, "naming").present as Record<string, string>).noAttendees!;
      expect(present, lng).toContain(word[lng]);
    }
    // "هي" (she/it, feminine) would be wrong for a masculine noun: the clue names only the group.
    expect((load("ar", "naming").cues as Record<string, string>).semanticDefault).toBe("من مجموعة «{{category}}».");
  });

  it("every t('key') used in the app exists in English, in the file's namespace or in common", () => {
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : /\.tsx?$/.test(e.name) && files.push(join(d, e.name)),
      );
    walk("app");
    const keysOf = (ns: string) => new Set(flat(load("en", ns)).map((k) => k.replace(PLURAL, "")));
    const byNs = new Map(NAMESPACES.map((ns) => [ns as string, keysOf(ns)]));
    const missing: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      // A file uses the namespaces it names in useTranslation(...) / i18nFor(...).getFixedT(..., "ns"), plus common.
      const used = new Set(["common", ...[...src.matchAll(/useTranslation\(\s*\[?"([a-z]+)"/g)].map((m) => m[1]!)]);
      for (const m of src.matchAll(/\bt\("(?:([a-z]+):)?([a-zA-Z]+\.[a-zA-Z0-9_.]+)"/g)) {
        const [, ns, key] = m;
        const found = ns ? byNs.get(ns)?.has(key!) : [...used].some((n) => byNs.get(n)?.has(key!));
        if (!found) missing.push(`${f}: ${ns ? `${ns}:` : ""}${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
