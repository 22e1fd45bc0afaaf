import { FieldError, Input, Label, Text, TextArea, TextField as AriaTextField } from "react-aria-components";
import { useTranslation } from "react-i18next";
import { errorText } from "~/lib/error-message";
import { contentDir } from "~/i18n";

type Props = {
  name: string;
  label: string;
  /** An i18n key from the server's validation, shown under the field and linked to it. */
  error?: string;
  description?: string;
  defaultValue?: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  isRequired?: boolean;
  multiline?: boolean;
  /**
   * The most characters the server takes (from the form's schema). Told beside the field rather than
   * set as the input's maxLength: a browser silently cuts pasted text at maxLength, and nothing may be
   * cut without a word; too long a text is refused by the server with a message naming the limit.
   */
  limit?: number;
  lang?: string;
  /** A hint inside the empty field (e.g. the value used when it stays empty); never a substitute for the label. */
  placeholder?: string;
  onChange?: (value: string) => void;
};

/** Label + input + description + error, wrapped once so every form field is labelled and announces its error. */
export function TextField({ name, label, error, description, multiline, lang, limit, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const hint = [description, limit ? t("common:form.atMost", { max: limit }) : ""].filter(Boolean).join(" ");
  return (
    <AriaTextField name={name} id={`field-${name}`} className="field" isInvalid={!!error} validationBehavior="aria" {...rest}>
      <Label>
        {label}
        {rest.isRequired ? <span className="required"> ({t("form.required")})</span> : null}
      </Label>
      {multiline ? (
        <TextArea rows={3} lang={lang} dir={contentDir(lang)} placeholder={placeholder} />
      ) : (
        <Input lang={lang} dir={contentDir(lang)} placeholder={placeholder} />
      )}
      {hint ? <Text slot="description">{hint}</Text> : null}
      <FieldError className="field-error">{error ? errorText(t, error) : null}</FieldError>
    </AriaTextField>
  );
}
