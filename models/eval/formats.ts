// File formats of the offline search evaluation, and a parser for classic SMART test collections.
//
//   documents  JSONL, one object a line: {"id","title","text","lang","board"?,"tags"?}
//   queries    JSONL, one object a line: {"id","text","lang"}
//   qrels      TSV, one judgment a line: query_id<TAB>doc_id<TAB>relevance (relevance > 0 = relevant)
//
// The parse/format functions are pure; only the read*/write* helpers touch the file system (node:fs).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** One searchable document. */
export interface IrDocument {
  id: string;
  title: string;
  text: string;
  lang: string;
  board?: string;
  tags?: string[];
}

/** One evaluation query. */
export interface IrQuery {
  id: string;
  text: string;
  lang: string;
}

/** Relevance judgments: query id → (doc id → relevance). Same shape as `Qrels` in ./metrics. */
export type QrelsMap = Map<string, Map<string, number>>;

/** A line that could not be read, with its 1-based line number. */
export interface LineError {
  line: number;
  message: string;
}

export interface JsonlResult<T> {
  rows: T[];
  errors: LineError[];
}

/**
 * Optional row check for JSONL readers: returns an error message for a bad row, or undefined when it
 * is fine. Rows that fail it are reported in `errors` and left out of `rows`.
 */
export type RowValidator = (value: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function nonEmptyString(row: Record<string, unknown>, key: string): string | undefined {
  return typeof row[key] === "string" && row[key] !== "" ? undefined : `"${key}" must be a non-empty string`;
}

/** {@link RowValidator} for {@link IrDocument} rows (title and text may be empty strings). */
export const validateDocument: RowValidator = (value) => {
  if (!isObject(value)) return "expected a JSON object";
  const problem = nonEmptyString(value, "id") ?? nonEmptyString(value, "lang");
  if (problem) return problem;
  if (typeof value.title !== "string") return `"title" must be a string`;
  if (typeof value.text !== "string") return `"text" must be a string`;
  if (value.board !== undefined && typeof value.board !== "string") return `"board" must be a string`;
  if (value.tags !== undefined && !(Array.isArray(value.tags) && value.tags.every((t) => typeof t === "string"))) {
    return `"tags" must be an array of strings`;
  }
  return undefined;
};

/** {@link RowValidator} for {@link IrQuery} rows. */
export const validateQuery: RowValidator = (value) => {
  if (!isObject(value)) return "expected a JSON object";
  return nonEmptyString(value, "id") ?? nonEmptyString(value, "text") ?? nonEmptyString(value, "lang");
};

/** Splits text into lines, accepting LF and CRLF endings and dropping a leading byte-order mark. */
function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r?\n/);
}

/**
 * Parses JSONL text. Blank (whitespace-only) lines are skipped; a line that is not valid JSON, or that
 * `validate` rejects, is reported with its 1-based line number instead of aborting the whole file.
 * Rows are not otherwise checked: `T` is what the caller expects, not something this function proves
 * (pass `validate` for that).
 */
export function parseJsonl<T>(text: string, validate?: RowValidator): JsonlResult<T> {
  const rows: T[] = [];
  const errors: LineError[] = [];
  lines(text).forEach((raw, i) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push({ line: i + 1, message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    const problem = validate?.(value);
    if (problem !== undefined) errors.push({ line: i + 1, message: problem });
    else rows.push(value as T);
  });
  return { rows, errors };
}

/** Reads a JSONL file (UTF-8) with {@link parseJsonl}. Throws only when the file cannot be read. */
export function readJsonl<T>(path: string, validate?: RowValidator): JsonlResult<T> {
  return parseJsonl<T>(readFileSync(path, "utf8"), validate);
}

/** One JSON object per line, each line ending with "\n". */
export function formatJsonl(rows: Iterable<unknown>): string {
  let out = "";
  for (const row of rows) out += `${JSON.stringify(row)}\n`;
  return out;
}

/** Writes rows as JSONL (UTF-8), creating the parent folder when needed. */
export function writeJsonl(path: string, rows: Iterable<unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatJsonl(rows));
}

const QRELS_HEADER = /^query_id\tdoc_id\trelevance$/;

/**
 * Parses qrels TSV: `query_id<TAB>doc_id<TAB>relevance` per line. Blank lines and an optional
 * `query_id	doc_id	relevance` header line are skipped. Every judgment is kept, including
 * relevance ≤ 0 (judged non-relevant); the metrics treat only relevance > 0 as relevant.
 * Throws an Error naming every bad line (wrong column count, empty id, non-numeric relevance, or the
 * same pair judged twice with different relevance); a pair repeated with the same value is accepted.
 */
export function parseQrels(text: string): QrelsMap {
  const qrels: QrelsMap = new Map();
  const errors: string[] = [];
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "" || (line === 1 && QRELS_HEADER.test(raw))) return;
    const cols = raw.split("\t");
    if (cols.length !== 3) {
      errors.push(`line ${line}: expected 3 tab-separated columns, got ${cols.length}`);
      return;
    }
    const [queryId, docId, relText] = cols.map((c) => c.trim()) as [string, string, string];
    const relevance = relText === "" ? Number.NaN : Number(relText);
    if (queryId === "" || docId === "") {
      errors.push(`line ${line}: empty query or doc id`);
    } else if (!Number.isFinite(relevance)) {
      errors.push(`line ${line}: relevance ${JSON.stringify(relText)} is not a number`);
    } else {
      const docs = qrels.get(queryId) ?? new Map<string, number>();
      const previous = docs.get(docId);
      if (previous !== undefined && previous !== relevance) {
        errors.push(`line ${line}: ${queryId}/${docId} already judged ${previous}, now ${relevance}`);
        return;
      }
      docs.set(docId, relevance);
      qrels.set(queryId, docs);
    }
  });
  if (errors.length > 0) throw new Error(`Invalid qrels:\n- ${errors.join("\n- ")}`);
  return qrels;
}

/** Reads a qrels TSV file with {@link parseQrels}; the error message names the file. */
export function readQrels(path: string): QrelsMap {
  const text = readFileSync(path, "utf8");
  try {
    return parseQrels(text);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/** Formats qrels as TSV (no header), in the map's iteration order. Ids must not contain tabs or newlines. */
export function formatQrels(qrels: ReadonlyMap<string, ReadonlyMap<string, number>>): string {
  let out = "";
  for (const [queryId, docs] of qrels) {
    for (const [docId, relevance] of docs) {
      for (const id of [queryId, docId]) {
        if (/[\t\r\n]/.test(id) || id.trim() === "") throw new Error(`qrels id ${JSON.stringify(id)} cannot be written as TSV`);
      }
      out += `${queryId}\t${docId}\t${relevance}\n`;
    }
  }
  return out;
}

/** Writes qrels as TSV with {@link formatQrels}, creating the parent folder when needed. */
export function writeQrels(path: string, qrels: ReadonlyMap<string, ReadonlyMap<string, number>>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatQrels(qrels));
}

/** One record of a SMART file: the `.I` id and its fields by letter (e.g. "T", "W"). */
export interface SmartRecord {
  id: string;
  fields: Record<string, string>;
}

export interface SmartOptions {
  /**
   * A field that always comes last in a record (Cranfield's "W"). Once it starts, every line up to the
   * next `.I` belongs to it, and any field-marker lines in between are dropped rather than opening a
   * new field. Cranfield needs this: a few abstracts contain stray `.A`, `.B` or `.W` lines (doc 240,
   * 576, 578) that would otherwise cut the abstract short.
   */
  terminalField?: string;
}

// `.I <id>` starts a record; `.X` (a dot, one capital letter, then nothing or whitespace) starts a
// field. Text on the marker line after the letter, if any, is the field's first line.
const RECORD_RE = /^\.I\s+(\S+)\s*$/;
const FIELD_RE = /^\.([A-Z])(?:\s+(.*))?$/;

/**
 * Parses a SMART-format test collection file (Cranfield, CISI, CACM, MED…):
 *
 *     .I 1
 *     .T
 *     title line one
 *     title line two
 *     .W
 *     abstract…
 *
 * Each field's text is the lines after its marker up to the next marker, each trimmed, blank ones
 * dropped, joined with single spaces. A field that appears twice in one record (CISI lists several
 * authors as repeated `.A` fields) is joined the same way, in order. Lines before the first `.I` are
 * ignored. The `.I` id is kept as written (e.g. "001"). Records come back in file order; duplicate
 * ids are not merged or checked here.
 */
export function parseSmart(text: string, opts: SmartOptions = {}): SmartRecord[] {
  const records: SmartRecord[] = [];
  let current: { id: string; parts: Record<string, string[]> } | undefined;
  let field: string | undefined;

  const finish = () => {
    if (!current) return;
    const fields: Record<string, string> = {};
    for (const [name, chunks] of Object.entries(current.parts)) fields[name] = chunks.join(" ");
    records.push({ id: current.id, fields });
  };

  for (const raw of lines(text)) {
    const record = RECORD_RE.exec(raw);
    if (record) {
      finish();
      current = { id: record[1]!, parts: {} };
      field = undefined;
      continue;
    }
    if (!current) continue;
    const marker = FIELD_RE.exec(raw);
    let content: string | undefined = raw;
    if (marker && !(opts.terminalField !== undefined && field === opts.terminalField)) {
      field = marker[1]!;
      current.parts[field] ??= [];
      content = marker[2];
    } else if (marker) {
      continue; // stray marker inside the terminal field: drop the line, keep collecting
    }
    const trimmed = content?.trim() ?? "";
    if (field !== undefined && trimmed !== "") current.parts[field]!.push(trimmed);
  }
  finish();
  return records;
}
