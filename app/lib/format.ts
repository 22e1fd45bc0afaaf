/**
 * Numbers and lists shown to people, in the interface's language (CLDR through Intl): "1,4" in
 * French and Spanish, "a، b و c" in Arabic. Never toFixed() or join(", ") for what a person reads.
 */

/** Seconds from milliseconds, one decimal ("1.4", "1,4", "١٫٤"). */
export function formatSeconds(ms: number, lang: string): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000);
}

/** "a, b and c" in the language's own words and commas. */
export function formatList(items: string[], lang: string, type: "conjunction" | "unit" = "conjunction"): string {
  return new Intl.ListFormat(lang, { type, style: "long" }).format(items);
}
