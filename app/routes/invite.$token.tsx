import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";
import { context, signedIn } from "~/services/request.server";
import { inviteView, joinWithInvite } from "~/services/workshops.server";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { savingOrThrow } from "~/services/save-failure.server";
import { contentDir } from "~/i18n";

export const meta: MetaFunction = (args) => titleFor(args, "workshops:join.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const view = await inviteView(db, String(params.token ?? ""), user);
  const here = new URL(request.url).pathname;
  const status = view.ok || view.problem === "member" || view.problem === "own" ? 200 : view.problem === "invalid" ? 404 : 410;
  return data(
    {
      view,
      signedIn: !!user,
      loginUrl: `/login?redirectTo=${encodeURIComponent(here)}`,
      signupUrl: `/signup?redirectTo=${encodeURIComponent(here)}`,
    },
    { status },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const r = await savingOrThrow(() => joinWithInvite(db, String(params.token ?? ""), user));
  if (r.ok) return redirect(`/workshops/${r.workshopId}`);
  return data({ problem: r.problem }, { status: r.problem === "invalid" ? 404 : 409 });
}

export default function Invite() {
  const { view, signedIn, loginUrl, signupUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("workshops");
  const busy = useNavigation().state === "submitting";
  const problem = actionData?.problem ?? (view.ok ? null : view.problem);
  return (
    <>
      <h1>{t("join.heading")}</h1>
      {problem ? (
        <div className="form-alert" role="alert">
          <p>{t(`join.problem.${problem}`)}</p>
        </div>
      ) : null}
      {!view.ok && view.workshopId ? (
        <p className="standalone-link">
          <Link className="button primary" to={`/workshops/${view.workshopId}`}>
            {t("join.open")}
          </Link>
        </p>
      ) : null}
      {view.ok && !actionData ? (
        <div className="stack narrow">
          <p className="lead">{t("join.invited", { name: view.therapistName })}</p>
          <p className="join-title" lang={view.lang} dir={contentDir(view.lang)}>
            {view.title}
          </p>
          <p>{t("join.as", { role: t(`roles.${view.role}`) })}</p>
          {signedIn ? (
            <Form method="post">
              <SubmitButton busy={busy} className="button primary">
                {t("join.join")}
              </SubmitButton>
            </Form>
          ) : (
            <>
              <p>{t("join.signInFirst")}</p>
              <p>
                <Link className="button primary" to={loginUrl}>
                  {t("join.signIn")}
                </Link>{" "}
                <Link className="button" to={signupUrl}>
                  {t("join.signUp")}
                </Link>
              </p>
            </>
          )}
        </div>
      ) : null}
      {problem && !(!view.ok && view.workshopId) ? (
        <p className="standalone-link">
          <Link to="/workshops">{t("join.toWorkshops")}</Link>
        </p>
      ) : null}
    </>
  );
}
