import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";
import { imageUrl } from "~/lib/urls";
import { getBoardForViewer, moveCard, requireOwnBoard, type Move } from "~/services/boards.server";
import { reindex } from "~/services/indexing.server";
import { removeFromBoard, saveCardToBoard } from "~/services/cards.server";
import { formId, idParam, signedIn } from "~/services/request.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { contentDir } from "~/i18n";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "arrange.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  await requireOwnBoard(db, boardId, user);
  const board = await getBoardForViewer(db, boardId, user);
  return { board: { id: board.id, title: board.title, lang: board.lang, cards: board.cards }, userId: user.id };
}

const MOVES: Move[] = ["up", "down", "first", "last"];

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const boardId = idParam(params.boardId);
  const form = await readForm(request);
  const pinId = formId(form, "pinId");
  if (form.get("intent") === "remove") {
    const removed = await savingOrThrow(() => removeFromBoard(db, boardId, pinId, user));
    await reindex(db, { pinIds: [pinId], boardIds: [boardId] });
    return { intent: "remove" as const, pinId, place: removed?.position ?? null };
  }
  if (form.get("intent") === "undo") {
    // Back where it was: the position value the removal answered with.
    const place = Number(form.get("place"));
    if (!Number.isSafeInteger(place)) throw new Response("Bad request", { status: 400 });
    await savingOrThrow(() => saveCardToBoard(db, pinId, boardId, user, place));
    await reindex(db, { pinIds: [pinId], boardIds: [boardId] });
    return { intent: "undo" as const, pinId };
  }
  const move = String(form.get("move")) as Move;
  if (!MOVES.includes(move)) throw new Response("Bad request", { status: 400 });
  const { position, total } = await savingOrThrow(() => moveCard(db, boardId, pinId, user, move));
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
  // The card just removed, until it is put back or another change is made: what Undo needs.
  const [removed, setRemoved] = useState<{ id: number; title: string; lang: string; place: number } | null>(null);
  const lastButton = useRef<string | null>(null);
  const titles = useRef(new Map<number, { title: string; lang: string }>());
  for (const c of board.cards) titles.current.set(c.id, { title: c.title, lang: c.lang });

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const d = fetcher.data;
    const card = titles.current.get(d.pinId);
    if (d.intent === "move") {
      setRemoved(null);
      setAnnouncement(t("arrange.moved", { word: card?.title ?? "", position: d.position, total: d.total }));
      if (lastButton.current) document.getElementById(lastButton.current)?.focus();
    } else if (d.intent === "remove") {
      // One press removes; focus goes to Undo, so a second press puts the card back.
      setRemoved(card && d.place !== null ? { id: d.pinId, ...card, place: d.place } : null);
      setAnnouncement(t("arrange.removedWord", { word: card?.title ?? "" }));
      if (!card || d.place === null) document.getElementById("arrange-h")?.focus(); // nothing to undo
    } else {
      setRemoved(null);
      setAnnouncement(t("arrange.restored", { word: card?.title ?? "" }));
      document.getElementById(`remove-${d.pinId}`)?.focus();
    }
  }, [fetcher.state, fetcher.data]);
  useEffect(() => {
    if (removed) document.getElementById("undo-remove")?.focus();
  }, [removed]);

  const submit = (pinId: number, fields: Record<string, string>, buttonId: string) => {
    lastButton.current = buttonId;
    fetcher.submit({ pinId: String(pinId), ...fields }, { method: "post" });
  };

  return (
    <>
      <h1 id="arrange-h" tabIndex={-1}>
        {t("arrange.heading")}{" "}
        <span lang={board.lang} dir={contentDir(board.lang)}>
          {t("common:quote.open")}
          {board.title}
          {t("common:quote.close")}
        </span>
      </h1>
      <p>{t("arrange.intro")}</p>
      <p className="standalone-link">
        <Link to={`/boards/${board.id}`}>{t("cardForm.backToBoard")}</Link>
      </p>
      <p role="status" className="announcement">
        {announcement}
      </p>
      {removed ? (
        <p>
          <button
            id="undo-remove"
            type="button"
            className="button"
            onClick={() => submit(removed.id, { intent: "undo", place: String(removed.place) }, "")}
          >
            {t("arrange.undo")}
            <OfWord card={removed} />
          </button>
        </p>
      ) : null}
      {board.cards.length === 0 ? <p>{t("board.empty")}</p> : null}
      <ol className="arrange-list">
        {board.cards.map((card, i) => (
          <li
            key={card.id}
            className="arrange-item"
            aria-label={t("arrange.itemLabel", { word: card.title, position: i + 1, total: board.cards.length })}
          >
            <img src={imageUrl(card.imageKey)} alt="" width={72} height={72} />
            <span className="arrange-word" lang={card.lang} dir={contentDir(card.lang)}>
              {card.title}
            </span>
            <span className="arrange-buttons">
              {MOVES.map((move) => {
                const id = `move-${move}-${card.id}`;
                return (
                  <button
                    key={move}
                    id={id}
                    type="button"
                    className="button small"
                    onClick={() => submit(card.id, { intent: "move", move }, id)}
                  >
                    {t(`arrange.${move}`)}
                    <OfWord card={card} />
                  </button>
                );
              })}
              <button
                id={`remove-${card.id}`}
                type="button"
                className="button small danger"
                onClick={() => submit(card.id, { intent: "remove" }, "")}
              >
                {t("arrange.remove")}
                <OfWord card={card} />
              </button>
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** ": pot" after a button's words, for screen readers only: which card the button acts on. */
function OfWord({ card }: { card: { title: string; lang: string } }) {
  return (
    <span className="visually-hidden">
      :{" "}
      <span lang={card.lang} dir={contentDir(card.lang)}>
        {card.title}
      </span>
    </span>
  );
}
