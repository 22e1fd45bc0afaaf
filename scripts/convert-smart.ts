// Converts a classic SMART test collection (Cranfield or CISI) into the evaluation formats of
// models/eval/formats.ts: docs.jsonl, queries.jsonl and qrels.tsv.
//
//   npx tsx scripts/convert-smart.ts --set cranfield|cisi --in <dir> [--out <dir>]
//
// --in is the folder with the original files (e.g. /work/shared/data/ir/cranfield); --out defaults to
// data/ir/<set>/ under the repository root. Prints counts at the end and exits non-zero when the input
// does not hang together (duplicate ids, judgments for unknown queries or documents, malformed lines).
//
// Input files (all ASCII with CRLF line endings; parseSmart and the qrels readers here accept both):
//   cranfield: cran.all.1400 (docs .I/.T/.A/.B/.W), cran.qry (queries .I/.W), cranqrel ("qid docid code")
//   cisi:      CISI.ALL (docs .I/.T/.A…/.B/.K/.C/.W/.X), CISI.QRY (queries .I/.W, some also .T/.A/.B),
//              CISI.REL ("qid docid 0 0.000000", spaces and tabs mixed)
import { join, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseSmart, writeJsonl, writeQrels, type IrDocument, type IrQuery, type QrelsMap } from "../models/eval/formats";

type SetName = "cranfield" | "cisi";

export interface Collection {
  docs: IrDocument[];
  queries: IrQuery[];
  qrels: QrelsMap;
  /** Oddities found while converting that do not stop it (e.g. empty abstracts). */
  warnings: string[];
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

/** Splits a whitespace-separated judgments file into rows of columns, keeping 1-based line numbers. */
function columns(text: string): Array<{ line: number; cols: string[] }> {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, cols: raw.trim().split(/\s+/) }))
    .filter((row) => row.cols[0] !== "");
}

function addJudgment(qrels: QrelsMap, queryId: string, docId: string, relevance: number): void {
  const docs = qrels.get(queryId) ?? new Map<string, number>();
  docs.set(docId, relevance);
  qrels.set(queryId, docs);
}

function cranfield(dir: string): Collection {
  const warnings: string[] = [];

  // Documents: .I is 1..1400 in order. .W is the last field of every record, and a few abstracts contain
  // stray field-marker lines (doc 240 has ".A" and ".B" mid-abstract; docs 576 and 578 have a second
  // ".W"), so .W is parsed as a terminal field: those marker lines are dropped and the text kept.
  // Notes: almost every Cranfield abstract starts by repeating the title; it is kept as the data has it.
  // Docs 471 and 995 are empty records (no title, no text) but keep their ids; query 125 judges 995
  // relevant (code 3), so that judgment can never be satisfied by a text-based system.
  const docs: IrDocument[] = parseSmart(read(dir, "cran.all.1400"), { terminalField: "W" }).map((r) => ({
    id: String(Number(r.id)),
    title: r.fields.T ?? "",
    text: r.fields.W ?? "",
    lang: "en",
  }));

  // Queries: cran.qry numbers its 225 queries with NON-consecutive .I values (001, 002, 004, 008, …, 365),
  // but cranqrel refers to queries by their ORDINAL position in this file (1..225). So the ordinal is
  // the query id in both queries.jsonl and qrels.tsv, and the original .I number is dropped.
  const queries: IrQuery[] = parseSmart(read(dir, "cran.qry")).map((r, i) => ({
    id: String(i + 1),
    text: r.fields.W ?? "",
    lang: "en",
  }));

  // Judgments: "qid docid code" per line, whitespace-separated (lines end in a space + CRLF).
  // Cleverdon's codes: 1 = complete answer … 4 = minimum interest, 5 = no interest (none in the file).
  // Codes 1–4 are relevant and become graded relevance 5 − code (so 4 = most relevant, 1 = least);
  // every other code is left out, notably -1, which the file gives to exactly one document per query.
  // That document looks like the paper the question was written from: a plain word-overlap ranking
  // puts it first for 62 of the 225 queries. Leaving it out means a system that ranks it first is
  // counted as wrong there, which is the usual Cranfield convention.
  const qrels: QrelsMap = new Map();
  for (const { line, cols } of columns(read(dir, "cranqrel"))) {
    const [qid, docid, code] = cols.map(Number) as [number, number, number];
    if (cols.length !== 3 || ![qid, docid, code].every(Number.isInteger)) {
      throw new Error(`cranqrel line ${line}: expected "qid docid code", got ${JSON.stringify(cols.join(" "))}`);
    }
    if (code >= 1 && code <= 4) addJudgment(qrels, String(qid), String(docid), 5 - code);
  }
  return { docs, queries, qrels, warnings };
}

function cisi(dir: string): Collection {
  const warnings: string[] = [];

  // Documents: .I is 1..1460 in order. Several authors are repeated .A fields (joined by parseSmart);
  // .X holds citation cross-references and is not used. Docs 234 and 1440 are the same record twice
  // (same title and abstract) and CISI.REL judges them differently; both are kept as they are.
  const docs: IrDocument[] = parseSmart(read(dir, "CISI.ALL")).map((r) => ({
    id: String(Number(r.id)),
    title: r.fields.T ?? "",
    text: r.fields.W ?? "",
    lang: "en",
  }));

  // Queries: .I is 1..112 in order, and CISI.REL uses these numbers. Queries 58 onwards are
  // bibliographic records (.T title, .A authors, .B source, .W abstract) used as queries; the text is
  // .W only, like every other query, so those titles are not part of the query text.
  const queries: IrQuery[] = parseSmart(read(dir, "CISI.QRY")).map((r) => ({
    id: String(Number(r.id)),
    text: r.fields.W ?? "",
    lang: "en",
  }));

  // Judgments: "qid docid 0 0.000000" per line, whitespace-separated (leading spaces, then tabs).
  // Every listed pair is relevant (relevance 1); the last two columns are always 0 and carry nothing.
  // Only 76 of the 112 queries have any judgment; all 112 stay in queries.jsonl.
  const qrels: QrelsMap = new Map();
  for (const { line, cols } of columns(read(dir, "CISI.REL"))) {
    const [qid, docid] = cols.map(Number) as [number, number];
    if (cols.length !== 4 || !Number.isInteger(qid) || !Number.isInteger(docid)) {
      throw new Error(`CISI.REL line ${line}: expected "qid docid 0 0.000000", got ${JSON.stringify(cols.join(" "))}`);
    }
    addJudgment(qrels, String(qid), String(docid), 1);
  }
  return { docs, queries, qrels, warnings };
}

/** Checks the cross-references and returns a list of fatal problems (empty when consistent). */
function check(c: Collection): string[] {
  const problems: string[] = [];
  for (const [kind, rows] of [
    ["doc", c.docs],
    ["query", c.queries],
  ] as const) {
    const seen = new Set<string>();
    for (const row of rows) {
      if (!/^[1-9]\d*$/.test(row.id)) problems.push(`${kind} id ${JSON.stringify(row.id)} is not a positive number`);
      if (seen.has(row.id)) problems.push(`duplicate ${kind} id ${row.id}`);
      seen.add(row.id);
    }
  }
  for (const q of c.queries) if (q.text === "") problems.push(`query ${q.id} has no text`);
  for (const d of c.docs) {
    if (d.text === "") c.warnings.push(`doc ${d.id} has no text (.W is empty)`);
    if (d.title === "") c.warnings.push(`doc ${d.id} has no title`);
  }
  const docIds = new Set(c.docs.map((d) => d.id));
  const queryIds = new Set(c.queries.map((q) => q.id));
  for (const [queryId, judged] of c.qrels) {
    if (!queryIds.has(queryId)) problems.push(`judgments for unknown query ${queryId}`);
    for (const docId of judged.keys()) if (!docIds.has(docId)) problems.push(`query ${queryId} judges unknown doc ${docId}`);
  }
  return problems;
}

export function convert(set: SetName, inDir: string): Collection {
  const collection = set === "cranfield" ? cranfield(inDir) : cisi(inDir);
  const problems = check(collection);
  if (problems.length > 0) throw new Error(`${set}: inconsistent input in ${inDir}:\n- ${problems.join("\n- ")}`);
  return collection;
}

function main(): void {
  const usage = "usage: npx tsx scripts/convert-smart.ts --set cranfield|cisi --in <dir> [--out <dir>]";
  const { values } = parseArgs({
    options: { set: { type: "string" }, in: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  if ((values.set !== "cranfield" && values.set !== "cisi") || !values.in) {
    console.error(usage);
    process.exit(2);
  }
  const set: SetName = values.set;
  const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));
  const outDir = resolve(values.out ?? join(repoRoot, "data", "ir", set));

  const { docs, queries, qrels, warnings } = convert(set, resolve(values.in));
  writeJsonl(join(outDir, "docs.jsonl"), docs);
  writeJsonl(join(outDir, "queries.jsonl"), queries);
  writeQrels(join(outDir, "qrels.tsv"), qrels);

  let judgments = 0;
  let judgedQueries = 0;
  for (const judged of qrels.values()) {
    const relevant = [...judged.values()].filter((rel) => rel > 0).length;
    judgments += judged.size;
    if (relevant > 0) judgedQueries++;
  }
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`${set} → ${outDir}`);
  console.log(`  docs:                    ${docs.length}`);
  console.log(`  queries:                 ${queries.length}`);
  console.log(`  queries with judgments:  ${judgedQueries}`);
  console.log(`  judgments:               ${judgments}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
