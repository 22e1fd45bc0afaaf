import { and, count, desc, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import { ENGAGEMENT_ACTIONS, SURFACES, engagements, pins, servedLists, userClusters, userRankingClusters, type EngagementAction, type Locale, type Surface } from "../../db/schema";
import { listedPinIds } from "./access/visibility.server";
import type { Db } from "./db.server";
import { flushServed } from "./discovery/served-log.server";
import { retrainIfDue } from "./discovery/retrain-job.server";

/**
 * The engagement log: what people do with cards (impression, click, close-up, save, hide, read-aloud,
 * practice), append-only, the source for the home feed, Pixie, PinSage and PinnerSage.
 *
 * Writes are batched: accepted events wait in an in-memory queue that is written in one transaction
 * every FLUSH_MS or as soon as FLUSH_AT events are waiting, and synchronously when the process exits
 * (better-sqlite3 is synchronous, so even the "exit" hook can write). A burst of thousands of events
 * therefore costs a handful of transactions and loses nothing. Readers that need the latest events
 * (the feed, the privacy page) call flushEngagement(db) first.
 */

export type Who = { userId: number | null; sessionKey: string };
export type EngagementEvent = { pinId: number; action: EngagementAction; surface: Surface; query?: string; position?: number; requestId?: string };
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
  position: z.number({ invalid_type_error: "errors.badEvent" }).int("errors.badEvent").min(0, "errors.badEvent").max(100_000, "errors.badEvent").optional(),
  /** The served list the card was shown in (a request id the page got with the list). */
  requestId: z.string({ invalid_type_error: "errors.badEvent" }).regex(/^[0-9a-f-]{36}$/, "errors.badEvent").optional(),
});
export const MAX_EVENTS_PER_REQUEST = 100;
export const engagementBatchSchema = z.object(
  {
    events: z.array(z.unknown(), { invalid_type_error: "errors.badBody", required_error: "errors.badBody" }).min(1, "errors.badBody").max(MAX_EVENTS_PER_REQUEST, "errors.tooManyEvents"),
  },
  { invalid_type_error: "errors.badBody", required_error: "errors.badBody" }
);

type Row = typeof engagements.$inferInsert;

export const FLUSH_MS = 250;
export const FLUSH_AT = 500;
const CHUNK = 500; // rows per INSERT statement (8 columns each, well under SQLite's 32,766 variables)

type State = {
  queues: Map<Db, Row[]>;
  timers: Map<Db, ReturnType<typeof setTimeout>>;
  hooked: boolean;
  buckets: Map<string, { tokens: number; at: number }>;
  deletedAt: Map<string, number>;
  recompute: { fn: ClusterRecompute | null; pending: Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>; since: Map<string, number>; lastRun: Map<string, number> };
};
// On globalThis so the dev server's module reloads keep (and can still flush) the queue.
const g = globalThis as unknown as { __tableroEngagement?: State };
const state: State = (g.__tableroEngagement ??= {
  queues: new Map(),
  timers: new Map(),
  hooked: false,
  buckets: new Map(),
  deletedAt: new Map(),
  recompute: { fn: null, pending: new Map(), since: new Map(), lastRun: new Map() },
});

state.deletedAt ??= new Map(); // a state kept from before this field existed (dev server reloads)

/** The ids among `ids` that this person may see in discovery (public, or their own): events on others are dropped. */
export function visiblePins(db: Db, ids: number[], userId: number | null): Set<number> {
  return listedPinIds(db, ids, userId === null ? null : { id: userId });
}

/**
 * Validates and queues events. An event is refused when it is malformed or names a card that does not
 * exist or that this person cannot see (a private card of someone else). Never throws for bad events.
 */
export function recordEngagement(db: Db, who: Who, events: readonly unknown[]): RecordResult {
  const parsed: EngagementEvent[] = [];
  let refused = 0;
  for (const e of events) {
    const r = engagementEventSchema.safeParse(e);
    if (r.success) parsed.push(r.data);
    else refused++;
  }
  // Events that were on their way while the person deleted their history are not kept either.
  const deletedAt = who.userId === null ? undefined : state.deletedAt.get(keyOf(db, who.userId));
  if (deletedAt !== undefined && Date.now() - deletedAt < DELETE_GRACE_MS) return { accepted: 0, refused: events.length };
  const visible = visiblePins(
    db,
    parsed.map((e) => e.pinId),
    who.userId
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
      requestId: e.requestId ?? servedIn(e.pinId),
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
  if (rows.length) enqueue(db, rows);
  if (who.userId !== null && rows.length) noteForClusters(db, who.userId, rows);
  return { accepted: rows.length, refused };
}

/** How long after a list was served an event on one of its cards still joins it (close-up, read-aloud, save on the card's page). */
export const JOIN_WINDOW_MS = 30 * 60_000;

/**
 * For events that came without a request id (the card's own page, a save form without JavaScript):
 * the latest list served to this session within JOIN_WINDOW_MS that showed the card, if any.
 */
function servedListOf(db: Db, sessionKey: string, now: number): (pinId: number) => string | null {
  let stmt: import("better-sqlite3").Statement<[number, string, number]> | null = null;
  let flushed = false;
  return (pinId) => {
    if (!flushed) {
      flushServed(db);
      flushed = true;
    }
    stmt ??= db.$client.prepare<[number, string, number]>(
      `SELECT l.request_id AS id FROM served_item i JOIN served_list l ON l.request_id = i.request_id
       WHERE i.pin_id = ? AND l.session_key = ? AND l.created_at >= ? ORDER BY l.created_at DESC LIMIT 1`,
    );
    return (stmt.get(pinId, sessionKey.slice(0, 80), now - JOIN_WINDOW_MS) as { id: string } | undefined)?.id ?? null;
  };
}

function enqueue(db: Db, rows: Row[]) {
  hookExit();
  let q = state.queues.get(db);
  if (!q) state.queues.set(db, (q = []));
  for (const r of rows) q.push(r);
  if (q.length >= FLUSH_AT) {
    flushEngagement(db);
    return;
  }
  if (!state.timers.has(db)) {
    const timer = setTimeout(() => {
      state.timers.delete(db);
      flushEngagement(db);
    }, FLUSH_MS);
    timer.unref?.();
    state.timers.set(db, timer);
  }
}

/** How many events wait in memory (for tests and the exit hook). */
export function pendingEngagement(db?: Db): number {
  if (db) return state.queues.get(db)?.length ?? 0;
  let n = 0;
  for (const q of state.queues.values()) n += q.length;
  return n;
}

/**
 * Writes every waiting event (for one database, or all) in one transaction per database; returns how
 * many rows were written. If a card or account was deleted while its events waited, those events are
 * dropped (their rows would break a foreign key) and the rest are still written.
 */
export function flushEngagement(db?: Db): number {
  const targets = db ? [db] : [...state.queues.keys()];
  let written = 0;
  for (const d of targets) {
    const timer = state.timers.get(d);
    if (timer) clearTimeout(timer);
    state.timers.delete(d);
    const q = state.queues.get(d);
    if (!q?.length) continue;
    state.queues.set(d, []);
    try {
      written += insertAll(d, q);
    } catch {
      try {
        written += insertAll(d, stillValid(d, q));
      } catch (err) {
        // A closed or broken database: nothing sensible to retry against.
        console.error(`engagement: dropped ${q.length} events`, err);
      }
    }
  }
  // Enough new engagement since the ranker was last trained starts a retraining in the background.
  if (written) for (const d of targets) retrainSoon(d);
  return written;
}

function retrainSoon(db: Db) {
  // Off in unit tests (they train in-process) and where the operator turns it off.
  if (process.env.NODE_ENV === "test" || process.env.TABLERO_RETRAIN === "off") return;
  try {
    retrainIfDue(db);
  } catch (err) {
    console.error("ranker: retraining check failed", err);
  }
}

function insertAll(db: Db, rows: Row[]): number {
  if (!rows.length) return 0;
  db.transaction((tx) => {
    for (let i = 0; i < rows.length; i += CHUNK)
      tx.insert(engagements)
        .values(rows.slice(i, i + CHUNK))
        .run();
  });
  return rows.length;
}

function stillValid(db: Db, rows: Row[]): Row[] {
  const pinIds = new Set(
    db
      .select({ id: pins.id })
      .from(pins)
      .where(inArray(pins.id, [...new Set(rows.map((r) => r.pinId))]))
      .all()
      .map((r) => r.id)
  );
  const userIds = [...new Set(rows.map((r) => r.userId).filter((u): u is number => u != null))];
  const users = new Set(
    userIds.length ? (db.$client.prepare("SELECT id FROM user WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(userIds)) as { id: number }[]).map((r) => r.id) : []
  );
  return rows.filter((r) => pinIds.has(r.pinId) && (r.userId == null || users.has(r.userId)));
}

/** Flush on the way out: "exit" (synchronous writes still work there), beforeExit, SIGTERM and SIGINT. */
function hookExit() {
  if (state.hooked) return;
  state.hooked = true;
  const flushAll = () => {
    if (pendingEngagement() > 0) flushEngagement();
  };
  process.on("beforeExit", flushAll);
  process.on("exit", flushAll);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const onSignal = () => {
      flushAll();
      // A signal listener replaces Node's default of exiting; if nobody else (e.g. the server's own
      // graceful close) listens, exit as the signal would have.
      if (process.listenerCount(signal) === 1) process.exit(signal === "SIGTERM" ? 143 : 130);
    };
    process.on(signal, onSignal);
  }
}

// ── Rate limit (events sent from the page) ──────────────────────────────────────────────────────

/** Token bucket per session: up to 60 events at once, refilled at 60 per 10 seconds. */
export const RATE = { capacity: 60, perSecond: 6 };

/** Takes up to `n` tokens from the session's bucket; returns how many it got. Never waits. */
export function takeTokens(key: string, n: number, now = Date.now()): number {
  const b = state.buckets.get(key) ?? { tokens: RATE.capacity, at: now };
  b.tokens = Math.min(RATE.capacity, b.tokens + ((now - b.at) / 1000) * RATE.perSecond);
  b.at = now;
  const got = Math.max(0, Math.min(n, Math.floor(b.tokens)));
  b.tokens -= got;
  state.buckets.set(key, b);
  if (state.buckets.size > 20_000) {
    // Forget sessions whose buckets have refilled: they are back where a new bucket starts.
    for (const [k, v] of state.buckets) if (v.tokens + ((now - v.at) / 1000) * RATE.perSecond >= RATE.capacity) state.buckets.delete(k);
  }
  return got;
}

/** Resets every bucket (tests). */
export function resetRateLimits() {
  state.buckets.clear();
}

/**
 * Events sent by the page (POST /api/engagement): rate-limited per session, then recorded. Events past
 * the limit are dropped and counted as `limited`; the page is never made to wait.
 */
/**
 * Actions a page may report. Saves and practice ratings are logged by the server when they happen
 * (the card and practice actions), so a script cannot inflate popularity by claiming them.
 */
export const CLIENT_ACTIONS: readonly EngagementAction[] = ["impression", "click", "closeup", "hide", "readaloud"];

export function recordFromClient(db: Db, who: Who, events: readonly unknown[], now = Date.now()): RecordResult & { limited: number } {
  const allowed = takeTokens(who.sessionKey, events.length, now);
  const taken = events.slice(0, allowed);
  const fromPage = taken.filter((e) => CLIENT_ACTIONS.includes((e as { action?: EngagementAction } | null)?.action as EngagementAction));
  const result = recordEngagement(db, who, fromPage);
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
      flushEngagement(db);
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
export function historyPage(db: Db, userId: number, page: number, opts: { impressions?: boolean } = {}): { rows: HistoryRow[]; total: number; seen: number; page: number; pages: number } {
  flushEngagement(db);
  const where = opts.impressions ? eq(engagements.userId, userId) : and(eq(engagements.userId, userId), ne(engagements.action, "impression"));
  const total = db.select({ n: count() }).from(engagements).where(where).get()?.n ?? 0;
  const seen =
    db
      .select({ n: count() })
      .from(engagements)
      .where(and(eq(engagements.userId, userId), eq(engagements.action, "impression")))
      .get()?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const raw = db
    .select({ id: engagements.id, at: engagements.createdAt, action: engagements.action, surface: engagements.surface, pinId: engagements.pinId, title: pins.title, lang: pins.lang })
    .from(engagements)
    .innerJoin(pins, eq(pins.id, engagements.pinId))
    .where(where)
    .orderBy(desc(engagements.createdAt), desc(engagements.id))
    .limit(HISTORY_PAGE_SIZE)
    .offset((p - 1) * HISTORY_PAGE_SIZE)
    .all();
  // A card that has since gone private to someone else keeps its row but not its word.
  const visible = visiblePins(
    db,
    raw.map((r) => r.pinId),
    userId
  );
  const rows = raw.map((r) => (visible.has(r.pinId) ? r : { ...r, title: null, lang: null }));
  return { rows, total, seen, page: p, pages };
}

/** Deletes everything a person's engagement left behind: their events (also any still queued) and their clusters. */
export function deleteHistory(db: Db, userId: number): { deleted: number } {
  flushEngagement(db);
  flushServed(db);
  cancelRecompute(db, userId);
  state.deletedAt.set(keyOf(db, userId), Date.now());
  return db.transaction((tx) => {
    const deleted = tx.delete(engagements).where(eq(engagements.userId, userId)).run().changes;
    // The lists they were served (with their searches) go too; their items follow by cascade.
    tx.delete(servedLists).where(eq(servedLists.userId, userId)).run();
    tx.delete(userClusters).where(eq(userClusters.userId, userId)).run();
    tx.delete(userRankingClusters).where(eq(userRankingClusters.userId, userId)).run();
    return { deleted };
  });
}
