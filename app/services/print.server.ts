import { readFile } from "node:fs/promises";
import { and, asc, eq, inArray, like } from "drizzle-orm";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { z } from "zod";
import { boardPins, isContentLang, pins, LOCALES, type Locale, type User } from "../../db/tables";
import type { Translator } from "../../models/embed/index";
import {
  fitFontSize,
  fitInside,
  mirrorLayout,
  pageLayout,
  paginate,
  PAPERS,
  PER_PAGE,
  type Paper,
  type PerPage,
  type Rect,
} from "../../models/print/index";
import { dirOf } from "../i18n";
import { getBoardForViewer } from "./boards.server";
import type { Db } from "./db.server";
import { imagePath } from "./images.server";
import { drawBidi, hasRtl, registerArabicFonts, wrapBidi, type ArabicFonts } from "./pdf-bidi.server";
import { registerLatinFonts } from "./pdf-fonts.server";

/**
 * Printable cut-out cards: a PDF (pdfkit) of a board's cards in a grid with dashed cut lines, each
 * card its picture with the word large beneath and, if asked, the word in a second language.
 */

export type PrintOptions = { per: PerPage; paper: Paper; second: Locale | null };

/** Error messages are i18n keys in the "stories" namespace. */
export const printSchema = z.object({
  per: z.coerce
    .number({ invalid_type_error: "stories:print.errors.per" })
    .refine((n): n is PerPage => (PER_PAGE as readonly number[]).includes(n), "stories:print.errors.per"),
  paper: z.enum(PAPERS as [Paper, ...Paper[]], { errorMap: () => ({ message: "stories:print.errors.paper" }) }),
  second: z
    .union([z.literal(""), z.literal("none"), z.enum(LOCALES)], { errorMap: () => ({ message: "stories:print.errors.second" }) })
    .optional()
    .transform((v): Locale | null => (isContentLang(v) ? v : null)),
});

export type PrintParse =
  { ok: true; options: PrintOptions } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

/** Reads ?per=&paper=&second= (what the print form sends); every problem is reported by field. */
export function parsePrintOptions(params: URLSearchParams): PrintParse {
  const values = { per: params.get("per") ?? "", paper: params.get("paper") ?? "", second: params.get("second") ?? "" };
  const r = printSchema.safeParse(values);
  if (r.success) return { ok: true, options: r.data };
  const errors: Record<string, string> = {};
  for (const issue of r.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { ok: false, errors, values };
}

export type PrintCard = { id: number; title: string; lang: Locale; imageKey: string; second: string | null };

/**
 * The board's cards in board order, each with its word in the second language when known: first the
 * starter library's own pairing (the same OpenMoji picture in both languages), then the translator
 * (Apertium, when installed); otherwise none.
 */
export async function printableCards(
  db: Db,
  boardId: number,
  viewer: User | null,
  second: Locale | null,
  translator?: Translator,
  key?: string | null,
) {
  const board = await getBoardForViewer(db, boardId, viewer, key);
  const rows = await db
    .select({ id: pins.id, title: pins.title, lang: pins.lang, imageKey: pins.imageKey, source: pins.source })
    .from(boardPins)
    .innerJoin(pins, eq(pins.id, boardPins.pinId))
    .where(eq(boardPins.boardId, boardId))
    .orderBy(asc(boardPins.position));
  const cards: PrintCard[] = rows.map((r) => ({ id: r.id, title: r.title, lang: r.lang, imageKey: r.imageKey, second: null }));
  if (!second) return { board, cards };
  const wanted = rows.filter((r) => r.lang !== second);
  const sources = [...new Set(wanted.map((r) => r.source).filter((s) => s.startsWith("openmoji:")))];
  const paired = new Map<string, string>();
  if (sources.length) {
    const twins = await db
      .select({ source: pins.source, title: pins.title })
      .from(pins)
      .where(and(eq(pins.lang, second), like(pins.source, "openmoji:%"), inArray(pins.source, sources)))
      .orderBy(asc(pins.id));
    for (const t of twins) if (!paired.has(t.source)) paired.set(t.source, t.title);
  }
  const byId = new Map(cards.map((c) => [c.id, c]));
  const rest: typeof wanted = [];
  for (const r of wanted) {
    const twin = paired.get(r.source);
    if (twin) byId.get(r.id)!.second = twin;
    else rest.push(r);
  }
  for (const lang of LOCALES) {
    const group = rest.filter((r) => r.lang === lang);
    if (!group.length || !translator?.canTranslateBetween(lang, second)) continue;
    try {
      // One sense a word: a printed card shows one word to read, not a dictionary's list.
      const out = await translator.translate(
        group.map((r) => r.title),
        lang,
        second,
        { senses: 1 },
      );
      group.forEach((r, i) => {
        const word = out[i]?.trim();
        // A word the translator did not know comes back unchanged: better nothing than the same word twice.
        if (word && word.toLocaleLowerCase() !== r.title.toLocaleLowerCase()) byId.get(r.id)!.second = word;
      });
    } catch {
      /* no second word for these: the cards still print */
    }
  }
  return { board, cards };
}

/** pdfkit embeds PNG and JPEG only: stored pictures (WebP uploads, OpenMoji SVGs) become PNG first. */
async function pngOf(key: string): Promise<{ png: Buffer; width: number; height: number } | null> {
  const path = imagePath(key);
  if (!path) return null;
  try {
    const bytes = await readFile(path);
    const { data, info } = await sharp(bytes, key.endsWith(".svg") ? { density: 480 } : {})
      .resize(480, 480, { fit: "inside" })
      .flatten({ background: "#ffffff" })
      .png()
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch {
    return null; // a missing or unreadable picture: the card prints with its word only
  }
}

function drawWord(
  doc: PDFKit.PDFDocument,
  font: string,
  text: string,
  box: Rect,
  maxSize: number,
  minSize: number,
  color: string,
  arabic: string | null,
) {
  if (hasRtl(text)) {
    // Arabic (issue 15): shaped and right to left, through pdf-bidi; as large as fits on one line.
    const style = (size: number) => ({ latin: font, arabic, size });
    const oneLine = (s: number) => (wrapBidi(doc, text, box.width, "rtl", style(s)).length <= 1 ? 0 : box.width + 1);
    const size = fitFontSize(oneLine, box.width, maxSize, minSize);
    const height = doc
      .font(arabic ?? font)
      .fontSize(size)
      .currentLineHeight(true);
    const y = box.y + Math.max(0, (box.height - height) / 2);
    drawBidi(doc, text, box.x, y, { width: box.width, align: "center", base: "rtl", color, ...style(size) });
    return;
  }
  doc.font(font);
  const size = fitFontSize((s) => doc.fontSize(s).widthOfString(text), box.width, maxSize, minSize);
  doc.fontSize(size).fillColor(color);
  const height = doc.heightOfString(text, { width: box.width, align: "center" });
  const y = box.y + Math.max(0, (box.height - Math.min(height, box.height)) / 2);
  doc.text(text, box.x, y, { width: box.width, height: box.height, align: "center", ellipsis: true, lineGap: 0 });
}

export type RenderOptions = { compress?: boolean; fontDir?: string; arabicFontDir?: string; title?: string; lang?: Locale };

/** Renders cards to a PDF: pages of `per` cards, dashed cut lines, picture, word, second word. */
export async function renderCardsPdf(cards: PrintCard[], options: PrintOptions, render: RenderOptions = {}): Promise<Buffer> {
  // A right-to-left board is read from the top right: its first card goes there.
  const grid = pageLayout(options.per, options.paper);
  const layout = render.lang && dirOf(render.lang) === "rtl" ? mirrorLayout(grid) : grid;
  const doc = new PDFDocument({
    size: [layout.page.width, layout.page.height],
    margin: 0,
    autoFirstPage: false,
    compress: render.compress ?? true,
    lang: render.lang,
    displayTitle: true,
    info: { Title: render.title ?? "Tablero", Creator: "Tablero" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const fonts = registerLatinFonts(doc, render.fontDir);
  // Registered only when a word needs it, so a PDF without Arabic does not carry the font.
  let arabic: ArabicFonts | null | undefined;
  const arabicFor = (text: string, weight: keyof ArabicFonts) => {
    if (!hasRtl(text)) return null;
    if (arabic === undefined) arabic = registerArabicFonts(doc, render.arabicFontDir);
    return arabic?.[weight] ?? null;
  };
  // Each picture is embedded once, however often it appears (pdfkit would embed a buffer every time).
  const pictures = new Map<string, { image: unknown; width: number; height: number } | null>();
  // pdfkit's openImage (not in @types/pdfkit) parses a picture once; doc.image() accepts what it returns.
  const openImage = (doc as unknown as { openImage: (src: Buffer) => unknown }).openImage.bind(doc);
  for (const page of paginate(cards, options.per)) {
    doc.addPage({ size: [layout.page.width, layout.page.height], margin: 0 });
    doc.save().lineWidth(0.75).strokeColor("#6b6b6b").dash(6, { space: 4 });
    for (const l of layout.cuts) doc.moveTo(l.x1, l.y1).lineTo(l.x2, l.y2).stroke();
    doc.undash().restore();
    for (const [i, card] of page.entries()) {
      const cell = layout.cells[i]!;
      if (!pictures.has(card.imageKey)) {
        const png = await pngOf(card.imageKey);
        pictures.set(card.imageKey, png ? { image: openImage(png.png), width: png.width, height: png.height } : null);
      }
      const pic = pictures.get(card.imageKey);
      if (pic) {
        const r = fitInside(cell.picture, pic.width, pic.height);
        doc.image(pic.image as unknown as Buffer, r.x, r.y, { width: r.width, height: r.height });
      }
      drawWord(doc, fonts.bold, card.title, cell.word, cell.word.height * 0.6, 12, "#111111", arabicFor(card.title, "bold"));
      if (card.second)
        drawWord(doc, fonts.regular, card.second, cell.second, cell.second.height * 0.55, 9, "#333333", arabicFor(card.second, "regular"));
    }
  }
  doc.end();
  return done;
}

export type BoardPdf = { ok: true; pdf: Buffer; filename: string } | { ok: false; error: "stories:print.errors.empty" };

/** The use case: a board the viewer may see, printed; an empty board is an error, not an empty PDF. */
/** `deps.key`: the share key of an unlisted board, from the link (access/visibility.server.ts). */
export async function boardPdf(
  db: Db,
  boardId: number,
  viewer: User | null,
  options: PrintOptions,
  deps: { translator?: Translator; key?: string | null } & RenderOptions = {},
): Promise<BoardPdf> {
  const { board, cards } = await printableCards(db, boardId, viewer, options.second, deps.translator, deps.key);
  if (!cards.length) return { ok: false, error: "stories:print.errors.empty" };
  const pdf = await renderCardsPdf(cards, options, { ...deps, title: board.title, lang: board.lang });
  return { ok: true, pdf, filename: `tablero-board-${board.id}-${options.per}-${options.paper}.pdf` };
}
