import { FieldError, Input, Label, Text, TextArea, TextField as AriaTextField } from "react-aria-components";
import { useTranslation } from "react-i18next";

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
  maxLength?: number;
  lang?: string;
};

/** Label + input + description + error, wrapped once so every form field is labelled and announces its error. */
export function TextField({ name, label, error, description, multiline, lang, ...rest }: Props) {
  const { t } = useTranslation();
  return (
    <AriaTextField
      name={name}
      id={`field-${name}`}
      className="field"
      isInvalid={!!error}
      validationBehavior="aria"
      {...rest}
    >
      <Label>
        {label}
        {rest.isRequired ? <span className="required"> ({t("form.required")})</span> : null}
      </Label>
      {multiline ? <TextArea rows={3} lang={lang} /> : <Input lang={lang} />}
      {description ? <Text slot="description">{description}</Text> : null}
      <FieldError className="field-error">{error ? t(error) : null}</FieldError>
    </AriaTextField>
  );
}
