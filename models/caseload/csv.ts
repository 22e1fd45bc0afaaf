import { CUE_LEVELS, cueLevelOf, outcomeOf, type ReviewRow } from "./aggregate";

/**
 * The review history as CSV for a spreadsheet or the clinical record: one row per review. Made for
 * Excel as much as for programs: UTF-8 with a byte-order mark (else Excel reads "niño" as "niÃ±o"),
 * CRLF line ends, RFC 4180 quoting, and no cell that a spreadsheet would run as a formula: a cell
 * starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, the usual defence
 * against CSV injection (OWASP), since a card's word is text anyone can write. The separator is the
 * reader's spreadsheet's: a comma in English, a semicolon where the decimal mark is a comma (Spanish,
 * French and German Excel split a double-clicked file on ";" and would show one column otherwise).
 * Times are UTC as "2026-03-10 10:00:00", which every spreadsheet reads as a date and time.
 */
export type Separator = "," | ";";
export const BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: defused if it could start a formula, quoted if it holds either separator, a quote or a line break. */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number)[], sep: Separator = ","): string {
  return cells.map(csvCell).join(sep);
}

/** A time as spreadsheets read it, in UTC: "2026-03-10 10:00:00". */
export const csvTime = (d: Date): string => d.toISOString().slice(0, 19).replace("T", " ");

/** The translated words the file needs: column titles, mode names, cue level names, result names. */
export type CsvLabels = {
  headers: { date: string; learner: string; card: string; mode: string; cueLevel: string; result: string };
  mode: (mode: ReviewRow["mode"]) => string;
  cueLevel: (name: (typeof CUE_LEVELS)[number]) => string;
  result: (outcome: ReturnType<typeof outcomeOf>) => string;
  /** For a cue level that was not recorded. */
  notRecorded: string;
};

/** The whole file, BOM included: a header row and one row per review in the order given. */
export function reviewsCsv(rows: readonly ReviewRow[], labels: CsvLabels, sep: Separator = ","): string {
  const h = labels.headers;
  const lines = [csvLine([h.date, h.learner, h.card, h.mode, h.cueLevel, h.result], sep)];
  for (const r of rows) {
    const level = cueLevelOf(r);
    lines.push(
      csvLine(
        [
          csvTime(r.reviewedAt),
          r.learnerName,
          r.word,
          labels.mode(r.mode),
          level === null ? labels.notRecorded : labels.cueLevel(CUE_LEVELS[level]!),
          labels.result(outcomeOf(r)),
        ],
        sep,
      ),
    );
  }
  return BOM + lines.join("\r\n") + "\r\n";
}
