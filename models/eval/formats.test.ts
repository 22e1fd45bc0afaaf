import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it, expect } from "vitest";
import {
  formatQrels,
  parseJsonl,
  parseQrels,
  parseSmart,
  readJsonl,
  readQrels,
  validateDocument,
  validateQuery,
  writeJsonl,
  writeQrels,
  type IrDocument,
  type IrQuery,
} from "./formats";

const dir = mkdtempSync(join(tmpdir(), "tablero-eval-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("JSONL", () => {
  it("skips blank lines and reports malformed lines with 1-based line numbers", () => {
    const text = ['{"id":"1","text":"a"}', "", "   ", "{not json", '{"id":"2","text":"b"}', "[1,"].join("\n");
    const { rows, errors } = parseJsonl<{ id: string }>(text);
    expect(rows.map((r) => r.id)).toEqual(["1", "2"]);
    expect(errors.map((e) => e.line)).toEqual([4, 6]);
    expect(errors[0]!.message).toMatch(/invalid JSON/);
  });

  it("accepts CRLF line endings, a byte-order mark and a missing final newline", () => {
    const { rows, errors } = parseJsonl<{ n: number }>('\uFEFF{"n":1}\r\n{"n":2}\r\n{"n":3}');
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("reports rows rejected by a validator and keeps the good ones", () => {
    const text = [
      '{"id":"d1","title":"T","text":"body","lang":"en","board":"b1","tags":["x"]}',
      '{"id":"d2","title":"","text":"","lang":"es"}',
      '{"id":"d3","title":"T","text":"body","lang":"en","tags":"x"}',
      '{"id":"","title":"T","text":"body","lang":"en"}',
      '"just a string"',
    ].join("\n");
    const { rows, errors } = parseJsonl<IrDocument>(text, validateDocument);
    expect(rows.map((r) => r.id)).toEqual(["d1", "d2"]);
    expect(errors).toEqual([
      { line: 3, message: '"tags" must be an array of strings' },
      { line: 4, message: '"id" must be a non-empty string' },
      { line: 5, message: "expected a JSON object" },
    ]);
    expect(validateQuery({ id: "q1", text: "what", lang: "en" })).toBeUndefined();
    expect(validateQuery({ id: "q1", lang: "en" })).toBe('"text" must be a non-empty string');
  });

  it("round-trips documents and queries through files, creating folders", () => {
    const docs: IrDocument[] = [
      { id: "1", title: "Título", text: 'línea "citada"\nsegunda', lang: "es", tags: ["a", "b"] },
      { id: "2", title: "", text: "", lang: "en", board: "b" },
    ];
    const queries: IrQuery[] = [{ id: "1", text: "what is it?", lang: "en" }];
    const docsPath = join(dir, "nested", "docs.jsonl");
    writeJsonl(docsPath, docs);
    writeJsonl(join(dir, "queries.jsonl"), queries);
    expect(readFileSync(docsPath, "utf8").split("\n")).toHaveLength(3); // two lines + final newline
    expect(readJsonl<IrDocument>(docsPath, validateDocument)).toEqual({ rows: docs, errors: [] });
    expect(readJsonl<IrQuery>(join(dir, "queries.jsonl"), validateQuery).rows).toEqual(queries);
  });
});

describe("qrels TSV", () => {
  it("parses graded judgments per query, keeping non-relevant ones", () => {
    const qrels = parseQrels("q1\td1\t2\nq1\td2\t0\n\nq2\td1\t1\r\n");
    expect([...qrels.keys()]).toEqual(["q1", "q2"]);
    expect(qrels.get("q1")).toEqual(
      new Map([
        ["d1", 2],
        ["d2", 0],
      ]),
    );
    expect(qrels.get("q2")).toEqual(new Map([["d1", 1]]));
  });

  it("skips a header line and accepts a repeated identical judgment", () => {
    const qrels = parseQrels("query_id\tdoc_id\trelevance\nq1\td1\t1\nq1\td1\t1\n");
    expect(qrels).toEqual(new Map([["q1", new Map([["d1", 1]])]]));
  });

  it("throws naming every bad line", () => {
    const bad = "q1\td1\t1\nq1 d2 1\nq1\td3\thigh\nq1\td1\t3\n\td4\t1\n";
    expect(() => parseQrels(bad)).toThrow(/line 2: expected 3 tab-separated columns/);
    expect(() => parseQrels(bad)).toThrow(/line 3: relevance "high" is not a number/);
    expect(() => parseQrels(bad)).toThrow(/line 4: q1\/d1 already judged 1, now 3/);
    expect(() => parseQrels(bad)).toThrow(/line 5: empty query or doc id/);
  });

  it("round-trips through a file", () => {
    const qrels = new Map([
      [
        "1",
        new Map([
          ["184", 3],
          ["29", 3],
        ]),
      ],
      ["2", new Map([["12", 1]])],
    ]);
    const path = join(dir, "sub", "qrels.tsv");
    writeQrels(path, qrels);
    expect(readFileSync(path, "utf8")).toBe("1\t184\t3\n1\t29\t3\n2\t12\t1\n");
    expect(readQrels(path)).toEqual(qrels);
  });

  it("refuses ids that would break the TSV, and names the file on read errors", () => {
    expect(() => formatQrels(new Map([["q\t1", new Map([["d", 1]])]]))).toThrow(/cannot be written/);
    const path = join(dir, "broken.tsv");
    writeFileSync(path, "q1\td1\n");
    expect(() => readQrels(path)).toThrow(path);
  });
});

describe("parseSmart", () => {
  it("reads records and multi-line fields, joining lines with spaces", () => {
    const text = [
      ".I 1",
      ".T",
      "experimental investigation of the aerodynamics of a",
      "wing in a slipstream .",
      ".A",
      "brenckman,m.",
      ".B",
      "j. ae. scs. 25, 1958, 324.",
      ".W",
      "experimental investigation",
      "  an experimental study of a wing .  ",
      "",
      ".I 2",
      ".T",
      "simple shear flow .",
      ".W",
      "",
    ].join("\r\n");
    expect(parseSmart(text)).toEqual([
      {
        id: "1",
        fields: {
          T: "experimental investigation of the aerodynamics of a wing in a slipstream .",
          A: "brenckman,m.",
          B: "j. ae. scs. 25, 1958, 324.",
          W: "experimental investigation an experimental study of a wing .",
        },
      },
      { id: "2", fields: { T: "simple shear flow .", W: "" } },
    ]);
  });

  it("keeps ids as written, joins repeated fields and reads text on the marker line", () => {
    const text = [
      "stray preamble",
      ".I 001",
      ".T ",
      "18 Editions of the Dewey Decimal Classifications",
      ".A",
      "Comaromi, J.P.",
      ".A ",
      "Avram, H.D.",
      ".W inline start",
      "and more",
      ".X",
      "1\t5\t1",
      "92\t1\t1",
    ].join("\n");
    expect(parseSmart(text)).toEqual([
      {
        id: "001",
        fields: {
          T: "18 Editions of the Dewey Decimal Classifications",
          A: "Comaromi, J.P. Avram, H.D.",
          W: "inline start and more",
          X: "1\t5\t1 92\t1\t1",
        },
      },
    ]);
  });

  it("with a terminal field, drops stray markers inside it instead of opening new fields", () => {
    // Shape of Cranfield doc 240: ".A"/".B" lines in the middle of the abstract.
    const text = [
      ".I 240",
      ".T",
      "heat transfer .",
      ".A",
      "chapman",
      ".W",
      "first part",
      ".A",
      "second part",
      ".B",
      "third part",
      ".I 241",
      ".T",
      "next",
    ].join("\n");
    expect(parseSmart(text)[0]!.fields).toEqual({ T: "heat transfer .", A: "chapman second part", B: "third part", W: "first part" });
    expect(parseSmart(text, { terminalField: "W" })).toEqual([
      { id: "240", fields: { T: "heat transfer .", A: "chapman", W: "first part second part third part" } },
      { id: "241", fields: { T: "next" } },
    ]);
  });

  it("returns nothing for text without records", () => {
    expect(parseSmart("")).toEqual([]);
    expect(parseSmart("just text\n.T\nno record")).toEqual([]);
  });
});
