import { describe, expect, it } from "vitest";
import { BOM, csvCell, reviewsCsv, type CsvLabels } from "./csv";
import type { ReviewRow } from "./aggregate";

const labels: CsvLabels = {
  headers: { date: "Fecha", learner: "Persona", card: "Tarjeta", mode: "Tipo", cueLevel: "Ayuda", result: "Resultado" },
  mode: (m) => `mode:${m}`,
  cueLevel: (c) => `cue:${c}`,
  result: (o) => `result:${o}`,
  notRecorded: "n/a",
};
const base: ReviewRow = {
  reviewedAt: new Date("2026-03-02T10:00:00.000Z"),
  learnerId: 1,
  learnerName: "Dad",
  pinId: 1,
  word: "niño",
  mode: "naming",
  outcome: "cued",
  cueLevel: 3,
  rating: 3,
  sessionId: 1,
};

/** A minimal RFC 4180 reader, to check the file parses back into the cells written. */
function parse(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return out;
}

describe("reviews CSV", () => {
  it("starts with a UTF-8 BOM, has translated headers, one CRLF row per review, UTC times a spreadsheet reads", () => {
    const csv = reviewsCsv([base, { ...base, outcome: null, rating: 1, cueLevel: null, mode: "writing" }], labels);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(parse(csv.slice(1))).toEqual([
      ["Fecha", "Persona", "Tarjeta", "Tipo", "Ayuda", "Resultado"],
      ["2026-03-02 10:00:00", "Dad", "niño", "mode:naming", "cue:firstSound", "result:cued"],
      ["2026-03-02 10:00:00", "Dad", "niño", "mode:writing", "n/a", "result:not_yet"],
    ]);
  });

  it("separates with a semicolon when asked (Spanish, French, German spreadsheets), quoting either separator", () => {
    const csv = reviewsCsv([{ ...base, learnerName: "Dad; Jr", word: "a,b" }], labels, ";");
    const [head, row] = csv.slice(1).split("\r\n");
    expect(head).toBe("Fecha;Persona;Tarjeta;Tipo;Ayuda;Resultado");
    expect(row).toBe('2026-03-02 10:00:00;"Dad; Jr";"a,b";mode:naming;cue:firstSound;result:cued');
    expect(csvCell("x;y")).toBe('"x;y"');
  });

  it("defuses cells a spreadsheet would run as a formula, and quotes commas, quotes and line breaks", () => {
    for (const bad of ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(bad).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(-3)).toBe("-3"); // a number is a number, not text that could be a formula
    const csv = reviewsCsv([{ ...base, word: "=cmd|' /C calc'!A0", learnerName: "@bob, jr" }], labels);
    const cells = parse(csv.slice(1))[1]!;
    expect(cells[1]).toBe("'@bob, jr");
    expect(cells[2]).toBe("'=cmd|' /C calc'!A0");
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@]/);
  });
});
