import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { images } from "../../db/tables";
import type { Db } from "./db.server";
import { ensureFile } from "./durable-file.server";
// data/images, or TABLERO_STORAGE_DIR: a directory several nodes share (docs/decisions/0021-postgresql.md).
import { pictureDir as imageDir } from "./pg/picture-store.server";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Longest side of the stored picture: large enough for a full-screen close-up, small enough to load fast. */
const DISPLAY_PX = 1024;

/** What we take, by the format sharp reads from the bytes, and the MIME types a browser may claim for it. */
const ACCEPTED: Record<string, string[]> = {
  png: ["image/png"],
  jpeg: ["image/jpeg", "image/jpg", "image/pjpeg"],
  webp: ["image/webp"],
  gif: ["image/gif"],
};
export const ACCEPT_ATTR = Object.values(ACCEPTED).flat().join(",");

export type StoredImage = { key: string; width: number; height: number };
export type ImageError = "errors.imageRequired" | "errors.imageTooLarge" | "errors.imageType" | "errors.imageMismatch";

/**
 * Checks an upload by its bytes (not its name), then re-encodes it: the stored file never carries the
 * original's metadata or any payload hidden in it.
 */
export async function storeUpload(db: Db, file: File | null): Promise<{ ok: true; image: StoredImage } | { ok: false; error: ImageError }> {
  if (!file || file.size === 0) return { ok: false, error: "errors.imageRequired" };
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, error: "errors.imageTooLarge" };
  const bytes = Buffer.from(await file.arrayBuffer());
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    format = undefined;
  }
  const claimed = file.type.toLowerCase();
  if (!format || !ACCEPTED[format]) {
    // Bytes that are not a picture we take: say "mismatch" if the name/type claimed one we take.
    return { ok: false, error: Object.values(ACCEPTED).flat().includes(claimed) ? "errors.imageMismatch" : "errors.imageType" };
  }
  if (claimed && claimed !== "application/octet-stream" && !ACCEPTED[format].includes(claimed)) {
    return { ok: false, error: "errors.imageMismatch" };
  }
  // Only a picture sharp cannot decode is the person's problem; a full or read-only disk while storing
  // it is ours, and is thrown (the form then says "could not save", not "wrong type").
  let encoded: Encoded;
  try {
    encoded = await encode(bytes);
  } catch {
    return { ok: false, error: "errors.imageType" };
  }
  return { ok: true, image: await keep(db, encoded) };
}

type Encoded = { data: Buffer; width: number; height: number };

async function encode(input: Buffer): Promise<Encoded> {
  const { data, info } = await sharp(input, { animated: false })
    .rotate()
    .resize(DISPLAY_PX, DISPLAY_PX, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .webp({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Stores encoded bytes under their content hash (a partial file left by a full disk is rewritten). */
async function keep(db: Db, { data, width, height }: Encoded): Promise<StoredImage> {
  const key = `${createHash("sha256").update(data).digest("hex")}.webp`;
  const dir = imageDir();
  mkdirSync(dir, { recursive: true });
  ensureFile(join(dir, key), data);
  await db.insert(images).values({ key, width, height, bytes: data.length }).onConflictDoNothing();
  return { key, width, height };
}

/** Re-encodes a picture to a resized WebP on white (transparent areas would vanish in high contrast). */
export async function storeImage(db: Db, input: Buffer): Promise<StoredImage> {
  return keep(db, await encode(input));
}

/**
 * The starter library's OpenMoji SVGs come from a package we ship, not from users: they are stored as
 * they are (sharp for rasterising 500 of them took a minute at first run) and stay sharp at any size.
 * Uploads never take this path.
 */
export async function storeTrustedSvg(db: Db, svg: Buffer): Promise<StoredImage> {
  const key = `${createHash("sha256").update(svg).digest("hex")}.svg`;
  const dir = imageDir();
  mkdirSync(dir, { recursive: true });
  ensureFile(join(dir, key), svg);
  const image = { key, width: 512, height: 512 };
  await db
    .insert(images)
    .values({ ...image, bytes: svg.length })
    .onConflictDoNothing();
  return image;
}

const KEY_RE = /^[a-f0-9]{64}\.(webp|svg)$/;
export const imageContentType = (key: string) => (key.endsWith(".svg") ? "image/svg+xml" : "image/webp");
export function imagePath(key: string): string | null {
  return KEY_RE.test(key) ? join(imageDir(), key) : null;
}
