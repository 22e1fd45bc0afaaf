import { z } from "zod";
import { LOCALES } from "../../db/enums";

/**
 * The Story Pin form, shared by the editor (browser) and the service (server). Error messages are
 * i18n keys: "errors.*" from common.json, "stories:errors.*" from stories.json.
 */
export const MAX_PAGES = 12;
export const MAX_PAGE_TEXT = 280;
export const MAX_ALT = 250;
export const MAX_TITLE = 80;

/** Page ids are made by the editor ("p1", "p2"…) and only name the fields of one page in the form. */
export const PAGE_ID = /^p[0-9]{1,6}$/;

export const storyMetaSchema = z.object({
  title: z.string({ required_error: "errors.required" }).trim().min(1, "errors.required").max(MAX_TITLE, "errors.tooLong"),
  lang: z.enum(LOCALES, { errorMap: () => ({ message: "errors.choice" }) }),
  /** The board the story is about: "" for none. */
  about: z
    .string()
    .optional()
    .default("")
    .refine((v) => v === "" || /^[1-9][0-9]{0,15}$/.test(v), "stories:errors.aboutBoard")
    .transform((v) => (v === "" ? null : Number(v))),
});

/** Where a new story is saved: one of the author's boards. */
export const storyBoardSchema = z
  .string({ required_error: "stories:errors.chooseBoard" })
  .regex(/^[1-9][0-9]{0,15}$/, "stories:errors.chooseBoard")
  .transform(Number);

export const pageSchema = z.object({
  alt: z.string({ required_error: "errors.required" }).trim().min(1, "errors.required").max(MAX_ALT, "errors.tooLong"),
  text: z.string().trim().max(MAX_PAGE_TEXT, "stories:errors.textTooLong").optional().default(""),
});

/** One page as the form holds it: `key` is a picture already stored (kept when another field failed). */
export type PageValues = { id: string; key?: string; alt: string; text: string };
export type StoryValues = { title?: string; lang?: string; about?: string; board?: string; pages: PageValues[] };

/** Field names in the form and error keys in the errors map, per page. */
export const pageField = (id: string, field: "image" | "key" | "alt" | "text") => `${field}-${id}`;
