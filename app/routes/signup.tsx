import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { INTERFACE_LANGUAGES } from "~/lib/languages";
import { CheckboxChoice, RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { parseForm, profileSchema, signUpSchema } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { publicOrigin } from "~/services/mailer.server";
import { clientKey, context } from "~/services/request.server";
import { attemptSave, notSavedValues } from "~/services/save-failure.server";
import { PasswordBusyError } from "~/services/password.server";
import { requestSignUp } from "~/services/signup.server";
import { ROLES } from "../../db/enums";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "signup.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, locale } = await context(request);
  if (user) throw redirect("/");
  return { locale };
}

/**
 * Never says whether the email has an account (docs/decisions/0016-accounts.md): a new email gets a
 * link that makes the account, a taken one a note to its owner, and both the same "check your email".
 */
export async function action({ request }: ActionFunctionArgs) {
  const { db } = await context(request);
  const form = await readForm(request);
  const parsed = parseForm(signUpSchema.merge(profileSchema.pick({ roles: true })), form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, sentTo: null }, { status: 400 });
  const attempt = await attemptSave(() =>
    requestSignUp(db, {
      ...parsed.data,
      redirectTo: String(form.get("redirectTo") ?? "/"),
      origin: publicOrigin(request),
      client: clientKey(request),
    }).catch((e: unknown) => {
      // Password hashing has a bounded queue (password.server.ts): when it is full, say "busy", keep the form.
      if (e instanceof PasswordBusyError) return "busy" as const;
      throw e;
    }),
  );
  if (!attempt.ok) return data({ ...notSavedValues(form), sentTo: null }, { status: 503 });
  const result = attempt.value;
  if (result === "busy") {
    const { password: _pw, ...values } = Object.fromEntries(form.entries()) as Record<string, string>;
    return data(
      {
        errors: { form: "http:busy.form" } as Record<string, string>,
        values: { ...values, roles: form.getAll("roles").map(String) },
        sentTo: null,
      },
      { status: 503 },
    );
  }
  if (result === "limited") {
    const { password: _pw, ...values } = Object.fromEntries(form.entries()) as Record<string, string>;
    return data(
      {
        errors: { email: "accounts:errors.tooMany" } as Record<string, string>,
        values: { ...values, roles: form.getAll("roles").map(String) },
        sentTo: null,
      },
      { status: 429 },
    );
  }
  return { errors: undefined, values: undefined, sentTo: parsed.data.email };
}

export default function SignUp() {
  const { locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const redirectTo = useSearchParams()[0].get("redirectTo") ?? "/";
  const v = (actionData?.values ?? {}) as Record<string, string | string[]>;
  const e = actionData?.errors;
  if (actionData?.sentTo) {
    return (
      <>
        <h1>{t("accounts:signup.sentHeading")}</h1>
        <p role="status" className="notice">
          {t("accounts:signup.sent", { email: actionData.sentTo })}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("signup.heading")}</h1>
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} order={["form", "displayName", "email", "password", "locale", "roles"]} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          name="displayName"
          label={t("fields.displayName")}
          isRequired
          defaultValue={v.displayName as string}
          error={e?.displayName}
          autoComplete="name"
        />
        <TextField
          name="email"
          type="email"
          label={t("fields.email")}
          isRequired
          defaultValue={v.email as string}
          error={e?.email}
          autoComplete="email"
        />
        <TextField
          name="password"
          type="password"
          label={t("fields.password")}
          isRequired
          description={t("signup.passwordHint")}
          error={e?.password}
          autoComplete="new-password"
        />
        <RadioChoice
          name="locale"
          label={t("fields.locale")}
          defaultValue={(v.locale as string) ?? locale}
          options={[...INTERFACE_LANGUAGES]}
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
          {t("signup.haveAccount")}{" "}
          <Link to={redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`}>{t("nav.signIn")}</Link>
        </p>
      </Form>
    </>
  );
}
