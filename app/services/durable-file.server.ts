import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Files written so that a crash or a full disk never leaves a half-written file under the final name.
 * Pictures are named by the hash of their content and reused by that name: a truncated file kept
 * under it (as a full disk once left) would be served broken for ever, so the bytes go to a temporary
 * file in the same folder, are synced to disk, and only then renamed over the final name (rename is
 * atomic within one file system). On any failure the temporary file is removed and the error thrown.
 */
export function writeFileDurably(path: string, data: Uint8Array): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "wx");
    try {
      for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created, or it is already gone
    }
    throw e;
  }
  syncDir(dirname(path));
}

/** The rename itself is durable only once the folder is synced; some systems refuse that: best effort. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here (e.g. some network file systems): the file itself is already synced
  }
}

/** Whether the file at `path` holds exactly these bytes (same size and same SHA-256); false if missing. */
export function holdsExactly(path: string, data: Uint8Array): boolean {
  try {
    if (statSync(path).size !== data.length) return false;
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    return sha(readFileSync(path)) === sha(data);
  } catch {
    return false;
  }
}

/** Writes the file unless an identical one is already there; a partial or different one is replaced. */
export function ensureFile(path: string, data: Uint8Array): void {
  if (!holdsExactly(path, data)) writeFileDurably(path, data);
}
