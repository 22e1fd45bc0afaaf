import { z } from "zod";
import { LOCALES, MEMBER_ROLES } from "../../db/enums";
import { issueMessage } from "./error-message";
import { formValues, type FieldErrors, type FormValues, type Parsed } from "./forms";

/**
 * Workshop form schemas, shared by the actions and the tests. Messages are i18n keys in the
 * "workshops" namespace ("workshops:errors.*"), so the shared TextField translates them as they are.
 */
const E = (key: string) => `workshops:errors.${key}`;

/** The longest text each workshop field takes; the form shows the same numbers (nothing is cut). */
export const WORKSHOP_LIMITS = { title: 100, description: 1000, place: 200, link: 500 } as const;

/** Zones offered in the time-zone select; any other valid IANA zone (e.g. the browser's) is accepted too. */
export const COMMON_TIME_ZONES = [
  "Europe/Madrid",
  "Atlantic/Canary",
  "Europe/Lisbon",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Rome",
  "Europe/Athens",
  "UTC",
  "America/Mexico_City",
  "America/Bogota",
  "America/Lima",
  "America/Caracas",
  "America/Santiago",
  "America/Argentina/Buenos_Aires",
  "America/Montevideo",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Puerto_Rico",
  "Asia/Tokyo",
  "Australia/Sydney",
] as const;
export const DEFAULT_TIME_ZONE = "Europe/Madrid";

export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date "YYYY-MM-DD" (not 2026-02-30). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d && y >= 2000 && y <= 2100;
}

const required = (max: number) =>
  z
    .string({ required_error: E("required") })
    .trim()
    .min(1, E("required"))
    .max(max, E("tooLong"));
const optional = (max: number) => z.string().trim().max(max, E("tooLong")).optional().default("");
const isoDate = z
  .string({ required_error: E("required") })
  .trim()
  .min(1, E("required"))
  .refine(isIsoDate, E("date"));
const httpUrl = z
  .string()
  .trim()
  .max(WORKSHOP_LIMITS.link, E("tooLong"))
  .refine((s) => {
    if (!s) return true;
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && !!u.hostname.includes(".");
    } catch {
      return false;
    }
  }, E("url"))
  .optional()
  .default("");

export const workshopSchema = z
  .object({
    title: required(WORKSHOP_LIMITS.title),
    description: optional(WORKSHOP_LIMITS.description),
    lang: z.enum(LOCALES, { errorMap: () => ({ message: E("choice") }) }),
    weekday: z.coerce
      .number({ invalid_type_error: E("choice") })
      .int(E("choice"))
      .min(1, E("choice"))
      .max(7, E("choice")),
    startTime: z
      .string({ required_error: E("required") })
      .trim()
      .min(1, E("required"))
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, E("time")),
    durationMinutes: z.coerce
      .number({ invalid_type_error: E("number") })
      .int(E("number"))
      .min(15, E("duration"))
      .max(480, E("duration")),
    timeZone: z
      .string({ required_error: E("required") })
      .trim()
      .refine(isValidTimeZone, E("timeZone")),
    startsOn: isoDate,
    endsOn: z
      .string()
      .trim()
      .refine((s) => !s || isIsoDate(s), E("date"))
      .optional()
      .default(""),
    place: optional(WORKSHOP_LIMITS.place),
    videoUrl: httpUrl,
    capacity: z.coerce
      .number({ invalid_type_error: E("number") })
      .int(E("number"))
      .min(1, E("capacity"))
      .max(100, E("capacityMax")),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn && isIsoDate(v.startsOn) && v.endsOn < v.startsOn)
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: E("endBeforeStart") });
  });
export type WorkshopInput = Omit<z.output<typeof workshopSchema>, "endsOn"> & { endsOn: string };

export const inviteSchema = z.object({
  role: z.enum(MEMBER_ROLES, { errorMap: () => ({ message: E("choice") }) }),
});

export const assignmentSchema = z.object({
  boardId: z.coerce
    .number({ invalid_type_error: E("choice") })
    .int(E("choice"))
    .positive(E("choice")),
  dueOn: isoDate,
  audience: z.enum(["all", "some"], { errorMap: () => ({ message: E("choice") }) }),
  memberIds: z.array(z.coerce.number().int().positive()).optional().default([]),
});
export type AssignmentInput = z.output<typeof assignmentSchema>;

export const notesSchema = z.object({
  notes: z.string().max(10_000, E("tooLong")).optional().default(""),
  notesVersion: z.coerce
    .number({ invalid_type_error: E("invalid") })
    .int(E("invalid"))
    .min(0, E("invalid")),
});

/** Fields whose values are lists. */
const MULTI = new Set(["memberIds", "present"]);

/** Like parseForm in forms.ts, for the workshop keys: first error per field and what was typed. */
export function parseWorkshopForm<S extends z.ZodTypeAny>(schema: S, form: FormData): Parsed<z.output<S>> {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(formValues(form))) values[key] = value;
  for (const key of MULTI) {
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    if (all.length) values[key] = all;
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.startsWith("workshops:errors.") ? issueMessage(issue, values[field]) : E("invalid");
  }
  return { ok: false, errors, values };
}
