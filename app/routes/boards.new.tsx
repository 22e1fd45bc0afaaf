import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoardForm } from "~/components/BoardForm";
import { boardSchema, parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { reindex } from "~/services/indexing.server";
import { createBoard } from "~/services/boards.server";
import { signedIn } from "~/services/request.server";
import { attemptSave, notSaved } from "~/services/save-failure.server";
import { withDone } from "~/lib/done";
import { contentLangOf } from "../../db/enums";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "boardForm.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await signedIn(request);
  return { lang: contentLangOf(user.locale) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  const parsed = parseForm(boardSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await attemptSave(() => createBoard(db, user.id, parsed.data));
  if (!saved.ok) return notSaved(form);
  const board = saved.value;
  await reindex(db, { boardIds: [board.id] });
  return redirect(withDone(`/boards/${board.id}`, "boardCreated"));
}

export default function NewBoard() {
  const { lang } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>{t("boardForm.newHeading")}</h1>
      <BoardForm
        values={{ lang, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("boardForm.create")}
        busy={busy}
      />
    </>
  );
}
