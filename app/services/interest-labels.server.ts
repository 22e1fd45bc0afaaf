/**
 * An interest's name in any content language. The interest table keeps only the English and Spanish
 * labels (label_en / label_es, from before French, German and Arabic); the taxonomy file is the source
 * of every label and is already in memory, so the names are read from it by slug rather than widening
 * the table. The stored English label is the fallback for a slug the shipped taxonomy no longer has.
 */
import { loadTaxonomy, type Locale } from "../../models/taxonomy/index";

export function interestLabel(slug: string, lang: Locale, stored?: { en: string; es: string }): string {
  const node = loadTaxonomy().bySlug(slug);
  if (node) return node.labels[lang];
  return stored ? (lang === "es" ? stored.es : stored.en) : slug;
}

/** Every language's name of an interest (for a card's category, translated in the page). */
export function interestLabels(slug: string, stored: { en: string; es: string }): Record<Locale, string> {
  const node = loadTaxonomy().bySlug(slug);
  return node ? { ...node.labels } : { en: stored.en, es: stored.es, fr: stored.en, de: stored.en, ar: stored.en };
}
