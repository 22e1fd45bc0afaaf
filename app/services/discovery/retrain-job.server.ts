import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db } from "../db.server";
import { modelsDir } from "./ranker-store.server";
import { joinedEventsSince } from "./served-log.server";
import { primaryOf } from "../data/primary.server";

/**
 * The background job that retrains the ranker when enough new engagement has arrived: at most once a
 * CHECK_EVERY_MS, after the engagement queue is written, it counts the events (clicks, close-ups,
 * saves, hides…) that joined a served list since the last training attempt; from RETRAIN_AFTER_EVENTS
 * on it starts `scripts/train-ranker.ts` in a child process (training takes seconds of CPU the
 * server must not spend on a request), which installs the new model only if it beats the current one.
 * A lock file keeps it to one run at a time; a run older than LOCK_STALE_MS is taken as dead.
 */
export const RETRAIN_AFTER_EVENTS = 500;
export const CHECK_EVERY_MS = 60_000;
export const LOCK_STALE_MS = 30 * 60_000;

type Launch = (dataDir: string, done: () => void) => void;
const lastCheck = new WeakMap<Db, number>();

const attemptFile = (dir: string) => join(dir, "last-attempt.json");
const lockFile = (dir: string) => join(dir, ".training");

/** When training was last started (0: never). */
export function lastAttempt(dir = modelsDir()): number {
  try {
    return (JSON.parse(readFileSync(attemptFile(dir), "utf8")) as { at: number }).at;
  } catch {
    return 0;
  }
}

export type RetrainCheck = "checked-recently" | "not-due" | "busy" | "started";

export async function retrainIfDue(
  reader: Db,
  o: { now?: number; dir?: string; launch?: Launch; force?: boolean } = {},
): Promise<RetrainCheck> {
  const db = primaryOf(reader); // one check per node, on the primary
  const now = o.now ?? Date.now();
  if (!o.force && now - (lastCheck.get(db) ?? 0) < CHECK_EVERY_MS) return "checked-recently";
  lastCheck.set(db, now);
  const dir = o.dir ?? modelsDir();
  const lock = lockFile(dir);
  if (existsSync(lock) && now - statSync(lock).mtimeMs < LOCK_STALE_MS) return "busy";
  if ((await joinedEventsSince(db, lastAttempt(dir))) < RETRAIN_AFTER_EVENTS) return "not-due";
  mkdirSync(dir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  writeFileSync(attemptFile(dir), JSON.stringify({ at: now }) + "\n");
  (o.launch ?? trainInChild)(resolve(dir, ".."), () => rmSync(lock, { force: true }));
  return "started";
}

/** `npm run train:ranker` for this data folder, in a child process of its own (low priority). */
const trainInChild: Launch = (dataDir, done) => {
  const tsx = resolve("node_modules/.bin/tsx");
  const script = resolve("scripts/train-ranker.ts");
  if (!existsSync(tsx) || !existsSync(script)) {
    console.error("ranker: cannot retrain here (tsx or scripts/train-ranker.ts missing)");
    done();
    return;
  }
  const child = spawn(tsx, [script], { env: { ...process.env, TABLERO_DATA_DIR: dataDir }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", done);
  child.on("error", (err) => {
    console.error("ranker: retraining failed to start", err);
    done();
  });
};
