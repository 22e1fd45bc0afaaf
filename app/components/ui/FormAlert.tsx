import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Namespace } from "~/i18n";
import { errorText } from "~/lib/error-message";

/**
 * Summary of a form's errors: announced (role=alert), each linked to its field; focus moves to the
 * first invalid field so a keyboard or screen-reader user lands where the fix is needed. A field is
 * named by `fields.<name>` unless `labels` gives the key its form shows (the summary must use the
 * label the person sees); `order` lists the fields as the form does, so the summary reads the same way.
 */
export function FormAlert({
  errors,
  formError,
  ns = "common",
  labels = {},
  order = [],
}: {
  errors?: Record<string, string>;
  formError?: string;
  ns?: Namespace;
  labels?: Record<string, string>;
  order?: readonly string[];
}) {
  // A feature's form names its fields and errors in its own namespace; the shared wording is in common.
  const { t } = useTranslation(ns === "common" ? "common" : [ns, "common"]);
  const ref = useRef<HTMLDivElement>(null);
  const place = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const entries = Object.entries(errors ?? {})
    .filter(([k]) => k !== "form")
    .sort(([a], [b]) => place(a) - place(b));
  const message = formError ?? errors?.form;
  useEffect(() => {
    if (!entries.length && !message) return;
    const form = ref.current?.closest("form") ?? document;
    const first = form.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid] input');
    (first ?? ref.current)?.focus();
  }, [errors, formError]);
  if (!entries.length && !message) return null;
  return (
    <div ref={ref} role="alert" className="form-alert" tabIndex={-1}>
      {message ? <p>{errorText(t, message)}</p> : <p>{t("common:form.fixErrors", { count: entries.length })}</p>}
      {entries.length ? (
        <ul>
          {entries.map(([field, key]) => (
            <li key={field}>
              <a href={`#field-${field}`}>
                {t(labels[field] ?? `fields.${field}`)}: {errorText(t, key)}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
