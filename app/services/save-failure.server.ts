import Database from "better-sqlite3";
import { data } from "@remix-run/node";
import { formValues, type FormValues } from "~/lib/forms";

/** The form-level message for a save that did not commit (locales/<lng>/common.json). */
export const NOT_SAVED = "common:errors.notSaved";

/** File-system errors that mean "the disk would not take it" rather than a bug: full, read-only, denied. */
const STORAGE_CODES = new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG"]);

/**
 * A failure of the storage itself, where we know nothing was changed: any SQLite error (a statement
 * or transaction that fails is rolled back; commit errors surface because writes never use `.get()`,
 * see verified-write.server.ts), or a picture file the disk refused (written to a temporary file
 * first, so no partial file is left under its name).
 */
export function isStorageFailure(e: unknown): boolean {
  // pg: node-postgres throws DatabaseError with a SQLSTATE `code` (53xxx insufficient resources, 25006
  // read-only transaction, 08xxx connection lost); those need recognising here too when PostgreSQL runs.
  if (e instanceof Database.SqliteError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && STORAGE_CODES.has(code);
}

export type Attempt<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs one save. A storage failure becomes `{ ok: false }` for the route to show "Could not save —
 * nothing was changed" with the form as it was typed; anything else (404, 403, bugs) is rethrown.
 * Wrap only the save itself: work after the commit (re-indexing) must not be reported as "not saved".
 */
export async function attemptSave<T>(save: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await save() };
  } catch (e) {
    if (!isStorageFailure(e)) throw e;
    console.error("save failed, nothing changed:", e);
    return { ok: false };
  }
}

/** What the form gets back: the message and what the person typed (never a password), status 503. */
export function notSavedValues(form: FormData): { errors: Record<string, string>; values: FormValues } {
  const values = formValues(form);
  delete values.password;
  return { errors: { form: NOT_SAVED }, values };
}

export function notSaved(form: FormData) {
  return data(notSavedValues(form), { status: 503 });
}

/** For actions without a form to re-show (delete, move…): the error page says nothing was changed. */
export async function savingOrThrow<T>(save: () => T | Promise<T>): Promise<T> {
  const r = await attemptSave(save);
  if (!r.ok) throw data({ notSaved: true }, { status: 503 });
  return r.value;
}
