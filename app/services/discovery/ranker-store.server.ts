import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { dataDir } from "../../../db/paths";
import { compileBundle, compileBundleBatch, type RankerBundle } from "../../../models/rank/ranker";
import { FEATURE_SET } from "../../../models/rank/features";

/**
 * Trained rankers live in `data/models/` (TABLERO_DATA_DIR/models): one JSON file per version with its
 * training span and validation figures, and `current.json` naming the one in service. Serving reads
 * the current one (re-read when the pointer file changes); without one, lists keep today's fusion.
 */
export function modelsDir(): string {
  return resolve(dataDir(), "models");
}

/** A model in service: `value` scores one row, `values` a request's rows at once (the same numbers, faster). */
type Loaded = {
  bundle: RankerBundle;
  value: (x: ArrayLike<number>) => number;
  values: (rows: readonly ArrayLike<number>[]) => Float64Array;
};
const g = globalThis as unknown as { __tableroRanker?: { dir: string; mtime: number; checkedAt: number; loaded: Loaded | null } };

/** Re-checks the pointer at most this often (a stat per request would be wasted on every list). */
const CHECK_MS = 2000;

/** The ranker in service for this data folder, or null (fusion) when none is trained or its features are not today's. */
export function currentRanker(dir = modelsDir()): Loaded | null {
  const now = Date.now();
  const c = g.__tableroRanker;
  if (c && c.dir === dir && now - c.checkedAt < CHECK_MS) return c.loaded;
  const pointer = join(dir, "current.json");
  let mtime = -1;
  try {
    mtime = statSync(pointer).mtimeMs;
  } catch {
    mtime = -1;
  }
  if (c && c.dir === dir && c.mtime === mtime) {
    c.checkedAt = now;
    return c.loaded;
  }
  let loaded: Loaded | null = null;
  if (mtime >= 0) {
    try {
      const { file } = JSON.parse(readFileSync(pointer, "utf8")) as { file: string };
      loaded = loadBundleFile(join(dir, file));
    } catch (err) {
      console.error("ranker: could not load the current model; serving fusion", err);
    }
  }
  g.__tableroRanker = { dir, mtime, checkedAt: now, loaded };
  return loaded;
}

export function loadBundleFile(file: string): Loaded | null {
  const bundle = JSON.parse(readFileSync(file, "utf8")) as RankerBundle;
  if (bundle.format !== "tablero-ranker@1" || bundle.featureSet !== FEATURE_SET) return null;
  const value = compileBundle(bundle);
  const values = compileBundleBatch(bundle);
  return value && values ? { bundle, value, values } : null;
}

/** Writes a file whole or not at all: a temporary file, synced, then renamed over the name. */
function writeAtomic(file: string, text: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Stores a bundle under its version; with `makeCurrent`, points serving at it. Returns the file. */
export function saveBundle(bundle: RankerBundle, o: { makeCurrent: boolean; dir?: string }): string {
  const dir = o.dir ?? modelsDir();
  mkdirSync(dir, { recursive: true });
  const name = `${bundle.version}.json`;
  writeAtomic(join(dir, name), JSON.stringify(bundle));
  if (o.makeCurrent) {
    writeAtomic(
      join(dir, "current.json"),
      JSON.stringify({ version: bundle.version, file: name, installedAt: new Date().toISOString() }) + "\n",
    );
    if (g.__tableroRanker?.dir === dir) g.__tableroRanker.checkedAt = 0;
  }
  return join(dir, name);
}

/** Versions stored, newest first. */
export function storedVersions(dir = modelsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "current.json")
    .map((f) => f.replace(/\.json$/, ""))
    .sort()
    .reverse();
}
