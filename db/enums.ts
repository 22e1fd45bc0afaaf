// Value sets shared by the schema, validation and the UI; no drizzle import, so the browser bundle stays small.
/**
 * The languages a board's, card's or story's CONTENT can be written in (a card's `lang`). The starter
 * library, search and read-aloud know these; it is not the interface language (UI_LOCALES), though
 * today both lists hold the same five. `lang` columns are plain text (no CHECK), so adding one here
 * needs no migration.
 */
export const LOCALES = ["en", "es", "fr", "de", "ar"] as const;
export type Locale = (typeof LOCALES)[number];
/**
 * The languages the INTERFACE speaks (an account's `locale`, the language cookie, locales/<lng>/).
 * A superset of LOCALES: a French speaker reads the interface in French and the cards in their own
 * language. users.locale is a plain text column, so adding one here needs no migration.
 */
export const UI_LOCALES = ["en", "es", "fr", "de", "ar"] as const;
export type UiLocale = (typeof UI_LOCALES)[number];
/**
 * The content language to prefer for someone reading the interface in `ui` (home feed, new boards):
 * their own, now that cards can be written in every interface language. Kept as a function so a
 * future interface language without content support has one place to fall back.
 */
export const contentLangOf = (ui: UiLocale): Locale => ui;
/** Whether a value is a content language. */
export const isContentLang = (v: unknown): v is Locale => typeof v === "string" && (LOCALES as readonly string[]).includes(v);
export const ROLES = ["creator", "therapist", "relative", "learner"] as const;
export type Role = (typeof ROLES)[number];
export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const TEXT_SIZES = [100, 150, 200] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
export const PIN_KINDS = ["flashcard", "story", "idea"] as const;
export type PinKind = (typeof PIN_KINDS)[number];
/** What a person did with a card; "practice" is one rating given while practising. */
export const ENGAGEMENT_ACTIONS = ["impression", "click", "closeup", "save", "hide", "readaloud", "practice"] as const;
export type EngagementAction = (typeof ENGAGEMENT_ACTIONS)[number];
/** Where on the site it happened. */
export const SURFACES = ["search", "home", "related", "board", "card", "interest", "workshop", "practice", "story"] as const;
export type Surface = (typeof SURFACES)[number];
export const MEMBER_ROLES = ["participant", "relative"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
/** FSRS ratings as ts-fsrs numbers them: Again 1, Hard 2, Good 3, Easy 4. */
export const RATINGS = [1, 2, 3, 4] as const;
export type RatingValue = (typeof RATINGS)[number];
/** Practice modes (issue 14); each schedules with FSRS separately. */
export const PRACTICE_MODES = ["naming", "comprehension", "features", "writing"] as const;
export type PracticeMode = (typeof PRACTICE_MODES)[number];
/** The naming cueing hierarchy, least to most help; a review's cue_level is the index reached (0 = none). */
export const CUE_LEVELS = ["none", "semantic", "sentence", "firstSound", "firstLetters", "wholeWord"] as const;
export type CueLevelName = (typeof CUE_LEVELS)[number];
/** Clinical scoring of one answer. */
export const OUTCOMES = ["correct", "cued", "not_yet"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** What a recording in the person's own voice says (issue 14): the word itself, or a cue for it. */
export const CLIP_KINDS = ["word", "cue"] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];
