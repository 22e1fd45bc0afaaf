import { z } from "zod";
import { isContentLang, LOCALES, type Locale } from "../../db/enums";

/**
 * Parser for creators' bulk-import files (JSONL or CSV). Pure: it takes the file's text and returns
 * the records it could read plus one issue per problem, so one bad line never stops the rest.
 * Issue messages are i18n keys (IMPORT_ERROR_KEYS); `detail` carries the field name, the missing
 * columns or the parser's own words, for the page to show next to the translated message.
 */

export type ImportFormat = "jsonl" | "csv";

export type ImportRecord = {
  id: string;
  title: string;
  text: string;
  lang: Locale;
  board?: string;
  tags: string[];
  alt?: string;
  cue?: string;
  image?: string;
  /** 1-based physical line of the file where the record starts. */
  line: number;
};

export type ImportIssue = { line: number; message: ImportErrorKey; detail?: string };

export const IMPORT_ERROR_KEYS = [
  "import.errors.badJson",
  "import.errors.notObject",
  "import.errors.badHeader",
  "import.errors.badColumns",
  "import.errors.badQuote",
  "import.errors.duplicateId",
  "import.errors.badLang",
  "import.errors.missingId",
  "import.errors.missingTitle",
  "import.errors.tooLong",
  "import.errors.tooMany",
  "import.errors.badType",
] as const;
export type ImportErrorKey = (typeof IMPORT_ERROR_KEYS)[number];

export const IMPORT_LIMITS = {
  id: 200,
  title: 200,
  text: 5_000,
  board: 80, // boardSchema.title
  alt: 250, // cardSchema.alt
  cue: 120, // cardSchema.cue
  image: 2_000,
  tag: 50,
  tags: 30,
} as const;

/** Columns a CSV file may have (header names are matched case-insensitively, in any order). */
export const IMPORT_COLUMNS = ["id", "title", "text", "lang", "board", "tags", "alt", "cue", "image"] as const;
const REQUIRED_COLUMNS = ["id", "title"] as const;

// ---------------------------------------------------------------------------------------------
// Record validation

type ErrorName = ImportErrorKey extends infer K ? (K extends `import.errors.${infer N}` ? N : never) : never;
const E = (name: ErrorName): ImportErrorKey => `import.errors.${name}`;

/** null, undefined and blank strings all mean "not given". */
const blankToUndefined = (v: unknown) => (v == null || (typeof v === "string" && v.trim() === "") ? undefined : v);

const optionalString = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ invalid_type_error: E("badType") })
      .trim()
      .max(max, E("tooLong"))
      .optional(),
  );

const recordSchema = z.object({
  id: z.preprocess(
    (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v),
    z
      .string({ required_error: E("missingId"), invalid_type_error: E("badType") })
      .trim()
      .min(1, E("missingId"))
      .max(IMPORT_LIMITS.id, E("tooLong")),
  ),
  title: z
    .string({ required_error: E("missingTitle"), invalid_type_error: E("badType") })
    .trim()
    .min(1, E("missingTitle"))
    .max(IMPORT_LIMITS.title, E("tooLong")),
  text: z.preprocess(
    (v) => (v == null ? "" : v),
    z
      .string({ invalid_type_error: E("badType") })
      .trim()
      .max(IMPORT_LIMITS.text, E("tooLong")),
  ),
  lang: z.preprocess(
    (v) => {
      const given = blankToUndefined(v);
      if (given === undefined) return "en";
      return typeof given === "string" ? given.trim().toLowerCase() : given;
    },
    z.enum(LOCALES, { errorMap: () => ({ message: E("badLang") }) }),
  ),
  board: optionalString(IMPORT_LIMITS.board),
  tags: z.preprocess(
    (v) => {
      const given = blankToUndefined(v);
      if (given === undefined) return [];
      return typeof given === "string" ? splitTags(given) : given;
    },
    z
      .array(
        z
          .string({ invalid_type_error: E("badType") })
          .trim()
          .max(IMPORT_LIMITS.tag, E("tooLong")),
        {
          invalid_type_error: E("badType"),
        },
      )
      .transform((tags) => [...new Set(tags.filter((t) => t !== ""))])
      .refine((tags) => tags.length <= IMPORT_LIMITS.tags, E("tooMany")),
  ),
  alt: optionalString(IMPORT_LIMITS.alt),
  cue: optionalString(IMPORT_LIMITS.cue),
  image: optionalString(IMPORT_LIMITS.image),
});

function splitTags(value: string): string[] {
  return value.split(/[|;]/);
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function parseImport(content: string, format?: ImportFormat): { records: ImportRecord[]; issues: ImportIssue[] } {
  // Strip a UTF-8 BOM and normalise line ends (\r\n and lone \r) so line numbers match editors.
  const text = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const fmt = format ?? detectFormat(text);
  const collector = new Collector();
  if (fmt === "jsonl") parseJsonl(text, collector);
  else parseCsv(text, collector);
  return { records: collector.records, issues: collector.issues };
}

/** `{` as the first non-blank character means JSONL; anything else is read as CSV. */
export function detectFormat(content: string): ImportFormat {
  const first = content.replace(/^\uFEFF/, "").trimStart()[0];
  return first === "{" ? "jsonl" : "csv";
}

/** Validates raw rows, checks ids for duplicates and keeps the good records and the issues. */
class Collector {
  readonly records: ImportRecord[] = [];
  readonly issues: ImportIssue[] = [];
  private readonly seen = new Map<string, number>();

  issue(line: number, message: ImportErrorKey, detail?: string) {
    this.issues.push(detail === undefined ? { line, message } : { line, message, detail });
  }

  add(raw: Record<string, unknown>, line: number) {
    const result = recordSchema.safeParse(raw);
    // An id that is itself valid counts towards duplicates even when another field is wrong:
    // the file is ambiguous either way, and the creator should hear about both lines.
    const id = result.success ? result.data.id : validId(raw.id);
    let ok = result.success;
    if (id !== undefined) {
      const first = this.seen.get(id);
      if (first === undefined) this.seen.set(id, line);
      else {
        this.issue(line, E("duplicateId"), `${id} (line ${first})`);
        ok = false;
      }
    }
    if (!result.success) {
      const reported = new Set<string>();
      for (const zi of result.error.issues) {
        const field = String(zi.path[0] ?? "");
        const message = (IMPORT_ERROR_KEYS as readonly string[]).includes(zi.message) ? (zi.message as ImportErrorKey) : E("badType");
        const key = `${message}\u0000${field}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const detail = message === E("badLang") && typeof raw.lang === "string" ? `${field}: ${raw.lang}` : field || undefined;
        this.issue(line, message, detail);
      }
    }
    if (ok && result.success) {
      const d = result.data;
      const record: ImportRecord = { id: d.id, title: d.title, text: d.text, lang: d.lang, tags: d.tags, line };
      if (d.board !== undefined) record.board = d.board;
      if (d.alt !== undefined) record.alt = d.alt;
      if (d.cue !== undefined) record.cue = d.cue;
      if (d.image !== undefined) record.image = d.image;
      this.records.push(record);
    }
  }
}

function validId(v: unknown): string | undefined {
  const r = recordSchema.shape.id.safeParse(v);
  return r.success ? r.data : undefined;
}

// ---------------------------------------------------------------------------------------------
// JSONL

function parseJsonl(text: string, out: Collector) {
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    const source = raw.trim();
    if (source === "") return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      out.issue(line, E("badJson"), error instanceof Error ? error.message : undefined);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      out.issue(line, E("notObject"), value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
      return;
    }
    out.add(value as Record<string, unknown>, line);
  });
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: "…" quoting, "" for a quote, separators and newlines allowed inside quotes)

type CsvRow = { fields: string[]; line: number };
type CsvError = { line: number; detail: string };

/**
 * Splits the (already \n-normalised) text into rows. A row with a broken quote is reported and
 * skipped; reading restarts on the physical line after the one where that row began, so one stray
 * quote costs one row rather than the rest of the file.
 */
function readCsvRows(text: string): { rows: CsvRow[]; errors: CsvError[] } {
  const rows: CsvRow[] = [];
  const errors: CsvError[] = [];
  // Past the last quote no quoted field can close: lets a stray quote fail without a rescan.
  const lastQuote = text.lastIndexOf('"');
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    let broken: string | undefined;
    for (;;) {
      if (pos >= text.length) {
        fields.push(field);
        break;
      }
      const ch = text[pos];
      if (ch === '"' && field.trim() === "") {
        // Quoted field (blanks before the opening quote are tolerated and dropped).
        field = "";
        pos++;
        let closed = false;
        while (pos <= lastQuote) {
          const q = text.indexOf('"', pos);
          field += text.slice(pos, q);
          if (text[q + 1] === '"') {
            field += '"';
            pos = q + 2;
          } else {
            pos = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          broken = "unterminated quoted field";
          break;
        }
        for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) line++;
        // After the closing quote only blanks, then a comma or the end of the row, may follow.
        while (text[pos] === " " || text[pos] === "\t") pos++;
        if (pos < text.length && text[pos] !== "," && text[pos] !== "\n") {
          broken = `unexpected character after closing quote: ${text[pos]}`;
          break;
        }
      } else if (ch === ",") {
        fields.push(field);
        field = "";
        pos++;
      } else if (ch === "\n") {
        fields.push(field);
        pos++;
        line++;
        break;
      } else {
        field += ch;
        pos++;
      }
    }
    if (broken !== undefined) {
      errors.push({ line: startLine, detail: broken });
      const next = text.indexOf("\n", start);
      pos = next === -1 ? text.length : next + 1;
      line = startLine + 1;
      continue;
    }
    rows.push({ fields, line: startLine });
  }
  return { rows, errors };
}

const isBlankRow = (row: CsvRow) => row.fields.every((f) => f.trim() === "");

function parseCsv(text: string, out: Collector) {
  const { rows, errors } = readCsvRows(text);
  const headerIndex = rows.findIndex((r) => !isBlankRow(r));
  // Quote errors before the header (or in a file with no header at all) mean we never found one.
  const firstError = errors[0];
  if (headerIndex === -1) {
    if (firstError) out.issue(firstError.line, E("badHeader"), firstError.detail);
    return;
  }
  const header = rows[headerIndex];
  if (firstError && firstError.line < header.line) {
    out.issue(firstError.line, E("badHeader"), firstError.detail);
    return;
  }

  const names = header.fields.map((h) => h.trim().toLowerCase());
  const columns = new Map<string, number>();
  const duplicated: string[] = [];
  names.forEach((name, i) => {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) return; // unknown columns are ignored
    if (columns.has(name)) duplicated.push(name);
    else columns.set(name, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0 || duplicated.length > 0) {
    const detail = [
      missing.length > 0 ? `missing: ${missing.join(", ")}` : "",
      duplicated.length > 0 ? `duplicated: ${duplicated.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    out.issue(header.line, E("badHeader"), detail);
    return;
  }

  // Merge rows and quote errors back into file order so issues come out sorted by line.
  type Item = { kind: "row"; row: CsvRow } | { kind: "error"; error: CsvError };
  const items: Item[] = [
    ...rows.slice(headerIndex + 1).map((row): Item => ({ kind: "row", row })),
    ...errors.filter((e) => e.line > header.line).map((error): Item => ({ kind: "error", error })),
  ].sort((a, b) => (a.kind === "row" ? a.row.line : a.error.line) - (b.kind === "row" ? b.row.line : b.error.line));

  for (const item of items) {
    if (item.kind === "error") {
      out.issue(item.error.line, E("badQuote"), item.error.detail);
      continue;
    }
    const row = item.row;
    if (isBlankRow(row)) continue;
    if (row.fields.length !== header.fields.length) {
      out.issue(row.line, E("badColumns"), `expected ${header.fields.length}, got ${row.fields.length}`);
      continue;
    }
    const raw: Record<string, unknown> = {};
    for (const [name, index] of columns) raw[name] = row.fields[index];
    out.add(raw, row.line);
  }
}

/**
 * An evaluation document (docs.jsonl: id, title, text, lang, optional board and tags) as an import
 * record, the same way for every command that imports a collection (eval:search, train:ranker
 * --simulate). A few classic documents have no title: the card's word must not be empty.
 */
export function recordFromDocument(
  d: { id: string; title?: string; text: string; lang: string; board?: string; tags?: string[] },
  index: number,
  o: { idPrefix?: string; board?: string } = {},
): ImportRecord {
  return {
    id: `${o.idPrefix ?? ""}${d.id}`,
    title: (d.title || d.text.slice(0, 80) || `Document ${d.id}`).slice(0, 200),
    text: d.text,
    lang: isContentLang(d.lang) ? d.lang : "en",
    board: o.board ?? d.board,
    tags: d.tags ?? [],
    line: index + 1,
  };
}
