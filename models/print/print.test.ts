import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitFontSize, fitInside, GRIDS, MARGIN, pageLayout, paginate, PAPER_SIZES, PAPERS, PER_PAGE, type Rect } from "./index";

const inside = (inner: Rect, outer: Rect, eps = 1e-6) =>
  inner.x >= outer.x - eps &&
  inner.y >= outer.y - eps &&
  inner.x + inner.width <= outer.x + outer.width + eps &&
  inner.y + inner.height <= outer.y + outer.height + eps;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width - 1e-6 && b.x < a.x + a.width - 1e-6 && a.y < b.y + b.height - 1e-6 && b.y < a.y + a.height - 1e-6;

describe("pageLayout", () => {
  it("makes a 2 × 2 grid of equal cards inside the margins of A4", () => {
    const l = pageLayout(4, "a4");
    expect(l.page).toEqual(PAPER_SIZES.a4);
    expect(l.cells).toHaveLength(4);
    const w = (595.28 - 72) / 2;
    const h = (841.89 - 72) / 2;
    expect(l.cells.map((c) => [c.cell.x, c.cell.y])).toEqual([
      [36, 36],
      [36 + w, 36],
      [36, 36 + h],
      [36 + w, 36 + h],
    ]);
    for (const c of l.cells) expect([c.cell.width, c.cell.height]).toEqual([w, h]);
    // 3 vertical and 3 horizontal cut lines: shared edges once.
    expect(l.cuts).toHaveLength(6);
  });

  it("lays 6 as 2 columns × 3 rows and 9 as 3 × 3, on Letter too", () => {
    expect(
      pageLayout(6, "letter")
        .cells.map((c) => c.cell.x)
        .filter((x, i, a) => a.indexOf(x) === i),
    ).toHaveLength(2);
    expect(
      pageLayout(6, "letter")
        .cells.map((c) => c.cell.y)
        .filter((y, i, a) => a.indexOf(y) === i),
    ).toHaveLength(3);
    expect(pageLayout(9, "letter").cells).toHaveLength(9);
    expect(pageLayout(9, "letter").cuts).toHaveLength(8);
  });

  it("keeps every card, picture and word inside the printable area, and no two cards overlap", () => {
    for (const paper of PAPERS) {
      for (const per of PER_PAGE) {
        const l = pageLayout(per, paper);
        const area = { x: MARGIN, y: MARGIN, width: l.page.width - 2 * MARGIN, height: l.page.height - 2 * MARGIN };
        expect(l.cells).toHaveLength(GRIDS[per].cols * GRIDS[per].rows);
        l.cells.forEach((c, i) => {
          expect(inside(c.cell, area)).toBe(true);
          for (const part of [c.picture, c.word, c.second]) expect(inside(part, c.cell)).toBe(true);
          expect(c.picture.width).toBe(c.picture.height); // a square box for the picture
          expect(c.picture.width).toBeGreaterThan(c.cell.width * 0.5);
          expect(overlap(c.picture, c.word)).toBe(false);
          expect(overlap(c.word, c.second)).toBe(false);
          l.cells.forEach((d, j) => j !== i && expect(overlap(c.cell, d.cell)).toBe(false));
        });
        // Together the cards fill the printable area.
        expect(l.cells.reduce((s, c) => s + c.cell.width * c.cell.height, 0)).toBeCloseTo(area.width * area.height, 3);
      }
    }
  });
});

describe("paginate", () => {
  it("splits 10 cards at 4 per page into 3 pages, the last part full", () => {
    expect(paginate([...Array(10).keys()], 4).map((p) => p.length)).toEqual([4, 4, 2]);
    expect(paginate([], 6)).toEqual([]);
  });

  it("keeps every item once, in order, in ceil(n / per) pages", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.constantFrom(...PER_PAGE), (items, per) => {
        const pages = paginate(items, per);
        expect(pages.flat()).toEqual(items);
        expect(pages.length).toBe(Math.ceil(items.length / per));
        for (const p of pages) expect(p.length).toBeLessThanOrEqual(per);
      }),
    );
  });
});

describe("fitInside", () => {
  it("keeps the picture's shape and centres it in its box", () => {
    const box = { x: 10, y: 20, width: 100, height: 100 };
    expect(fitInside(box, 600, 300)).toEqual({ x: 10, y: 45, width: 100, height: 50 });
    expect(fitInside(box, 200, 400)).toEqual({ x: 35, y: 20, width: 50, height: 100 });
    expect(fitInside(box, 0, 10).width).toBe(0);
  });
});

describe("fitFontSize", () => {
  it("picks the largest size at which the word fits, never below the minimum", () => {
    const measure = (size: number) => size * 5; // a word 5 ems wide
    expect(fitFontSize(measure, 100, 40, 10)).toBe(20);
    expect(fitFontSize(measure, 1000, 40, 10)).toBe(40);
    expect(fitFontSize(measure, 10, 40, 10)).toBe(10);
  });
});
