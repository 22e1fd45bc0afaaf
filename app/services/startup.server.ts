import { getDb } from "./db.server";
import { resumeImportJobs } from "./import-jobs.server";
import { pruneExpired } from "./retention.server";

/**
 * Work the server does by itself once it starts (imported for its effect by entry.server.tsx, which
 * the server build loads at start-up): prune what is kept for a bounded time, now and daily, and
 * resume the web imports a stop interrupted. Once per process; not in unit tests (they call the
 * functions themselves).
 */
const g = globalThis as unknown as { __tableroStarted?: boolean };

export function startBackgroundWork() {
  if (g.__tableroStarted || process.env.NODE_ENV === "test") return;
  g.__tableroStarted = true;
  const prune = () => {
    // Runs on by itself; a failure (sync or async) is logged, never thrown into the timer.
    try {
      pruneExpired(getDb()).catch((err: unknown) => console.error("retention: prune failed", err));
    } catch (err) {
      console.error("retention: prune failed", err);
    }
  };
  prune();
  setInterval(prune, 24 * 3600_000).unref();
  try {
    resumeImportJobs();
  } catch (err) {
    console.error("import: could not resume jobs", err);
  }
}

startBackgroundWork();
