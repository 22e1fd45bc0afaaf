import { cardSchema, formValues, parseForm, type FieldErrors, type FormValues } from "~/lib/forms";
import type { Db } from "./db.server";
import { MAX_UPLOAD_BYTES, storeUpload, type StoredImage } from "./images.server";
import { attemptSave, notSavedValues } from "./save-failure.server";
import type { CardInput } from "./cards.server";

/** Requests far over the upload limit are refused before their body is read into memory. */
const MAX_BODY = MAX_UPLOAD_BYTES * 4;

export type CardSubmission =
  | { ok: true; input: CardInput; image?: StoredImage; form: FormData }
  | { ok: false; errors: FieldErrors; values: FormValues; form?: FormData; status?: number };

/**
 * Reads a card form: text fields first, then the picture. The picture is stored only when every
 * field is valid, so a refused submission leaves nothing behind.
 */
export async function readCardSubmission(db: Db, request: Request, imageRequired: boolean): Promise<CardSubmission> {
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_BODY) return { ok: false, errors: { image: "errors.imageTooLarge" }, values: {} };
  const form = await request.formData();
  const parsed = parseForm(cardSchema, form);
  const file = form.get("image");
  const upload = file instanceof File && file.size > 0 ? file : null;
  if (!parsed.ok) {
    const errors = { ...parsed.errors };
    if (imageRequired && !upload) errors.image = "errors.imageRequired";
    return { ok: false, errors, values: parsed.values, form };
  }
  if (!upload && !imageRequired) return { ok: true, input: parsed.data, form };
  const attempt = await attemptSave(() => storeUpload(db, upload));
  // The disk refused the picture: nothing was saved, and the form comes back as it was typed.
  if (!attempt.ok) return { ok: false, ...notSavedValues(form), form, status: 503 };
  const stored = attempt.value;
  if (!stored.ok) return { ok: false, errors: { image: stored.error }, values: formValues(form), form };
  return { ok: true, input: parsed.data, image: stored.image, form };
}
