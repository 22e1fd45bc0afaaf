import { randomBytes } from "node:crypto";
import type { ImportIssue, ImportRecord } from "~/lib/import-format";
import type { User, Visibility } from "../../db/schema";
import { getDb } from "./db.server";
import { importRecords } from "./import.server";
import { getPipeline } from "./pipeline.server";

/**
 * Web imports run in the background so the page can show progress. Jobs live in memory: if the server
 * stops mid-way, uploading the same file again resumes (the import itself skips what is there).
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
  boardIds: number[];
  fileName: string;
};

const g = globalThis as unknown as { __tableroImportJobs?: Map<string, ImportJob> };
const jobs = (g.__tableroImportJobs ??= new Map());

export function startImportJob(user: User, fileName: string, records: ImportRecord[], issues: ImportIssue[], opts: { defaultBoard: string; visibility: Visibility }): ImportJob {
  // One import at a time per person: two running over the same file would both add its cards.
  const running = [...jobs.values()].find((j) => j.userId === user.id && j.state === "running");
  if (running) return running;
  const job: ImportJob = { id: randomBytes(9).toString("base64url"), userId: user.id, state: "running", total: records.length, done: 0, created: 0, skipped: 0, issues, boardIds: [], fileName };
  jobs.set(job.id, job);
  void (async () => {
    try {
      const summary = await importRecords(getDb(), await getPipeline(), user, records, {
        ...opts,
        batchSize: 64,
        onProgress: (p) => Object.assign(job, p),
      });
      Object.assign(job, summary, { state: "done" });
    } catch (e) {
      console.error(e);
      job.state = "failed";
    }
  })();
  return job;
}

/** A job is only ever shown to the person who started it. */
export function getImportJob(id: string, user: User): ImportJob | null {
  const job = jobs.get(id);
  return job && job.userId === user.id ? job : null;
}
