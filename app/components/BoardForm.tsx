import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { LIMITS } from "~/lib/forms";
import { RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { SubmitButton } from "~/components/ui/SubmitButton";

type Values = { title?: string; description?: string; lang?: string; visibility?: string };

/** The board form, for creating and for editing: the same fields, the same validation. */
export function BoardForm({
  values,
  errors,
  submitLabel,
  busy,
}: {
  values: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="stack narrow" noValidate>
      <FormAlert errors={errors} />
      <input type="hidden" name="intent" value="save" />
      <TextField
        name="title"
        label={t("fields.title")}
        isRequired
        defaultValue={values.title}
        error={errors?.title}
        limit={LIMITS.boardTitle}
      />
      <TextField
        name="description"
        label={t("fields.description")}
        multiline
        defaultValue={values.description}
        error={errors?.description}
        limit={LIMITS.boardDescription}
      />
      <RadioChoice name="lang" label={t("fields.lang")} defaultValue={values.lang} options={LANGUAGE_OPTIONS} error={errors?.lang} />
      <RadioChoice
        name="visibility"
        label={t("fields.visibility")}
        defaultValue={values.visibility ?? "public"}
        options={["public", "unlisted", "private"].map((v) => ({
          value: v,
          label: `${t(`visibility.${v}`)} — ${t(`visibility.${v}Hint`)}`,
        }))}
        error={errors?.visibility}
      />
      <SubmitButton busy={busy} className="button primary">
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
