/** A picture for a card imported without one: its word in large type on a plain card (an SVG we make). */
export function textCardSvg(word: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const words = word.trim().split(/\s+/);
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + " " + w).length <= 16) lines[lines.length - 1] = last + " " + w;
    else lines.push(w);
  }
  const shown = lines.slice(0, 4);
  if (lines.length > 4) shown[3] = shown[3]!.slice(0, 14) + "…";
  const size = shown.some((l) => l.length > 10) ? 44 : 64;
  const y0 = 256 - ((shown.length - 1) * size * 1.2) / 2;
  const text = shown.map((l, i) => `<text x="256" y="${(y0 + i * size * 1.2).toFixed(0)}">${esc(l.slice(0, 18))}</text>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512"><rect width="512" height="512" rx="32" fill="#fff8e1" stroke="#1a1a1a" stroke-width="8"/><g font-family="Verdana, DejaVu Sans, sans-serif" font-weight="700" font-size="${size}" fill="#1a1a1a" text-anchor="middle" dominant-baseline="middle">${text}</g></svg>`;
}
