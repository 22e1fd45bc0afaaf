/**
 * The tables every service queries, on whichever engine this process runs (docs/decisions/0022).
 *
 * db/schema.ts is the one schema description (sqlite-core). On PostgreSQL (DATABASE_URL=postgres://…)
 * the same names are bound to the tables db/pg/schema.ts derives from it, so a service written once
 * against drizzle's query builder builds PostgreSQL SQL with PostgreSQL column mappers. The engine is
 * fixed for the life of the process, from the environment, when this module is first loaded: the app's
 * server bundle and the scripts each load their own copy, and both must agree without being told.
 * Types stay SQLite's (the builders' shared surface is what services use); tests/unit/tables.test.ts
 * checks that every table of db/schema.ts is bound here.
 */
import * as lite from "./schema";
import { engineFromEnv } from "./engine";
import { pgOwnTables, pgTables } from "./pg/schema";

export * from "./enums";
export type {
  AudioClip,
  Board,
  BoardPin,
  Engagement,
  Pin,
  Review,
  StoredCardState,
  StoryPage,
  User,
  Workshop,
  WorkshopSession,
} from "./schema";

/** The engine whose tables this module exports ("sqlite" unless DATABASE_URL is a postgres:// URL). */
export const tablesEngine = engineFromEnv();

function pick<K extends keyof typeof lite>(name: K): (typeof lite)[K] {
  if (tablesEngine === "sqlite") return lite[name];
  const t = pgTables[name] ?? pgOwnTables[name];
  if (!t) throw new Error(`db/tables.ts: no PostgreSQL table derived for ${name}`);
  return t as unknown as (typeof lite)[K];
}

export const users = pick("users");
export const sessions = pick("sessions");
export const boards = pick("boards");
export const pins = pick("pins");
export const boardPins = pick("boardPins");
export const images = pick("images");
export const interests = pick("interests");
export const pinInterests = pick("pinInterests");
export const boardInterests = pick("boardInterests");
export const embeddingState = pick("embeddingState");
export const searchLog = pick("searchLog");
export const engagements = pick("engagements");
export const servedLists = pick("servedLists");
export const servedItems = pick("servedItems");
export const userInterests = pick("userInterests");
export const userClusters = pick("userClusters");
export const userRankingClusters = pick("userRankingClusters");
export const workshops = pick("workshops");
export const workshopMembers = pick("workshopMembers");
export const workshopInvites = pick("workshopInvites");
export const workshopSessions = pick("workshopSessions");
export const sessionBoards = pick("sessionBoards");
export const attendance = pick("attendance");
export const assignments = pick("assignments");
export const assignmentMembers = pick("assignmentMembers");
export const reviews = pick("reviews");
export const practiceSessions = pick("practiceSessions");
export const reviewLogs = pick("reviewLogs");
export const practiceGrants = pick("practiceGrants");
export const stories = pick("stories");
export const storyPages = pick("storyPages");
export const engagementCounts = pick("engagementCounts");
export const clientSalts = pick("clientSalts");
export const importJobs = pick("importJobs");
export const importItems = pick("importItems");
export const passwordResetTokens = pick("passwordResetTokens");
export const signupRequests = pick("signupRequests");
export const practiceInvites = pick("practiceInvites");
export const rateLimits = pick("rateLimits");
export const changeLog = pick("changeLog");
export const jobLeases = pick("jobLeases");
export const historyDeletions = pick("historyDeletions");
export const audioClips = pick("audioClips");
