import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { ImportIssue, ImportRecord } from "~/lib/import-format";
import type { ImportWarningKey } from "~/lib/import-encoding";
import { boards, importJobs, users, type User, type Visibility } from "../../db/tables";
import { getDb, type Db } from "./db.server";
import { importRecords } from "./import.server";
import { getPipeline } from "./pipeline.server";
import { claimLease, releaseLease } from "./changes/lease.server";

/**
 * Web imports run in the background so the page can show progress. A job lives in SQLite (issue 12,
 * finding 13): its records until it finishes, and its progress, saved in the same transaction as each
 * batch of cards. If the server stops mid-way, the job is resumed when the server starts again (and,
 * failing that, when its progress link is opened), from the first record not yet committed, and the
 * link /import?job=… keeps working.
 */
export type ImportJob = {
  id: string;
  userId: number;
  state: "running" | "done" | "failed";
  total: number;
  done: number;
  created: number;
  skipped: number;
  issues: ImportIssue[];
  warnings: ImportWarningKey[];
  /** The boards the import put cards on, with their titles (links name boards, not numbers). */
  boards: { id: number; title: string }[];
  fileName: string;
};

/** Web imports take small steps for a lively progress bar. */
const WEB_BATCH = 64;

// Jobs running in this process. Across processes (workers, machines) a lease per job in the database
// says who runs it: a row that says "running" with no live lease was cut off by a stop.
const g = globalThis as unknown as { __tableroImportRunning?: Set<string> };
const running = (g.__tableroImportRunning ??= new Set());

type Options = { defaultBoard: string; visibility: Visibility; warnings?: ImportWarningKey[] };

export async function startImportJob(
  user: User,
  fileName: string,
  records: ImportRecord[],
  issues: ImportIssue[],
  opts: Options,
  db: Db = getDb(),
): Promise<ImportJob> {
  // One import at a time per person: two running side by side would race over the same boards.
  const current = await runningImportJob(user.id, db);
  if (current) {
    void ensureRunning(db, current);
    return (await getImportJob(current, user, db))!;
  }
  const id = randomBytes(12).toString("base64url");
  await db.insert(importJobs).values({
    id,
    userId: user.id,
    fileName: fileName.slice(0, 200),
    state: "running",
    total: records.length,
    issues: JSON.stringify(issues.slice(0, 1000)),
    warnings: JSON.stringify(opts.warnings ?? []),
    defaultBoard: opts.defaultBoard,
    visibility: opts.visibility,
    records: JSON.stringify(records),
  });
  void ensureRunning(db, id);
  return (await getImportJob(id, user, db))!;
}

/** The id of this person's running import, if any (one at a time). */
export async function runningImportJob(userId: number, db: Db = getDb()): Promise<string | null> {
  const [row] = await db
    .select({ id: importJobs.id })
    .from(importJobs)
    .where(and(eq(importJobs.userId, userId), eq(importJobs.state, "running")))
    .limit(1);
  return row?.id ?? null;
}

/** A job's lease lasts this long and is renewed with every batch; a dead worker's job is resumed after it. */
export const IMPORT_LEASE_MS = 60_000;
const leaseName = (id: string) => `import:${id}`;

/**
 * Runs the job in this process unless it already runs here or in another process (its lease).
 * Resolves when it ends (tests await it).
 */
export function ensureRunning(db: Db, id: string): Promise<void> {
  if (running.has(id)) return runs.get(id) ?? Promise.resolve();
  running.add(id);
  const run = (async () => {
    await Promise.resolve(); // so `runs` holds this run before its `finally` can remove it
    try {
      if (!(await claimLease(db, leaseName(id), IMPORT_LEASE_MS))) return;
      const [row] = await db.select().from(importJobs).where(eq(importJobs.id, id)).limit(1);
      if (!row || row.state !== "running" || row.records === null) return;
      const [user] = await db.select().from(users).where(eq(users.id, row.userId)).limit(1);
      if (!user) return;
      const records = JSON.parse(row.records) as ImportRecord[];
      const before = new Set(JSON.parse(row.boardIds) as number[]);
      const summary = await importRecords(db, await getPipeline(), user, records, {
        defaultBoard: row.defaultBoard,
        visibility: row.visibility,
        batchSize: WEB_BATCH,
        jobId: id,
        startAt: row.done,
        carried: { created: row.created, skipped: row.skipped },
        // Saved with the batch's cards: after a kill the job resumes exactly where its cards stop.
        inBatch: async (tx, p, touched) => {
          for (const b of touched) before.add(b);
          // Renewal of our own lease, with the batch (in its transaction: `tx` is `db` itself on SQLite,
          // and on PostgreSQL the renewal then commits, or not, with the batch's cards).
          await claimLease(tx, leaseName(id), IMPORT_LEASE_MS);
          await tx
            .update(importJobs)
            .set({
              done: p.done,
              created: p.created,
              skipped: p.skipped,
              boardIds: JSON.stringify([...before]),
              // The clock from here, not SQL's (unixepoch('subsec') is SQLite's alone): both engines take it.
              updatedAt: new Date(),
            })
            .where(eq(importJobs.id, id));
        },
      });
      for (const b of summary.boardIds) before.add(b);
      await db
        .update(importJobs)
        .set({
          state: "done",
          done: summary.done,
          created: summary.created,
          skipped: summary.skipped,
          boardIds: JSON.stringify([...before]),
          records: null,
          updatedAt: new Date(),
        })
        .where(eq(importJobs.id, id));
    } catch (e) {
      console.error(`import job ${id} failed`, e);
      try {
        // The records stay: uploading the file again (or a restart) can still finish it.
        await db.update(importJobs).set({ state: "failed" }).where(eq(importJobs.id, id));
      } catch {
        /* the database itself is gone; nothing to record */
      }
    } finally {
      running.delete(id);
      runs.delete(id);
      try {
        await releaseLease(db, leaseName(id));
      } catch {
        /* a closed database: the lease expires by itself */
      }
    }
  })();
  runs.set(id, run);
  return run;
}
const runs = new Map<string, Promise<void>>();

/** Resumes every job a stop interrupted (called at server start-up). */
export async function resumeImportJobs(db: Db = getDb()): Promise<number> {
  const ids = await db.select({ id: importJobs.id }).from(importJobs).where(eq(importJobs.state, "running"));
  for (const { id } of ids) void ensureRunning(db, id);
  return ids.length;
}

/** A job is only ever shown to the person who started it. A running job found idle is resumed. */
export async function getImportJob(id: string, user: User, db: Db = getDb()): Promise<ImportJob | null> {
  const [row] = await db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.id, id), eq(importJobs.userId, user.id)))
    .limit(1);
  if (!row) return null;
  if (row.state === "running" && !running.has(id)) void ensureRunning(db, id);
  const ids = JSON.parse(row.boardIds) as number[];
  const titles = new Map(
    ids.length
      ? (
          await db
            .select({ id: boards.id, title: boards.title })
            .from(boards)
            .where(and(eq(boards.ownerId, user.id), inArray(boards.id, ids)))
        ).map((b) => [b.id, b.title])
      : [],
  );
  return {
    id: row.id,
    userId: row.userId,
    state: row.state,
    total: row.total,
    done: row.done,
    created: row.created,
    skipped: row.skipped,
    issues: JSON.parse(row.issues) as ImportIssue[],
    warnings: JSON.parse(row.warnings) as ImportWarningKey[],
    boards: ids.filter((b) => titles.has(b)).map((b) => ({ id: b, title: titles.get(b)! })),
    fileName: row.fileName,
  };
}
