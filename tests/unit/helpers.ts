import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { openDb, type Db } from "../../db/client";
import type { User } from "../../db/schema";
import { signUp } from "../../app/services/users.server";

/** A real SQLite file (and image folder) in a fresh temporary directory, migrated like the app's. */
export function tempDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), "tablero-test-"));
  process.env.TABLERO_DATA_DIR = dir;
  return openDb(join(dir, "tablero.db"));
}

let n = 0;
export async function makeUser(db: Db, name = "Test"): Promise<User> {
  const r = await signUp(db, {
    email: `user${++n}-${Date.now()}@example.com`,
    password: "correct horse battery",
    displayName: name,
    locale: "en",
  });
  if (!r.ok) throw new Error("sign-up failed");
  return r.user;
}

export async function pngBytes(width = 40, height = 30, color = "#3366cc"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

export function fileOf(bytes: Buffer, name: string, type: string): File {
  return new File([new Uint8Array(bytes)], name, { type });
}
