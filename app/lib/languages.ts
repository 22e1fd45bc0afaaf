/** The languages a person, board or card can be in, each named in its own language. */
export const LANGUAGE_OPTIONS = [
  { value: "en", label: "English", lang: "en" },
  { value: "es", label: "Español", lang: "es" },
];
