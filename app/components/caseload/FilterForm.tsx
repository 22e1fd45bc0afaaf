import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PRACTICE_MODES } from "../../../db/enums";
import { FormAlert } from "~/components/ui/FormAlert";
import { errorText } from "~/lib/error-message";

export type FilterValues = Record<"from" | "to" | "mode" | "by", string>;

/**
 * Date range and mode for the caseload and a learner's report: a plain GET form, so the choice is in
 * the address (shareable, works without JavaScript) and the downloads carry the same range. A bad date
 * comes back with a translated message next to the field, and what was typed stays in it.
 */
export function FilterForm({ values, errors, action }: { values: FilterValues; errors: Record<string, string> | null; action: string }) {
  const { t } = useTranslation("caseload");
  const field = (name: "from" | "to") => {
    const id = `field-${name}`;
    const error = errors?.[name];
    return (
      <div className="field">
        <label htmlFor={id}>{t(`filters.${name}`)}</label>
        <input
          id={id}
          name={name}
          type="date"
          defaultValue={values[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {errorText(t, error)}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <Form method="get" action={action} className="caseload-filters" aria-labelledby="filters-h">
      <h2 id="filters-h">{t("filters.heading")}</h2>
      <FormAlert
        errors={errors ?? undefined}
        ns="caseload"
        labels={{ from: "filters.from", to: "filters.to", mode: "filters.mode" }}
        order={["from", "to", "mode"]}
      />
      <div className="caseload-filter-fields">
        {field("from")}
        {field("to")}
        <div className="field">
          <label htmlFor="field-mode">{t("filters.mode")}</label>
          <select
            id="field-mode"
            name="mode"
            defaultValue={PRACTICE_MODES.includes(values.mode as never) ? values.mode : ""}
            aria-invalid={errors?.mode ? true : undefined}
            aria-describedby={errors?.mode ? "field-mode-error" : undefined}
          >
            <option value="">{t("modes.all")}</option>
            {PRACTICE_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`modes.${m}`)}
              </option>
            ))}
          </select>
          {errors?.mode ? (
            <p id="field-mode-error" className="field-error">
              {errorText(t, errors.mode)}
            </p>
          ) : null}
        </div>
        <fieldset className="field">
          <legend>{t("filters.by")}</legend>
          {(["week", "day"] as const).map((b) => (
            <label key={b} className="caseload-radio">
              <input type="radio" name="by" value={b} defaultChecked={(values.by || "week") === b} /> {t(`filters.${b}`)}
            </label>
          ))}
        </fieldset>
      </div>
      <p className="actions">
        <button type="submit" className="button primary">
          {t("filters.apply")}
        </button>
        <Link className="button" to={action}>
          {t("filters.clear")}
        </Link>
      </p>
    </Form>
  );
}
