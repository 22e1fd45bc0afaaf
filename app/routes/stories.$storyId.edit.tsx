import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StoryEditor } from "~/components/StoryEditor";
import { titleFor } from "~/lib/meta";
import { reindex } from "~/services/indexing.server";
import { idParam, signedIn } from "~/services/request.server";
import { attemptSave, NOT_SAVED, savingOrThrow } from "~/services/save-failure.server";
import {
  boardChoices,
  deleteStory,
  MAX_STORY_BODY,
  readStorySubmission,
  requireOwnStory,
  storyFormValues,
  updateStory,
} from "~/services/stories.server";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "stories:edit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const pin = await requireOwnStory(db, idParam(params.storyId), user);
  const values = await storyFormValues(db, pin);
  return {
    id: pin.id,
    title: pin.title,
    lang: pin.lang,
    values,
    aboutOptions: (await boardChoices(db, user, values.about ? Number(values.about) : null)).about,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const pinId = idParam(params.storyId);
  await requireOwnStory(db, pinId, user);
  if (request.headers.get("Content-Type")?.startsWith("application/x-www-form-urlencoded")) {
    const form = await readForm(request);
    if (form.get("intent") !== "delete") throw new Response("Bad request", { status: 400 });
    const { boardIds, about } = await savingOrThrow(() => deleteStory(db, pinId, user));
    await reindex(db, { pinIds: [pinId], boardIds });
    return redirect(about ? `/boards/${about}` : "/");
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_STORY_BODY) {
    return data({ errors: { pages: "stories:errors.tooLarge" } as Record<string, string>, values: null }, { status: 413 });
  }
  const sub = await readStorySubmission(db, user, await readForm(request), false);
  if (!sub.ok) return data({ errors: sub.errors, values: sub.values }, { status: 400 });
  const saved = await attemptSave(() => updateStory(db, pinId, user, sub.input));
  if (!saved.ok) return data({ errors: { pages: NOT_SAVED } as Record<string, string>, values: sub.values }, { status: 503 });
  await reindex(db, { pinIds: [pinId] });
  return redirect(`/cards/${pinId}`);
}

export default function EditStory() {
  const { id, title, lang, values, aboutOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("stories");
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow-wide">
      <h1>
        {t("edit.heading")}{" "}
        <span lang={lang} dir={contentDir(lang)}>
          {t("common:quote.open")}
          {title}
          {t("common:quote.close")}
        </span>
      </h1>
      <p className="standalone-link">
        <Link to={`/cards/${id}`}>{t("edit.back")}</Link>
      </p>
      <StoryEditor
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        aboutOptions={aboutOptions}
        submitLabel={t("edit.submit")}
        busy={busy}
      />
      <section aria-labelledby="danger-h" className="danger-zone">
        <h2 id="danger-h">{t("edit.deleteHeading")}</h2>
        <p>{t("edit.deleteHint")}</p>
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm(t("edit.deleteConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button danger">
            {t("edit.delete")}
          </button>
        </Form>
      </section>
    </div>
  );
}
