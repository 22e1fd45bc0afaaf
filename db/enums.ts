// Value sets shared by the schema, validation and the UI; no drizzle import, so the browser bundle stays small.
export const LOCALES = ["en", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const ROLES = ["creator", "therapist", "relative", "learner"] as const;
export type Role = (typeof ROLES)[number];
export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const TEXT_SIZES = [100, 150, 200] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
export const PIN_KINDS = ["flashcard", "story", "idea"] as const;
export type PinKind = (typeof PIN_KINDS)[number];
