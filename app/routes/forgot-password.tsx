import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/ui/FormAlert";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { TextField } from "~/components/ui/TextField";
import { forgotPasswordSchema } from "~/lib/account-forms";
import { parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { publicOrigin } from "~/services/mailer.server";
import { RESET_TTL_MS, requestPasswordReset } from "~/services/password-reset.server";
import { clientKey, context } from "~/services/request.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:forgot.title");

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await context(request)).user) throw redirect("/settings");
  return null;
}

/** The same answer for every email, known or not (only the rate limit, counted alike, differs). */
export async function action({ request }: ActionFunctionArgs) {
  const { db, locale } = await context(request);
  const parsed = parseForm(forgotPasswordSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, sent: false }, { status: 400 });
  const result = await requestPasswordReset(db, {
    email: parsed.data.email,
    locale,
    origin: publicOrigin(request),
    client: clientKey(request),
  });
  if (result === "limited")
    return data(
      { errors: { email: "accounts:errors.tooMany" } as Record<string, string>, values: { email: parsed.data.email }, sent: false },
      { status: 429 },
    );
  return { errors: undefined, values: { email: parsed.data.email }, sent: true, minutes: RESET_TTL_MS / 60_000 };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const busy = useNavigation().state === "submitting";
  const e = actionData?.errors;
  const v = (actionData?.values ?? {}) as Record<string, string>;
  return (
    <>
      <h1>{t("forgot.heading")}</h1>
      {actionData?.sent ? (
        <p role="status" className="notice">
          {t("forgot.sent", { minutes: "minutes" in actionData ? actionData.minutes : 60 })}
        </p>
      ) : (
        <p className="lead">{t("forgot.intro")}</p>
      )}
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} ns="accounts" />
        <TextField
          name="email"
          type="email"
          label={t("fields.email")}
          isRequired
          defaultValue={v.email}
          error={e?.email}
          autoComplete="email"
        />
        <SubmitButton busy={busy} className="button primary">
          {t("forgot.submit")}
        </SubmitButton>
      </Form>
      <p>
        <Link to="/login">{t("common:nav.signIn")}</Link>
      </p>
    </>
  );
}
