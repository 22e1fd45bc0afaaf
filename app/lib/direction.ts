/**
 * Arrow keys in a left-to-right or right-to-left page. Reading order runs right to left in Arabic,
 * so there the arrow that points the way one reads (←) goes to the NEXT item and → to the previous;
 * a person presses the arrow toward where the next card sits on the screen.
 */
export type Direction = "ltr" | "rtl";

/** +1 (next), -1 (previous) or 0 (not a horizontal arrow) for a key in a page of direction `dir`. */
export function arrowStep(key: string, dir: Direction): 1 | -1 | 0 {
  if (key !== "ArrowRight" && key !== "ArrowLeft") return 0;
  const forward = dir === "rtl" ? "ArrowLeft" : "ArrowRight";
  return key === forward ? 1 : -1;
}

/** The direction an element is laid out in (its own `dir`, else the nearest ancestor's, else the page's). */
export function directionOf(el: Element | null): Direction {
  const d = el?.closest("[dir]")?.getAttribute("dir") ?? (typeof document === "undefined" ? null : document.documentElement.dir);
  return d === "rtl" ? "rtl" : "ltr";
}
