import { z } from "zod";
import { LOCALES, ROLES, TEXT_SIZES, UI_LOCALES, VISIBILITIES } from "../../db/enums";
import { issueMessage } from "./error-message";

/**
 * Form schemas shared by actions and tests. Messages are i18n keys (locales/<lng>/common.json,
 * "errors.*"), translated when the form renders, so the server never decides the language of an error.
 */
/**
 * The longest text each field takes, in characters: the schemas below refuse more (saying the limit),
 * and the forms show the same number beside the field (TextField's `limit`). Nothing is cut.
 */
export const LIMITS = {
  displayName: 60,
  boardTitle: 80,
  boardDescription: 500,
  cardTitle: 80,
  cardAlt: 250,
  cardCue: 120,
  cardCueSentence: 160,
  cardFirstSound: 20,
  cardNote: 500,
} as const;

const required = (max: number) =>
  z.string({ required_error: "errors.required" }).trim().min(1, "errors.required").max(max, "errors.tooLong");
const optional = (max: number) => z.string().trim().max(max, "errors.tooLong").optional().default("");

export const email = z
  .string({ required_error: "errors.required" })
  .trim()
  .toLowerCase()
  .min(1, "errors.required")
  .max(254, "errors.tooLong")
  .email("errors.email");

export const signUpSchema = z.object({
  email,
  password: z.string({ required_error: "errors.required" }).min(10, "errors.passwordShort").max(200, "errors.tooLong"),
  displayName: required(LIMITS.displayName),
  // The interface language (five); boards and cards below keep the content languages (LOCALES).
  locale: z.enum(UI_LOCALES, { errorMap: () => ({ message: "errors.choice" }) }),
});

export const signInSchema = z.object({
  email,
  password: z.string({ required_error: "errors.required" }).min(1, "errors.required"),
});

export const profileSchema = z.object({
  displayName: required(LIMITS.displayName),
  // The interface language (five); boards and cards below keep the content languages (LOCALES).
  locale: z.enum(UI_LOCALES, { errorMap: () => ({ message: "errors.choice" }) }),
  roles: z.array(z.enum(ROLES, { errorMap: () => ({ message: "errors.choice" }) })).default([]),
});

export const accessibilitySchema = z.object({
  textSize: z.coerce
    .number()
    .refine((n): n is (typeof TEXT_SIZES)[number] => (TEXT_SIZES as readonly number[]).includes(n), "errors.choice"),
  highContrast: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  reducedMotion: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  speechRate: z.coerce.number({ invalid_type_error: "errors.number" }).min(0.5, "errors.range").max(1.5, "errors.range"),
});

export const boardSchema = z.object({
  title: required(LIMITS.boardTitle),
  description: optional(LIMITS.boardDescription),
  lang: z.enum(LOCALES, { errorMap: () => ({ message: "errors.choice" }) }),
  visibility: z.enum(VISIBILITIES, { errorMap: () => ({ message: "errors.choice" }) }),
});

export const cardSchema = z.object({
  title: required(LIMITS.cardTitle),
  alt: required(LIMITS.cardAlt),
  cue: optional(LIMITS.cardCue),
  cueSentence: optional(LIMITS.cardCueSentence),
  firstSound: optional(LIMITS.cardFirstSound),
  note: optional(LIMITS.cardNote),
  lang: z.enum(LOCALES, { errorMap: () => ({ message: "errors.choice" }) }),
});

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | string[]>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

/** Fields whose values are lists (checkbox groups). */
const MULTI = new Set(["roles"]);

/** Reads a FormData into plain values (text fields only; files are handled by the caller). */
export function formValues(form: FormData): FormValues {
  const out: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    if (MULTI.has(key)) out[key] = [...((out[key] as string[] | undefined) ?? []), value];
    else out[key] = value;
  }
  return out;
}

/** Validates a form; on failure returns the first error per field and what the person typed. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData): Parsed<z.output<S>> {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    // "errors.x" (common) or "<namespace>:errors.x" (a feature's own messages).
    errors[field] ??= /^([a-z]+:)?errors\./.test(issue.message) ? issueMessage(issue, values[field]) : "errors.invalid";
  }
  // Never echo a password (current, new or otherwise) back into the page.
  for (const key of Object.keys(values)) if (/password/i.test(key)) delete values[key];
  return { ok: false, errors, values };
}
