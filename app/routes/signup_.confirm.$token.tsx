import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { titleFor } from "~/lib/meta";
import { deviceCookie } from "~/services/device-cookie.server";
import { localeCookie } from "~/services/preferences.server";
import { context } from "~/services/request.server";
import { createSession } from "~/services/session.server";
import { confirmSignUp, pendingSignUp } from "~/services/signup.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:signup.confirmTitle");

// The token is in the path: the page must not hand it to other sites in a Referer.
export const headers = () => ({ "Referrer-Policy": "no-referrer" });

/** Opening the link only reads (mail scanners open links too); the button makes the account. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await context(request);
  return { pending: await pendingSignUp(db, params.token) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db } = await context(request);
  const result = await confirmSignUp(db, params.token);
  if (!result.ok) return data({ error: result.error }, { status: 400 });
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(db, request, result.user.id));
  // Confirming signs this browser in: it counts as a device the account has used (device-cookie.server.ts).
  headers.append("Set-Cookie", deviceCookie(request, result.user.email));
  headers.append("Set-Cookie", localeCookie(request, result.user.locale));
  return redirect(result.redirectTo, { headers });
}

export default function ConfirmSignUp() {
  const { pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const busy = useNavigation().state === "submitting";
  if (!pending || actionData?.error) {
    return (
      <>
        <h1>{t("signup.confirmHeading")}</h1>
        <p role="alert">{t("signup.invalid")}</p>
        <p>
          <Link to="/login">{t("common:nav.signIn")}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("signup.confirmHeading")}</h1>
      <p className="lead">{t("signup.confirmIntro", { name: pending.displayName, email: pending.email })}</p>
      <Form method="post">
        <SubmitButton busy={busy} className="button primary">
          {t("signup.confirmSubmit")}
        </SubmitButton>
      </Form>
    </>
  );
}
