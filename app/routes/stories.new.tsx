import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StoryEditor } from "~/components/StoryEditor";
import { titleFor } from "~/lib/meta";
import { reindex } from "~/services/indexing.server";
import { signedIn } from "~/services/request.server";
import { attemptSave, NOT_SAVED } from "~/services/save-failure.server";
import { boardChoices, createStory, MAX_STORY_BODY, readStorySubmission } from "~/services/stories.server";
import { contentLangOf } from "../../db/enums";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "stories:new.title");

/** ?board=ID: the board the story is about (prefilled when the author may see it). */
function wantedBoard(request: Request): number | null {
  const n = Number(new URL(request.url).searchParams.get("board"));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const wanted = wantedBoard(request);
  const { own: boardOptions, about: aboutOptions } = await boardChoices(db, user, wanted);
  const about = aboutOptions.find((b) => b.id === wanted);
  return {
    aboutOptions,
    boardOptions,
    values: {
      lang: about?.lang ?? contentLangOf(user.locale),
      about: about ? String(about.id) : "",
      // A story about one of my boards is saved on that board; otherwise on my most recent board.
      board: String(boardOptions.find((b) => b.id === about?.id)?.id ?? boardOptions[0]?.id ?? ""),
      pages: [],
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_STORY_BODY) {
    return data({ errors: { pages: "stories:errors.tooLarge" } as Record<string, string>, values: null }, { status: 413 });
  }
  const sub = await readStorySubmission(db, user, await readForm(request), true);
  if (!sub.ok) return data({ errors: sub.errors, values: sub.values }, { status: 400 });
  const saved = await attemptSave(() => createStory(db, user, sub.boardId!, sub.input));
  if (!saved.ok) return data({ errors: { pages: NOT_SAVED } as Record<string, string>, values: sub.values }, { status: 503 });
  const pin = saved.value;
  await reindex(db, { pinIds: [pin.id], boardIds: [sub.boardId!] });
  return redirect(`/cards/${pin.id}`);
}

export default function NewStory() {
  const { aboutOptions, boardOptions, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("stories");
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow-wide">
      <h1>{t("new.heading")}</h1>
      <p className="lead">{t("new.intro")}</p>
      {boardOptions.length === 0 ? (
        <p>
          {t("new.noBoards")}{" "}
          <Link className="button" to="/boards/new">
            {t("new.makeBoard")}
          </Link>
        </p>
      ) : (
        <StoryEditor
          values={actionData?.values ?? values}
          errors={actionData?.errors}
          aboutOptions={aboutOptions}
          boardOptions={boardOptions}
          submitLabel={t("new.submit")}
          busy={busy}
        />
      )}
    </div>
  );
}
