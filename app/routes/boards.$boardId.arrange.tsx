import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";
import { imageUrl } from "~/lib/urls";
import { getBoardForViewer, moveCard, requireOwnBoard, type Move } from "~/services/boards.server";
import { reindex } from "~/services/indexing.server";
import { removeFromBoard } from "~/services/cards.server";
import { formId, idParam, signedIn } from "~/services/request.server";

export const meta: MetaFunction = (args) => titleFor(args, "arrange.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = signedIn(request);
  const boardId = idParam(params.boardId);
  requireOwnBoard(db, boardId, user);
  const board = getBoardForViewer(db, boardId, user);
  return { board: { id: board.id, title: board.title, lang: board.lang, cards: board.cards }, userId: user.id };
}

const MOVES: Move[] = ["up", "down", "first", "last"];

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = signedIn(request);
  const boardId = idParam(params.boardId);
  const form = await request.formData();
  const pinId = formId(form, "pinId");
  if (form.get("intent") === "remove") {
    removeFromBoard(db, boardId, pinId, user);
    await reindex(db, { pinIds: [pinId], boardIds: [boardId] });
    return { intent: "remove" as const, pinId, position: 0, total: 0 };
  }
  const move = String(form.get("move")) as Move;
  if (!MOVES.includes(move)) throw new Response("Bad request", { status: 400 });
  const { position, total } = moveCard(db, boardId, pinId, user, move);
  return { intent: "move" as const, pinId, move, position, total };
}

/**
 * Reordering without dragging: every card has Move buttons that work with keyboard, switch, mouse
 * or touch alike. Focus stays on the pressed button as the card moves, and the new place is announced.
 */
export default function Arrange() {
  const { board } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const fetcher = useFetcher<typeof action>();
  const [announcement, setAnnouncement] = useState("");
  const lastButton = useRef<string | null>(null);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const d = fetcher.data;
    const card = board.cards.find((c) => c.id === d.pinId);
    if (d.intent === "move") {
      setAnnouncement(t("arrange.moved", { word: card?.title ?? "", position: d.position, total: d.total }));
      if (lastButton.current) document.getElementById(lastButton.current)?.focus();
    } else {
      setAnnouncement(t("arrange.removed"));
      document.getElementById("arrange-h")?.focus();
    }
  }, [fetcher.state, fetcher.data]);

  const submit = (pinId: number, fields: Record<string, string>, buttonId: string) => {
    lastButton.current = buttonId;
    fetcher.submit({ pinId: String(pinId), ...fields }, { method: "post" });
  };

  return (
    <>
      <h1 id="arrange-h" tabIndex={-1}>
        {t("arrange.heading")} <span lang={board.lang}>{t("common:quote.open")}{board.title}{t("common:quote.close")}</span>
      </h1>
      <p>{t("arrange.intro")}</p>
      <p className="standalone-link">
        <Link to={`/boards/${board.id}`}>{t("cardForm.backToBoard")}</Link>
      </p>
      <p role="status" className="announcement">
        {announcement}
      </p>
      {board.cards.length === 0 ? <p>{t("board.empty")}</p> : null}
      <ol className="arrange-list">
        {board.cards.map((card, i) => (
          <li key={card.id} className="arrange-item" aria-label={t("arrange.itemLabel", { word: card.title, position: i + 1, total: board.cards.length })}>
            <img src={imageUrl(card.imageKey)} alt="" width={72} height={72} />
            <span className="arrange-word" lang={card.lang}>
              {card.title}
            </span>
            <span className="arrange-buttons">
              {MOVES.map((move) => {
                const id = `move-${move}-${card.id}`;
                return (
                  <button key={move} id={id} type="button" className="button small" onClick={() => submit(card.id, { intent: "move", move }, id)}>
                    {t(`arrange.${move}`)}
                    <span className="visually-hidden">
                      : <span lang={card.lang}>{card.title}</span>
                    </span>
                  </button>
                );
              })}
              <button type="button" className="button small danger" onClick={() => submit(card.id, { intent: "remove" }, "")}>
                {t("arrange.remove")}
                <span className="visually-hidden">
                  : <span lang={card.lang}>{card.title}</span>
                </span>
              </button>
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
