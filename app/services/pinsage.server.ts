// PinSage for the app: trains card embeddings from the card–board graph and the engagement log
// (models/pinsage), stores them in pin_sage_vec, keeps the learned weights under the data folder so
// new cards can be embedded without retraining, and answers "cards like this one" from them.
//
// The model's output is a residual on the content vector (see models/pinsage/model.ts), so PinSage
// vectors and content vectors (pin_vec) share one space: a card without a pin_sage_vec row is searched
// and found by its content vector, and mixing the two in one nearest-neighbour list is meaningful.

import { rawSql } from "./access/visibility.server";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dataDir } from "../../db/paths";
import {
  boardPairs,
  embedPins,
  topNeighbours,
  trainPinSageModel,
  walkRanking,
  type EpochInfo,
  type PinSageOptions,
  type PinSageWeights,
} from "../../models/pinsage/index";
import { sql } from "drizzle-orm";
import type { Db } from "./db.server";
import { dialectOf } from "./data/dialect.server";
import { inIds } from "./data/id-list.server";
import { exec, rows as raw } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import { loadGraph } from "./graph.server";
import { sageNearest } from "./pinsage-index.server";
import { pinIndex, readVectors, vectorCandidates } from "./vectors.server";

const DAY = 86_400_000;
/** Engagement that says "these cards go together" when one person does it to both, close in time. */
const POSITIVE_ACTIONS = ["click", "closeup", "save", "readaloud", "practice"] as const;

export type TrainPinSageOptions = PinSageOptions & {
  /** Board positives: each card is paired with up to this many random cards of each board it is on. Default 3. */
  boardPairsPerCard?: number;
  /** Engagement positives: two cards engaged in one session within this many minutes. Default 30. */
  windowMinutes?: number;
  /** …each event paired with at most this many following ones. Default 3. */
  followers?: number;
  /** Engagement older than this is not read. Default 365. */
  engagementDays?: number;
  /** At most this many engagement events are read (newest first). Default 200,000. */
  maxEvents?: number;
};

export type TrainPinSageSummary = {
  pins: number;
  /** Cards on public boards (the graph the walks run on). */
  graphPins: number;
  boards: number;
  positives: { boards: number; engagement: number };
  losses: number[];
  written: number;
  weightsFile: string;
  seconds: number;
};

export function weightsFile(): string {
  return join(dataDir(), "models", "pinsage-weights.json");
}

type WeightsJson = Omit<PinSageWeights, "theta"> & { trainedAt: string; theta: string };

function saveWeights(w: PinSageWeights): string {
  const file = weightsFile();
  mkdirSync(dirname(file), { recursive: true });
  const f32 = Float32Array.from(w.theta);
  const json: WeightsJson = {
    ...w,
    trainedAt: new Date().toISOString(),
    theta: Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength).toString("base64"),
  };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(json));
  renameSync(tmp, file); // readers never see half a file
  return file;
}

const weightCache = new Map<string, { mtime: number; weights: PinSageWeights }>();

/** The saved weights (read again only when the file changed), or null before the first training. */
export function loadWeights(): PinSageWeights | null {
  const file = weightsFile();
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return null;
  }
  const cached = weightCache.get(file);
  if (cached && cached.mtime === mtime) return cached.weights;
  const json = JSON.parse(readFileSync(file, "utf8")) as WeightsJson;
  const buf = Buffer.from(json.theta, "base64");
  const f32 = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const weights: PinSageWeights = {
    version: 1,
    dim: json.dim,
    hidden: json.hidden,
    neighbours: json.neighbours,
    walkSteps: json.walkSteps,
    restart: json.restart,
    theta: Float64Array.from(f32),
  };
  weightCache.set(file, { mtime, weights });
  return weights;
}

/**
 * Positive pairs from engagement: two cards engaged in one browsing session (session_key: a signed-in
 * person's or a visitor's) within `windowMinutes`, each event paired with the next `followers` ones.
 */
async function engagementPairs(
  db: Db,
  index: Map<number, number>,
  o: Required<Pick<TrainPinSageOptions, "windowMinutes" | "followers" | "engagementDays" | "maxEvents">>,
): Promise<[number, number][]> {
  const since = Date.now() - o.engagementDays * DAY;
  const actions = sql.join(
    POSITIVE_ACTIONS.map((a) => sql`${a}`),
    sql`, `,
  );
  const rows = (
    await raw<{ u: string; p: number; t: number | string }>(
      db,
      sql`SELECT session_key AS "u", pin_id AS "p", created_at AS "t" FROM (
            SELECT session_key, pin_id, created_at, id FROM engagement
            WHERE created_at >= ${since} AND action IN (${actions})
            ORDER BY created_at DESC LIMIT ${o.maxEvents}) recent
          ORDER BY "u", "t", id`,
    )
  ).map((r) => ({ u: r.u, p: r.p, t: Number(r.t) }));
  const out: [number, number][] = [];
  const seen = new Set<string>();
  const window = o.windowMinutes * 60_000;
  for (let i = 0; i < rows.length; i++) {
    const a = rows[i]!;
    const ai = index.get(a.p);
    if (ai === undefined) continue;
    let taken = 0;
    for (let j = i + 1; j < rows.length && taken < o.followers; j++) {
      const b = rows[j]!;
      if (b.u !== a.u || b.t - a.t > window) break;
      const bi = index.get(b.p);
      if (bi === undefined || bi === ai) continue;
      const key = ai < bi ? `${ai}:${bi}` : `${bi}:${ai}`;
      taken++;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([ai, bi]);
    }
  }
  return out;
}

/** Rows per INSERT on PostgreSQL (two parameters each). */
const PG_BATCH = 500;

// pin_sage_vec is a sqlite-vec table on SQLite (BigInt ids, float32 blobs, no upsert) and a bytea table
// on PostgreSQL (the same bytes as a Buffer), searched there from memory (pinsage-index.server.ts).
async function writeVectors(db: Db, rows: [number, Float32Array][], replaceAll: boolean) {
  if (dialectOf(db) === "pg") {
    await transaction(db, async (tx) => {
      if (replaceAll) await exec(tx, sql`DELETE FROM pin_sage_vec`);
      for (let i = 0; i < rows.length; i += PG_BATCH) {
        const values = sql.join(
          rows.slice(i, i + PG_BATCH).map(([id, v]) => sql`(${id}, ${Buffer.from(v.buffer, v.byteOffset, v.byteLength)})`),
          sql`, `,
        );
        await exec(
          tx,
          sql`INSERT INTO pin_sage_vec (pin_id, embedding) VALUES ${values} ON CONFLICT (pin_id) DO UPDATE SET embedding = excluded.embedding`,
        );
      }
    });
    return;
  }
  await transaction(db, async (tx) => {
    if (replaceAll) await exec(tx, sql`DELETE FROM pin_sage_vec`);
    for (const [id, v] of rows) {
      if (!replaceAll) await exec(tx, sql`DELETE FROM pin_sage_vec WHERE pin_id = ${BigInt(id)}`);
      await exec(tx, sql`INSERT INTO pin_sage_vec(pin_id, embedding) VALUES (${BigInt(id)}, ${v})`);
    }
  });
}

/**
 * Trains PinSage on the cards of public boards and the engagement log, then writes an embedding for
 * every card that has a content vector to pin_sage_vec (replacing what was there) and saves the weights.
 */
export async function trainPinSage(db: Db, opts: TrainPinSageOptions = {}, onEpoch?: (e: EpochInfo) => void): Promise<TrainPinSageSummary> {
  const t0 = Date.now();
  const seed = opts.seed ?? 42;
  const g = await loadGraph(db, { checkEveryMs: 0 });
  const content = await readVectors(db, "pin_vec");
  const N = g.graph.pins;
  const graphContent: (Float32Array | undefined)[] = Array.from({ length: N }, (_, i) => content.get(g.pinIds[i]!));
  const fromBoards = boardPairs(g.graph, opts.boardPairsPerCard ?? 3, seed);
  const fromEngagement = await engagementPairs(db, g.pinIndex, {
    windowMinutes: opts.windowMinutes ?? 30,
    followers: opts.followers ?? 3,
    engagementDays: opts.engagementDays ?? 365,
    maxEvents: opts.maxEvents ?? 200_000,
  });
  const rows: [number, Float32Array][] = [];
  let weights: PinSageWeights | null = null;
  const losses: number[] = [];
  if (N > 0 && graphContent.some((v) => v)) {
    const model = trainPinSageModel({
      graph: g.graph,
      content: graphContent,
      positives: [...fromBoards, ...fromEngagement],
      opts: { ...opts, seed, onEpoch },
    });
    weights = model.weights;
    losses.push(...model.losses);
    for (let i = 0; i < N; i++) if (graphContent[i]) rows.push([g.pinIds[i]!, model.all[i]!]);
  }
  if (!weights) throw new Error("PinSage: no card on a public board has a content vector yet (run `npm run setup` first)");
  // Cards off the public graph (private or unlisted only, or on no board) get the model's output with
  // no neighbours, so every card lives in the same space.
  const off = [...content.keys()].filter((id) => !g.pinIndex.has(id));
  const offVecs = embedPins(
    weights,
    off.map((id) => ({ content: content.get(id), neighbours: [] })),
  );
  off.forEach((id, k) => rows.push([id, offVecs[k]!]));
  await writeVectors(db, rows, true);
  const file = saveWeights(weights);
  return {
    pins: content.size,
    graphPins: N,
    boards: g.graph.boards,
    positives: { boards: fromBoards.length, engagement: fromEngagement.length },
    losses,
    written: rows.length,
    weightsFile: file,
    seconds: (Date.now() - t0) / 1000,
  };
}

/**
 * PinSage vectors for cards, from the saved weights and without retraining (each card's neighbours
 * come from a walk on today's graph), computed in memory and not stored. Empty before the first
 * training, and for cards without a content vector.
 */
export async function computeNewPins(db: Db, pinIds: number[]): Promise<[number, Float32Array][]> {
  const weights = loadWeights();
  if (!weights || pinIds.length === 0) return [];
  const g = await loadGraph(db, { checkEveryMs: 0 });
  const hoods = pinIds.map((id) => {
    const i = g.pinIndex.get(id);
    if (i === undefined) return { pins: [] as number[], weights: [] as number[] };
    const top = topNeighbours(walkRanking(g.graph, i, weights.walkSteps, weights.restart, weights.neighbours, id), weights.neighbours);
    return { pins: top.pins.map((p) => g.pinIds[p]!), weights: top.weights };
  });
  const content = await readVectors(db, "pin_vec", [...new Set([...pinIds, ...hoods.flatMap((h) => h.pins)])]);
  const todo = pinIds.map((id, k) => ({ id, hood: hoods[k]! })).filter((x) => content.has(x.id));
  const vecs = embedPins(
    weights,
    todo.map(({ id, hood }) => ({
      content: content.get(id),
      neighbours: hood.pins.map((p, k) => ({ content: content.get(p), weight: hood.weights[k]! })),
    })),
  );
  return todo.map((x, k) => [x.id, vecs[k]!]);
}

/**
 * Embeds cards with the saved weights, without retraining (computeNewPins), and stores them. Returns
 * how many were written (0 before the first training: callers fall back to pin_vec).
 */
export async function embedNewPins(db: Db, pinIds: number[]): Promise<number> {
  const rows = await computeNewPins(db, pinIds);
  await writeVectors(db, rows, false);
  return rows.length;
}

// ── Storing new cards' vectors off the request path ─────────────────────────────────────────────
// A read (a GET: "More like this", the home feed) that meets cards without a PinSage vector computes
// theirs in memory (computeNewPins) and stores nothing: no GET writes (issue 13, so reads can be
// answered by any worker, or a read-only replica). Storing them is a background job (startup.server.ts
// runs embedMissingSage under a lease, so one worker at a time), which also covers cards nobody has
// looked at yet.

/** Cards with a content vector but no PinSage vector, stored from the saved weights; returns how many. */
export async function embedMissingSage(db: Db, max = 256): Promise<number> {
  if (!loadWeights()) return 0;
  const ids = (
    await raw<{ id: number }>(
      db,
      sql`SELECT e.ref_id AS "id" FROM embedding_state e
          WHERE e.kind = 'pin' AND NOT EXISTS (SELECT 1 FROM pin_sage_vec s WHERE s.pin_id = e.ref_id)
          ORDER BY e.ref_id LIMIT ${max}`,
    )
  ).map((r) => Number(r.id));
  return ids.length ? embedNewPins(db, ids) : 0;
}

/** readOnly: write nothing now (what a GET asks); vectors a read computes are stored later (embedMissingSage). */
export type ReadOptions = { readOnly?: boolean };

export type SageNeighbour = { pinId: number; score: number; distance: number; source: "pinsage" | "content" };

/** "Like this" neighbours are shown to anyone: public cards only (access/visibility.server.ts). */
const PUBLIC = rawSql.pinIsPublic("p.id");

// sqlite-vec's `MATCH … AND k = ?` is SQLite only; PostgreSQL answers from memory (decision 0021):
// PinSage vectors from pinsage-index.server.ts, content vectors from the card index (vectors.server.ts).
async function knn(db: Db, table: "pin_sage_vec" | "pin_vec", v: Float32Array, k: number): Promise<{ id: number; distance: number }[]> {
  if (dialectOf(db) === "pg") {
    if (table === "pin_sage_vec") return sageNearest(db, v, Math.min(4096, k));
    const index = await pinIndex(db);
    return index
      .search(v, Math.min(4096, k), { candidates: Math.max(k, vectorCandidates(index.size)) })
      .map((h) => ({ id: h.id, distance: 1 - h.score }));
  }
  return (
    await raw<{ id: number; distance: number }>(
      db,
      sql`SELECT pin_id AS id, distance FROM ${sql.raw(table)} WHERE embedding MATCH ${v} AND k = ${Math.min(4096, k)} ORDER BY distance`,
    )
  ).map((r) => ({
    id: Number(r.id),
    distance: r.distance,
  }));
}

/** The stored vector of a card for "like this" searches: its PinSage vector, else its content vector. */
export async function sageVector(db: Db, pinId: number): Promise<Float32Array | null> {
  return (await readSageVectors(db, [pinId])).get(pinId) ?? (await readVectors(db, "pin_vec", [pinId])).get(pinId) ?? null;
}

const toF32 = (blob: Buffer) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));

/** PinSage vectors of the given cards (those that have one). */
export async function readSageVectors(db: Db, ids: number[]): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  if (!ids.length) return out;
  // The list can be long: one parameter (json_each / = ANY), not one per id.
  const rows = await raw<{ id: number; embedding: Buffer }>(
    db,
    sql`SELECT pin_id AS id, embedding FROM pin_sage_vec WHERE ${inIds(db, sql`pin_id`, ids)}`,
  );
  for (const r of rows) out.set(Number(r.id), toF32(r.embedding));
  return out;
}

/** Vectors for clustering and "like this": PinSage where there is one, else content. */
export async function readCardVectors(db: Db, ids: number[]): Promise<Map<number, Float32Array>> {
  const out = await readSageVectors(db, ids);
  const missing = ids.filter((id) => !out.has(id));
  for (const [id, v] of await readVectors(db, "pin_vec", missing)) out.set(id, v);
  return out;
}

/**
 * The k cards nearest to a vector, by PinSage vectors (and by content vectors for cards that have no
 * PinSage vector yet), among cards on public boards only. `exclude` ids are skipped.
 */
export async function nearestVisible(
  db: Db,
  v: Float32Array,
  k: number,
  exclude: Set<number> = new Set(),
  o: ReadOptions = {},
): Promise<SageNeighbour[]> {
  const want = k * 3 + exclude.size + 20;
  const sage = await knn(db, "pin_sage_vec", v, want);
  const hasSage = new Set(sage.map((r) => r.id));
  const contentHits = (await knn(db, "pin_vec", v, want)).filter((r) => !hasSage.has(r.id));
  if (contentHits.length) {
    // Content hits that do have a PinSage vector (just not among the nearest by it) are not theirs to claim.
    const withSage = await raw<{ id: number }>(
      db,
      sql`SELECT pin_id AS id FROM pin_sage_vec WHERE ${inIds(
        db,
        sql`pin_id`,
        contentHits.map((r) => r.id),
      )}`,
    );
    const drop = new Set(withSage.map((r) => Number(r.id)));
    for (let i = contentHits.length - 1; i >= 0; i--) if (drop.has(contentHits[i]!.id)) contentHits.splice(i, 1);
  }
  // Cards added since the last training: embed them now from the saved weights (once; the rows stay;
  // with readOnly the rows are stored later, by embedMissingSage), so they are compared in the same space as
  // the rest. Before any training they stay content hits.
  let late: SageNeighbour[] = contentHits.map((r) => ({
    pinId: r.id,
    distance: r.distance,
    score: 1 - r.distance,
    source: "content" as const,
  }));
  if (contentHits.length && loadWeights()) {
    const ids = contentHits.map((r) => r.id).filter((id) => !exclude.has(id));
    let fresh: Map<number, Float32Array>;
    if (o.readOnly) {
      fresh = new Map(await computeNewPins(db, ids));
    } else {
      await embedNewPins(db, ids);
      fresh = await readSageVectors(db, ids);
    }
    late = late.map((r) => {
      const u = fresh.get(r.pinId);
      if (!u) return r;
      let dot = 0;
      for (let i = 0; i < u.length; i++) dot += u[i]! * v[i]!;
      return { pinId: r.pinId, distance: 1 - dot, score: dot, source: "pinsage" as const };
    });
  }
  const merged: SageNeighbour[] = [
    ...sage.map((r) => ({ pinId: r.id, distance: r.distance, score: 1 - r.distance, source: "pinsage" as const })),
    ...late,
  ]
    .filter((r) => !exclude.has(r.pinId))
    .sort((a, b) => a.distance - b.distance || a.pinId - b.pinId);
  if (!merged.length) return [];
  const visible = new Set(
    (
      await raw<{ id: number }>(
        db,
        sql`SELECT p.id AS id FROM pin p WHERE ${inIds(
          db,
          sql`p.id`,
          merged.map((r) => r.pinId),
        )} AND ${sql.raw(PUBLIC)}`,
      )
    ).map((r) => r.id),
  );
  return merged.filter((r) => visible.has(r.pinId)).slice(0, k);
}

/**
 * Cards like this one by their PinSage embeddings, public boards only. A card trained after the last
 * training gets its PinSage vector now, from the saved weights (and keeps it: stored now, or with
 * readOnly computed in memory and stored later by embedMissingSage); before any training, content vectors
 * are used.
 */
export async function sageNeighbours(db: Db, pinId: number, k: number, o: ReadOptions = {}): Promise<SageNeighbour[]> {
  let v: Float32Array | null;
  if (o.readOnly) {
    v = (await readSageVectors(db, [pinId])).get(pinId) ?? null;
    if (!v) {
      v = (await computeNewPins(db, [pinId]))[0]?.[1] ?? null;
    }
    v ??= (await readVectors(db, "pin_vec", [pinId])).get(pinId) ?? null;
  } else {
    if (!(await readSageVectors(db, [pinId])).size) await embedNewPins(db, [pinId]);
    v = await sageVector(db, pinId);
  }
  if (!v) return [];
  return nearestVisible(db, v, k, new Set([pinId]), o);
}
