import PDFDocument from "pdfkit";
import type { TFunction } from "i18next";
import { CUE_LEVELS, type UiLocale } from "../../db/tables";
import { namedShare, percent, unaidedShare } from "../../models/caseload/aggregate";
import type { Filters, LearnerReport } from "./caseload.server";
import { bidiHeight, drawBidi, hasRtl, registerArabicFonts } from "./pdf-bidi.server";
import { registerLatinFonts } from "./pdf-fonts.server";

/**
 * A learner's practice report as a PDF for the clinical record (issue 14): the range and mode it
 * covers, a summary, how much help was needed (cue-level distribution), and one row per word. Plain
 * text tables in pdfkit, as print.server.ts makes the cut-out cards: DejaVu Sans when installed (every
 * Spanish letter), else Helvetica; A4 portrait. Arabic (issue 15) is shaped with Noto Sans Arabic and
 * laid out right to left (pdf-bidi.server.ts); an Arabic report reads from the right: its tables'
 * columns are mirrored.
 */

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;

export type ReportPdfOptions = { compress?: boolean; fontDir?: string; arabicFontDir?: string; now?: Date };

export async function renderReportPdf(
  report: LearnerReport,
  filters: Filters,
  t: TFunction,
  locale: UiLocale,
  opts: ReportPdfOptions = {},
): Promise<Buffer> {
  const title = t("caseload:pdf.title", { name: report.learner.displayName });
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: MARGIN,
    compress: opts.compress ?? true,
    lang: locale,
    displayTitle: true,
    info: { Title: title, Creator: "Tablero" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const f = registerLatinFonts(doc, opts.fontDir);
  const ar = registerArabicFonts(doc, opts.arabicFontDir);
  const rtl = locale === "ar";
  const base = rtl ? "rtl" : "ltr";
  const width = A4.width - 2 * MARGIN;
  type Weight = "regular" | "bold";
  /** Text in a box: through pdf-bidi when it has right-to-left letters, else pdfkit's own layout. */
  const write = (text: string, weight: Weight, size: number, x: number, y: number, w: number, align: "left" | "right") => {
    if (hasRtl(text)) drawBidi(doc, text, x, y, { width: w, align, base, latin: f[weight], arabic: ar?.[weight] ?? null, size });
    else doc.font(f[weight]).fontSize(size).fillColor("#111111").text(text, x, y, { width: w, align });
  };
  const heightOf = (text: string, weight: Weight, size: number, w: number) =>
    hasRtl(text)
      ? bidiHeight(doc, text, w, base, { latin: f[weight], arabic: ar?.[weight] ?? null, size })
      : doc.font(f[weight]).fontSize(size).heightOfString(text, { width: w });
  const start = rtl ? "right" : "left";
  const day = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(d);
  const dayOf = (iso: string) => day(new Date(`${iso}T00:00:00Z`));

  const heading = (text: string, size = 15) => {
    if (doc.y > A4.height - MARGIN - 80) doc.addPage();
    doc.font(f.bold).fontSize(size).moveDown(0.6);
    write(text, "bold", size, MARGIN, doc.y, width, start);
    doc.moveDown(0.3);
  };
  const line = (text: string) => write(text, "regular", 11, MARGIN, doc.y, width, start);

  /** A table: a bold header row, then rows; column widths as fractions of the page's width; repeats the header on a new page. */
  const table = (cols: { label: string; share: number; align?: "left" | "right" }[], rows: string[][]) => {
    const xs: number[] = [];
    let x = MARGIN;
    for (const c of cols) {
      // Right to left, the first column is the rightmost one.
      xs.push(rtl ? A4.width - x - c.share * width : x);
      x += c.share * width;
    }
    // Text columns start where reading starts; number columns keep to the other side.
    const alignOf = (c: (typeof cols)[number]) => (c.align === "right" ? (rtl ? "left" : "right") : start);
    const row = (cells: string[], weight: Weight) => {
      const h = Math.max(...cells.map((c, i) => heightOf(c, weight, 10, cols[i]!.share * width - 6))) + 6;
      if (doc.y + h > A4.height - MARGIN) {
        doc.addPage();
        if (weight !== "bold")
          row(
            cols.map((c) => c.label),
            "bold",
          );
      }
      const y = doc.y;
      cells.forEach((c, i) => write(c, weight, 10, xs[i]!, y + 3, cols[i]!.share * width - 6, alignOf(cols[i]!)));
      doc
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + width, y + h)
        .lineWidth(0.5)
        .strokeColor("#999999")
        .stroke();
      doc.y = y + h;
    };
    row(
      cols.map((c) => c.label),
      "bold",
    );
    for (const r of rows) row(r, "regular");
    doc.x = MARGIN;
  };

  write(title, "bold", 20, MARGIN, doc.y, width, start);
  doc.moveDown(0.3);
  const range =
    filters.from && filters.to
      ? t("caseload:range.between", { from: dayOf(filters.from), to: dayOf(filters.to) })
      : filters.from
        ? t("caseload:range.since", { from: dayOf(filters.from) })
        : filters.to
          ? t("caseload:range.until", { to: dayOf(filters.to) })
          : t("caseload:range.all");
  line(range);
  line(
    t("common:punct.labelled", {
      label: t("caseload:filters.mode"),
      value: filters.mode ? t(`caseload:modes.${filters.mode}`) : t("caseload:modes.all"),
    }),
  );
  line(t("caseload:pdf.made", { date: day(opts.now ?? new Date()) }));

  const s = report.summary;
  heading(t("caseload:report.summary"));
  if (!s.total) line(t("caseload:report.noReviews"));
  else
    table(
      [
        { label: t("caseload:report.measure"), share: 0.7 },
        { label: t("caseload:report.value"), share: 0.3, align: "right" },
      ],
      [
        [t("caseload:report.tries"), String(s.total)],
        [t("caseload:report.correct"), `${s.correct} (${percent(unaidedShare(s), locale)})`],
        [t("caseload:report.cued"), `${s.cued} (${percent(s.total ? s.cued / s.total : null, locale)})`],
        [t("caseload:report.notYet"), `${s.notYet} (${percent(s.total ? s.notYet / s.total : null, locale)})`],
        [t("caseload:report.named"), percent(namedShare(s), locale)],
        [t("caseload:report.sittings"), String(s.sittings)],
        [t("caseload:report.words"), String(s.words)],
        [t("caseload:report.lastPractised"), s.lastAt ? day(s.lastAt) : "—"],
      ],
    );

  heading(t("caseload:report.cuesHeading"));
  const cueRows = report.cues.levels.map((c) => [
    t(`caseload:cues.${c.name}`),
    String(c.total),
    String(c.correct + c.cued),
    String(c.notYet),
  ]);
  if (report.cues.unrecorded.total)
    cueRows.push([
      t("caseload:cues.notRecorded"),
      String(report.cues.unrecorded.total),
      String(report.cues.unrecorded.correct + report.cues.unrecorded.cued),
      String(report.cues.unrecorded.notYet),
    ]);
  table(
    [
      { label: t("caseload:report.cueLevel"), share: 0.46 },
      { label: t("caseload:report.tries"), share: 0.18, align: "right" },
      { label: t("caseload:report.namedCount"), share: 0.18, align: "right" },
      { label: t("caseload:report.notYet"), share: 0.18, align: "right" },
    ],
    cueRows,
  );

  heading(t("caseload:report.wordsHeading"));
  if (!report.words.length) line(t("caseload:report.noReviews"));
  else
    table(
      [
        { label: t("caseload:report.word"), share: 0.24 },
        { label: t("caseload:report.tries"), share: 0.12, align: "right" },
        { label: t("caseload:report.correctShort"), share: 0.13, align: "right" },
        { label: t("caseload:report.cuedShort"), share: 0.13, align: "right" },
        { label: t("caseload:report.notYet"), share: 0.13, align: "right" },
        { label: t("caseload:report.last"), share: 0.25 },
      ],
      report.words.map((w) => [
        w.word,
        String(w.total),
        String(w.correct),
        String(w.cued),
        String(w.notYet),
        lastText(t, w.last.outcome, w.last.cueLevel),
      ]),
    );

  if (report.homework.length) {
    heading(t("caseload:homework.heading"));
    table(
      [
        { label: t("caseload:homework.board"), share: 0.4 },
        { label: t("caseload:homework.due"), share: 0.25 },
        { label: t("caseload:homework.status"), share: 0.35 },
      ],
      report.homework.map((h) => [
        h.boardTitle,
        dayOf(h.dueOn),
        t(`caseload:homework.${h.status}`, { practised: h.practised, cards: h.cards }),
      ]),
    );
  }
  doc.end();
  return done;
}

/** "With a cue: first sound", "Without help", "Not yet": the last try of a word in words. */
export function lastText(t: TFunction, outcome: "correct" | "cued" | "not_yet", cueLevel: number | null): string {
  if (outcome === "cued" && cueLevel !== null) return t("caseload:report.lastCued", { cue: t(`caseload:cues.${CUE_LEVELS[cueLevel]}`) });
  return t(`caseload:results.${outcome}`);
}
