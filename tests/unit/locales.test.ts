import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const flat = (o: Record<string, unknown>, p = ""): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? flat(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]));
const load = (lng: string) => JSON.parse(readFileSync(join("locales", lng, "common.json"), "utf8")) as Record<string, unknown>;

describe("locales", () => {
  it("Spanish has exactly the keys English has, none empty", () => {
    const en = flat(load("en")).sort();
    const es = flat(load("es")).sort();
    expect(es).toEqual(en);
    for (const lng of ["en", "es"]) {
      const values = JSON.stringify(load(lng));
      expect(values).not.toMatch(/""/);
    }
  });

  it("every t('key') used in the app exists in English", () => {
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : /\.tsx?$/.test(e.name) && files.push(join(d, e.name))));
    walk("app");
    const keys = new Set(flat(load("en")).map((k) => k.replace(/_(one|other)$/, "")));
    const missing: string[] = [];
    for (const f of files) {
      for (const m of readFileSync(f, "utf8").matchAll(/\bt\("([a-zA-Z]+\.[a-zA-Z0-9_.]+)"/g)) if (!keys.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
