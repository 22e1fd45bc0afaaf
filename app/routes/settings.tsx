import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { INTERFACE_LANGUAGES } from "~/lib/languages";
import { CheckboxChoice, RadioChoice, Toggle } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { accessibilitySchema, LIMITS, parseForm, profileSchema } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { localeCookie, prefsCookie, resolveVoices, voiceChoicesFromForm, voicesCookie } from "~/services/preferences.server";
import { context, resolvePrefs } from "~/services/request.server";
import { attemptSave, notSavedValues } from "~/services/save-failure.server";
import { requireUser } from "~/services/session.server";
import { updateAccessibility, updateProfile, updateVoices } from "~/services/users.server";
import { VoicePicker } from "~/components/VoicePicker";
import { ROLES, TEXT_SIZES } from "../../db/enums";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { AccountSection } from "~/components/AccountSection";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await context(request);
  return {
    profile: user ? { displayName: user.displayName, locale: user.locale, roles: user.roles, email: user.email } : null,
    prefs: resolvePrefs(request, user),
    voices: resolveVoices(request, user),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await context(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "profile") {
    const me = await requireUser(db, request);
    const parsed = parseForm(profileSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const saved = await attemptSave(() => updateProfile(db, me.id, parsed.data));
    if (!saved.ok) return data({ intent, ...notSavedValues(form) }, { status: 503 });
    return redirect("/settings?saved=profile", { headers: { "Set-Cookie": localeCookie(request, parsed.data.locale) } });
  }
  if (intent === "voices") {
    // The reading voice per language (issue 14): names the browser gave; unknown languages are dropped.
    const voices = voiceChoicesFromForm(form);
    if (!user) return redirect("/settings?saved=voices", { headers: { "Set-Cookie": voicesCookie(request, voices) } });
    const saved = await attemptSave(() => updateVoices(db, user.id, voices));
    if (!saved.ok) return data({ intent: "voices" as const, errors: { form: "common:errors.notSaved" }, values: {} }, { status: 503 });
    return redirect("/settings?saved=voices");
  }
  const parsed = parseForm(accessibilitySchema, form);
  if (!parsed.ok) return data({ intent: "a11y", errors: parsed.errors, values: parsed.values }, { status: 400 });
  const prefs = { ...parsed.data, textSize: parsed.data.textSize as 100 | 150 | 200 };
  if (user) {
    const saved = await attemptSave(() => updateAccessibility(db, user.id, prefs));
    if (!saved.ok) return data({ intent: "a11y", ...notSavedValues(form) }, { status: 503 });
    return redirect("/settings?saved=a11y");
  }
  return redirect("/settings?saved=a11y", { headers: { "Set-Cookie": prefsCookie(request, prefs) } });
}

export default function Settings() {
  const { profile, prefs, voices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const pErr = actionData?.intent === "profile" ? actionData.errors : undefined;
  const pVal = (actionData?.intent === "profile" ? actionData.values : {}) as Record<string, string | string[]>;
  const aErr = actionData?.intent === "a11y" ? actionData.errors : undefined;
  const pct = new Intl.NumberFormat(i18n.language, { style: "percent" });
  return (
    <>
      <h1>{t("settings.heading")}</h1>
      {saved ? (
        <p role="status" className="notice">
          {t("settings.saved")}
        </p>
      ) : null}
      {profile ? (
        <section aria-labelledby="profile-h">
          <h2 id="profile-h">{t("settings.profileHeading")}</h2>
          <Form method="post" className="stack narrow" noValidate>
            <FormAlert errors={pErr} />
            <input type="hidden" name="intent" value="profile" />
            <p className="meta">
              {t("fields.email")}: {profile.email}
            </p>
            <TextField
              name="displayName"
              label={t("fields.displayName")}
              isRequired
              defaultValue={(pVal.displayName as string) ?? profile.displayName}
              error={pErr?.displayName}
              limit={LIMITS.displayName}
            />
            <RadioChoice
              name="locale"
              label={t("fields.locale")}
              defaultValue={(pVal.locale as string) ?? profile.locale}
              options={[...INTERFACE_LANGUAGES]}
              error={pErr?.locale}
            />
            <CheckboxChoice
              name="roles"
              label={t("fields.roles")}
              defaultValue={(pVal.roles as string[]) ?? profile.roles}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              error={pErr?.roles}
            />
            <SubmitButton busy={busy} className="button primary">
              {t("settings.saveProfile")}
            </SubmitButton>
          </Form>
        </section>
      ) : null}
      {profile ? <AccountSection changed={params.get("account") === "password"} /> : null}
      <section aria-labelledby="a11y-h">
        <h2 id="a11y-h">{t("settings.a11yHeading")}</h2>
        {!profile ? <p>{t("settings.a11yVisitor")}</p> : null}
        <Form method="post" className="stack narrow" noValidate>
          <FormAlert errors={aErr} />
          <input type="hidden" name="intent" value="a11y" />
          <RadioChoice
            name="textSize"
            label={t("fields.textSize")}
            defaultValue={String(prefs.textSize)}
            options={TEXT_SIZES.map((s) => ({ value: String(s), label: pct.format(s / 100) }))}
            error={aErr?.textSize}
          />
          <Toggle name="highContrast" label={t("fields.highContrast")} defaultSelected={prefs.highContrast} />
          <Toggle name="reducedMotion" label={t("fields.reducedMotion")} defaultSelected={prefs.reducedMotion} />
          <RadioChoice
            name="speechRate"
            label={t("fields.speechRate")}
            defaultValue={String(prefs.speechRate)}
            options={[0.6, 0.75, 0.9, 1, 1.2].map((r) => ({ value: String(r), label: t(`speechRates.${String(r).replace(".", "_")}`) }))}
            error={aErr?.speechRate}
          />
          <SubmitButton busy={busy} className="button primary">
            {t("settings.saveA11y")}
          </SubmitButton>
        </Form>
      </section>
      {actionData?.intent === "voices" ? <FormAlert errors={actionData.errors} /> : null}
      <VoicePicker chosen={voices} busy={busy} />
    </>
  );
}
