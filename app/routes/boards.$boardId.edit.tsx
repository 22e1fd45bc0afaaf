import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoardForm } from "~/components/BoardForm";
import { boardSchema, parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import { reindex } from "~/services/indexing.server";
import { deleteBoard, getBoardForViewer, requireOwnBoard, updateBoard } from "~/services/boards.server";
import { idParam, signedIn } from "~/services/request.server";
import { attemptSave, notSaved, savingOrThrow } from "~/services/save-failure.server";
import { withDone } from "~/lib/done";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "boardForm.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const board = await requireOwnBoard(db, idParam(params.boardId), user);
  return { board: { id: board.id, title: board.title, description: board.description, lang: board.lang, visibility: board.visibility } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    const cardIds = (await getBoardForViewer(db, boardId, user)).cards.map((c) => c.id);
    await savingOrThrow(() => deleteBoard(db, boardId, user));
    await reindex(db, { pinIds: cardIds, boardIds: [boardId] });
    return redirect(withDone("/", "boardDeleted"));
  }
  const parsed = parseForm(boardSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await attemptSave(() => updateBoard(db, boardId, user, parsed.data));
  if (!saved.ok) return notSaved(form);
  await reindex(db, { boardIds: [boardId] });
  return redirect(withDone(`/boards/${boardId}`, "boardSaved"));
}

export default function EditBoard() {
  const { board } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>{t("boardForm.editHeading", { title: board.title })}</h1>
      <BoardForm
        values={{ ...board, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("boardForm.save")}
        busy={busy}
      />
      <section aria-labelledby="danger-h" className="danger-zone">
        <h2 id="danger-h">{t("boardForm.deleteHeading")}</h2>
        <p>{t("boardForm.deleteHint")}</p>
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm(t("boardForm.deleteConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button danger">
            {t("boardForm.delete")}
          </button>
        </Form>
      </section>
    </>
  );
}
