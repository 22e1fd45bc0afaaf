import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { CheckboxChoice, RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { parseForm, profileSchema, signUpSchema } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { localeCookie } from "~/services/preferences.server";
import { clientKey, context } from "~/services/request.server";
import { createSession, safeRedirect } from "~/services/session.server";
import { signUp } from "~/services/users.server";
import { ROLES } from "../../db/enums";
import { SubmitButton } from "~/components/ui/SubmitButton";

export const meta: MetaFunction = (args) => titleFor(args, "signup.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, locale } = context(request);
  if (user) throw redirect("/");
  return { locale };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db } = context(request);
  const form = await request.formData();
  const parsed = parseForm(signUpSchema.merge(profileSchema.pick({ roles: true })), form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await signUp(db, parsed.data, { ip: clientKey(request) });
  if (!result.ok) {
    const { password: _pw, ...values } = Object.fromEntries(form.entries()) as Record<string, string>;
    const status = "form" in result.errors ? (result.errors.form === "http:busy.form" ? 503 : 429) : 400;
    return data({ errors: result.errors as Record<string, string>, values: { ...values, roles: form.getAll("roles").map(String) } }, { status });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", createSession(db, request, result.user.id));
  headers.append("Set-Cookie", localeCookie(request, result.user.locale));
  // Back to where sign-up was asked for (an invitation, a board to practise), never off-site.
  return redirect(safeRedirect(form.get("redirectTo")), { headers });
}

export default function SignUp() {
  const { locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const redirectTo = useSearchParams()[0].get("redirectTo") ?? "/";
  const v = (actionData?.values ?? {}) as Record<string, string | string[]>;
  const e = actionData?.errors;
  return (
    <>
      <h1>{t("signup.heading")}</h1>
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField name="displayName" label={t("fields.displayName")} isRequired defaultValue={v.displayName as string} error={e?.displayName} autoComplete="name" />
        <TextField name="email" type="email" label={t("fields.email")} isRequired defaultValue={v.email as string} error={e?.email} autoComplete="email" />
        <TextField name="password" type="password" label={t("fields.password")} isRequired description={t("signup.passwordHint")} error={e?.password} autoComplete="new-password" />
        <RadioChoice
          name="locale"
          label={t("fields.locale")}
          defaultValue={(v.locale as string) ?? locale}
          options={LANGUAGE_OPTIONS}
          error={e?.locale}
        />
        <CheckboxChoice
          name="roles"
          label={t("fields.roles")}
          defaultValue={(v.roles as string[]) ?? []}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          error={e?.roles}
        />
        <SubmitButton busy={busy} className="button primary">
          {t("signup.submit")}
        </SubmitButton>
        <p>
          {t("signup.haveAccount")} <Link to={redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`}>{t("nav.signIn")}</Link>
        </p>
      </Form>
    </>
  );
}
