import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { LIMITS } from "~/lib/forms";
import { RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { deriveFirstSound } from "../../models/therapy/cues";
import { isContentLang, type Locale } from "../../db/enums";

type Values = { title?: string; alt?: string; cue?: string; cueSentence?: string; firstSound?: string; note?: string; lang?: string };
const MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

/** The flashcard form: a picture (required when new), its alt text, the word, a cue and a note. */
export function CardForm(props: {
  values: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  busy: boolean;
  imageRequired: boolean;
  currentImage?: { src: string; alt: string };
}) {
  const { t } = useTranslation();
  const { t: tn } = useTranslation("naming");
  // The first sound used when the field stays empty, shown as its placeholder as the word is typed.
  const [word, setWord] = useState(props.values.title ?? "");
  const [lang, setLang] = useState<Locale>(isContentLang(props.values.lang) ? props.values.lang : "en");
  const [clientError, setClientError] = useState<string | undefined>();
  const imageError = clientError ?? props.errors?.image;
  const errors = clientError ? { ...props.errors, image: clientError } : props.errors;
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="stack narrow"
      noValidate
      onSubmit={(e) => {
        if (clientError) e.preventDefault();
      }}
      onChange={(e) => {
        const el = e.target as HTMLInputElement;
        if (el.name === "lang" && isContentLang(el.value)) setLang(el.value);
      }}
    >
      <FormAlert
        errors={errors}
        labels={{ image: props.imageRequired ? "fields.image" : "fields.replaceImage", title: "fields.word", lang: "fields.cardLang" }}
        order={["image", "alt", "title", "cue", "cueSentence", "firstSound", "note", "lang"]}
      />
      <input type="hidden" name="intent" value="save" />
      <div className="field" id="field-image-wrap">
        {props.currentImage ? (
          <img src={props.currentImage.src} alt={props.currentImage.alt} className="current-image" width={160} height={160} />
        ) : null}
        <label htmlFor="field-image">
          {props.imageRequired ? t("fields.image") : t("fields.replaceImage")}
          {props.imageRequired ? <span className="required"> ({t("form.required")})</span> : null}
        </label>
        <input
          id="field-image"
          name="image"
          type="file"
          accept={ACCEPT}
          aria-describedby={`image-hint${imageError ? " image-error" : ""}`}
          aria-invalid={imageError ? true : undefined}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            // Tell at once, before a long upload; the server checks again, by the bytes.
            setClientError(f && f.size > MAX_BYTES ? "errors.imageTooLarge" : undefined);
          }}
        />
        <p id="image-hint" className="hint">
          {t("cardForm.imageHint")}
        </p>
        {imageError ? (
          <p id="image-error" className="field-error">
            {t(imageError)}
          </p>
        ) : null}
      </div>
      <TextField
        name="alt"
        label={t("fields.alt")}
        isRequired
        description={t("cardForm.altHint")}
        defaultValue={props.values.alt}
        error={props.errors?.alt}
        multiline
        limit={LIMITS.cardAlt}
      />
      <TextField
        name="title"
        label={t("fields.word")}
        isRequired
        defaultValue={props.values.title}
        error={props.errors?.title}
        limit={LIMITS.cardTitle}
        onChange={setWord}
      />
      <TextField
        name="cue"
        label={t("fields.cue")}
        description={t("cardForm.cueHint")}
        defaultValue={props.values.cue}
        error={props.errors?.cue}
        limit={LIMITS.cardCue}
      />
      <TextField
        name="cueSentence"
        label={tn("editor.sentence")}
        description={tn("editor.sentenceHint")}
        defaultValue={props.values.cueSentence}
        error={props.errors?.cueSentence}
        limit={LIMITS.cardCueSentence}
      />
      <TextField
        name="firstSound"
        label={tn("editor.firstSound")}
        description={tn("editor.firstSoundHint")}
        defaultValue={props.values.firstSound}
        error={props.errors?.firstSound}
        limit={LIMITS.cardFirstSound}
        placeholder={word.trim() ? `${deriveFirstSound(word, lang)}…` : undefined}
      />
      <TextField
        name="note"
        label={t("fields.note")}
        multiline
        defaultValue={props.values.note}
        error={props.errors?.note}
        limit={LIMITS.cardNote}
      />
      <RadioChoice
        name="lang"
        label={t("fields.cardLang")}
        defaultValue={props.values.lang}
        options={LANGUAGE_OPTIONS}
        error={props.errors?.lang}
      />
      <button type="submit" className="button primary" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </Form>
  );
}
