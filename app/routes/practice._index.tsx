import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { PracticeBoardList } from "~/components/PracticeBoardList";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { email, parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { boardsInProgress, grantAccess, grantsGiven, grantsReceived, revokeAccess } from "~/services/practice.server";
import { formId, signedIn } from "~/services/request.server";
import { attemptSave, notSaved, savingOrThrow } from "~/services/save-failure.server";
import { SubmitButton } from "~/components/ui/SubmitButton";

export const meta: MetaFunction = (args) => titleFor(args, "practice:overview.title");

const grantSchema = z.object({ email });

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = signedIn(request);
  const now = new Date();
  return {
    mine: boardsInProgress(db, user.id, user, now),
    // Learners who let me practise with them, and their boards.
    withOthers: grantsReceived(db, user.id).map((l) => ({ learner: l, boards: boardsInProgress(db, l.id, user, now) })),
    given: grantsGiven(db, user.id),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = signedIn(request);
  const form = await request.formData();
  if (form.get("intent") === "revoke") {
    const granteeId = formId(form, "granteeId");
    await savingOrThrow(() => revokeAccess(db, user, granteeId));
    return { done: "removed" as const, name: "" };
  }
  const parsed = parseForm(grantSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const attempt = await attemptSave(() => grantAccess(db, user, parsed.data.email));
  if (!attempt.ok) return notSaved(form);
  const result = attempt.value;
  if (!result.ok) return data({ errors: { email: result.error }, values: { email: parsed.data.email } }, { status: 400 });
  return { done: "given" as const, name: result.grantee.displayName };
}

export default function PracticeOverview() {
  const { mine, withOthers, given } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("practice");
  const busy = useNavigation().state === "submitting";
  const errors = actionData && "errors" in actionData ? actionData.errors : undefined;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  const done = actionData && "done" in actionData ? actionData : null;
  return (
    <>
      <div className="page-head">
        <h1>{t("overview.heading")}</h1>
        <p className="lead">{t("overview.intro")}</p>
      </div>

      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t("overview.myBoards")}</h2>
        {mine.length ? (
          <PracticeBoardList boards={mine} learnerId={null} />
        ) : (
          <p>
            {t("overview.noBoards")} <Link to="/search">{t("overview.findBoard")}</Link>
          </p>
        )}
        <p className="standalone-link">
          <Link className="button" to="/practice/progress">
            {t("overview.myProgress")}
          </Link>
        </p>
      </section>

      <section aria-labelledby="others-h">
        <h2 id="others-h">{t("overview.withOthers")}</h2>
        {withOthers.length === 0 ? <p>{t("overview.withOthersNone")}</p> : null}
        {withOthers.map(({ learner, boards }) => (
          <section key={learner.id} className="practice-with" aria-labelledby={`with-${learner.id}`}>
            <h3 id={`with-${learner.id}`}>{t("overview.practiseWith", { name: learner.displayName })}</h3>
            {boards.length ? <PracticeBoardList boards={boards} learnerId={learner.id} /> : <p>{t("overview.theirNoBoards", { name: learner.displayName })}</p>}
            <p className="standalone-link">
              <Link className="button" to={`/practice/progress?learner=${learner.id}`}>
                {t("overview.theirProgress", { name: learner.displayName })}
              </Link>
            </p>
          </section>
        ))}
      </section>

      <section aria-labelledby="grants-h" className="practice-grants">
        <h2 id="grants-h">{t("grants.heading")}</h2>
        <p>{t("grants.intro")}</p>
        <p role="status" className="announcement">
          {done ? (done.done === "given" ? t("grants.given", { name: done.name }) : t("grants.removed")) : ""}
        </p>
        {given.length ? (
          <ul className="grant-list">
            {given.map((g) => (
              <li key={g.id}>
                <span>
                  <strong>{g.displayName}</strong> <span className="meta">({g.email})</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="granteeId" value={g.id} />
                  <SubmitButton busy={busy} className="button small danger">
                    {t("grants.remove")}
                    <span className="visually-hidden">: {g.displayName}</span>
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("grants.none")}</p>
        )}
        <Form method="post" className="stack narrow" noValidate key={done?.done === "given" ? `given-${given.length}` : "form"}>
          <FormAlert errors={errors} ns="practice" labels={{ email: "grants.email" }} />
          <input type="hidden" name="intent" value="grant" />
          <TextField name="email" type="email" label={t("grants.email")} isRequired defaultValue={values.email} error={errors?.email} autoComplete="off" />
          <SubmitButton busy={busy} className="button primary">
            {t("grants.give")}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}
