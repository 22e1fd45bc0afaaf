import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CardGrid } from "~/components/CardGrid";
import { InterestChips } from "~/components/InterestChips";
import { topInterests } from "~/services/search.server";
import { ReadAloudButton } from "~/components/ReadAloud";
import { StoriesAboutList } from "~/components/StoryViewer";
import { storiesAbout } from "~/services/stories.server";
import { getBoardForViewer } from "~/services/boards.server";
import { context, idParam } from "~/services/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.board.title} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = context(request);
  const board = getBoardForViewer(db, idParam(params.boardId), user);
  return { board, interests: topInterests(db, "board", board.id, locale), isOwner: user?.id === board.ownerId, signedIn: !!user, stories: storiesAbout(db, board.id, user) };
}

export default function BoardPage() {
  const { board, interests, isOwner, signedIn, stories } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const updated = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long" }).format(new Date(board.updatedAt));
  return (
    <>
      <div className="page-head">
        <h1 lang={board.lang}>{board.title}</h1>
        {board.description ? (
          <p className="lead" lang={board.lang}>
            {board.description}
          </p>
        ) : null}
        <p className="meta">
          {t("board.byPrefix")} <Link to={`/u/${board.ownerId}`}>{board.ownerName}</Link> · {t("board.cardCount", { count: board.cards.length })} ·{" "}
          {t("board.updated", { date: updated })}
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
          </ul>
        ) : null}
        {board.cards.length ? (
          <ul className="actions" aria-label={t("board.useActions")}>
            <li>
              <Link className="button primary" to={`/boards/${board.id}/practice`}>
                {t("board.practise")}
              </Link>
            </li>
            <li>
              <Link className="button" to={`/boards/${board.id}/print`}>
                {t("board.print")}
              </Link>
            </li>
            {signedIn ? (
              <li>
                <Link className="button" to={`/stories/new?board=${board.id}`}>
                  {t("board.makeStory")}
                </Link>
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
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
        describedBy={board.cards.length ? "grid-hint" : undefined}
        empty={<p className="empty">{t("board.empty")}</p>}
      />
      {board.cards.length ? (
        <p className="read-board">
          <ReadAloudButton text={board.cards.map((c) => c.title).join(". ")} lang={board.lang} label={t("board.readAll")} />
        </p>
      ) : null}
      <StoriesAboutList stories={stories} />
    </>
  );
}
