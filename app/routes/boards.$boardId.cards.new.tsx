import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CardForm } from "~/components/CardForm";
import { titleFor } from "~/lib/meta";
import { requireOwnBoard } from "~/services/boards.server";
import { readCardSubmission } from "~/services/card-form.server";
import { reindex } from "~/services/indexing.server";
import { createCard } from "~/services/cards.server";
import { idParam, signedIn } from "~/services/request.server";
import { attemptSave, notSaved } from "~/services/save-failure.server";
import { withDone } from "~/lib/done";
import { contentDir } from "~/i18n";

export const meta: MetaFunction = (args) => titleFor(args, "cardForm.newTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const board = await requireOwnBoard(db, idParam(params.boardId), user);
  return { board: { id: board.id, title: board.title, lang: board.lang } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const board = await requireOwnBoard(db, idParam(params.boardId), user);
  const sub = await readCardSubmission(db, request, true);
  if (!sub.ok) return data({ errors: sub.errors, values: sub.values }, { status: sub.status ?? 400 });
  const saved = await attemptSave(() => createCard(db, user, board.id, sub.input, sub.image!));
  if (!saved.ok) return notSaved(sub.form);
  const pin = saved.value;
  await reindex(db, { pinIds: [pin.id], boardIds: [board.id] });
  return redirect(
    sub.form.get("next") === "another" ? `/boards/${board.id}/cards/new?added=1` : withDone(`/boards/${board.id}`, "cardAdded"),
  );
}

export default function NewCard() {
  const { board } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>
        {t("cardForm.newHeading")}{" "}
        <span lang={board.lang} dir={contentDir(board.lang)}>
          {t("common:quote.open")}
          {board.title}
          {t("common:quote.close")}
        </span>
      </h1>
      <p className="standalone-link">
        <Link to={`/boards/${board.id}`}>{t("cardForm.backToBoard")}</Link>
      </p>
      <CardForm
        values={{ lang: board.lang, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("cardForm.create")}
        busy={busy}
        imageRequired
      />
    </>
  );
}
