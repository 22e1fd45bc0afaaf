import { and, asc, desc, eq, sql } from "drizzle-orm";
import { boardPins, boards, images, pins, stories, storyPages, users, type Locale, type Pin, type User } from "../../db/tables";
import {
  MAX_PAGES,
  PAGE_ID,
  pageField,
  pageSchema,
  storyBoardSchema,
  storyMetaSchema,
  type PageValues,
  type StoryValues,
} from "~/lib/story-forms";
import { nextPosition, requireOwnBoard } from "./boards.server";
import { boardsHolding, deleteCard, requireOwnCard } from "./cards.server";
import { boardListedFor, pinOpenCondition, type Viewer } from "./access/visibility.server";
import type { Db } from "./db.server";
import { issueMessage } from "~/lib/error-message";
import { attemptSave, NOT_SAVED } from "./save-failure.server";
import { writtenRow } from "./verified-write.server";
import { changed } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import type { Tx } from "../../db/client";
import { notFound } from "./http.server";
import { imagePath, MAX_UPLOAD_BYTES, storeUpload, type StoredImage } from "./images.server";

/**
 * Story Pins: a card of kind "story" whose pages each have a picture, its alt text and a short text.
 * The pin carries what lists, search and recommendations read: the title, the first page's picture and
 * alt as its cover, and every page's text as its note (so search finds a story by any page).
 */

export type StoryPageInput = { image: StoredImage; alt: string; text: string };
export type StoryInput = { title: string; lang: Locale; about: number | null; pages: StoryPageInput[] };

export type StorySubmission =
  | { ok: true; input: StoryInput; boardId: number | null; values: StoryValues }
  | { ok: false; errors: Record<string, string>; values: StoryValues };

/** Requests far over what MAX_PAGES pictures can weigh are refused before their body is read. */
export const MAX_STORY_BODY = MAX_PAGES * MAX_UPLOAD_BYTES + 1024 * 1024;

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

/** A picture already stored, named by a page that came back from a refused submission. */
async function storedImage(db: Db, key: string): Promise<StoredImage | null> {
  if (!imagePath(key)) return null;
  const [row] = await db.select().from(images).where(eq(images.key, key)).limit(1);
  return row ? { key: row.key, width: row.width, height: row.height } : null;
}

/**
 * Boards a story can be about, for this person: only their own. A story shows on the page of the board
 * it is about, so letting anyone attach one would let strangers write on other people's boards.
 */
async function aboutBoardOk(db: Db, boardId: number, user: User): Promise<boolean> {
  const [own] = await db
    .select({ id: boards.id })
    .from(boards)
    .where(and(eq(boards.id, boardId), eq(boards.ownerId, user.id)))
    .limit(1);
  return !!own;
}

/**
 * Reads the story form. Every valid picture is stored at once and comes back by its key with the
 * other values, so a mistake in one field never loses an upload or anything typed.
 * `withBoard`: a new story also names the board of the author's to save it on.
 */
export async function readStorySubmission(db: Db, user: User, form: FormData, withBoard: boolean): Promise<StorySubmission> {
  const errors: Record<string, string> = {};
  const values: StoryValues = {
    title: str(form.get("title")),
    lang: str(form.get("lang")),
    about: str(form.get("about")),
    board: str(form.get("board")),
    pages: [],
  };
  const meta = storyMetaSchema.safeParse({ title: values.title, lang: values.lang || undefined, about: values.about });
  if (!meta.success)
    for (const i of meta.error.issues) errors[String(i.path[0])] ??= issueMessage(i, i.path[0] === "title" ? values.title : undefined);
  else if (meta.data.about !== null && !(await aboutBoardOk(db, meta.data.about, user))) errors.about = "stories:errors.aboutBoard";

  let boardId: number | null = null;
  if (withBoard) {
    const b = storyBoardSchema.safeParse(values.board);
    const own = b.success
      ? (
          await db
            .select({ id: boards.id })
            .from(boards)
            .where(and(eq(boards.id, b.data), eq(boards.ownerId, user.id)))
            .limit(1)
        )[0]
      : undefined;
    if (own) boardId = own.id;
    else errors.board = "stories:errors.chooseBoard";
  }

  const ids = [
    ...new Set(
      form
        .getAll("page")
        .map(str)
        .filter((id) => PAGE_ID.test(id)),
    ),
  ];
  if (ids.length === 0) errors.pages = "stories:errors.noPages";
  if (ids.length > MAX_PAGES) {
    // Refused before any upload is read: the form shows the pages to remove, with what was typed.
    errors.pages = "stories:errors.tooManyPages";
    values.pages = ids.map((id) => ({
      id,
      key: str(form.get(pageField(id, "key"))) || undefined,
      alt: str(form.get(pageField(id, "alt"))),
      text: str(form.get(pageField(id, "text"))),
    }));
    return { ok: false, errors, values };
  }

  const pages: StoryPageInput[] = [];
  for (const id of ids) {
    const page: PageValues = { id, alt: str(form.get(pageField(id, "alt"))), text: str(form.get(pageField(id, "text"))) };
    const parsed = pageSchema.safeParse({ alt: page.alt, text: page.text });
    if (!parsed.success)
      for (const i of parsed.error.issues)
        errors[pageField(id, i.path[0] === "text" ? "text" : "alt")] ??= issueMessage(i, i.path[0] === "text" ? page.text : page.alt);
    const file = form.get(pageField(id, "image"));
    let image: StoredImage | null = await storedImage(db, str(form.get(pageField(id, "key"))));
    if (file instanceof File && file.size > 0) {
      // A disk that refuses the picture is told on that page ("could not save"), the rest kept.
      const attempt = await attemptSave(() => storeUpload(db, file));
      const stored = attempt.ok ? attempt.value : ({ ok: false, error: NOT_SAVED } as const);
      if (stored.ok) image = stored.image;
      else errors[pageField(id, "image")] = stored.error;
    } else if (!image) {
      errors[pageField(id, "image")] = "errors.imageRequired";
    }
    page.key = image?.key;
    values.pages.push(page);
    if (image && parsed.success) pages.push({ image, alt: parsed.data.alt, text: parsed.data.text });
  }

  if (Object.keys(errors).length || !meta.success) return { ok: false, errors, values };
  return { ok: true, input: { ...meta.data, pages }, boardId, values };
}

function pinFields(input: StoryInput) {
  const cover = input.pages[0]!;
  return {
    kind: "story" as const,
    title: input.title,
    lang: input.lang,
    cue: "",
    // Every page's text, so search and recommendations read the whole story.
    note: input.pages
      .map((p) => p.text)
      .filter(Boolean)
      .join("\n"),
    imageKey: cover.image.key,
    imageWidth: cover.image.width,
    imageHeight: cover.image.height,
    alt: cover.alt,
  };
}

async function insertPages(tx: Db | Tx, pinId: number, pages: StoryPageInput[]) {
  for (const [position, p] of pages.entries())
    await tx
      .insert(storyPages)
      .values({ pinId, position, imageKey: p.image.key, imageWidth: p.image.width, imageHeight: p.image.height, alt: p.alt, text: p.text });
}

/** A story is a card: it is created on one of the author's boards, with its pages, all or nothing. */
export async function createStory(db: Db, user: User, boardId: number, input: StoryInput): Promise<Pin> {
  await requireOwnBoard(db, boardId, user);
  if (input.about !== null) await requireOwnBoard(db, input.about, user); // stories only about your own boards (the form checks too)
  if (!input.pages.length || input.pages.length > MAX_PAGES) throw new Error("a story has 1 to MAX_PAGES pages");
  return transaction(db, async (tx) => {
    const pin = await writtenRow(
      tx
        .insert(pins)
        .values({ ...pinFields(input), creatorId: user.id, source: "story" })
        .returning(),
    );
    await tx.insert(stories).values({ pinId: pin.id, boardId: input.about });
    await insertPages(tx, pin.id, input.pages);
    await tx.insert(boardPins).values({ boardId, pinId: pin.id, position: await nextPosition(tx, boardId), savedBy: user.id });
    await tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId));
    return pin;
  });
}

/** The author's own story (a 404 for a card that is not a story, a 403 for someone else's). */
export async function requireOwnStory(db: Db, pinId: number, user: User): Promise<Pin> {
  const pin = await requireOwnCard(db, pinId, user);
  if (pin.kind !== "story") notFound();
  return pin;
}

export async function updateStory(db: Db, pinId: number, user: User, input: StoryInput): Promise<Pin> {
  await requireOwnStory(db, pinId, user);
  if (input.about !== null) await requireOwnBoard(db, input.about, user);
  if (!input.pages.length || input.pages.length > MAX_PAGES) throw new Error("a story has 1 to MAX_PAGES pages");
  return transaction(db, async (tx) => {
    const pin = await writtenRow(
      tx
        .update(pins)
        .set({ ...pinFields(input), updatedAt: new Date() })
        .where(eq(pins.id, pinId))
        .returning(),
    );
    await tx
      .insert(stories)
      .values({ pinId, boardId: input.about })
      .onConflictDoUpdate({ target: stories.pinId, set: { boardId: input.about } });
    await tx.delete(storyPages).where(eq(storyPages.pinId, pinId));
    await insertPages(tx, pinId, input.pages);
    return pin;
  });
}

/** Deletes the story from every board; returns those boards (to re-index them) and the board it was about. */
export async function deleteStory(db: Db, pinId: number, user: User): Promise<{ boardIds: number[]; about: number | null }> {
  await requireOwnStory(db, pinId, user);
  const about = (await db.select({ boardId: stories.boardId }).from(stories).where(eq(stories.pinId, pinId)).limit(1))[0]?.boardId ?? null;
  const boardIds = await boardsHolding(db, pinId);
  await deleteCard(db, pinId, user);
  return { boardIds, about };
}

export type StoryPageView = { position: number; imageKey: string; imageWidth: number; imageHeight: number; alt: string; text: string };
export type StoryView = { pages: StoryPageView[]; about: { id: number; title: string; lang: Locale } | null };

/** A story's pages and the board it is about (only if this viewer may see that board). Call after the card's own visibility check. */
export async function storyPagesOf(db: Db, pinId: number, viewer: Viewer): Promise<StoryView> {
  const pages = await db
    .select({
      position: storyPages.position,
      imageKey: storyPages.imageKey,
      imageWidth: storyPages.imageWidth,
      imageHeight: storyPages.imageHeight,
      alt: storyPages.alt,
      text: storyPages.text,
    })
    .from(storyPages)
    .where(eq(storyPages.pinId, pinId))
    .orderBy(asc(storyPages.position));
  const [board] = await db
    .select({ id: boards.id, title: boards.title, lang: boards.lang, visibility: boards.visibility, ownerId: boards.ownerId })
    .from(stories)
    .innerJoin(boards, eq(boards.id, stories.boardId))
    .where(eq(stories.pinId, pinId))
    .limit(1);
  // Named only when the viewer could find that board anyway: a story must not give away an unlisted board.
  return { pages, about: board && boardListedFor(board, viewer) ? { id: board.id, title: board.title, lang: board.lang } : null };
}

/** What the editor starts from when editing: the form's values, pages keyed by their stored picture. */
export async function storyFormValues(db: Db, pin: Pin): Promise<StoryValues> {
  const view = await db.select().from(storyPages).where(eq(storyPages.pinId, pin.id)).orderBy(asc(storyPages.position));
  const about = (await db.select({ boardId: stories.boardId }).from(stories).where(eq(stories.pinId, pin.id)).limit(1))[0]?.boardId ?? null;
  return {
    title: pin.title,
    lang: pin.lang,
    about: about ? String(about) : "",
    pages: view.map((p, i) => ({ id: `p${i + 1}`, key: p.imageKey, alt: p.alt, text: p.text })),
  };
}

export type BoardChoice = { id: number; title: string; lang: Locale };

/**
 * The boards offered in the form: `own` (where the story can be saved) and `about` (what it can be
 * about): both only this person's own boards, the board asked for first.
 */
export async function boardChoices(db: Db, user: User, wanted: number | null): Promise<{ own: BoardChoice[]; about: BoardChoice[] }> {
  const own = await db
    .select({ id: boards.id, title: boards.title, lang: boards.lang })
    .from(boards)
    .where(eq(boards.ownerId, user.id))
    .orderBy(desc(boards.updatedAt));
  const first = own.find((b) => b.id === wanted);
  return { own, about: first ? [first, ...own.filter((b) => b !== first)] : own };
}

/**
 * The owner of a board takes a story off it (whoever wrote the story): the story stays on its author's
 * board, it is just no longer about this one. Returns whether there was such a story.
 */
export async function detachStory(db: Db, boardId: number, pinId: number, user: User): Promise<boolean> {
  await requireOwnBoard(db, boardId, user);
  return (
    changed(
      await db
        .update(stories)
        .set({ boardId: null })
        .where(and(eq(stories.pinId, pinId), eq(stories.boardId, boardId))),
    ) > 0
  );
}

/**
 * Stories about a board that this viewer may see: a story is visible like any card by direct link
 * (public, their own, or on the unlisted board whose key they hold — access/visibility.server.ts).
 */
export async function storiesAbout(db: Db, boardId: number, viewer: Viewer, key?: string | null) {
  const visible = pinOpenCondition(viewer, key);
  return await db
    .select({
      id: pins.id,
      title: pins.title,
      lang: pins.lang,
      imageKey: pins.imageKey,
      alt: pins.alt,
      creatorName: users.displayName,
      pageCount: sql<number>`(select count(*) from story_page sp where sp.pin_id = "pin"."id")`.mapWith(Number),
    })
    .from(stories)
    .innerJoin(pins, eq(pins.id, stories.pinId))
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(eq(stories.boardId, boardId), eq(pins.kind, "story"), visible))
    .orderBy(desc(pins.createdAt), desc(pins.id));
}
