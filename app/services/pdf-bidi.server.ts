import bidiFactory from "bidi-js";
import { registerFontPair } from "./pdf-fonts.server";

/**
 * Right-to-left text in the PDFs (issue 15: print.server.ts, caseload-pdf.server.ts). pdfkit hands a
 * string to fontkit, which shapes Arabic (joined letter forms) and, for a right-to-left script, lays
 * the WHOLE string out reversed — right for pure Arabic, wrong as soon as a line mixes in digits or
 * Latin words (they would come out backwards). So a line is cut into bidi runs (bidi-js, the Unicode
 * bidi algorithm), the runs are put in visual order, and each run is drawn on its own: an Arabic run in
 * logical order with the Noto Arabic font (fontkit shapes and reverses it), a Latin or digit run with
 * the Latin font. Text without right-to-left letters is left to pdfkit as before.
 */

const bidi = bidiFactory();
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
/** Debian's fonts-noto-core (installed by .ci/run). */
export const NOTO_DIR = "/usr/share/fonts/truetype/noto";

export const hasRtl = (text: string) => RTL.test(text);

export type ArabicFonts = { regular: string; bold: string };

let warned = false;
/**
 * Registers Noto Sans Arabic (regular and bold) in `doc`; null when the files are absent, and then the
 * Arabic text prints with the Latin font, unshaped: a warning says which package would fix it.
 */
export function registerArabicFonts(doc: PDFKit.PDFDocument, dir = NOTO_DIR): ArabicFonts | null {
  const fonts = registerFontPair(
    doc,
    dir,
    { regular: "NotoSansArabic-Regular.ttf", bold: "NotoSansArabic-Bold.ttf" },
    { regular: "Arabic", bold: "ArabicBold" },
  );
  if (fonts) return fonts;
  if (!warned) {
    warned = true;
    console.warn(`pdf: no Arabic font in ${dir} (Debian package fonts-noto-core): Arabic text prints unshaped`);
  }
  return null;
}

export type Run = { text: string; rtl: boolean };

/** One line's runs in drawing order, left to right; each run's text stays in logical order. */
export function visualRuns(text: string, base: "ltr" | "rtl"): Run[] {
  if (!text) return [];
  const { levels } = bidi.getEmbeddingLevels(text, base);
  const runs: { text: string; level: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const level = levels[i]!;
    const last = runs.at(-1);
    if (last && last.level === level) last.text += text[i];
    else runs.push({ text: text[i]!, level });
  }
  // Unicode bidi rule L2: from the highest level down to the lowest odd one, reverse every sequence of
  // runs at that level or above.
  const max = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  for (let level = max; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length;) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs.map((r) => ({ text: r.text, rtl: r.level % 2 === 1 }));
}

export type BidiStyle = { latin: string; arabic: string | null; size: number };

/**
 * pdfkit lays a string out word by word (for its cache), so fontkit would reverse each Arabic word in
 * place and leave the words in logical order. Any explicit feature list makes it lay out the whole run
 * at once; "rlig" (required ligatures) is on for Arabic anyway.
 */
const WHOLE_RUN = { features: ["rlig"] as PDFKit.Mixins.OpenTypeFeatures[] };

const fontOf = (run: Run, style: BidiStyle) => (style.arabic && hasRtl(run.text) ? style.arabic : style.latin);

function lineWidth(doc: PDFKit.PDFDocument, line: string, base: "ltr" | "rtl", style: BidiStyle): number {
  return visualRuns(line, base).reduce((w, r) => w + doc.font(fontOf(r, style)).fontSize(style.size).widthOfString(r.text, WHOLE_RUN), 0);
}

/** Lines of at most `width` points, cut between words (a word longer than a line stays whole). */
export function wrapBidi(doc: PDFKit.PDFDocument, text: string, width: number, base: "ltr" | "rtl", style: BidiStyle): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && lineWidth(doc, next, base, style) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The height `text` takes when drawn by drawBidi. */
export function bidiHeight(doc: PDFKit.PDFDocument, text: string, width: number, base: "ltr" | "rtl", style: BidiStyle): number {
  const n = Math.max(1, wrapBidi(doc, text, width, base, style).length);
  return (
    n *
    doc
      .font(style.arabic ?? style.latin)
      .fontSize(style.size)
      .currentLineHeight(true)
  );
}

/**
 * Draws `text` in a box `width` wide from (x, y), wrapped between words, each line aligned (a
 * right-to-left paragraph reads from the right: align "right" there). Leaves doc.y below the text.
 */
export function drawBidi(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  opts: { width: number; align: "left" | "right" | "center"; base: "ltr" | "rtl"; color?: string } & BidiStyle,
): number {
  const lineHeight = doc
    .font(opts.arabic ?? opts.latin)
    .fontSize(opts.size)
    .currentLineHeight(true);
  const lines = wrapBidi(doc, text, opts.width, opts.base, opts);
  lines.forEach((line, i) => {
    const runs = visualRuns(line, opts.base);
    const widths = runs.map((r) => doc.font(fontOf(r, opts)).fontSize(opts.size).widthOfString(r.text, WHOLE_RUN));
    const total = widths.reduce((a, b) => a + b, 0);
    let cx = opts.align === "right" ? x + opts.width - total : opts.align === "center" ? x + (opts.width - total) / 2 : x;
    runs.forEach((r, k) => {
      doc
        .font(fontOf(r, opts))
        .fontSize(opts.size)
        .fillColor(opts.color ?? "#111111")
        .text(r.text, cx, y + i * lineHeight, { ...WHOLE_RUN, lineBreak: false });
      cx += widths[k]!;
    });
  });
  doc.x = x;
  doc.y = y + Math.max(1, lines.length) * lineHeight;
  return doc.y - y;
}
