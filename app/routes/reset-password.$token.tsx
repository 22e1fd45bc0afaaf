import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/ui/FormAlert";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { TextField } from "~/components/ui/TextField";
import { resetPasswordSchema } from "~/lib/account-forms";
import { parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { resetPassword, resetTokenValid } from "~/services/password-reset.server";
import { context } from "~/services/request.server";
import { clearSessionCookie } from "~/services/session.server";
import { unlessBusy } from "~/services/password.server";
import { attemptSave, NOT_SAVED } from "~/services/save-failure.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:reset.title");

// The token is in the path: the page must not hand it to other sites in a Referer.
export const headers = () => ({ "Referrer-Policy": "no-referrer" });

/** Opening the link only reads (mail scanners open links too): the token is used by the POST. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await context(request);
  // A used, expired or made-up link is gone: the page says so, and the status too (410).
  const valid = await resetTokenValid(db, params.token);
  return data({ valid }, { status: valid ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db } = await context(request);
  const parsed = parseForm(resetPasswordSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const attempt = await attemptSave(() => unlessBusy(() => resetPassword(db, params.token, parsed.data.newPassword)));
  if (!attempt.ok) return data({ errors: { form: NOT_SAVED } as Record<string, string> }, { status: 503 });
  if (attempt.value === "busy") return data({ errors: { form: "http:busy.form" } as Record<string, string> }, { status: 503 });
  const result = attempt.value;
  if (!result.ok) return data({ errors: { form: result.error } as Record<string, string> }, { status: 400 });
  // Every session ended, this browser's too (it may be signed in as someone else).
  return redirect("/login?notice=passwordReset", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const busy = useNavigation().state === "submitting";
  const e = actionData?.errors;
  if (!valid) {
    return (
      <>
        <h1>{t("reset.heading")}</h1>
        <p role="alert">{t("reset.invalid")}</p>
        <p>
          <Link to="/forgot-password">{t("reset.again")}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("reset.heading")}</h1>
      <p className="lead">{t("reset.intro")}</p>
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} ns="accounts" />
        <TextField
          name="newPassword"
          type="password"
          label={t("password.new")}
          description={t("password.newHint")}
          isRequired
          error={e?.newPassword}
          autoComplete="new-password"
        />
        <SubmitButton busy={busy} className="button primary">
          {t("reset.submit")}
        </SubmitButton>
      </Form>
    </>
  );
}
