import type { ZodIssue } from "zod";

/**
 * A field error travels from server to page as one string: an i18n key, optionally followed by the
 * numbers its sentence needs, as in "errors.tooLong?max=80&length=81". Keeping it a string keeps every
 * form's `errors: Record<string, string>` as it was; `errorText` turns it into the sentence.
 */
export function withParams(key: string, params: Record<string, number>): string {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return q ? `${key}?${q}` : key;
}

export function splitMessage(message: string): { key: string; params: Record<string, number> } {
  const [key, q] = message.split("?", 2) as [string, string | undefined];
  const params: Record<string, number> = {};
  for (const [k, v] of new URLSearchParams(q ?? "")) if (Number.isFinite(Number(v))) params[k] = Number(v);
  return { key, params };
}

/** Translates a field error with its numbers ("at most 80 characters (this has 81)"). */
export function errorText(t: (key: string, options?: Record<string, unknown>) => string, message: string): string {
  const { key, params } = splitMessage(message);
  return t(key, params);
}

/**
 * The message a form shows for one zod issue: the schema's key, with the limit and the length typed
 * added when a text is too long, so the person is told the limit instead of having the text cut.
 */
export function issueMessage(issue: ZodIssue, value: unknown): string {
  if (issue.code === "too_big" && issue.type === "string") {
    const max = Number(issue.maximum);
    return withParams(issue.message, typeof value === "string" ? { max, length: [...value.trim()].length } : { max });
  }
  return issue.message;
}
