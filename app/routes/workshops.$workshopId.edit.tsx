import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WorkshopForm } from "~/components/WorkshopForm";
import { titleFor } from "~/lib/meta";
import { parseWorkshopForm, workshopSchema } from "~/lib/workshop-forms";
import { context, idParam } from "~/services/request.server";
import { attemptSave, notSaved, savingOrThrow } from "~/services/save-failure.server";
import { deleteWorkshop, requireTherapist, updateWorkshop } from "~/services/workshops.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "workshops:form.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const w = await requireTherapist(db, idParam(params.workshopId), user);
  return { workshop: w };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await context(request);
  const id = idParam(params.workshopId);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    await savingOrThrow(() => deleteWorkshop(db, id, user!));
    return redirect("/workshops");
  }
  await requireTherapist(db, id, user);
  const parsed = parseWorkshopForm(workshopSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const attempt = await attemptSave(() => updateWorkshop(db, id, user!, parsed.data));
  if (!attempt.ok) return notSaved(form);
  const saved = attempt.value;
  if (!saved.ok)
    return data(
      { errors: saved.errors, values: Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, String(v)])) },
      { status: 400 },
    );
  return redirect(`/workshops/${id}`);
}

export default function EditWorkshop() {
  const { workshop: w } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("workshops");
  const busy = useNavigation().state === "submitting";
  const stored = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v == null ? "" : String(v)]));
  return (
    <>
      <h1>{t("form.editHeading", { title: w.title })}</h1>
      <p className="standalone-link">
        <Link to={`/workshops/${w.id}`}>{t("form.back")}</Link>
      </p>
      <WorkshopForm
        isNew={false}
        values={{ ...stored, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("form.save")}
        busy={busy}
      />
      <section className="danger-zone" aria-labelledby="delete-h">
        <h2 id="delete-h">{t("form.deleteHeading")}</h2>
        <p>{t("form.deleteHint")}</p>
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm(t("form.deleteConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button danger">
            {t("form.delete")}
          </button>
        </Form>
      </section>
    </>
  );
}
