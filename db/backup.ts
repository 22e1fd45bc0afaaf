// Online backup and restore of everything under the data directory: the SQLite database (through
// SQLite's backup API, so a running server's newest commits — still in the WAL — are included and
// the copy is consistent) plus every other file there (pictures, trained models).
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const DB_NAME = "tablero.db";
const MANIFEST = "tablero-backup.json";
/** The database and its WAL/SHM companions are copied by the backup API, never as files. */
const DB_FILES = new Set([DB_NAME, `${DB_NAME}-wal`, `${DB_NAME}-shm`, `${DB_NAME}-journal`]);
/** Files being written right now (a picture's temporary name before its rename) are not part of any state. */
const isTemporary = (name: string) => name.endsWith(".tmp") || name.startsWith(".tmp") || name.startsWith(".before-restore-");

export type Manifest = {
  format: 1;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; migrations: number };
  files: { path: string; bytes: number }[];
};

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Every regular file under `root` (relative paths), skipping the database files and temporaries. */
function dataFiles(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (isTemporary(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...dataFiles(root, full));
    else if (entry.isFile() && !(dir === root && DB_FILES.has(entry.name))) out.push(relative(root, full));
  }
  return out.sort();
}

function checkIntegrity(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`${file}: integrity check failed: ${String(result)}`);
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '__drizzle_migrations'").get();
    return hasMigrations ? (db.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

/**
 * Copies the data directory into `dest` (which must not exist or be empty) while the app may be running.
 * The database goes through SQLite's online backup (readers and writers carry on; the copy is one
 * consistent snapshot); pictures are immutable files named by their content, so a plain copy is safe.
 */
export async function backupTo(dataDir: string, dest: string): Promise<Manifest> {
  const source = join(dataDir, DB_NAME);
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  if (existsSync(dest) && readdirSync(dest).length > 0) throw new Error(`${dest} is not empty: choose a new folder for the backup`);
  mkdirSync(dest, { recursive: true });

  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(join(dest, DB_NAME));
  } finally {
    db.close();
  }
  const migrations = checkIntegrity(join(dest, DB_NAME));

  const files = dataFiles(dataDir).map((path) => {
    const target = join(dest, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(dataDir, path), target);
    return { path, bytes: statSync(target).size };
  });
  const manifest: Manifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    database: { file: DB_NAME, bytes: statSync(join(dest, DB_NAME)).size, sha256: sha256(join(dest, DB_NAME)), migrations },
    files,
  };
  writeFileSync(join(dest, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Reads and checks a backup folder: manifest present, database intact and unchanged, every file there. */
export function verifyBackup(src: string): Manifest {
  const manifestFile = join(src, MANIFEST);
  if (!existsSync(manifestFile)) throw new Error(`${src} is not a Tablero backup (no ${MANIFEST})`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  if (manifest.format !== 1) throw new Error(`Unknown backup format ${String(manifest.format)}`);
  const dbCopy = join(src, manifest.database.file);
  if (!existsSync(dbCopy) || sha256(dbCopy) !== manifest.database.sha256)
    throw new Error(`${dbCopy} is missing or changed since the backup`);
  checkIntegrity(dbCopy);
  for (const f of manifest.files) {
    const p = join(src, f.path);
    if (!existsSync(p) || statSync(p).size !== f.bytes) throw new Error(`${p} is missing or has the wrong size`);
  }
  return manifest;
}

/**
 * Replaces the data directory's contents with a verified backup. Nothing is deleted: whatever was there
 * moves to `.before-restore-<time>/` inside the data directory first. The app must be stopped (a running
 * server would keep writing to the file it has open).
 */
export function restoreFrom(src: string, dataDir: string): { manifest: Manifest; setAside: string | null } {
  const manifest = verifyBackup(src);
  mkdirSync(dataDir, { recursive: true });
  const current = [...readdirSync(dataDir)].filter((n) => !n.startsWith(".before-restore-"));
  let setAside: string | null = null;
  if (current.length > 0) {
    setAside = join(dataDir, `.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    mkdirSync(setAside);
    for (const name of current) renameSync(join(dataDir, name), join(setAside, name));
  }
  copyFileSync(join(src, manifest.database.file), join(dataDir, DB_NAME));
  for (const f of manifest.files) {
    const target = join(dataDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(src, f.path), target);
  }
  return { manifest, setAside };
}
