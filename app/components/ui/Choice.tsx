import { Checkbox, CheckboxGroup, FieldError, Label, Radio, RadioGroup, Text } from "react-aria-components";
import { useTranslation } from "react-i18next";
import { errorText } from "~/lib/error-message";
import { contentDir } from "~/i18n";

type Option = { value: string; label: string; lang?: string };
type Options = readonly Option[];

/** A labelled group of radio buttons (one choice), with its server error linked to the group. */
export function RadioChoice(props: {
  name: string;
  label: string;
  options: Options;
  defaultValue?: string;
  error?: string;
  description?: string;
}) {
  const { t } = useTranslation();
  return (
    <RadioGroup
      name={props.name}
      id={`field-${props.name}`}
      className="field choice"
      defaultValue={props.defaultValue}
      isInvalid={!!props.error}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <div className="choice-options">
        {props.options.map((o) => (
          <Radio key={o.value} value={o.value} className="choice-option">
            <span className="choice-mark" aria-hidden="true" />
            <span lang={o.lang} dir={contentDir(o.lang)}>
              {o.label}
            </span>
          </Radio>
        ))}
      </div>
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError className="field-error">{props.error ? errorText(t, props.error) : null}</FieldError>
    </RadioGroup>
  );
}

/** A labelled group of checkboxes (several choices). */
export function CheckboxChoice(props: { name: string; label: string; options: Option[]; defaultValue?: string[]; error?: string }) {
  const { t } = useTranslation();
  return (
    <CheckboxGroup
      name={props.name}
      id={`field-${props.name}`}
      className="field choice"
      defaultValue={props.defaultValue}
      isInvalid={!!props.error}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <div className="choice-options">
        {props.options.map((o) => (
          <Checkbox key={o.value} value={o.value} className="choice-option">
            <span className="choice-mark checkbox" aria-hidden="true" />
            <span>{o.label}</span>
          </Checkbox>
        ))}
      </div>
      <FieldError className="field-error">{props.error ? errorText(t, props.error) : null}</FieldError>
    </CheckboxGroup>
  );
}

/** A single on/off setting. */
export function Toggle(props: { name: string; label: string; defaultSelected?: boolean }) {
  return (
    <Checkbox name={props.name} value="on" defaultSelected={props.defaultSelected} className="choice-option toggle">
      <span className="choice-mark checkbox" aria-hidden="true" />
      <span>{props.label}</span>
    </Checkbox>
  );
}
