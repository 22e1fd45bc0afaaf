import { MAX_AUDIO_BODY, MAX_AUDIO_BYTES } from "~/lib/audio-limits";
import { CLIP_KINDS, type ClipKind, type User } from "../../../db/tables";
import { getCardForViewer } from "../cards.server";
import type { Db } from "../db.server";
import { attemptSave } from "../save-failure.server";
import { storyPagesOf } from "../stories.server";
import type { AudioError } from "./check.server";
import { CARD_PAGE, deleteClip, myClips, saveClip, type ClipSlot } from "./clips.server";
import { readForm } from "../form.server";

/** What the recording page shows: the card, its story pages (if a story), and the person's own clips. */
export async function voicePage(db: Db, user: User, cardId: number, shareKey: string | null) {
  const card = await getCardForViewer(db, cardId, user, shareKey);
  const story = card.kind === "story" ? await storyPagesOf(db, card.id, user) : null;
  return {
    card: { id: card.id, title: card.title, lang: card.lang, kind: card.kind, imageKey: card.imageKey, alt: card.alt },
    isCreator: card.creatorId === user.id,
    pages: story ? story.pages.map((p) => ({ position: p.position, imageKey: p.imageKey, alt: p.alt, text: p.text })) : [],
    clips: await myClips(db, user.id, card.id),
  };
}

export type VoiceResult =
  | { ok: true; intent: "save" | "delete"; slot: string }
  | { ok: false; slot: string | null; error: AudioError | "voice:errors.badSlot" | "voice:notSaved"; status: number };

/** A slot's name in the page and in the form: "word", "cue" or "page:<position>". */
export const slotName = (kind: ClipKind, page: number) => (page === CARD_PAGE ? kind : `page:${page}`);

/**
 * Saves or deletes one recording from the page's form (field `slot`, and `audio`: the file, recorded
 * or chosen). A request far over the limit is refused before its body is read; a file over 2 MB, not
 * audio, or over 60 s gets its own translated message and nothing is stored.
 */
export async function voiceAction(db: Db, user: User, cardId: number, shareKey: string | null, request: Request): Promise<VoiceResult> {
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_AUDIO_BODY) {
    return { ok: false, slot: null, error: "voice:errors.tooLarge", status: 413 };
  }
  const card = await getCardForViewer(db, cardId, user, shareKey);
  const form = await readForm(request);
  const name = String(form.get("slot") ?? "");
  const slot = await parseSlot(db, user, card, name);
  if (!slot) return { ok: false, slot: name || null, error: "voice:errors.badSlot", status: 400 };
  if (form.get("intent") === "delete") {
    const done = await attemptSave(() => deleteClip(db, slot));
    if (!done.ok) return { ok: false, slot: name, error: "voice:notSaved", status: 503 };
    return { ok: true, intent: "delete", slot: name };
  }
  const file = form.get("audio");
  if (!(file instanceof File) || file.size === 0) return { ok: false, slot: name, error: "voice:errors.required", status: 400 };
  if (file.size > MAX_AUDIO_BYTES) return { ok: false, slot: name, error: "voice:errors.tooLarge", status: 400 };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const saved = await attemptSave(() => saveClip(db, slot, bytes));
  if (!saved.ok) return { ok: false, slot: name, error: "voice:notSaved", status: 503 };
  if (!saved.value.ok) return { ok: false, slot: name, error: saved.value.error, status: 400 };
  return { ok: true, intent: "save", slot: name };
}

/** "word" and "cue" on any card; "page:<n>" only on a story that has page n. */
async function parseSlot(db: Db, user: User, card: { id: number; kind: string }, name: string): Promise<ClipSlot | null> {
  if ((CLIP_KINDS as readonly string[]).includes(name))
    return { ownerId: user.id, pinId: card.id, page: CARD_PAGE, kind: name as ClipKind };
  const m = name.match(/^page:(\d{1,4})$/);
  if (!m || card.kind !== "story") return null;
  const page = Number(m[1]);
  const { pages } = await storyPagesOf(db, card.id, user);
  return pages.some((p) => p.position === page) ? { ownerId: user.id, pinId: card.id, page, kind: "word" } : null;
}
