/**
 * Layout of printable cut-out cards: where each card, its picture and its words sit on a sheet of
 * paper. Pure arithmetic in PDF points (1/72 inch), origin at the top left, y growing down (as pdfkit
 * draws). No drawing here: the renderer (app/services/print.server.ts) follows these rectangles.
 */

export const PAPER_SIZES = { a4: { width: 595.28, height: 841.89 }, letter: { width: 612, height: 792 } } as const;
export type Paper = keyof typeof PAPER_SIZES;
export const PAPERS = Object.keys(PAPER_SIZES) as Paper[];

/** Cards per page and the grid they make on a portrait sheet (columns × rows). */
export const GRIDS = { 4: { cols: 2, rows: 2 }, 6: { cols: 2, rows: 3 }, 9: { cols: 3, rows: 3 } } as const;
export type PerPage = keyof typeof GRIDS;
export const PER_PAGE = [4, 6, 9] as const satisfies readonly PerPage[];

/** Half an inch: inside what home printers can print on both A4 and Letter. */
export const MARGIN = 36;

export type Rect = { x: number; y: number; width: number; height: number };
export type Line = { x1: number; y1: number; x2: number; y2: number };

/** One card's rectangles: the whole card (cut along its edges), the picture box and the word boxes. */
export type CardCell = { cell: Rect; picture: Rect; word: Rect; second: Rect };

export type PageLayout = {
  page: { width: number; height: number };
  cells: CardCell[];
  /** Dashed cut lines: every grid line once, shared edges are not drawn twice. */
  cuts: Line[];
};

/**
 * The cells of one page, left to right, top to bottom. Cards touch, so one cut separates two cards.
 * Inside a card: a padding, a square picture box at the top (as large as fits above the words),
 * then the word (≈ 18% of the card's height) and the second-language word (≈ 10%).
 */
export function pageLayout(per: PerPage, paper: Paper, margin = MARGIN): PageLayout {
  const page = PAPER_SIZES[paper];
  const { cols, rows } = GRIDS[per];
  const width = (page.width - 2 * margin) / cols;
  const height = (page.height - 2 * margin) / rows;
  const pad = Math.min(width, height) * 0.07;
  const wordH = height * 0.18;
  const secondH = height * 0.1;
  const pictureSide = Math.max(0, Math.min(width - 2 * pad, height - 2 * pad - wordH - secondH));
  const cells: CardCell[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = margin + c * width;
      const y = margin + r * height;
      const picture = { x: x + (width - pictureSide) / 2, y: y + pad, width: pictureSide, height: pictureSide };
      const word = { x: x + pad, y: picture.y + pictureSide, width: width - 2 * pad, height: wordH };
      const second = { x: x + pad, y: word.y + wordH, width: width - 2 * pad, height: secondH };
      cells.push({ cell: { x, y, width, height }, picture, word, second });
    }
  }
  const cuts: Line[] = [];
  for (let c = 0; c <= cols; c++) cuts.push({ x1: margin + c * width, y1: margin, x2: margin + c * width, y2: page.height - margin });
  for (let r = 0; r <= rows; r++) cuts.push({ x1: margin, y1: margin + r * height, x2: page.width - margin, y2: margin + r * height });
  return { page: { width: page.width, height: page.height }, cells, cuts };
}

/** The same page read right to left (an Arabic board): the first card at the top right, then leftwards. */
export function mirrorLayout(layout: PageLayout): PageLayout {
  const flip = (r: Rect): Rect => ({ ...r, x: layout.page.width - r.x - r.width });
  return {
    ...layout,
    cells: layout.cells.map((c) => ({ cell: flip(c.cell), picture: flip(c.picture), word: flip(c.word), second: flip(c.second) })),
  };
}

/** Splits items into pages of `per` (the last page may be part full); no items, no pages. */
export function paginate<T>(items: readonly T[], per: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += per) pages.push(items.slice(i, i + per));
  return pages;
}

/** The picture's drawn size inside its box, keeping its shape, centred. */
export function fitInside(box: Rect, imageWidth: number, imageHeight: number): Rect {
  if (imageWidth <= 0 || imageHeight <= 0) return { ...box, width: 0, height: 0 };
  const scale = Math.min(box.width / imageWidth, box.height / imageHeight);
  const width = imageWidth * scale;
  const height = imageHeight * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

/**
 * The largest font size (in whole points, between min and max) at which a word fits on one line of
 * the given width; `measure(size)` returns the word's width at that size. Below `min` it stays at
 * `min` (the renderer then wraps it).
 */
export function fitFontSize(measure: (size: number) => number, maxWidth: number, max: number, min: number): number {
  for (let size = Math.floor(max); size > min; size--) if (measure(size) <= maxWidth) return size;
  return min;
}
