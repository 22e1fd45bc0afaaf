import { LOCALES, type Locale, type UiLocale } from "../../db/enums";

/** Each language by its own name (autonym), so a person finds theirs whatever language the page is in now. */
const AUTONYMS: Record<Locale, string> = { en: "English", es: "Español", fr: "Français", de: "Deutsch", ar: "العربية" };

/** The languages a board, card or story can be written in (content), each named in its own language. */
export const LANGUAGE_OPTIONS: readonly { value: Locale; label: string; lang: Locale }[] = LOCALES.map((l) => ({
  value: l,
  label: AUTONYMS[l],
  lang: l,
}));

/**
 * The languages the interface speaks, each by its own name (autonym) so a person finds theirs
 * whatever language the page is in now; the order is the language switcher's and the settings'.
 */
export const INTERFACE_LANGUAGES: readonly { value: UiLocale; label: string; lang: UiLocale }[] = [
  { value: "en", label: "English", lang: "en" },
  { value: "es", label: "Español", lang: "es" },
  { value: "fr", label: "Français", lang: "fr" },
  { value: "de", label: "Deutsch", lang: "de" },
  { value: "ar", label: "العربية", lang: "ar" },
];
