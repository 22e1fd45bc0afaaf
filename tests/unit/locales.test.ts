import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { NAMESPACES } from "~/i18n";

const flat = (o: Record<string, unknown>, p = ""): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? flat(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]));
const load = (lng: string, ns: string) => JSON.parse(readFileSync(join("locales", lng, `${ns}.json`), "utf8")) as Record<string, unknown>;

describe("locales", () => {
  it("every namespace file is registered", () => {
    for (const lng of ["en", "es"]) {
      const files = readdirSync(join("locales", lng)).map((f) => f.replace(/\.json$/, ""));
      expect(files.sort()).toEqual([...NAMESPACES].sort());
    }
  });

  for (const ns of NAMESPACES) {
    it(`${ns}: Spanish has exactly the keys English has, none empty`, () => {
      const en = flat(load("en", ns)).sort();
      const es = flat(load("es", ns)).sort();
      expect(es).toEqual(en);
      for (const lng of ["en", "es"]) expect(JSON.stringify(load(lng, ns))).not.toMatch(/""/);
    });
  }

  it("every t('key') used in the app exists in English, in the file's namespace or in common", () => {
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : /\.tsx?$/.test(e.name) && files.push(join(d, e.name)),
      );
    walk("app");
    const keysOf = (ns: string) => new Set(flat(load("en", ns)).map((k) => k.replace(/_(one|other)$/, "")));
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
