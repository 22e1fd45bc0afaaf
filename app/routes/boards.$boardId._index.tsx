import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CardGrid } from "~/components/CardGrid";
import { InterestChips } from "~/components/InterestChips";
import { topInterests } from "~/services/search.server";
import { ReadAloudButton } from "~/components/ReadAloud";
import { StoriesAboutList } from "~/components/StoryViewer";
import { storiesAbout } from "~/services/stories.server";
import { getBoardForViewer, regenerateShareLink } from "~/services/boards.server";
import { detachStory } from "~/services/stories.server";
import { formId, idParam, readContext, signedIn } from "~/services/request.server";
import { hasPublicProfile, shareKeyParam } from "~/services/access/visibility.server";
import { withKey } from "~/lib/share-link";
import { ShareLink } from "~/components/ShareLink";
import { memoByData } from "~/services/data-memo.server";
import { contentLangOf } from "../../db/enums";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.board.title} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await readContext(request);
  // An unlisted board opens only with its share key (?key=…): access/visibility.server.ts.
  const key = shareKeyParam(request.url);
  const boardId = idParam(params.boardId);
  // What the page shows depends on the data, the board, who asks (only their id: visibility.server.ts)
  // and the share key: kept until the database changes (data-memo.server.ts). A refused board throws,
  // and a throw is never kept.
  const shown = await memoByData(db, `board-page:${boardId}:${user?.id ?? ""}:${key ?? ""}:${locale}`, async () => {
    const board = await getBoardForViewer(db, boardId, user, key);
    return {
      board,
      interests: await topInterests(db, "board", board.id, contentLangOf(locale)),
      ownerHasProfile: await hasPublicProfile(db, board.ownerId),
      stories: await storiesAbout(db, board.id, user, key),
    };
  });
  const { board } = shown;
  const isOwner = user?.id === board.ownerId;
  return {
    ...shown,
    isOwner,
    // The owner's share link, shown on an unlisted board only (the other visibilities need none).
    shareUrl:
      isOwner && board.visibility === "unlisted" && board.shareKey
        ? new URL(withKey(`/boards/${board.id}`, board.shareKey), request.url).href
        : null,
  };
}

/** The owner's actions on the page: a new share link, or taking someone's story off the board. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "regenerate-link") {
    await regenerateShareLink(db, boardId, user);
    return { message: "access:share.regenerated" };
  }
  if (intent === "remove-story") {
    await detachStory(db, boardId, formId(form, "pinId"), user);
    return { message: "access:stories.removed" };
  }
  throw new Response("Bad request", { status: 400 });
}

export default function BoardPage() {
  const { board, interests, isOwner, shareUrl, ownerHasProfile, stories } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const key = board.shareKey;
  const { t, i18n } = useTranslation();
  const updated = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long" }).format(new Date(board.updatedAt));
  return (
    <>
      <div className="page-head">
        <h1 lang={board.lang} dir={contentDir(board.lang)}>
          {board.title}
        </h1>
        {board.description ? (
          <p className="lead" lang={board.lang} dir={contentDir(board.lang)}>
            {board.description}
          </p>
        ) : null}
        <p className="meta">
          {t("board.byPrefix")} {ownerHasProfile ? <Link to={`/u/${board.ownerId}`}>{board.ownerName}</Link> : board.ownerName} ·{" "}
          {t("board.cardCount", { count: board.cards.length })} · {t("board.updated", { date: updated })}
          {isOwner ? <> · {t(`visibility.${board.visibility}`)}</> : null}
        </p>
        {isOwner ? (
          <ul className="actions" aria-label={t("board.ownerActions")}>
            <li>
              <Link className="button primary" to={`/boards/${board.id}/cards/new`}>
                {t("board.addCard")}
              </Link>
            </li>
            <li>
              <Link className="button" to={`/boards/${board.id}/arrange`}>
                {t("board.arrange")}
              </Link>
            </li>
            <li>
              <Link className="button" to={`/boards/${board.id}/edit`}>
                {t("board.edit")}
              </Link>
            </li>
            {/* Stories only about your own boards (issue 12, finding 6): offered to the owner only. */}
            <li>
              <Link className="button" to={`/stories/new?board=${board.id}`}>
                {t("board.makeStory")}
              </Link>
            </li>
          </ul>
        ) : null}
        {board.cards.length ? (
          <ul className="actions" aria-label={t("board.useActions")}>
            <li>
              <Link className="button primary" to={withKey(`/boards/${board.id}/practice`, key)}>
                {t("board.practise")}
              </Link>
            </li>
            <li>
              <Link className="button" to={withKey(`/boards/${board.id}/print`, key)}>
                {t("board.print")}
              </Link>
            </li>
          </ul>
        ) : null}
      </div>
      {shareUrl ? <ShareLink url={shareUrl} /> : null}
      <p role="status" className="announcement">
        {done ? t(done.message) : null}
      </p>
      <InterestChips interests={interests} />
      <h2 id="cards-h" className="visually-hidden">
        {t("board.cardsHeading")}
      </h2>
      {board.cards.length ? (
        <p className="hint" id="grid-hint">
          {t("board.gridHint")}
        </p>
      ) : null}
      <CardGrid
        cards={board.cards}
        labelledBy="cards-h"
        surface="board"
        shareKey={key}
        describedBy={board.cards.length ? "grid-hint" : undefined}
        empty={<p className="empty">{t("board.empty")}</p>}
      />
      {board.cards.length ? (
        <p className="read-board">
          <ReadAloudButton parts={board.cards.map((c) => ({ text: c.title, lang: c.lang }))} label={t("board.readAll")} />
        </p>
      ) : null}
      <StoriesAboutList stories={stories} shareKey={key} removable={isOwner} />
    </>
  );
}
