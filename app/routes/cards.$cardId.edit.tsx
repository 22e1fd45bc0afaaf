import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CardForm } from "~/components/CardForm";
import { titleFor } from "~/lib/meta";
import { imageUrl } from "~/lib/urls";
import { readCardSubmission } from "~/services/card-form.server";
import { reindex } from "~/services/indexing.server";
import { boardsHolding, deleteCard, requireOwnCard, updateCard } from "~/services/cards.server";
import { idParam, signedIn } from "~/services/request.server";
import { attemptSave, notSaved, savingOrThrow } from "~/services/save-failure.server";
import { withDone } from "~/lib/done";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "cardForm.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const pin = await requireOwnCard(db, idParam(params.cardId), user);
  // A story's text lives on its pages; the single-card form would flatten them into the note.
  if (pin.kind === "story") throw redirect(`/stories/${pin.id}/edit`);
  return {
    card: {
      id: pin.id,
      title: pin.title,
      alt: pin.alt,
      cue: pin.cue,
      cueSentence: pin.cueSentence,
      firstSound: pin.firstSound,
      note: pin.note,
      lang: pin.lang,
      imageKey: pin.imageKey,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const pinId = idParam(params.cardId);
  if ((await requireOwnCard(db, pinId, user)).kind === "story") return redirect(`/stories/${pinId}/edit`);
  if (request.headers.get("Content-Type")?.startsWith("application/x-www-form-urlencoded")) {
    const form = await readForm(request);
    if (form.get("intent") !== "delete") throw new Response("Bad request", { status: 400 });
    {
      const onBoards = await boardsHolding(db, pinId);
      await savingOrThrow(() => deleteCard(db, pinId, user));
      await reindex(db, { pinIds: [pinId], boardIds: onBoards });
      return redirect(withDone("/", "cardDeleted"));
    }
  }
  const sub = await readCardSubmission(db, request, false);
  if (!sub.ok) return data({ errors: sub.errors, values: sub.values }, { status: sub.status ?? 400 });
  const saved = await attemptSave(() => updateCard(db, pinId, user, sub.input, sub.image));
  if (!saved.ok) return notSaved(sub.form);
  await reindex(db, { pinIds: [pinId] });
  return redirect(withDone(`/cards/${pinId}`, "cardSaved"));
}

export default function EditCard() {
  const { card } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>
        {t("cardForm.editHeading")}{" "}
        <span lang={card.lang} dir={contentDir(card.lang)}>
          {t("common:quote.open")}
          {card.title}
          {t("common:quote.close")}
        </span>
      </h1>
      <p className="standalone-link">
        <Link to={`/cards/${card.id}`}>{t("cardForm.backToCard")}</Link>
      </p>
      <CardForm
        values={{ ...card, ...(actionData?.values as Record<string, string> | undefined) }}
        errors={actionData?.errors}
        submitLabel={t("cardForm.save")}
        busy={busy}
        imageRequired={false}
        currentImage={{ src: imageUrl(card.imageKey), alt: card.alt }}
      />
      <section aria-labelledby="danger-h" className="danger-zone">
        <h2 id="danger-h">{t("cardForm.deleteHeading")}</h2>
        <p>{t("cardForm.deleteHint")}</p>
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm(t("cardForm.deleteConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button danger">
            {t("cardForm.delete")}
          </button>
        </Form>
      </section>
    </>
  );
}
