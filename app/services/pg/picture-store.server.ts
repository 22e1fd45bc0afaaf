/**
 * Where pictures live, behind one small interface, so that several nodes can share them. Not specific
 * to PostgreSQL; it sits with the other pieces a multi-node deployment needs.
 *
 * The local implementation is today's behaviour (files named by the sha256 of their content under
 * data/images). TABLERO_STORAGE_DIR points it at a directory every node mounts (NFS or similar): names
 * are content hashes, so two nodes writing the same picture write the same bytes, and each write goes
 * to a temporary file renamed into place, so a reader never sees half a file. An object store would be
 * another implementation of the same three methods.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { imageDir } from "../../../db/paths";
import { ensureFile } from "../durable-file.server";

export interface PictureStore {
  /** Stores the bytes under `key` (idempotent: the key is the content's hash). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when there is no such picture. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the picture; no error when it is already gone. */
  delete(key: string): Promise<void>;
}

/** A picture key as images.server.ts makes them: sha256 hex plus extension. Anything else is refused. */
const KEY_RE = /^[a-f0-9]{64}\.(webp|svg)$/;

/** TABLERO_STORAGE_DIR when set (shared by several nodes), else data/images. */
export function pictureDir(env: Record<string, string | undefined> = process.env): string {
  return env.TABLERO_STORAGE_DIR ? resolve(env.TABLERO_STORAGE_DIR) : imageDir();
}

export type LocalPictureStore = PictureStore & { readonly dir: string; path(key: string): string };

export function localPictureStore(dir = pictureDir()): LocalPictureStore {
  const path = (key: string) => {
    if (!KEY_RE.test(key)) throw new Error(`not a picture key: ${JSON.stringify(key)}`);
    return join(dir, key);
  };
  return {
    dir,
    path,
    async put(key, bytes) {
      const p = path(key);
      mkdirSync(dir, { recursive: true });
      ensureFile(p, bytes);
    },
    async get(key) {
      try {
        return readFileSync(path(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async delete(key) {
      rmSync(path(key), { force: true });
    },
  };
}
