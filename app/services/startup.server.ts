import { follow, pruneChanges } from "./changes/feed.server";
import { dueOnce } from "./changes/lease.server";
import { getDb } from "./db.server";
import { resumeImportJobs } from "./import-jobs.server";
import { recomputeMissingClusters } from "./pinnersage.server";
import { embedMissingSage } from "./pinsage.server";
import { pruneExpired } from "./retention.server";

/**
 * Work the server does by itself once it starts (imported for its effect by entry.server.tsx, which
 * the server build loads at start-up). Every worker runs these timers; the periodic jobs themselves
 * run exactly once per period across workers (and machines sharing the database), whichever worker
 * takes the job's lease first (changes/lease.server.ts). Not in unit tests (they call the functions
 * themselves); TABLERO_BACKGROUND=0 turns the jobs off (the no-GET-writes browser test).
 */
const g = globalThis as unknown as { __tableroStarted?: boolean };

type Job = { name: string; everyMs: number; tickMs: number; run: () => unknown };

const JOBS: Job[] = [
  // What is kept for a bounded time (retention.server.ts): daily.
  { name: "retention", everyMs: 24 * 3600_000, tickMs: 3600_000, run: () => pruneExpired(getDb()) },
  // The change feed keeps KEEP_MS of rows; a minute of slack is plenty.
  { name: "change_log_prune", everyMs: 60_000, tickMs: 60_000, run: () => pruneChanges(getDb()) },
  // PinSage vectors of cards added since training (what reads compute in memory, stored here).
  { name: "pinsage_new_cards", everyMs: 30_000, tickMs: 30_000, run: () => embedMissingSage(getDb()) },
  // Clusters of people a feed computed in memory because none were stored (engagement's own
  // recompute, on its POST path, covers everyone else).
  { name: "user_clusters", everyMs: 30_000, tickMs: 30_000, run: () => recomputeMissingClusters(getDb()) },
];

/** How often each worker reads the change feed when no request has (keeps idle workers current). */
const FOLLOW_TICK_MS = 500;

export function startBackgroundWork() {
  if (g.__tableroStarted || process.env.NODE_ENV === "test") return;
  g.__tableroStarted = true;
  const follower = setInterval(() => {
    try {
      follow(getDb());
    } catch (err) {
      console.error("change feed: follow failed", err);
    }
  }, FOLLOW_TICK_MS);
  follower.unref();
  if (process.env.TABLERO_BACKGROUND === "0") return;
  for (const job of JOBS) {
    // Runs on: a tick is not awaited by anyone; its failure (sync or async) is logged, never thrown
    // into the timer.
    const tick = async () => {
      try {
        if (await dueOnce(getDb(), job.name, job.everyMs)) await job.run();
      } catch (err) {
        console.error(`background job ${job.name} failed`, err);
      }
    };
    void tick();
    setInterval(() => void tick(), job.tickMs).unref();
  }
  // Each running job is taken by one worker only (import-jobs.server.ts holds a lease per job).
  resumeImportJobs().catch((err: unknown) => console.error("import: could not resume jobs", err));
}

startBackgroundWork();
