import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import type { ImportRecord } from "~/lib/import-format";
import { boards, importItems, pins, type User, type Visibility } from "../../db/tables";
import { textCardAlt } from "~/lib/card-alt";
import { createBoard, nextPosition } from "./boards.server";
import type { Db } from "../../db/client";
import { writtenRow } from "./verified-write.server";
import { transaction } from "./data/transaction.server";
import { storeImage, storeTrustedSvg, type StoredImage } from "./images.server";
import { ensureInterests, indexBoards, indexPins, pinIndexQueue } from "./indexing.server";
import type { Pipeline } from "./pipeline.server";
import { boardPins } from "../../db/tables";
import { textCardSvg } from "./text-card.server";

export type ImportOptions = {
  /** Board for records that name none. */
  defaultBoard: string;
  visibility: Visibility;
  /** Folder that relative `image` paths are read from (command line only; the web takes no paths). */
  imageBase?: string;
  /**
   * Records created, then translated and embedded, per step (default 1024). Larger steps cost fewer
   * Apertium pipeline starts and less per-call overhead: 2,000 mixed cards took 11–13 s in steps of
   * 256 and 7.0–8.4 s in steps of 1024 (bench/search.ts, int8 encoder). The web import takes smaller
   * steps for a livelier progress bar.
   */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** The web import job these records belong to (kept on each card's import_item row). */
  jobId?: string;
  /** Records before this index were handled by an earlier run of the same job (resume). */
  startAt?: number;
  /** Counts carried over from that earlier run. */
  carried?: { created: number; skipped: number };
  /**
   * Runs inside each batch's transaction, so a job's saved progress and its cards commit together.
   * It may await only database statements (see data/transaction.server.ts).
   */
  inBatch?: (tx: Db, p: ImportProgress, boardIds: number[]) => void | Promise<void>;
};
export type ImportProgress = { done: number; total: number; created: number; skipped: number };
export type ImportSummary = ImportProgress & { boardIds: number[] };

const sourceOf = (r: Pick<ImportRecord, "id">) => `import:${r.id}`;

/**
 * What makes an imported record the same card as one imported before: its id together with all of its
 * content and the board it goes on (docs/decisions/0017-imports.md). Re-importing the same file (or
 * resuming an interrupted import) finds every card and adds none; another file that reuses ids for
 * different cards gets its cards, never "already there" for a card that is not.
 */
export function recordFingerprint(r: ImportRecord, boardTitle: string): string {
  const content = [r.id, r.title, r.text, r.lang, boardTitle, r.tags.join("\u0001"), r.alt ?? "", r.cue ?? "", r.image ?? ""];
  return createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 32);
}

const boardTitleOf = (r: ImportRecord, o: ImportOptions) => (r.board ?? o.defaultBoard).slice(0, 80);

/**
 * Adds records as cards of the user's boards (created as needed, by title). Resumable: a record whose
 * fingerprint (id and content) matches a card this user imported before is skipped, so a second run
 * after a crash or Ctrl-C adds only what is missing. Each batch is committed before the next; its
 * indexing (translation, embedding) runs while the next batch is created, at most one batch behind.
 * Cards a stop left unindexed are indexed by the next run.
 */
export async function importRecords(db: Db, p: Pipeline, user: User, records: ImportRecord[], o: ImportOptions): Promise<ImportSummary> {
  const batchSize = o.batchSize ?? 1024;
  const have = new Set(
    (await db.select({ fingerprint: importItems.fingerprint }).from(importItems).where(eq(importItems.ownerId, user.id))).map(
      (r) => r.fingerprint,
    ),
  );
  // Cards imported before fingerprints existed: the same id, word and language is the same card.
  const legacy = new Set(
    (
      await db
        .select({ source: pins.source, title: pins.title, lang: pins.lang })
        .from(pins)
        .where(
          and(
            eq(pins.creatorId, user.id),
            like(pins.source, "import:%"),
            sql`not exists (select 1 from import_item i where i.pin_id = ${pins.id})`,
          ),
        )
    ).map((r) => `${r.source}\u0000${r.title}\u0000${r.lang}`),
  );
  const known = (r: ImportRecord, fp: string) => have.has(fp) || legacy.has(`${sourceOf(r)}\u0000${r.title}\u0000${r.lang}`);
  const boardIds = new Map(
    (await db.select({ id: boards.id, title: boards.title }).from(boards).where(eq(boards.ownerId, user.id))).map((b) => [b.title, b.id]),
  );
  const touched = new Set<number>();
  const start = Math.min(o.startAt ?? 0, records.length);
  const progress: ImportProgress = {
    done: start,
    total: records.length,
    created: o.carried?.created ?? 0,
    skipped: o.carried?.skipped ?? 0,
  };
  o.onProgress?.({ ...progress });
  await ensureInterests(db, p);
  const indexing = pinIndexQueue(db, p);
  const inFlight: Promise<number>[] = [];
  for (let i = start; i < records.length; i += batchSize) {
    const batch = records.slice(i, i + batchSize);
    const fingerprints = new Map(batch.map((r) => [r, recordFingerprint(r, boardTitleOf(r, o))]));
    const fresh = batch.filter((r) => !known(r, fingerprints.get(r)!));
    const pictures = new Map<string, StoredImage>();
    for (const r of fresh) pictures.set(r.id, await pictureFor(db, r, o.imageBase));
    // Pictures are stored above, outside: the transaction awaits only database statements.
    const created = await transaction(db, async (tx) => {
      const ids: number[] = [];
      for (const r of fresh) {
        const title = boardTitleOf(r, o);
        let boardId = boardIds.get(title);
        if (boardId === undefined) {
          boardId = (await createBoard(tx, user.id, { title, description: "", lang: r.lang, visibility: o.visibility })).id;
          boardIds.set(title, boardId);
        }
        const image = pictures.get(r.id)!;
        const pin = await writtenRow(
          tx
            .insert(pins)
            .values({
              creatorId: user.id,
              title: r.title,
              note: [r.text, r.tags.length ? r.tags.join(", ") : ""].filter(Boolean).join("\n"),
              cue: r.cue ?? "",
              alt: r.alt ?? textCardAlt(r.title, r.lang),
              lang: r.lang,
              imageKey: image.key,
              imageWidth: image.width,
              imageHeight: image.height,
              source: sourceOf(r),
            })
            .returning({ id: pins.id }),
        );
        await tx.insert(boardPins).values({ boardId, pinId: pin.id, position: await nextPosition(tx, boardId), savedBy: user.id });
        const fingerprint = fingerprints.get(r)!;
        await tx.insert(importItems).values({ pinId: pin.id, ownerId: user.id, recordId: r.id, fingerprint, jobId: o.jobId ?? null });
        touched.add(boardId);
        have.add(fingerprint);
        ids.push(pin.id);
      }
      await o.inBatch?.(
        tx,
        {
          done: progress.done + batch.length,
          total: progress.total,
          created: progress.created + ids.length,
          skipped: progress.skipped + batch.length - ids.length,
        },
        [...touched],
      );
      return ids;
    });
    const written = indexing.add(created);
    written.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    inFlight.push(written);
    if (inFlight.length > 1) await inFlight.shift();
    progress.done += batch.length;
    progress.created += created.length;
    progress.skipped += batch.length - created.length;
    o.onProgress?.({ ...progress });
  }
  await Promise.all(inFlight);
  // Cards a previous, interrupted run created but did not index (they have no embedding yet).
  const unindexed = (
    await db
      .select({ id: pins.id })
      .from(pins)
      .where(
        and(
          eq(pins.creatorId, user.id),
          like(pins.source, "import:%"),
          sql`not exists (select 1 from embedding_state e where e.kind = 'pin' and e.ref_id = ${pins.id})`,
        ),
      )
  ).map((r) => r.id);
  if (unindexed.length) await indexPins(db, p, unindexed);
  await indexBoards(db, p, [...touched]);
  return { ...progress, boardIds: [...touched] };
}

async function pictureFor(db: Db, r: ImportRecord, imageBase?: string): Promise<StoredImage> {
  if (r.image && imageBase && !/^[a-z]+:/i.test(r.image)) {
    const path = isAbsolute(r.image) ? r.image : resolve(imageBase, r.image);
    if (existsSync(path)) {
      try {
        return await storeImage(db, readFileSync(path));
      } catch {
        /* not a picture sharp can read: fall back to a text card */
      }
    }
  }
  return await storeTrustedSvg(db, Buffer.from(textCardSvg(r.title)));
}
