/**
 * Reads the text back out of an uncompressed pdfkit PDF (no poppler on the machine to run pdftotext):
 * for each font, its ToUnicode map (embedded fonts write glyph ids) or WinAnsi bytes (standard fonts);
 * then every TJ string under each Tf (WinAnsi agrees with Latin-1 for Spanish and French letters).
 */
export function pdfText(pdf: Buffer): string {
  const s = pdf.toString("latin1");
  const objects = new Map<string, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(m[1]!, m[2]!);
  const cmaps = new Map<string, Map<number, string>>();
  for (const m of s.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const font = objects.get(m[2]!) ?? "";
    const toUni = /\/ToUnicode (\d+) 0 R/.exec(font);
    if (!toUni) continue;
    const map = new Map<number, string>();
    const cmap = objects.get(toUni[1]!) ?? "";
    for (const r of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/g)) {
      const start = parseInt(r[1]!, 16);
      // One glyph may stand for several UTF-16 units (a shaped ligature such as Arabic lām-alif).
      [...r[3]!.matchAll(/<([0-9a-f]+)>/g)].forEach((u, i) =>
        map.set(start + i, String.fromCharCode(...(u[1]!.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)))),
      );
    }
    cmaps.set(m[1]!, map);
  }
  let out = "";
  let font = "";
  for (const m of s.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]\n]*)\] TJ|\n(ET)\n/g)) {
    if (m[1]) font = m[1];
    else if (m[3]) out += "\n";
    else {
      const hex = [...m[2]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join("");
      const map = cmaps.get(font);
      if (map) for (let i = 0; i < hex.length; i += 4) out += map.get(parseInt(hex.slice(i, i + 4), 16)) ?? "?";
      else out += Buffer.from(hex, "hex").toString("latin1");
    }
  }
  return out;
}

export const pageCount = (pdf: Buffer) => pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length ?? 0;
