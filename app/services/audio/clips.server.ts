import { createHash } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { and, eq, inArray, or } from "drizzle-orm";
import { audioClips, pins, type ClipKind } from "../../../db/tables";
import type { Db } from "../db.server";
import { ensureFile } from "../durable-file.server";
import { pictureDir } from "../pg/picture-store.server";
import { checkAudio, type AudioError } from "./check.server";

/** Recordings live beside the pictures (data/images/audio, or the shared TABLERO_STORAGE_DIR). */
export const audioDir = () => join(pictureDir(), "audio");
const KEY_RE = /^[a-f0-9]{64}\.(webm|ogg|m4a|mp3|wav)$/;
const MIME_OF: Record<string, string> = { webm: "audio/webm", ogg: "audio/ogg", m4a: "audio/mp4", mp3: "audio/mpeg", wav: "audio/wav" };

/** A clip's address; `shareKey` when the card is reached through an unlisted board's link (access/audio.server.ts). */
export const audioUrl = (key: string, shareKey?: string | null) => `/audio/${key}${shareKey ? `?key=${encodeURIComponent(shareKey)}` : ""}`;
/** The file of a clip key, or null for anything that is not one (no path tricks). */
export function audioPath(key: string): string | null {
  return KEY_RE.test(key) ? join(audioDir(), key) : null;
}
export const audioContentType = (key: string) => MIME_OF[key.slice(key.lastIndexOf(".") + 1)] ?? "application/octet-stream";

/** Where a clip belongs: a card (page -1) or one page of a Story Pin, and whether it says the word or a cue. */
export type ClipSlot = { ownerId: number; pinId: number; page: number; kind: ClipKind };
export const CARD_PAGE = -1;

/**
 * Checks the bytes and keeps them under their content hash, then records the clip in its slot,
 * replacing the one there (its file is removed when no other clip uses it). Nothing is stored when the
 * check fails. The caller has already checked that the person may see the card and that the page exists.
 */
export async function saveClip(
  db: Db,
  slot: ClipSlot,
  bytes: Uint8Array,
): Promise<{ ok: true; key: string } | { ok: false; error: AudioError }> {
  const checked = await checkAudio(bytes);
  if (!checked.ok) return checked;
  const { mime, ext, durationMs } = checked.audio;
  const key = `${createHash("sha256").update(bytes).digest("hex")}.${ext}`;
  mkdirSync(audioDir(), { recursive: true });
  ensureFile(join(audioDir(), key), bytes);
  const before = await clipKey(db, slot);
  const row = { key, mime, durationMs, bytes: bytes.length, createdAt: new Date() };
  await db
    .insert(audioClips)
    .values({ ...slot, ...row })
    .onConflictDoUpdate({ target: [audioClips.ownerId, audioClips.pinId, audioClips.page, audioClips.kind], set: row });
  if (before && before !== key) await forgetFileIfUnused(db, before);
  return { ok: true, key };
}

/** Deletes the clip in this slot (and its file, when no other clip uses it); false when there was none. */
export async function deleteClip(db: Db, slot: ClipSlot): Promise<boolean> {
  const key = await clipKey(db, slot);
  if (!key) return false;
  await db.delete(audioClips).where(slotIs(slot));
  await forgetFileIfUnused(db, key);
  return true;
}

const slotIs = (s: ClipSlot) =>
  and(eq(audioClips.ownerId, s.ownerId), eq(audioClips.pinId, s.pinId), eq(audioClips.page, s.page), eq(audioClips.kind, s.kind));

async function clipKey(db: Db, slot: ClipSlot): Promise<string | null> {
  const [row] = await db.select({ key: audioClips.key }).from(audioClips).where(slotIs(slot)).limit(1);
  return row?.key ?? null;
}

/**
 * The recording keys of a person's clips and of the clips on their cards: what deleting the account
 * takes with it (the rows go by ON DELETE CASCADE; the files by forgetFilesIfUnused afterwards).
 */
export async function clipKeysOf(db: Db, ownerId: number, pinIds: number[]): Promise<string[]> {
  const where = pinIds.length ? or(eq(audioClips.ownerId, ownerId), inArray(audioClips.pinId, pinIds)) : eq(audioClips.ownerId, ownerId);
  return [...new Set((await db.select({ key: audioClips.key }).from(audioClips).where(where)).map((r) => r.key))];
}

/** After the rows are gone: the files among `keys` that no clip uses any more leave the disk. */
export async function forgetFilesIfUnused(db: Db, keys: string[]) {
  for (const key of keys) await forgetFileIfUnused(db, key);
}

/** A person's voice is theirs: a recording nobody uses any more does not stay on the disk. */
async function forgetFileIfUnused(db: Db, key: string) {
  const [used] = await db.select({ id: audioClips.id }).from(audioClips).where(eq(audioClips.key, key)).limit(1);
  const path = audioPath(key);
  if (!used && path) rmSync(path, { force: true });
}

export type ClipView = { kind: ClipKind; page: number; url: string; durationMs: number };

/** The person's own clips on one card (every page and kind), for the recording page. */
export async function myClips(db: Db, ownerId: number, pinId: number): Promise<ClipView[]> {
  const rows = await db
    .select({ kind: audioClips.kind, page: audioClips.page, key: audioClips.key, durationMs: audioClips.durationMs })
    .from(audioClips)
    .where(and(eq(audioClips.ownerId, ownerId), eq(audioClips.pinId, pinId)));
  return rows.map((r) => ({ kind: r.kind, page: r.page, url: audioUrl(r.key), durationMs: r.durationMs }));
}

/** What plays for one slot of a card: a URL per kind and page. */
export type Voices = { word: string | null; cue: string | null; pages: Record<number, string> };
const none = (): Voices => ({ word: null, cue: null, pages: {} });

/**
 * The recordings a viewer hears on these cards: their own where they recorded one, else the card
 * creator's (the creator's voice comes with the card); where neither exists, the page falls back to
 * the synthetic voice. Clips of other people are never shown to anyone else.
 */
export async function voicesFor(
  db: Db,
  pinIds: number[],
  viewerId: number | null,
  shareKey: string | null = null,
): Promise<Map<number, Voices>> {
  const out = new Map<number, Voices>();
  if (pinIds.length === 0) return out;
  const whose =
    viewerId === null
      ? eq(audioClips.ownerId, pins.creatorId)
      : or(eq(audioClips.ownerId, pins.creatorId), eq(audioClips.ownerId, viewerId));
  const rows = await db
    .select({
      pinId: audioClips.pinId,
      ownerId: audioClips.ownerId,
      creatorId: pins.creatorId,
      page: audioClips.page,
      kind: audioClips.kind,
      key: audioClips.key,
    })
    .from(audioClips)
    .innerJoin(pins, eq(pins.id, audioClips.pinId))
    .where(and(inArray(audioClips.pinId, [...new Set(pinIds)]), whose));
  // The creator's first, then the viewer's over them.
  rows.sort((a, b) => Number(a.ownerId === viewerId) - Number(b.ownerId === viewerId));
  for (const r of rows) {
    const v = out.get(r.pinId) ?? none();
    const url = audioUrl(r.key, shareKey);
    if (r.page !== CARD_PAGE) v.pages[r.page] = url;
    else if (r.kind === "word") v.word = url;
    else v.cue = url;
    out.set(r.pinId, v);
  }
  return out;
}

/** One card's voices (no recording: all null). */
export async function voicesOf(db: Db, pinId: number, viewerId: number | null, shareKey: string | null = null): Promise<Voices> {
  return (await voicesFor(db, [pinId], viewerId, shareKey)).get(pinId) ?? none();
}
