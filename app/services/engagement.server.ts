import { and, count, desc, eq, gte, ne } from "drizzle-orm";
import { z } from "zod";
import {
  ENGAGEMENT_ACTIONS,
  SURFACES,
  engagementCounts,
  engagements,
  historyDeletions,
  pins,
  searchLog,
  servedItems,
  servedLists,
  userClusters,
  userRankingClusters,
  type EngagementAction,
  type Locale,
  type Surface,
} from "../../db/tables";
import { listedPinIds } from "./access/visibility.server";
import { dayOf } from "./client-key.server";
import { changed } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import type { Db } from "./db.server";
import { writeServed } from "./discovery/served-log.server";
import { retrainIfDue } from "./discovery/retrain-job.server";
import { takeEngagementPoints } from "./engagement-limit.server";

/**
 * The engagement log: what people do with cards (impression, click, close-up, save, hide, read-aloud,
 * practice), append-only, the source for the home feed, Pixie, PinSage and PinnerSage.
 *
 * Every accepted batch is written in one small transaction before recordEngagement returns, so an
 * event the API answered 200 for is in SQLite even if the process is killed a moment later (issue 12,
 * finding 13: the old in-memory queue lost the last ~300 ms on `kill -9`). With WAL one transaction
 * per request is cheap (well under a millisecond for a page's batch).
 *
 * The same transaction records, per (card, action, source, day), that this source engaged: popularity
 * and the ranking counts read those rows, so one client counts at most once per card, action and day
 * however many events it sends (finding 7). A source is the account ("u:<id>") or, for visitors, the
 * hashed address ("ip:…", client-key.server.ts) — never a cookie, which a client can invent.
 */

export type Who = {
  userId: number | null;
  sessionKey: string;
  /** Who this counts as for popularity and rate limits; default "u:<id>" or "s:<session key>". */
  source?: string;
};
export type EngagementEvent = {
  pinId: number;
  action: EngagementAction;
  surface: Surface;
  query?: string;
  position?: number;
  requestId?: string;
};
export type RecordResult = { accepted: number; refused: number };

/** Messages are i18n keys in the "feed" namespace. */
export const engagementEventSchema = z.object({
  pinId: z
    .number({ invalid_type_error: "errors.badEvent", required_error: "errors.badEvent" })
    .int("errors.badEvent")
    .positive("errors.badEvent")
    .max(2 ** 31, "errors.badEvent"),
  action: z.enum(ENGAGEMENT_ACTIONS, { errorMap: () => ({ message: "errors.badEvent" }) }),
  surface: z.enum(SURFACES, { errorMap: () => ({ message: "errors.badEvent" }) }),
  query: z.string({ invalid_type_error: "errors.badEvent" }).trim().max(200, "errors.badEvent").optional(),
  position: z
    .number({ invalid_type_error: "errors.badEvent" })
    .int("errors.badEvent")
    .min(0, "errors.badEvent")
    .max(100_000, "errors.badEvent")
    .optional(),
  /** The served list the card was shown in (a request id the page got with the list). */
  requestId: z
    .string({ invalid_type_error: "errors.badEvent" })
    .regex(/^[0-9a-f-]{36}$/, "errors.badEvent")
    .optional(),
});
export const MAX_EVENTS_PER_REQUEST = 100;
export const engagementBatchSchema = z.object(
  {
    events: z
      .array(z.unknown(), { invalid_type_error: "errors.badBody", required_error: "errors.badBody" })
      .min(1, "errors.badBody")
      .max(MAX_EVENTS_PER_REQUEST, "errors.tooManyEvents"),
  },
  { invalid_type_error: "errors.badBody", required_error: "errors.badBody" },
);

type Row = typeof engagements.$inferInsert;

const CHUNK = 500; // rows per INSERT statement (8 columns each, well under SQLite's 32,766 variables)

type State = {
  recompute: {
    fn: ClusterRecompute | null;
    pending: Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>;
    since: Map<string, number>;
    lastRun: Map<string, number>;
  };
};
// On globalThis so the dev server's module reloads keep the pending recomputes.
const g = globalThis as unknown as { __tableroEngagement?: State };
const state: State = (g.__tableroEngagement ??= {
  recompute: { fn: null, pending: new Map(), since: new Map(), lastRun: new Map() },
});

/** The ids among `ids` that this person may see in discovery (public, or their own): events on others are dropped. */
export function visiblePins(db: Db, ids: number[], userId: number | null): Promise<Set<number>> {
  return listedPinIds(db, ids, userId === null ? null : { id: userId });
}

export const sourceOf = (who: Who) => who.source ?? (who.userId !== null ? `u:${who.userId}` : `s:${who.sessionKey.slice(0, 80)}`);

/**
 * Validates and writes events (committed when this returns). An event is refused when it is malformed
 * or names a card that does not exist or that this person cannot see (a private card of someone
 * else). Never throws for bad events; throws if the database cannot commit (nothing is acknowledged).
 */
export async function recordEngagement(db: Db, who: Who, events: readonly unknown[]): Promise<RecordResult> {
  const parsed: EngagementEvent[] = [];
  let refused = 0;
  for (const e of events) {
    const r = engagementEventSchema.safeParse(e);
    if (r.success) parsed.push(r.data);
    else refused++;
  }
  // Events that were on their way while the person deleted their history are not kept either. The
  // time is in the database: the deletion may have been answered by another worker.
  const deletedAt =
    who.userId === null
      ? undefined
      : (await db.select({ at: historyDeletions.at }).from(historyDeletions).where(eq(historyDeletions.userId, who.userId)).limit(1))[0]
          ?.at;
  if (deletedAt !== undefined && Date.now() - deletedAt < DELETE_GRACE_MS) return { accepted: 0, refused: events.length };
  const visible = await visiblePins(
    db,
    parsed.map((e) => e.pinId),
    who.userId,
  );
  const now = Date.now();
  const rows: Row[] = [];
  const servedIn = servedListOf(db, who.sessionKey, now);
  for (const e of parsed) {
    if (!visible.has(e.pinId)) {
      refused++;
      continue;
    }
    rows.push({
      requestId: e.requestId ?? (await servedIn(e.pinId)),
      userId: who.userId,
      sessionKey: who.sessionKey.slice(0, 80),
      pinId: e.pinId,
      action: e.action,
      surface: e.surface,
      query: e.query || null,
      position: e.position ?? null,
      createdAt: new Date(now),
    });
  }
  if (rows.length) {
    await insertAll(db, rows, sourceOf(who), dayOf(now));
    retrainSoon(db);
  }
  if (who.userId !== null && rows.length) noteForClusters(db, who.userId, rows);
  return { accepted: rows.length, refused };
}

/** How long after a list was served an event on one of its cards still joins it (close-up, read-aloud, save on the card's page). */
export const JOIN_WINDOW_MS = 30 * 60_000;

/**
 * For events that came without a request id (the card's own page, a save form without JavaScript):
 * the latest list served to this session within JOIN_WINDOW_MS that showed the card, if any.
 */
function servedListOf(db: Db, sessionKey: string, now: number): (pinId: number) => Promise<string | null> {
  let flushed = false;
  return async (pinId) => {
    if (!flushed) {
      await writeServed(db);
      flushed = true;
    }
    const [hit] = await db
      .select({ id: servedLists.requestId })
      .from(servedItems)
      .innerJoin(servedLists, eq(servedLists.requestId, servedItems.requestId))
      .where(
        and(
          eq(servedItems.pinId, pinId),
          eq(servedLists.sessionKey, sessionKey.slice(0, 80)),
          gte(servedLists.createdAt, new Date(now - JOIN_WINDOW_MS)),
        ),
      )
      .orderBy(desc(servedLists.createdAt))
      .limit(1);
    return hit?.id ?? null;
  };
}

function retrainSoon(db: Db) {
  // Off in unit tests (they train in-process) and where the operator turns it off.
  if (process.env.NODE_ENV === "test" || process.env.TABLERO_RETRAIN === "off") return;
  retrainIfDue(db).catch((err: unknown) => console.error("ranker: retraining check failed", err));
}

/** The events and their once-per-day counts, in one transaction: both or neither. */
async function insertAll(db: Db, rows: Row[], source: string, day: number): Promise<number> {
  const counted = new Set<string>();
  await transaction(db, async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(engagements).values(rows.slice(i, i + CHUNK));
    const counts = [];
    for (const r of rows) {
      const k = `${r.pinId}:${r.action}`;
      if (counted.has(k)) continue;
      counted.add(k);
      counts.push({ pinId: r.pinId, action: r.action, source: source.slice(0, 80), day });
    }
    for (let i = 0; i < counts.length; i += CHUNK)
      await tx
        .insert(engagementCounts)
        .values(counts.slice(i, i + CHUNK))
        .onConflictDoNothing();
  });
  return rows.length;
}

// ── Rate limit (events sent from the page) ──────────────────────────────────────────────────────

/**
 * Actions a page may report. Saves and practice ratings are logged by the server when they happen
 * (the card and practice actions), so a script cannot inflate popularity by claiming them.
 */
export const CLIENT_ACTIONS: readonly EngagementAction[] = ["impression", "click", "closeup", "hide", "readaloud"];

/**
 * Events sent by the page (POST /api/engagement): rate-limited per source (the account, or the
 * visitor's address — stored in SQLite, engagement-limit.server.ts), then recorded. Events past the
 * limit are dropped and counted as `limited`; the page is never made to wait.
 */
export async function recordFromClient(
  db: Db,
  who: Who,
  events: readonly unknown[],
  now = Date.now(),
): Promise<RecordResult & { limited: number }> {
  const allowed = await takeEngagementPoints(db, sourceOf(who), events.length, now);
  const taken = events.slice(0, allowed);
  const fromPage = taken.filter((e) => CLIENT_ACTIONS.includes((e as { action?: EngagementAction } | null)?.action as EngagementAction));
  const result = await recordEngagement(db, who, fromPage);
  return { ...result, refused: result.refused + (taken.length - fromPage.length), limited: events.length - allowed };
}

// ── PinnerSage clusters: recomputed after engagement, off the request path ──────────────────────

export type ClusterRecompute = (db: Db, userId: number) => unknown;

/** After a save or hide, or every RECOMPUTE_EVERY events, a person's clusters are recomputed once,
 * RECOMPUTE_DELAY_MS later (more events in between join the same run), at most once per
 * RECOMPUTE_MIN_GAP_MS per person. */
export const RECOMPUTE_EVERY = 10;
export const RECOMPUTE_DELAY_MS = 1_000;
export const RECOMPUTE_MIN_GAP_MS = 5_000;

/** Which function recomputes a person's clusters (PinnerSage's, set by the feed service). */
export function setClusterRecompute(fn: ClusterRecompute | null) {
  state.recompute.fn = fn;
}

const keyOf = (db: Db, userId: number) => `${dbIds.get(db) ?? registerDb(db)}:${userId}`;
const dbIds = new WeakMap<Db, number>();
let nextDbId = 1;
function registerDb(db: Db) {
  const id = nextDbId++;
  dbIds.set(db, id);
  return id;
}

function noteForClusters(db: Db, userId: number, rows: Row[]) {
  const r = state.recompute;
  if (!r.fn) return;
  const key = keyOf(db, userId);
  const meaningful = rows.filter((x) => x.action !== "impression");
  const strong = meaningful.some((x) => x.action === "save" || x.action === "hide");
  const since = (r.since.get(key) ?? 0) + meaningful.length;
  r.since.set(key, since);
  if (!strong && since < RECOMPUTE_EVERY) return;
  scheduleRecompute(db, userId, key);
}

/**
 * Asks for a person's clusters to be recomputed and stored off the request path (same debounce as
 * after engagement): for a read that found none stored and computed them in memory instead.
 */
export function requestClusterRecompute(db: Db, userId: number) {
  if (state.recompute.fn) scheduleRecompute(db, userId, keyOf(db, userId));
}

function scheduleRecompute(db: Db, userId: number, key: string) {
  const r = state.recompute;
  if (r.pending.has(key)) return;
  const gap = Date.now() - (r.lastRun.get(key) ?? 0);
  const delay = Math.max(RECOMPUTE_DELAY_MS, RECOMPUTE_MIN_GAP_MS - gap);
  const run = () => {
    const entry = r.pending.get(key);
    if (entry) clearTimeout(entry.timer);
    r.pending.delete(key);
    r.since.set(key, 0);
    r.lastRun.set(key, Date.now());
    try {
      void Promise.resolve(r.fn?.(db, userId)).catch((err) => console.error("engagement: cluster recompute failed", err));
    } catch (err) {
      console.error("engagement: cluster recompute failed", err);
    }
  };
  const timer = setTimeout(run, delay);
  timer.unref?.();
  r.pending.set(key, { timer, run });
}

/** Runs every pending cluster recompute now (tests); returns how many ran. */
export function runPendingRecomputes(): number {
  const pending = [...state.recompute.pending.values()];
  for (const p of pending) p.run();
  return pending.length;
}

/** Whether a recompute is waiting for this person (tests). */
export function recomputePending(db: Db, userId: number): boolean {
  return state.recompute.pending.has(keyOf(db, userId));
}

function cancelRecompute(db: Db, userId: number) {
  const key = keyOf(db, userId);
  const entry = state.recompute.pending.get(key);
  if (entry) clearTimeout(entry.timer);
  state.recompute.pending.delete(key);
  state.recompute.since.delete(key);
}

// ── A person's own history (privacy page) ───────────────────────────────────────────────────────

export const HISTORY_PAGE_SIZE = 25;
/** After a person deletes their history, events from pages they had open (sent a little later) are dropped for this long. */
export const DELETE_GRACE_MS = 10_000;

export type HistoryRow = {
  id: number;
  at: Date;
  action: EngagementAction;
  surface: Surface;
  pinId: number;
  /** Null when the card is no longer visible to this person. */
  title: string | null;
  lang: Locale | null;
};

/**
 * One page (1-based) of a person's engagement, newest first. Impressions (cards merely shown in a
 * list) are many and say little, so they are left out unless asked for; `seen` counts them.
 */
export async function historyPage(
  db: Db,
  userId: number,
  page: number,
  opts: { impressions?: boolean } = {},
): Promise<{ rows: HistoryRow[]; total: number; seen: number; page: number; pages: number }> {
  const where = opts.impressions
    ? eq(engagements.userId, userId)
    : and(eq(engagements.userId, userId), ne(engagements.action, "impression"));
  const total = (await db.select({ n: count() }).from(engagements).where(where))[0]?.n ?? 0;
  const seen =
    (
      await db
        .select({ n: count() })
        .from(engagements)
        .where(and(eq(engagements.userId, userId), eq(engagements.action, "impression")))
    )[0]?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const raw = await db
    .select({
      id: engagements.id,
      at: engagements.createdAt,
      action: engagements.action,
      surface: engagements.surface,
      pinId: engagements.pinId,
      title: pins.title,
      lang: pins.lang,
    })
    .from(engagements)
    .innerJoin(pins, eq(pins.id, engagements.pinId))
    .where(where)
    .orderBy(desc(engagements.createdAt), desc(engagements.id))
    .limit(HISTORY_PAGE_SIZE)
    .offset((p - 1) * HISTORY_PAGE_SIZE);
  // A card that has since gone private to someone else keeps its row but not its word.
  const visible = await visiblePins(
    db,
    raw.map((r) => r.pinId),
    userId,
  );
  const rows = raw.map((r) => (visible.has(r.pinId) ? r : { ...r, title: null, lang: null }));
  return { rows, total, seen, page: p, pages };
}

/**
 * Deletes everything "Delete my history" names (/privacy): their events, their once-a-day counts,
 * the lists they were served, their clusters and their searches (search_log rows keyed "u:<id>").
 */
export async function deleteHistory(db: Db, userId: number): Promise<{ deleted: number; searches: number }> {
  await writeServed(db);
  cancelRecompute(db, userId);
  const now = Date.now();
  return transaction(db, async (tx) => {
    await tx
      .insert(historyDeletions)
      .values({ userId, at: now })
      .onConflictDoUpdate({ target: historyDeletions.userId, set: { at: now } });
    const deleted = changed(await tx.delete(engagements).where(eq(engagements.userId, userId)));
    // The lists they were served (with their searches) go too; their items follow by cascade.
    await tx.delete(servedLists).where(eq(servedLists.userId, userId));
    await tx.delete(userClusters).where(eq(userClusters.userId, userId));
    await tx.delete(userRankingClusters).where(eq(userRankingClusters.userId, userId));
    await tx.delete(engagementCounts).where(eq(engagementCounts.source, `u:${userId}`));
    const searches = changed(await tx.delete(searchLog).where(eq(searchLog.sessionKey, `u:${userId}`)));
    return { deleted, searches };
  });
}
