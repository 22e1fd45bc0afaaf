import type { User } from "../../db/tables";
import { i18nFor, type Lng } from "~/i18n";
import { reviewsCsv, type CsvLabels, type Separator } from "../../models/caseload/csv";
import { exportRows, learnerReport, parseFilters } from "./caseload.server";
import { renderReportPdf, type ReportPdfOptions } from "./caseload-pdf.server";
import type { Db } from "./db.server";

/**
 * The caseload's downloads: every review as CSV (one learner, or the viewer's whole caseload) and one
 * learner's PDF report, in the viewer's language, within the same date range and mode as the page.
 * Access is access/caseload.server.ts's (through exportRows and learnerReport): a 404 otherwise.
 */

export type Download =
  { ok: true; body: Uint8Array<ArrayBuffer>; filename: string; type: string } | { ok: false; status: 400; message: string };

function csvLabels(lng: Lng): CsvLabels {
  const t = i18nFor(lng).getFixedT(lng);
  return {
    headers: {
      date: t("caseload:csv.date"),
      learner: t("caseload:csv.learner"),
      card: t("caseload:csv.card"),
      mode: t("caseload:csv.mode"),
      cueLevel: t("caseload:csv.cueLevel"),
      result: t("caseload:csv.result"),
    },
    mode: (m) => t(`caseload:modes.${m}`),
    cueLevel: (name) => t(`caseload:cues.${name}`),
    result: (o) => t(`caseload:results.${o}`),
    notRecorded: t("caseload:cues.notRecorded"),
  };
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/** The list separator of the reader's spreadsheet: a semicolon where the decimal mark is a comma. */
const separatorFor = (lng: Lng): Separator => (lng === "es" || lng === "fr" || lng === "de" ? ";" : ",");

export async function csvDownload(
  db: Db,
  viewer: Pick<User, "id" | "displayName">,
  learnerId: number | null,
  params: URLSearchParams,
  lng: Lng,
  now = new Date(),
): Promise<Download> {
  const parsed = parseFilters(params);
  const t = i18nFor(lng).getFixedT(lng);
  if (parsed.errors) return { ok: false, status: 400, message: t(Object.values(parsed.errors)[0]!) };
  const rows = await exportRows(db, viewer, learnerId, parsed.filters);
  return {
    ok: true,
    body: new TextEncoder().encode(reviewsCsv(rows, csvLabels(lng), separatorFor(lng))),
    filename: t("caseload:downloads.csvFile", { day: today(now) }),
    type: "text/csv; charset=utf-8",
  };
}

export async function pdfDownload(
  db: Db,
  viewer: Pick<User, "id" | "displayName">,
  learnerId: number,
  params: URLSearchParams,
  lng: Lng,
  opts: ReportPdfOptions = {},
): Promise<Download> {
  const parsed = parseFilters(params);
  const t = i18nFor(lng).getFixedT(lng);
  if (parsed.errors) return { ok: false, status: 400, message: t(Object.values(parsed.errors)[0]!) };
  const report = await learnerReport(db, viewer, learnerId, parsed.filters, lng);
  const pdf = await renderReportPdf(report, parsed.filters, t, lng, opts);
  return {
    ok: true,
    body: new Uint8Array(pdf),
    filename: t("caseload:downloads.pdfFile", { day: today(opts.now ?? new Date()) }),
    type: "application/pdf",
  };
}

/** The HTTP answer for a download: the file, or the translated reason in plain text. */
export function downloadResponse(d: Download): Response {
  if (!d.ok) return new Response(d.message, { status: d.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(d.body, {
    headers: {
      "Content-Type": d.type,
      "Content-Disposition": `attachment; filename="${d.filename}"`,
      "Content-Length": String(d.body.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
