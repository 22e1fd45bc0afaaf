import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/ui/FormAlert";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { TextField } from "~/components/ui/TextField";
import { changePasswordSchema } from "~/lib/account-forms";
import { parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { changePassword } from "~/services/accounts.server";
import { signedIn } from "~/services/request.server";
import { unlessBusy } from "~/services/password.server";
import { attemptSave, NOT_SAVED } from "~/services/save-failure.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:password.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await signedIn(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const parsed = parseForm(changePasswordSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const attempt = await attemptSave(() =>
    unlessBusy(() => changePassword(db, request, user, parsed.data.currentPassword, parsed.data.newPassword)),
  );
  if (!attempt.ok) return data({ errors: { form: NOT_SAVED } as Record<string, string> }, { status: 503 });
  if (attempt.value === "busy") return data({ errors: { form: "http:busy.form" } as Record<string, string> }, { status: 503 });
  const result = attempt.value;
  if (!result.ok) return data({ errors: result.errors as Record<string, string> }, { status: 400 });
  return redirect("/settings?account=password#account-h");
}

const FIELDS = ["currentPassword", "newPassword"] as const;

export default function ChangePassword() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const busy = useNavigation().state === "submitting";
  const e = actionData?.errors;
  return (
    <>
      <h1>{t("password.heading")}</h1>
      <p className="lead">{t("password.intro")}</p>
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} ns="accounts" order={FIELDS} />
        <TextField
          name="currentPassword"
          type="password"
          label={t("password.current")}
          isRequired
          error={e?.currentPassword}
          autoComplete="current-password"
        />
        <TextField
          name="newPassword"
          type="password"
          label={t("password.new")}
          isRequired
          description={t("password.newHint")}
          error={e?.newPassword}
          autoComplete="new-password"
        />
        <SubmitButton busy={busy} className="button primary">
          {t("password.submit")}
        </SubmitButton>
      </Form>
      <p>
        <Link to="/settings" className="target-link">
          {t("common:settings.heading")}
        </Link>
      </p>
    </>
  );
}
