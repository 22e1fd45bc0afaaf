// The card–board graph for Pixie, loaded from board_pin into memory and kept fresh, and the two ways
// the app asks it for cards: "more like this" for one card, and "for you" from a person's recent
// engagement. Only edges on public boards are loaded: a private board is nobody else's business, and an
// unlisted one is shared by link, not advertised through recommendations.

import { rawSql } from "./access/visibility.server";
import type { Locale } from "../../db/tables";
import { buildGraph, pixie, pruneDiverseBoards, queryWeights, type PinBoardGraph, type PixieOptions } from "../../models/pixie";
import { sql } from "drizzle-orm";
import type { Db } from "./db.server";
import { rows as raw } from "./data/raw.server";
import { cursorNow, followNow, subscribe } from "./changes/feed.server";
import { primaryOf } from "./data/primary.server";

export type LoadedGraph = {
  graph: PinBoardGraph;
  /** index → pin id */
  pinIds: Int32Array;
  /** pin id → index */
  pinIndex: Map<number, number>;
  /** index → board id */
  boardIds: Int32Array;
  /** index → 0 for English, 1 for Spanish (for the language bias) */
  pinLang: Uint8Array;
  /** Per board index: 0 = pruned, its cards spread over too many topics (see pruneDiverseBoards). */
  boardKeep: Uint8Array;
  loadedAt: number;
};

type Entry = { loaded: LoadedGraph; stale: boolean };

const cache = new WeakMap<Db, Entry>();

/** How often, at most, a request reads the change feed for this graph (cheap: a primary-key range). */
const CHECK_EVERY_MS = 250;

const LANG_CODE: Record<string, number> = { en: 0, es: 1 };

// board_pin and board visibility changes (any worker's) arrive through the change feed (migration 0013).
/** Per connection: how many changes the feed reported, so a build that overlapped one is known stale. */
const generation = new WeakMap<Db, number>();
const bump = (db: Db) => {
  generation.set(db, (generation.get(db) ?? 0) + 1);
  const e = cache.get(db);
  if (e) e.stale = true;
};
subscribe("graph", { apply: bump, reset: bump });

async function build(db: Db): Promise<LoadedGraph> {
  // Ordered by board and position, so a board's cards get neighbouring indices: walks move between
  // cards that share boards, and then share cache lines of the per-pin arrays.
  // rows() holds every public edge in memory at once as objects (the old prepared statement returned
  // arrays); fine at our size (a few MB per 100k edges) — a much larger graph wants a cursor per engine.
  const rows = (
    await raw<{ pin: number; board: number; lang: string }>(
      db,
      sql`SELECT bp.pin_id AS "pin", bp.board_id AS "board", p.lang AS "lang" FROM board_pin bp
          JOIN board b ON b.id = bp.board_id JOIN pin p ON p.id = bp.pin_id
          WHERE ${sql.raw(rawSql.boardIsPublic("b"))} ORDER BY bp.board_id, bp.position, bp.pin_id`,
    )
  ).map((r) => [r.pin, r.board, r.lang] as [number, number, string]);
  const pinIndex = new Map<number, number>();
  const boardIndex = new Map<number, number>();
  const pinIdList: number[] = [];
  const boardIdList: number[] = [];
  const langs: number[] = [];
  const edgePins = new Uint32Array(rows.length);
  const edgeBoards = new Uint32Array(rows.length);
  rows.forEach(([pinId, boardId, lang], i) => {
    let p = pinIndex.get(pinId);
    if (p === undefined) {
      p = pinIdList.length;
      pinIndex.set(pinId, p);
      pinIdList.push(pinId);
      langs.push(LANG_CODE[lang] ?? 0);
    }
    let b = boardIndex.get(boardId);
    if (b === undefined) {
      b = boardIdList.length;
      boardIndex.set(boardId, b);
      boardIdList.push(boardId);
    }
    edgePins[i] = p;
    edgeBoards[i] = b;
  });
  const graph = buildGraph(pinIdList.length, boardIdList.length, edgePins, edgeBoards);
  return {
    graph,
    pinIds: Int32Array.from(pinIdList),
    pinIndex,
    boardIds: Int32Array.from(boardIdList),
    pinLang: Uint8Array.from(langs),
    boardKeep: await boardKeep(db, graph, pinIndex),
    loadedAt: Date.now(),
  };
}

/**
 * Boards to leave out of walks: those whose cards spread over more than MAX_BOARD_ENTROPY bits of
 * top-level topics. A card counts with its strongest interest, lifted to the root of the taxonomy
 * ("apple" → food), so a food board with fruit, bread and drinks is one topic, while a "things I
 * liked" board of food, animals, clothes, feelings and places is five. 2.5 bits is about six evenly
 * mixed topics: only boards that really are grab-bags, and small boards (a board of n cards is at most
 * log2 n bits) stay in. Cards with no interest yet add nothing.
 */
const MAX_BOARD_ENTROPY = 2.5;

async function boardKeep(db: Db, graph: PinBoardGraph, pinIndex: Map<number, number>): Promise<Uint8Array> {
  const roots = new Map<number, number>();
  const rows = (
    await raw<{ id: number; slug: string; parent: string | null }>(
      db,
      sql`SELECT id AS "id", slug AS "slug", parent_slug AS "parent" FROM interest`,
    )
  ).map((r) => [r.id, r.slug, r.parent] as [number, string, string | null]);
  const bySlug = new Map(rows.map(([id, slug, parent]) => [slug, { id, parent }]));
  for (const [id, slug] of rows) {
    let node = bySlug.get(slug)!;
    for (let guard = 0; node.parent && bySlug.has(node.parent) && guard < 20; guard++) node = bySlug.get(node.parent)!;
    roots.set(id, node.id);
  }
  const topic = new Int32Array(graph.pins).fill(-1);
  const best = new Float64Array(graph.pins);
  // The whole pin_interest table in memory at once (it was streamed row by row before): fine at our
  // size, a few MB per 100k rows; a much larger catalogue wants a cursor per engine here.
  const pi = await raw<{ pinId: number; interestId: number; score: number }>(
    db,
    sql`SELECT pin_id AS "pinId", interest_id AS "interestId", score AS "score" FROM pin_interest`,
  );
  for (const { pinId, interestId, score } of pi) {
    const i = pinIndex.get(pinId);
    if (i === undefined || score <= best[i]!) continue;
    best[i] = score;
    topic[i] = roots.get(interestId) ?? interestId;
  }
  const none: number[] = [];
  return pruneDiverseBoards(graph, (p) => (topic[p]! >= 0 ? [topic[p]!] : none), MAX_BOARD_ENTROPY);
}

/**
 * The graph of cards on public boards, built once per database connection and rebuilt when the change
 * feed says board_pin or a board's visibility changed (read at most every `checkEveryMs`; 0 reads it
 * on every call). A rebuild happens on the request that finds the graph stale.
 */
export async function loadGraph(reader: Db, opts: { checkEveryMs?: number } = {}): Promise<LoadedGraph> {
  // One graph per node, built from and following the primary (a page reading a replica uses it too).
  const db = primaryOf(reader);
  await cursorNow(db); // before building: changes committed while building are seen by the next read
  await followNow(db, opts.checkEveryMs ?? CHECK_EVERY_MS);
  const entry = cache.get(db);
  if (entry && !entry.stale) return entry.loaded;
  // One build at a time per connection: requests that find the graph stale while it is being built
  // wait for that build instead of starting their own (on PostgreSQL a build really awaits I/O).
  let pending = building.get(db);
  if (!pending) {
    // A change the feed reports while the build reads leaves the new graph stale (rebuilt next time).
    const startedAt = generation.get(db) ?? 0;
    pending = build(db)
      .then((loaded) => {
        cache.set(db, { loaded, stale: (generation.get(db) ?? 0) !== startedAt });
        return loaded;
      })
      .finally(() => building.delete(db));
    building.set(db, pending);
  }
  return pending;
}
const building = new WeakMap<Db, Promise<LoadedGraph>>();

export type PixieServiceOptions = {
  limit?: number;
  /** The person's language: their cards in it are walked into more often. */
  lang?: Locale;
  /** Interest ids the person follows (user_interest) or that their cards are about. */
  interestIds?: number[];
  /** Pin ids never to return (e.g. already on the person's boards). */
  exclude?: number[];
  /** Passed to Pixie (steps, alpha, seed, early stopping). */
  pixie?: Omit<PixieOptions, "pinBias" | "exclude" | "limit" | "boardKeep">;
  checkEveryMs?: number;
};

export type Recommendation = { pinId: number; score: number };

/**
 * Bias towards the person's language and interests. A card in another language keeps 0.35 and one off
 * their interests 0.5: people recovering from aphasia usually practise in one language, but a picture
 * card in the other language is still useful, so the walk leans rather than filters.
 */
async function biasFor(db: Db, g: LoadedGraph, lang?: Locale, interestIds?: number[]): Promise<Float32Array | undefined> {
  const wantsInterests = !!interestIds && interestIds.length > 0;
  if (!lang && !wantsInterests) return undefined;
  const bias = new Float32Array(g.graph.pins).fill(1);
  if (lang) {
    const code = LANG_CODE[lang] ?? 0;
    for (let i = 0; i < bias.length; i++) if (g.pinLang[i] !== code) bias[i] = 0.35;
  }
  if (wantsInterests) {
    const ids = interestIds!.filter((n) => Number.isInteger(n));
    const onTopic = new Uint8Array(g.graph.pins);
    if (ids.length > 0) {
      const rows = await raw<{ pinId: number }>(
        db,
        sql`SELECT DISTINCT pin_id AS "pinId" FROM pin_interest WHERE interest_id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
      for (const { pinId } of rows) {
        const i = g.pinIndex.get(pinId);
        if (i !== undefined) onTopic[i] = 1;
      }
    }
    for (let i = 0; i < bias.length; i++) if (!onTopic[i]) bias[i]! *= 0.5;
  }
  return bias;
}

async function run(
  db: Db,
  g: LoadedGraph,
  queries: { pin: number; weight: number }[],
  opts: PixieServiceOptions,
): Promise<Recommendation[]> {
  if (queries.length === 0) return [];
  const exclude: number[] = [];
  for (const id of opts.exclude ?? []) {
    const i = g.pinIndex.get(id);
    if (i !== undefined) exclude.push(i);
  }
  const base = { ...opts.pixie, limit: opts.limit ?? 24, exclude, pinBias: await biasFor(db, g, opts.lang, opts.interestIds) };
  let results = pixie(g.graph, queries, { ...base, boardKeep: g.boardKeep });
  // A card that sits only on grab-bag boards still deserves an answer: walk those boards then.
  if (results.length === 0) results = pixie(g.graph, queries, base);
  return results.map((r) => ({ pinId: g.pinIds[r.pin]!, score: r.score }));
}

/** "More like this": cards kept on the same public boards as this one, and on boards like them. */
export async function relatedByPixie(db: Db, pinId: number, opts: PixieServiceOptions = {}): Promise<Recommendation[]> {
  const g = await loadGraph(db, { checkEveryMs: opts.checkEveryMs });
  const i = g.pinIndex.get(pinId);
  if (i === undefined) return [];
  return run(db, g, [{ pin: i, weight: 1 }], opts);
}

export type EngagementEvent = { pinId: number; action: string; at: Date | number };

/**
 * "For you": walks from the cards a person engaged with recently (saves count most, recent events more;
 * see queryWeights). Cards they hid are never returned.
 */
export async function pixieForUser(
  db: Db,
  events: EngagementEvent[],
  opts: PixieServiceOptions & { now?: Date | number } = {},
): Promise<Recommendation[]> {
  const g = await loadGraph(db, { checkEveryMs: opts.checkEveryMs });
  const now = opts.now === undefined ? Date.now() : +opts.now;
  const day = 86_400_000;
  const hidden = events.filter((e) => e.action === "hide").map((e) => e.pinId);
  const indexed: { pin: number; action: string; ageDays: number }[] = [];
  for (const e of events) {
    const i = g.pinIndex.get(e.pinId);
    if (i !== undefined) indexed.push({ pin: i, action: e.action, ageDays: (now - +e.at) / day });
  }
  return run(db, g, queryWeights(indexed), { ...opts, exclude: [...(opts.exclude ?? []), ...hidden] });
}
