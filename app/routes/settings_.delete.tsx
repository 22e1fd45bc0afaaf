import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/ui/FormAlert";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { TextField } from "~/components/ui/TextField";
import { deleteAccountSchema } from "~/lib/account-forms";
import { parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { deleteAccount, deletionSummary } from "~/services/accounts.server";
import { reindex } from "~/services/indexing.server";
import { signedIn } from "~/services/request.server";
import { clearSessionCookie } from "~/services/session.server";
import { unlessBusy } from "~/services/password.server";
import { attemptSave, NOT_SAVED } from "~/services/save-failure.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:delete.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  return { summary: await deletionSummary(db, user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const parsed = parseForm(deleteAccountSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const attempt = await attemptSave(() => unlessBusy(() => deleteAccount(db, user, parsed.data.password)));
  if (!attempt.ok) return data({ errors: { form: NOT_SAVED } as Record<string, string> }, { status: 503 });
  if (attempt.value === "busy") return data({ errors: { form: "http:busy.form" } as Record<string, string> }, { status: 503 });
  const result = attempt.value;
  if (!result.ok) return data({ errors: result.errors as Record<string, string> }, { status: 400 });
  // Search drops the deleted boards and re-reads the others that lost cards (best effort: reindex logs a failure, never shows it).
  await reindex(db, { boardIds: result.boardIds });
  return redirect("/account-deleted", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export default function DeleteAccount() {
  const { summary } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const busy = useNavigation().state === "submitting";
  const e = actionData?.errors;
  return (
    <>
      <h1>{t("delete.heading")}</h1>
      <p className="lead">{t("delete.intro")}</p>
      <ul>
        <li>{t("delete.boards", { count: summary.boards })}</li>
        <li>{t("delete.cards", { count: summary.cards })}</li>
        <li>{summary.savedByOthers ? t("delete.savedByOthers", { count: summary.savedByOthers }) : t("delete.savedByNobody")}</li>
        <li>{t("delete.rest")}</li>
      </ul>
      <p>
        {t("delete.exportFirst")}{" "}
        <a href="/settings/export.zip" download className="target-link">
          {t("section.export")}
        </a>
      </p>
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} ns="accounts" />
        <TextField
          name="password"
          type="password"
          label={t("delete.password")}
          description={t("delete.passwordHint")}
          isRequired
          error={e?.password}
          autoComplete="current-password"
        />
        <SubmitButton busy={busy} className="button danger">
          {t("delete.submit")}
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
