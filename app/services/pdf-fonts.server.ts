import { existsSync } from "node:fs";
import { join } from "node:path";

/** A regular and a bold font registered in one pdfkit document, by the names to pass to `doc.font()`. */
export type FontPair = { regular: string; bold: string };

/** Debian's DejaVu Sans (fonts-dejavu-core): every Latin letter of the five languages, and more. */
export const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";

/**
 * Registers `files` from `dir` in `doc` under `names`; null when a file is missing or unreadable as a
 * font (the caller falls back: Helvetica for Latin text, unshaped Arabic with a warning).
 */
export function registerFontPair(doc: PDFKit.PDFDocument, dir: string, files: FontPair, names: FontPair): FontPair | null {
  const regular = join(dir, files.regular);
  const bold = join(dir, files.bold);
  if (!existsSync(regular) || !existsSync(bold)) return null;
  try {
    doc.registerFont(names.regular, regular);
    doc.registerFont(names.bold, bold);
    return names;
  } catch {
    return null;
  }
}

/** DejaVu Sans when installed; else the PDF standard Helvetica (WinAnsi letters only). */
export function registerLatinFonts(doc: PDFKit.PDFDocument, dir = DEJAVU_DIR): FontPair {
  return (
    registerFontPair(doc, dir, { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" }, { regular: "Latin", bold: "LatinBold" }) ?? {
      regular: "Helvetica",
      bold: "Helvetica-Bold",
    }
  );
}
