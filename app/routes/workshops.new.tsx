import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WorkshopForm } from "~/components/WorkshopForm";
import { titleFor } from "~/lib/meta";
import { parseWorkshopForm, workshopSchema } from "~/lib/workshop-forms";
import { signedIn } from "~/services/request.server";
import { attemptSave, notSaved } from "~/services/save-failure.server";
import { createWorkshop } from "~/services/workshops.server";
import { contentLangOf } from "../../db/enums";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "workshops:form.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await signedIn(request);
  return { lang: contentLangOf(user.locale), isTherapist: user.roles.includes("therapist") };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  const parsed = parseWorkshopForm(workshopSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const attempt = await attemptSave(() => createWorkshop(db, user, parsed.data));
  if (!attempt.ok) return notSaved(form);
  const saved = attempt.value;
  if (!saved.ok)
    return data(
      { errors: saved.errors, values: Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, String(v)])) },
      { status: 400 },
    );
  return redirect(`/workshops/${saved.workshop.id}`);
}

export default function NewWorkshop() {
  const { lang, isTherapist } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("workshops");
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>{t("form.newHeading")}</h1>
      <p className="lead">{isTherapist ? t("form.introTherapist") : t("form.intro")}</p>
      <WorkshopForm
        isNew
        values={{ lang, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("form.create")}
        busy={busy}
      />
    </>
  );
}
