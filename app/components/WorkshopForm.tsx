import { Form } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { errorText } from "~/lib/error-message";
import { COMMON_TIME_ZONES, DEFAULT_TIME_ZONE, WORKSHOP_LIMITS } from "~/lib/workshop-forms";
import { SubmitButton } from "~/components/ui/SubmitButton";

type Values = Record<string, string | undefined>;

/** The shared error summary, with this feature's field names. */
export function WorkshopFormAlert(props: { errors?: Record<string, string>; formError?: string }) {
  return <FormAlert {...props} ns="workshops" />;
}

/** A labelled native field (time, date, number, url, select) with its hint and error linked to it. */
export function PlainField(props: {
  name: string;
  label: string;
  error?: string;
  description?: string;
  required?: boolean;
  children: (aria: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string; required?: boolean }) => ReactNode;
}) {
  const { t } = useTranslation("workshops");
  const id = `field-${props.name}`;
  const described = [props.description ? `${id}-desc` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span className="required"> ({t("form.required")})</span> : null}
      </label>
      {props.children({
        id,
        name: props.name,
        "aria-invalid": props.error ? true : undefined,
        "aria-describedby": described || undefined,
        required: props.required,
      })}
      {props.description ? (
        <p id={`${id}-desc`} className="hint field-hint">
          {props.description}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className="field-error">
          {errorText(t, props.error)}
        </p>
      ) : null}
    </div>
  );
}

function zoneLabel(zone: string) {
  return zone.replace(/_/g, " ");
}

/** Create and edit form of a workshop: the same fields and validation both ways. */
export function WorkshopForm({
  values,
  errors,
  submitLabel,
  busy,
  isNew,
}: {
  values: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  busy: boolean;
  isNew: boolean;
}) {
  const { t, i18n } = useTranslation("workshops");
  const zoneRef = useRef<HTMLSelectElement>(null);
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  const chosenZone = values.timeZone || DEFAULT_TIME_ZONE;
  // A new workshop starts in the browser's zone (Europe/Madrid on the server's first render).
  useEffect(() => {
    if (!isNew || values.timeZone) return;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== chosenZone) setBrowserZone(zone);
  }, []);
  useEffect(() => {
    if (browserZone && zoneRef.current) zoneRef.current.value = browserZone;
  }, [browserZone]);
  const zones: string[] = [...COMMON_TIME_ZONES];
  for (const z of [chosenZone, browserZone]) if (z && !zones.includes(z)) zones.unshift(z);
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
    value: String(d),
    // 2024-01-01 was a Monday.
    label: new Intl.DateTimeFormat(i18n.language, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, d))),
  }));
  return (
    <Form method="post" className="stack narrow" noValidate>
      <WorkshopFormAlert errors={errors} />
      <input type="hidden" name="intent" value="save" />
      <TextField
        name="title"
        label={t("fields.title")}
        isRequired
        defaultValue={values.title}
        error={errors?.title}
        limit={WORKSHOP_LIMITS.title}
      />
      <TextField
        name="description"
        label={t("fields.description")}
        multiline
        defaultValue={values.description}
        error={errors?.description}
        limit={WORKSHOP_LIMITS.description}
      />
      <RadioChoice name="lang" label={t("fields.lang")} defaultValue={values.lang} options={LANGUAGE_OPTIONS} error={errors?.lang} />
      <fieldset className="form-group">
        <legend>{t("form.when")}</legend>
        <PlainField name="weekday" label={t("fields.weekday")} error={errors?.weekday} required>
          {(a) => (
            <select {...a} defaultValue={values.weekday ?? "3"}>
              {weekdays.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          )}
        </PlainField>
        <PlainField name="startTime" label={t("fields.startTime")} error={errors?.startTime} description={t("form.startTimeHint")} required>
          {(a) => <input {...a} type="time" defaultValue={values.startTime ?? "10:00"} />}
        </PlainField>
        <PlainField name="durationMinutes" label={t("fields.durationMinutes")} error={errors?.durationMinutes} required>
          {(a) => (
            <input {...a} type="number" inputMode="numeric" min={15} max={480} step={5} defaultValue={values.durationMinutes ?? "60"} />
          )}
        </PlainField>
        <PlainField name="timeZone" label={t("fields.timeZone")} error={errors?.timeZone} required>
          {(a) => (
            <select {...a} ref={zoneRef} defaultValue={chosenZone}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {zoneLabel(z)}
                </option>
              ))}
            </select>
          )}
        </PlainField>
        <PlainField name="startsOn" label={t("fields.startsOn")} error={errors?.startsOn} description={t("form.startsOnHint")} required>
          {(a) => <input {...a} type="date" defaultValue={values.startsOn} />}
        </PlainField>
        <PlainField name="endsOn" label={t("fields.endsOn")} error={errors?.endsOn} description={t("form.endsOnHint")}>
          {(a) => <input {...a} type="date" defaultValue={values.endsOn} />}
        </PlainField>
      </fieldset>
      <fieldset className="form-group">
        <legend>{t("form.where")}</legend>
        <TextField name="place" label={t("fields.place")} defaultValue={values.place} error={errors?.place} limit={WORKSHOP_LIMITS.place} />
        <PlainField name="videoUrl" label={t("fields.videoUrl")} error={errors?.videoUrl} description={t("form.videoUrlHint")}>
          {(a) => <input {...a} type="url" inputMode="url" defaultValue={values.videoUrl} />}
        </PlainField>
      </fieldset>
      <PlainField name="capacity" label={t("fields.capacity")} error={errors?.capacity} description={t("form.capacityHint")} required>
        {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={100} defaultValue={values.capacity ?? "8"} />}
      </PlainField>
      <SubmitButton busy={busy} className="button primary">
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
