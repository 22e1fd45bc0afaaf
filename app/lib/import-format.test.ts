import { describe, expect, it } from "vitest";
import { detectFormat, IMPORT_ERROR_KEYS, IMPORT_LIMITS, parseImport, recordFromDocument } from "./import-format";

const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

describe("parseImport — JSONL", () => {
  it("reads good lines with defaults and optional fields", () => {
    const content = jsonl(
      { id: "apple", title: "Apple", text: "I eat an apple", lang: "en", board: "Food", tags: ["fruit", "red"] },
      { id: 42, title: "  Manzana  ", lang: "ES", alt: "A red apple", cue: "Point", image: "/img/apple.png" },
      { id: "pear", title: "Pear" },
    );
    const { records, issues } = parseImport(content);
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { id: "apple", title: "Apple", text: "I eat an apple", lang: "en", board: "Food", tags: ["fruit", "red"], line: 1 },
      {
        id: "42",
        title: "Manzana",
        text: "",
        lang: "es",
        tags: [],
        alt: "A red apple",
        cue: "Point",
        image: "/img/apple.png",
        line: 2,
      },
      { id: "pear", title: "Pear", text: "", lang: "en", tags: [], line: 3 },
    ]);
    // Optional fields that were not given are absent, not undefined-valued keys.
    expect(Object.keys(records[2]).sort()).toEqual(["id", "lang", "line", "tags", "text", "title"]);
  });

  it("keeps going after a malformed line and reports its line number", () => {
    const content = jsonl(
      { id: "a", title: "A" },
      "",
      '{"id": "b", "title": "B",',
      { id: "c", title: "C" },
      "[1, 2]",
      '"just a string"',
      "null",
      { id: "d", title: "D" },
    );
    const { records, issues } = parseImport(content);
    expect(records.map((r) => [r.id, r.line])).toEqual([
      ["a", 1],
      ["c", 4],
      ["d", 8],
    ]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [3, "import.errors.badJson"],
      [5, "import.errors.notObject"],
      [6, "import.errors.notObject"],
      [7, "import.errors.notObject"],
    ]);
    expect(issues[0].detail).toBeTruthy();
  });

  it("checks required fields, types and lengths", () => {
    const content = jsonl(
      { title: "No id" },
      { id: "", title: "Empty id" },
      { id: "x".repeat(201), title: "Long id" },
      { id: "no-title" },
      { id: "blank-title", title: "   " },
      { id: "long-title", title: "t".repeat(201) },
      { id: "ok-title", title: `  ${"t".repeat(200)}  ` },
      { id: "long-text", title: "T", text: "x".repeat(5001) },
      { id: "ok-text", title: "T", text: "x".repeat(5000) },
      { id: "bad-tags", title: "T", tags: 3 },
      { id: { nested: true }, title: "T" },
      { id: "bad-alt", title: "T", alt: 12 },
    );
    const { records, issues } = parseImport(content);
    expect(records.map((r) => r.id)).toEqual(["ok-title", "ok-text"]);
    expect(issues.map((i) => [i.line, i.message, i.detail])).toEqual([
      [1, "import.errors.missingId", "id"],
      [2, "import.errors.missingId", "id"],
      [3, "import.errors.tooLong", "id"],
      [4, "import.errors.missingTitle", "title"],
      [5, "import.errors.missingTitle", "title"],
      [6, "import.errors.tooLong", "title"],
      [8, "import.errors.tooLong", "text"],
      [10, "import.errors.badType", "tags"],
      [11, "import.errors.badType", "id"],
      [12, "import.errors.badType", "alt"],
    ]);
  });
});

describe("parseImport — CSV", () => {
  it("handles quoted commas, newlines and escaped quotes, with start-of-row line numbers", () => {
    const content = [
      "id,title,text,lang",
      '1,"Hello, world","He said ""hi""",en', // line 2
      '2,Story,"First line', //                 line 3: row spans lines 3-5
      "second line, with a comma",
      'third ""quoted"" line",es',
      "3,After,plain,en", //                    line 6
      "", //                                    line 7: blank, skipped
      '"4","Quoted id","",""', //               line 8
    ].join("\n");
    const { records, issues } = parseImport(content, "csv");
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { id: "1", title: "Hello, world", text: 'He said "hi"', lang: "en", tags: [], line: 2 },
      {
        id: "2",
        title: "Story",
        text: 'First line\nsecond line, with a comma\nthird "quoted" line',
        lang: "es",
        tags: [],
        line: 3,
      },
      { id: "3", title: "After", text: "plain", lang: "en", tags: [], line: 6 },
      { id: "4", title: "Quoted id", text: "", lang: "en", tags: [], line: 8 },
    ]);
  });

  it("matches header names case-insensitively in any order and ignores unknown columns", () => {
    const content = ["Notes,TITLE, Id ,Board,Alt,Cue,Image,Lang", "ignore me,Dog,dog,Animals,A brown dog,Woof,dog.png,ES"].join("\n");
    const { records, issues } = parseImport(content);
    expect(issues).toEqual([]);
    expect(records).toEqual([
      {
        id: "dog",
        title: "Dog",
        text: "",
        lang: "es",
        board: "Animals",
        tags: [],
        alt: "A brown dog",
        cue: "Woof",
        image: "dog.png",
        line: 2,
      },
    ]);
  });

  it("reports a header without the required columns once, at line 1, and reads nothing", () => {
    const content = ["name,text", "1,hello", "2,bye"].join("\n");
    const { records, issues } = parseImport(content, "csv");
    expect(records).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, message: "import.errors.badHeader" });
    expect(issues[0].detail).toContain("id");
    expect(issues[0].detail).toContain("title");

    const onlyTitle = parseImport("title\nHello", "csv");
    expect(onlyTitle.records).toEqual([]);
    expect(onlyTitle.issues).toEqual([{ line: 1, message: "import.errors.badHeader", detail: "missing: id" }]);
  });

  it("reports rows with the wrong number of columns and keeps reading", () => {
    const content = ["id,title,text", "1,One,x", "2,Two", "3,Three,x,extra", "4,Four,x"].join("\n");
    const { records, issues } = parseImport(content);
    expect(records.map((r) => r.id)).toEqual(["1", "4"]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [3, "import.errors.badColumns"],
      [4, "import.errors.badColumns"],
    ]);
  });

  it("reports a broken quote on its row and reads the rows after it", () => {
    const content = ["id,title", '1,"Unclosed', "2,Two", '3,"Three"x', "4,Four"].join("\n");
    const { records, issues } = parseImport(content);
    expect(records.map((r) => [r.id, r.line])).toEqual([
      ["2", 3],
      ["4", 5],
    ]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [2, "import.errors.badQuote"],
      [4, "import.errors.badQuote"],
    ]);
  });

  it("skips blank and all-empty rows silently", () => {
    const content = ["", "id,title", "", "1,One", "   ", ",", "2,Two", ""].join("\n");
    const { records, issues } = parseImport(content, "csv");
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.id, r.line])).toEqual([
      ["1", 4],
      ["2", 7],
    ]);
  });
});

describe("parseImport — shared rules", () => {
  it("reports a duplicate id on the later line only", () => {
    const content = jsonl(
      { id: "a", title: "First" },
      { id: "b", title: "B" },
      { id: "a", title: "Again" },
      { id: 7, title: "Seven" },
      { id: "7", title: "Seven again" },
    );
    const { records, issues } = parseImport(content);
    expect(records.map((r) => [r.id, r.title])).toEqual([
      ["a", "First"],
      ["b", "B"],
      ["7", "Seven"],
    ]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [3, "import.errors.duplicateId"],
      [5, "import.errors.duplicateId"],
    ]);

    const csv = parseImport("id,title\nx,One\n y ,Two\nx,Three\ny,Four");
    expect(csv.records.map((r) => r.title)).toEqual(["One", "Two"]);
    expect(csv.issues.map((i) => [i.line, i.message])).toEqual([
      [4, "import.errors.duplicateId"],
      [5, "import.errors.duplicateId"],
    ]);
  });

  it("accepts the five content languages in any case, defaults to en and rejects other languages", () => {
    const content = jsonl(
      { id: "1", title: "A", lang: "EN" },
      { id: "2", title: "B", lang: "Es" },
      { id: "3", title: "C" },
      { id: "4", title: "D", lang: "" },
      { id: "5", title: "E", lang: "it" },
      { id: "6", title: "F", lang: "english" },
      { id: "7", title: "G", lang: "FR" },
      { id: "8", title: "H", lang: "ar" },
    );
    const { records, issues } = parseImport(content);
    expect(records.map((r) => r.lang)).toEqual(["en", "es", "en", "en", "fr", "ar"]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [5, "import.errors.badLang"],
      [6, "import.errors.badLang"],
    ]);

    const csv = parseImport("id,title,lang\n1,A,\n2,B,ES\n3,C,pt");
    expect(csv.records.map((r) => r.lang)).toEqual(["en", "es"]);
    expect(csv.issues).toEqual([expect.objectContaining({ line: 4, message: "import.errors.badLang" })]);
  });

  it("parses tags from CSV (| or ;) and from JSON arrays, trimming, dropping blanks and repeats", () => {
    const csv = parseImport(["id,title,tags", "1,A,food|fruit", "2,B, food ; drink ;", "3,C,", '4,D,"a|b;c|a"'].join("\n"));
    expect(csv.issues).toEqual([]);
    expect(csv.records.map((r) => r.tags)).toEqual([["food", "fruit"], ["food", "drink"], [], ["a", "b", "c"]]);

    const json = parseImport(
      jsonl(
        { id: "1", title: "A", tags: [" x ", "", "y", "x"] },
        { id: "2", title: "B", tags: "p|q" },
        { id: "3", title: "C", tags: null },
        { id: "4", title: "D", tags: ["ok", 5] },
        { id: "5", title: "E", tags: Array.from({ length: IMPORT_LIMITS.tags + 1 }, (_, i) => `t${i}`) },
      ),
    );
    expect(json.records.map((r) => r.tags)).toEqual([["x", "y"], ["p", "q"], []]);
    expect(json.issues.map((i) => [i.line, i.message])).toEqual([
      [4, "import.errors.badType"],
      [5, "import.errors.tooMany"],
    ]);
  });

  it("strips a UTF-8 BOM and handles CRLF line ends", () => {
    const csv = parseImport('\uFEFFid,title,text\r\n1,One,"two\r\nlines"\r\n2,Two,x\r\n');
    expect(csv.issues).toEqual([]);
    expect(csv.records).toEqual([
      { id: "1", title: "One", text: "two\nlines", lang: "en", tags: [], line: 2 },
      { id: "2", title: "Two", text: "x", lang: "en", tags: [], line: 4 },
    ]);

    const json = parseImport('\uFEFF{"id":"a","title":"A"}\r\n\r\n{"id":"b","title":"B"}\r\n');
    expect(json.issues).toEqual([]);
    expect(json.records.map((r) => [r.id, r.line])).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
  });

  it("detects the format from the first non-blank character unless told", () => {
    expect(detectFormat('\n  {"id":"a"}')).toBe("jsonl");
    expect(detectFormat("\uFEFF{}")).toBe("jsonl");
    expect(detectFormat("id,title")).toBe("csv");
    expect(detectFormat("")).toBe("csv");

    const auto = parseImport('\n\n  {"id":"a","title":"A"}');
    expect(auto.records).toEqual([{ id: "a", title: "A", text: "", lang: "en", tags: [], line: 3 }]);
    expect(parseImport("id,title\na,A").records).toHaveLength(1);

    // An explicit format wins over the content.
    const forcedCsv = parseImport('{"id":"a","title":"A"}', "csv");
    expect(forcedCsv.records).toEqual([]);
    expect(forcedCsv.issues[0]).toMatchObject({ line: 1, message: "import.errors.badHeader" });
    const forcedJsonl = parseImport("id,title\na,A", "jsonl");
    expect(forcedJsonl.records).toEqual([]);
    expect(forcedJsonl.issues.map((i) => i.message)).toEqual(["import.errors.badJson", "import.errors.badJson"]);
  });

  it("returns nothing for an empty or blank file", () => {
    for (const content of ["", "\n\n", "\uFEFF", "  \r\n "]) {
      expect(parseImport(content)).toEqual({ records: [], issues: [] });
      expect(parseImport(content, "jsonl")).toEqual({ records: [], issues: [] });
    }
  });

  it("only ever reports keys from IMPORT_ERROR_KEYS", () => {
    expect(new Set(IMPORT_ERROR_KEYS).size).toBe(IMPORT_ERROR_KEYS.length);
    const messy = [
      jsonl({ id: "a", title: "A" }, "{bad", "1", { id: "a", title: "A" }, { id: "b", title: "B", lang: "xx" }),
      jsonl({ id: [], title: {}, text: 1, board: "b".repeat(81), tags: 1 }),
      'id,title\n1\n2,"x"y\n3,"open',
      "foo,bar\n1,2",
    ];
    for (const content of messy) {
      for (const issue of parseImport(content).issues) expect(IMPORT_ERROR_KEYS).toContain(issue.message);
    }
  });
});

describe("recordFromDocument", () => {
  it("turns an evaluation document into an import record, with a word even when the title is empty", () => {
    expect(
      recordFromDocument({ id: "7", title: "", text: "Boundary layers in hypersonic flow", lang: "en" }, 0, {
        idPrefix: "cran:",
        board: "cran",
      }),
    ).toEqual({
      id: "cran:7",
      title: "Boundary layers in hypersonic flow",
      text: "Boundary layers in hypersonic flow",
      lang: "en",
      board: "cran",
      tags: [],
      line: 1,
    });
    expect(recordFromDocument({ id: "8", title: "", text: "", lang: "it", tags: ["x"] }, 4)).toMatchObject({
      id: "8",
      title: "Document 8",
      lang: "en",
      tags: ["x"],
      line: 5,
    });
  });
});
