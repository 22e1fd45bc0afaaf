import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { parseForm, signInSchema } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { localeCookie } from "~/services/preferences.server";
import { deviceCookie, trustedDevice } from "~/services/device-cookie.server";
import { clientKey, context } from "~/services/request.server";
import { createSession, safeRedirect } from "~/services/session.server";
import { signIn } from "~/services/users.server";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await context(request);
  if (user) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db } = await context(request);
  const form = await readForm(request);
  const parsed = parseForm(signInSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: undefined, values: parsed.values }, { status: 400 });
  const { email, password } = parsed.data;
  const result = await signIn(db, email, password, { ip: clientKey(request), device: trustedDevice(request, email) });
  if (!result.ok) {
    const status = result.error === "http:signIn.tooMany" ? 429 : result.error === "http:busy.form" ? 503 : 400;
    const headers: HeadersInit = result.retryAfterS ? { "Retry-After": String(result.retryAfterS) } : {};
    return data({ errors: undefined, formError: result.error, values: { email } }, { status, headers });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(db, request, result.user.id));
  // This browser may skip the per-account limit for this account next time (device-cookie.server.ts).
  headers.append("Set-Cookie", deviceCookie(request, email));
  headers.append("Set-Cookie", localeCookie(request, result.user.locale));
  return redirect(safeRedirect(form.get("redirectTo")), { headers });
}

const NOTICES: Record<string, string> = { signedOutEverywhere: "accounts:signOut.done", passwordReset: "accounts:reset.done" };

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const e = actionData?.errors;
  const v = (actionData?.values ?? {}) as Record<string, string>;
  // After "sign out everywhere" or a password reset, say what happened (only known notices are shown).
  const notice = NOTICES[params.get("notice") ?? ""];
  return (
    <>
      <h1>{t("login.heading")}</h1>
      {notice && !actionData ? (
        <p role="status" className="notice">
          {t(notice)}
        </p>
      ) : null}
      <Form method="post" className="stack narrow" noValidate>
        <FormAlert errors={e} formError={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField
          name="email"
          type="email"
          label={t("fields.email")}
          isRequired
          defaultValue={v.email}
          error={e?.email}
          autoComplete="email"
        />
        <TextField
          name="password"
          type="password"
          label={t("fields.password")}
          isRequired
          error={e?.password}
          autoComplete="current-password"
        />
        <SubmitButton busy={busy} className="button primary">
          {t("login.submit")}
        </SubmitButton>
        <p>
          <Link to="/forgot-password">{t("accounts:forgot.link")}</Link>
        </p>
        <p>
          {t("login.noAccount")}{" "}
          <Link to={params.get("redirectTo") ? `/signup?redirectTo=${encodeURIComponent(params.get("redirectTo")!)}` : "/signup"}>
            {t("nav.signUp")}
          </Link>
        </p>
      </Form>
    </>
  );
}
