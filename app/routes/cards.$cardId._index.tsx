import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InterestChips } from "~/components/InterestChips";
import { topInterests } from "~/services/search.server";
import { ReadAloudButton } from "~/components/ReadAloud";
import { StoryViewer } from "~/components/StoryViewer";
import { storyPagesOf } from "~/services/stories.server";
import { imageUrl } from "~/lib/urls";
import { boardsOwnedBy } from "~/services/boards.server";
import { reindex } from "~/services/indexing.server";
import { getCardForViewer, saveCardToBoard } from "~/services/cards.server";
import { hasPublicProfile, publicPinIds, shareKeyParam } from "~/services/access/visibility.server";
import { withKey } from "~/lib/share-link";
import { idParam, readContext, signedIn } from "~/services/request.server";
import { CardHide, MoreLikeThis } from "~/components/FeedGrid";
import { readAloudReporter, useCloseup } from "~/lib/engagement";
import { recordEngagement } from "~/services/engagement.server";
import { relatedList } from "~/services/feed.server";
import { sessionKeyFor } from "~/services/search-request.server";
import { longestWordStyle } from "~/lib/word-fit";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { savingOrThrow } from "~/services/save-failure.server";
import { memoByData } from "~/services/data-memo.server";
import { contentLangOf } from "../../db/enums";
import { voicesOf } from "~/services/audio/clips.server";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.card.title} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await readContext(request);
  // A card of an unlisted board opens with that board's share key (?key=…): access/visibility.server.ts.
  const key = shareKeyParam(request.url);
  const cardId = idParam(params.cardId);
  // All but "more like this" depends on the data, the card, who asks (only their id) and the share
  // key: kept until the database changes (data-memo.server.ts). A refused card throws, never kept.
  const shown = await memoByData(db, `card-page:${cardId}:${user?.id ?? ""}:${key ?? ""}:${locale}`, async () => {
    const card = await getCardForViewer(db, cardId, user, key);
    return {
      card,
      myBoards: user ? (await boardsOwnedBy(db, user.id)).map((b) => ({ id: b.id, title: b.title, lang: b.lang })) : null,
      interests: await topInterests(db, "pin", card.id, contentLangOf(locale)),
      isCreator: user?.id === card.creatorId,
      creatorHasProfile: await hasPublicProfile(db, card.creatorId),
      // Someone else's card that is not public cannot be saved (saving would publish it): say so up front.
      savable: user?.id === card.creatorId || (await publicPinIds(db, [card.id])).size > 0,
      story: card.kind === "story" ? await storyPagesOf(db, card.id, user) : null,
    };
  });
  const related = await relatedList(db, shown.card.id, { userId: user?.id ?? null, sessionKey: (await sessionKeyFor(request, user)).key });
  // Recordings in someone's own voice (the viewer's, else the creator's), issue 14.
  const voices = await voicesOf(db, shown.card.id, user?.id ?? null, shareKeyParam(request.url));
  return { ...shown, related, voices, signedIn: !!user };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const pinId = idParam(params.cardId);
  const form = await readForm(request);
  const boardId = Number(form.get("boardId"));
  if (!Number.isSafeInteger(boardId) || boardId <= 0) return data({ ok: false as const, error: "errors.chooseBoard" }, { status: 400 });
  const result = await savingOrThrow(() => saveCardToBoard(db, pinId, boardId, user, undefined, shareKeyParam(request.url)));
  if (result === "notPublic") return data({ ok: false as const, error: "access:save.notPublic" }, { status: 403 });
  if (result === "saved") {
    await recordEngagement(db, { userId: user.id, sessionKey: (await sessionKeyFor(request, user)).key }, [
      { pinId, action: "save", surface: "card" },
    ]);
    await reindex(db, { pinIds: [pinId], boardIds: [boardId] });
  }
  return { ok: true as const, result, boardId };
}

export default function CardPage() {
  const { card, myBoards, interests, isCreator, creatorHasProfile, savable, story, related, voices, signedIn } =
    useLoaderData<typeof loader>();
  useCloseup(card.id);
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const shareKey = new URLSearchParams(useLocation().search).get("key");
  const savedTo = actionData?.ok ? myBoards?.find((b) => b.id === actionData.boardId) : undefined;
  return (
    <article className="closeup">
      {story ? (
        <StoryViewer
          pages={story.pages.map((p) => ({ ...p, audio: voices.pages[p.position] ?? null }))}
          lang={card.lang}
          about={story.about}
        />
      ) : (
        <div className="closeup-picture">
          <img src={imageUrl(card.imageKey)} alt={card.alt} lang={card.lang} width={card.imageWidth} height={card.imageHeight} />
        </div>
      )}
      <div className="closeup-text">
        <h1 className="closeup-word" lang={card.lang} dir={contentDir(card.lang)} style={longestWordStyle(card.title)}>
          {card.title}
        </h1>
        {card.cue ? (
          <p className="closeup-cue">
            <span className="label">{t("common:punct.label", { label: t("card.cue") })}</span>{" "}
            <span lang={card.lang} dir={contentDir(card.lang)}>
              {card.cue}
            </span>
          </p>
        ) : null}
        <p onClickCapture={readAloudReporter(card.id)}>
          <ReadAloudButton text={card.title} lang={card.lang} audio={voices.word} />
        </p>
        {voices.cue ? (
          <p>
            <ReadAloudButton text={card.cue || card.title} lang={card.lang} audio={voices.cue} label={t("voice:play.hint")} />
          </p>
        ) : null}
        {signedIn ? (
          <p className="standalone-link">
            {/* A full page load: the browser takes the microphone permission from the document's own headers. */}
            <Link reloadDocument to={withKey(`/cards/${card.id}/voice`, shareKey)}>
              {t("voice:closeup.record")}
            </Link>
          </p>
        ) : null}
        {card.note && !story ? (
          <p className="closeup-note" lang={card.lang} dir={contentDir(card.lang)}>
            {card.note}
          </p>
        ) : null}
        <p className="meta">
          {t("card.madeBy")} {creatorHasProfile ? <Link to={`/u/${card.creatorId}`}>{card.creatorName}</Link> : card.creatorName}
        </p>
        {isCreator ? (
          <p className="standalone-link">
            <Link className="button" to={story ? `/stories/${card.id}/edit` : `/cards/${card.id}/edit`}>
              {t("card.edit")}
            </Link>
          </p>
        ) : (
          <CardHide card={card} />
        )}

        <InterestChips interests={interests} />
        <section aria-labelledby="on-boards-h">
          <h2 id="on-boards-h">{t("card.onBoards")}</h2>
          <ul>
            {card.boards.map((b) => (
              <li key={b.id}>
                <Link to={withKey(`/boards/${b.id}`, b.shareKey)} lang={b.lang} dir={contentDir(b.lang)}>
                  {b.title}
                </Link>{" "}
                <span className="meta">({t("board.by", { name: b.ownerName })})</span>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="save-h">
          <h2 id="save-h">{t("card.saveHeading")}</h2>
          {!savable ? (
            <p className="hint">{t("access:save.notPublicHint")}</p>
          ) : myBoards === null ? (
            <p className="standalone-link">
              <Link to={`/login?redirectTo=/cards/${card.id}`}>{t("card.signInToSave")}</Link>
            </p>
          ) : myBoards.length === 0 ? (
            <p className="standalone-link">
              <Link to="/boards/new">{t("card.makeBoardFirst")}</Link>
            </p>
          ) : (
            <Form method="post" className="save-form">
              <label htmlFor="save-board">{t("fields.board")}</label>
              <select id="save-board" name="boardId" defaultValue={String(myBoards[0]?.id)}>
                {myBoards.map((b) => (
                  <option key={b.id} value={b.id} lang={b.lang} dir={contentDir(b.lang)}>
                    {b.title}
                  </option>
                ))}
              </select>
              <SubmitButton busy={busy} className="button primary">
                {t("card.save")}
              </SubmitButton>
            </Form>
          )}
          <p role="status" className="announcement">
            {actionData && !actionData.ok ? t(actionData.error) : null}
            {savedTo && actionData?.ok
              ? t(actionData.result === "saved" ? "card.savedTo" : "card.alreadyOn", { board: savedTo.title })
              : null}
          </p>
        </section>
      </div>
      <MoreLikeThis cards={related.cards} requestId={related.requestId} />
    </article>
  );
}
