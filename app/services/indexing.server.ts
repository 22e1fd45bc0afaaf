import { and, eq, inArray, sql } from "drizzle-orm";
import { rawSql } from "./access/visibility.server";
import { contentHash, embedInBatches } from "../../models/embed/index";
import { matchSynonyms } from "../../models/taxonomy/index";
import { boardInterests, boardPins, boards, embeddingState, interests, pinInterests, pins, LOCALES, type Locale } from "../../db/tables";
import type { Db } from "./db.server";
import { exec } from "./data/raw.server";
import { dialectOf } from "./data/dialect.server";
import { deletePinText, putBoardText, putPinText } from "./pg/text-index.server";
import { pgQueryable } from "./pg/queryable.server";
import { transaction } from "./data/transaction.server";
import { getPipeline, type Pipeline } from "./pipeline.server";
import { deleteVector, hasPinIndex, pinIndex, readVectors, upsertVector } from "./vectors.server";
import { primaryOf } from "./data/primary.server";
import { arabicWithoutArticle, foldArabic } from "../../models/query/arabic-fold";

/**
 * Content understanding for cards and boards: English text for the encoder (Apertium for other
 * languages, when installed), the embedding in sqlite-vec, the full-text row, and scored interests.
 * Idempotent: a content hash of what would be embedded skips unchanged rows.
 */

const TOP_INTERESTS = 5;
const MIN_INTEREST_SCORE = 0.2;

/** Loads the taxonomy into the database and embeds its labels, once per taxonomy version. */
export async function ensureInterests(db: Db, p: Pipeline): Promise<void> {
  const have =
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(interests)
        .where(eq(interests.version, p.taxonomy.version))
        .limit(1)
    )[0]?.n ?? 0;
  const nodes = p.taxonomy.all();
  if (have === nodes.length) return;
  const depth = (slug: string) => p.taxonomy.ancestors(slug).length + 1;
  await transaction(db, async (tx) => {
    for (const n of nodes) {
      const row = {
        slug: n.slug,
        parentSlug: n.parent,
        depth: depth(n.slug),
        labelEn: n.labels.en,
        labelEs: n.labels.es,
        synonymsEn: n.synonyms.en,
        synonymsEs: n.synonyms.es,
        version: p.taxonomy.version,
      };
      await tx.insert(interests).values(row).onConflictDoUpdate({ target: interests.slug, set: row });
    }
  });
  const rows = await db.select().from(interests);
  // An interest is embedded as its English label with its synonyms: the encoder is English-only.
  const texts = rows.map((r) => `${r.labelEn}: ${r.synonymsEn.join(", ")}`);
  const vecs = await embedInBatches(p.embedder, texts);
  await transaction(db, async (tx) => {
    for (const [i, r] of rows.entries()) await upsertVector(tx, "interest_vec", r.id, vecs[i]!);
  });
  interestCache.delete(db);
}

/** The interests' label vectors, also as one row-major matrix: scoring a card reads them all. */
type InterestVectors = { ids: number[]; slugs: string[]; vecs: Float32Array[]; matrix: Float32Array; bySlug: Map<string, number> };
const interestCache = new WeakMap<Db, InterestVectors>();
export async function interestVectors(reader: Db): Promise<InterestVectors> {
  // Kept under the primary: that is the handle whose writes drop it (above).
  const db = primaryOf(reader);
  let c = interestCache.get(db);
  if (!c) {
    const rows = await db.select({ id: interests.id, slug: interests.slug }).from(interests);
    const vecs = await readVectors(db, "interest_vec");
    const kept = rows.filter((r) => vecs.has(r.id));
    const list = kept.map((r) => vecs.get(r.id)!);
    const matrix = new Float32Array(list.reduce((n, v) => n + v.length, 0));
    list.forEach((v, i) => matrix.set(v, i * v.length));
    c = {
      ids: kept.map((r) => r.id),
      slugs: kept.map((r) => r.slug),
      vecs: list,
      matrix,
      bySlug: new Map(kept.map((r) => [r.slug, r.id])),
    };
    interestCache.set(db, c);
  }
  return c;
}

/**
 * Scores interests for a text and its embedding: a synonym match (either language) counts most; the
 * embedding's similarity to each interest's label fills in what no synonym names. `iv` is
 * interestVectors(db), read once by the caller (this runs inside index transactions, for every card).
 */
export function scoreInterests(
  iv: InterestVectors,
  p: Pipeline,
  texts: string[],
  vec: Float32Array,
): { interestId: number; slug: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const [i, text] of texts.entries()) {
    const weight = i === 0 ? 1 : 0.5; // the first text is the main one (the word); others are context
    for (const m of matchSynonyms(p.taxonomy, text)) scores.set(m.slug, Math.max(scores.get(m.slug) ?? 0, 0.6 * m.score * weight));
  }
  // Cosines (unit vectors) against every interest in one pass over the matrix: an import scores
  // every card, and this loop ran on the same thread as the encoder's batches.
  const { matrix, slugs } = iv;
  const dim = vec.length;
  for (let i = 0, off = 0; i < slugs.length; i++, off += dim) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += vec[j]! * matrix[off + j]!;
    const sim = Math.min(1, Math.max(0, (dot - 0.3) / 0.5));
    if (sim > 0) scores.set(slugs[i]!, (scores.get(slugs[i]!) ?? 0) + 0.4 * sim);
  }
  return [...scores]
    .filter(([slug, s]) => s >= MIN_INTEREST_SCORE && iv.bySlug.has(slug))
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_INTERESTS)
    .map(([slug, score]) => ({ slug, score: Math.round(score * 1000) / 1000, interestId: iv.bySlug.get(slug)! }));
}

/** The content hash last embedded for each card or board: what decides whether to embed again. */
async function storedHashes(db: Db, kind: "pin" | "board"): Promise<Map<number, string>> {
  const rows = await db
    .select({ id: embeddingState.refId, hash: embeddingState.contentHash })
    .from(embeddingState)
    .where(eq(embeddingState.kind, kind));
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/** SQLite's group_concat(x, sep); PostgreSQL's string_agg (same separator; over an ordered subquery, in its order). */
const concat = (db: Db, x: ReturnType<typeof sql>, sep: string) =>
  dialectOf(db) === "pg" ? sql`string_agg(${x}, ${sql.raw(`'${sep}'`)})` : sql`group_concat(${x}, ${sql.raw(`'${sep}'`)})`;

type PinRow = { id: number; title: string; cue: string; note: string; alt: string; lang: Locale; context: string };

/** Translates texts of one language to English when a translator can; else returns them as they are. */
async function englishOf(p: Pipeline, texts: string[], lang: string): Promise<string[] | null> {
  if (lang === "en" || !p.translator.canTranslate(lang) || texts.length === 0) return null;
  return p.translator.toEnglish(texts, lang);
}

/** What the encoder sees for a card: its word, picture description and note, and the boards it is on. */
const pinSource = (r: PinRow) => [r.title, r.alt, r.note, r.context].filter(Boolean).join(". ");

/** The cards among `ids` (all when omitted) whose indexed content is out of date; gone ones leave the indexes. */
async function stalePins(db: Db, p: Pipeline, ids?: number[]): Promise<PinRow[]> {
  const rows = (await db
    .select({
      id: pins.id,
      title: pins.title,
      cue: pins.cue,
      note: pins.note,
      alt: pins.alt,
      lang: pins.lang,
      // Only public boards' titles: a private board's name must not make a card findable by it.
      // In board order: the titles feed the content hash, and an unordered aggregate (PostgreSQL's
      // string_agg may return any order) would make an unchanged card look changed.
      context: sql<string>`coalesce((select ${concat(db, sql`title`, "; ")} from (select b.title from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = "pin"."id" and ${sql.raw(rawSql.boardIsPublic("b"))} order by b.id) public_boards), '')`,
    })
    .from(pins)
    .where(ids ? inArray(pins.id, ids) : undefined)) as PinRow[];
  if (ids) {
    // Cards that are gone leave the indexes too.
    const present = new Set(rows.map((r) => r.id));
    for (const id of ids.filter((i) => !present.has(i))) await removePinFromIndexes(db, id);
  }
  const hashes = ids && ids.length <= 5000 ? await storedHashesOf(db, "pin", ids) : await storedHashes(db, "pin");
  return rows.filter((r) => hashes.get(r.id) !== pinHash(p, r));
}

const pinHash = (p: Pipeline, r: PinRow) => contentHash(p.embedder.id + p.translator.id, pinSource(r) + "\u0000" + r.cue + r.lang);

async function storedHashesOf(db: Db, kind: "pin" | "board", ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: embeddingState.refId, hash: embeddingState.contentHash })
    .from(embeddingState)
    .where(and(eq(embeddingState.kind, kind), inArray(embeddingState.refId, ids)));
  return new Map(rows.map((r) => [r.id, r.hash]));
}

const PIN_BATCH = 256;

/** Indexes cards (all when `ids` is omitted); returns how many were (re-)embedded. */
export async function indexPins(db: Db, p: Pipeline, ids?: number[]): Promise<number> {
  await ensureInterests(db, p);
  const stale = await stalePins(db, p, ids);
  let done = 0;
  // The next batch is translated (Apertium's processes) and embedded (the encoder's thread) while
  // this one is written to SQLite (this thread).
  let next: Promise<PreparedPins> | null = stale.length ? preparePins(p, stale.slice(0, PIN_BATCH)) : null;
  try {
    for (let i = 0; i < stale.length; i += PIN_BATCH) {
      const batch = await next!;
      next = i + PIN_BATCH < stale.length ? preparePins(p, stale.slice(i + PIN_BATCH, i + 2 * PIN_BATCH)) : null;
      await writePins(db, p, batch);
      done += batch.rows.length;
    }
  } finally {
    next?.catch(() => {}); // a failed write leaves the batch in preparation unwanted
  }
  return done;
}

/**
 * For an import: cards are queued batch by batch as they are created, and each is translated and
 * embedded while the one before it is written. Every `add` resolves once its cards are written.
 */
export function pinIndexQueue(db: Db, p: Pipeline) {
  let preparing: Promise<unknown> = Promise.resolve();
  let writing: Promise<number> = Promise.resolve(0);
  return {
    add(ids: number[]): Promise<number> {
      // Read now (the cards as this batch left them), prepared after the batch before it.
      const stale = stalePins(db, p, ids);
      const prepared = Promise.all([preparing, stale]).then(([, rows]) => preparePins(p, rows));
      preparing = prepared.catch(() => {});
      writing = Promise.all([writing, prepared]).then(async ([, batch]) => {
        await writePins(db, p, batch);
        return batch.rows.length;
      });
      return writing;
    },
  };
}

type PreparedPins = {
  rows: PinRow[];
  english: Map<number, string>;
  other: Map<number, string>;
  embedTexts: string[];
  vecs: Float32Array[];
};

/** Translation and embedding for a batch of cards: no database work, so it can overlap with writes. */
async function preparePins(p: Pipeline, rows: PinRow[]): Promise<PreparedPins> {
  // English for the encoder (cards in other languages), and every card's words in another language
  // for text match, so a search in either finds it: English cards in Spanish, the others in English.
  // A language the translator cannot read yet (French, German, Arabic without their dictionaries) is
  // embedded and indexed as written.
  const english = new Map<number, string>();
  const other = new Map<number, string>();
  const en = rows.filter((r) => r.lang === "en");
  const foreign = LOCALES.filter((l) => l !== "en")
    .map((lang) => ({ lang, rows: rows.filter((r) => r.lang === lang) }))
    .filter((g) => g.rows.length);
  const toEnglish = Promise.all(
    foreign.map((g) =>
      englishOf(
        p,
        g.rows.map((r) => [r.title, r.alt, r.note].filter(Boolean).join(". ")),
        g.lang,
      ),
    ),
  );
  const toSpanish =
    en.length && p.translator.canTranslateBetween("en", "es")
      ? p.translator.translate(
          en.map((r) => [r.title, r.alt].filter(Boolean).join(". ")),
          "en",
          "es",
        )
      : Promise.resolve(null);
  // The English cards need no translation: the encoder starts on them while Apertium works.
  const enVecs = embedInBatches(p.embedder, en.map(pinSource));
  const translated = await toEnglish;
  foreign.forEach((g, gi) => {
    const t = translated[gi];
    if (t) g.rows.forEach((r, i) => (english.set(r.id, t[i]!), other.set(r.id, t[i]!)));
  });
  const rest = foreign.flatMap((g) => g.rows);
  const restTexts = rest.map((r) => (english.has(r.id) ? `${english.get(r.id)}. ${r.context}` : pinSource(r)));
  const restVecs = enVecs.then(() => embedInBatches(p.embedder, restTexts)); // one encoder call at a time
  // An English card's title in French, German and Arabic too (the dictionaries, when installed), after
  // the Spanish: a query in any of them then matches the card's words even when its language is unsure.
  const titles = en.map((r) => r.title);
  const beyond = await Promise.all(
    (["fr", "de", "ar"] as const).map((l) =>
      en.length && p.translator.canTranslateBetween("en", l) ? p.translator.translate(titles, "en", l) : Promise.resolve(null),
    ),
  );
  const [a, b, spanish] = await Promise.all([enVecs, restVecs, toSpanish]);
  en.forEach((r, i) => {
    const more = beyond.map((t) => (t && t[i] !== titles[i] ? t[i] : "")).filter(Boolean);
    const text = [spanish?.[i], more.join(" ")].filter(Boolean).join(". ");
    if (text) other.set(r.id, text);
  });
  const vecOf = new Map<number, Float32Array>();
  en.forEach((r, i) => vecOf.set(r.id, a[i]!));
  rest.forEach((r, i) => vecOf.set(r.id, b[i]!));
  const textOf = new Map<number, string>();
  en.forEach((r) => textOf.set(r.id, pinSource(r)));
  rest.forEach((r, i) => textOf.set(r.id, restTexts[i]!));
  return { rows, english, other, embedTexts: rows.map((r) => textOf.get(r.id)!), vecs: rows.map((r) => vecOf.get(r.id)!) };
}

async function writePins(db: Db, p: Pipeline, { rows, english, other, embedTexts, vecs }: PreparedPins) {
  if (!rows.length) return;
  // Read before the transaction: its body awaits only its own statements.
  const ann = hasPinIndex(db) ? await pinIndex(db) : null;
  const iv = await interestVectors(db);
  // pin_fts / pin_tri are FTS5 tables on SQLite; on PostgreSQL plain tables whose generated tsvectors
  // and trigram index follow the text (pg/text-index.server.ts). The same texts on both.
  await transaction(db, async (tx) => {
    for (const [i, r] of rows.entries()) {
      const vec = vecs[i]!;
      await upsertVector(tx, "pin_vec", r.id, vec);
      ann?.add(r.id, vec);
      // The cue stays out: "Starts with “do…”" would make "do" match every such card. Arabic is folded
      // as queries are (models/query/arabic-fold.ts); its words without the article go in the body.
      const title = foldArabic(r.title);
      const body = [foldArabic([r.alt, r.note].filter(Boolean).join(" ")), ...arabicWithoutArticle(`${r.title} ${r.alt}`)]
        .filter(Boolean)
        .join(" ");
      const context = foldArabic(r.context);
      // The word and the first words of its translation (the translation starts with the word's).
      const words = `${title} ${(other.get(r.id) ?? "").split(/[.;]/)[0] ?? ""}`.slice(0, 200);
      if (dialectOf(tx) === "pg") {
        await putPinText(pgQueryable(tx), r.id, { title, body, context, english: other.get(r.id) ?? "", words });
      } else {
        await exec(tx, sql`DELETE FROM pin_fts WHERE rowid = ${r.id}`);
        await exec(
          tx,
          sql`INSERT INTO pin_fts(rowid, title, body, context, english) VALUES (${r.id}, ${title}, ${body}, ${context}, ${other.get(r.id) ?? ""})`,
        );
        await exec(tx, sql`DELETE FROM pin_tri WHERE rowid = ${r.id}`);
        await exec(tx, sql`INSERT INTO pin_tri(rowid, words) VALUES (${r.id}, ${words})`);
      }
      await tx.delete(pinInterests).where(eq(pinInterests.pinId, r.id));
      for (const s of scoreInterests(iv, p, [r.title, r.alt, r.context, english.get(r.id) ?? ""], vec)) {
        await tx.insert(pinInterests).values({ pinId: r.id, interestId: s.interestId, score: s.score });
      }
      const hash = pinHash(p, r);
      await tx
        .insert(embeddingState)
        .values({ kind: "pin", refId: r.id, contentHash: hash, embeddedText: embedTexts[i]! })
        .onConflictDoUpdate({
          target: [embeddingState.kind, embeddingState.refId],
          set: { contentHash: hash, embeddedText: embedTexts[i]!, updatedAt: new Date() },
        });
    }
  });
}

export async function removePinFromIndexes(db: Db, id: number) {
  await deleteVector(db, "pin_vec", id);
  if (dialectOf(db) === "pg") await deletePinText(pgQueryable(db), id);
  else {
    await exec(db, sql`DELETE FROM pin_fts WHERE rowid = ${id}`);
    await exec(db, sql`DELETE FROM pin_tri WHERE rowid = ${id}`);
  }
  await db.delete(embeddingState).where(and(eq(embeddingState.kind, "pin"), eq(embeddingState.refId, id)));
  if (hasPinIndex(db)) (await pinIndex(db)).remove(id);
}

type BoardRow = { id: number; title: string; description: string; lang: Locale; words: string };

/** Indexes boards: text, embedding (title, description, first words) and interests (own + its cards'). */
export async function indexBoards(db: Db, p: Pipeline, ids?: number[]): Promise<number> {
  await ensureInterests(db, p);
  const rows = (await db
    .select({
      id: boards.id,
      title: boards.title,
      description: boards.description,
      lang: boards.lang,
      words: sql<string>`coalesce((select ${concat(db, sql`title`, ", ")} from (select p.title from board_pin bp join pin p on p.id = bp.pin_id where bp.board_id = "board"."id" order by bp.position limit 24) first_cards), '')`,
    })
    .from(boards)
    .where(ids ? inArray(boards.id, ids) : undefined)) as BoardRow[];
  if (ids) {
    const present = new Set(rows.map((r) => r.id));
    for (const id of ids.filter((i) => !present.has(i))) {
      await deleteVector(db, "board_vec", id);
      await exec(
        db,
        dialectOf(db) === "pg" ? sql`DELETE FROM board_fts WHERE board_id = ${id}` : sql`DELETE FROM board_fts WHERE rowid = ${id}`,
      );
    }
  }
  const source = (r: BoardRow) => `${r.title}. ${r.description}. ${r.words}`;
  const hashes = await storedHashes(db, "board");
  const stale = rows.filter((r) => hashes.get(r.id) !== contentHash(p.embedder.id + p.translator.id, source(r) + r.lang));
  if (!stale.length) return 0;
  const english = new Map<number, string>();
  for (const lang of LOCALES.filter((l) => l !== "en")) {
    const group = stale.filter((r) => r.lang === lang);
    const translated = await englishOf(p, group.map(source), lang);
    if (translated) group.forEach((r, i) => english.set(r.id, translated[i]!));
  }
  const texts = stale.map((r) => english.get(r.id) ?? source(r));
  const vecs = await embedInBatches(p.embedder, texts);
  const iv = await interestVectors(db);
  await transaction(db, async (tx) => {
    for (const [i, r] of stale.entries()) {
      await upsertVector(tx, "board_vec", r.id, vecs[i]!);
      const title = foldArabic(r.title);
      const description = [foldArabic(`${r.description} ${r.words}`), ...arabicWithoutArticle(`${r.title} ${r.description}`)].join(" ");
      if (dialectOf(tx) === "pg") {
        await putBoardText(pgQueryable(tx), r.id, { title, description, english: english.get(r.id) ?? "" });
      } else {
        await exec(tx, sql`DELETE FROM board_fts WHERE rowid = ${r.id}`);
        await exec(
          tx,
          sql`INSERT INTO board_fts(rowid, title, description, english) VALUES (${r.id}, ${title}, ${description}, ${english.get(r.id) ?? ""})`,
        );
      }
      // A board is about what its own words say and what its cards are about.
      const own = scoreInterests(iv, p, [r.title, r.description, english.get(r.id) ?? ""], vecs[i]!);
      const fromCards = await tx
        .select({
          interestId: pinInterests.interestId,
          // The card count, at least 1 (a CASE: scalar max(a, b) is SQLite's alone).
          score:
            sql<number>`sum(${pinInterests.score}) / (select case when count(*) > 1 then count(*) else 1 end from board_pin where board_id = ${r.id})`.mapWith(
              Number,
            ),
        })
        .from(pinInterests)
        .innerJoin(boardPins, and(eq(boardPins.pinId, pinInterests.pinId), eq(boardPins.boardId, r.id)))
        .groupBy(pinInterests.interestId);
      const merged = new Map<number, number>();
      for (const s of own) merged.set(s.interestId, s.score);
      for (const s of fromCards) merged.set(s.interestId, (merged.get(s.interestId) ?? 0) + s.score);
      await tx.delete(boardInterests).where(eq(boardInterests.boardId, r.id));
      const kept = [...merged]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP_INTERESTS)
        .filter(([, s]) => s >= MIN_INTEREST_SCORE / 2);
      for (const [interestId, score] of kept)
        await tx.insert(boardInterests).values({ boardId: r.id, interestId, score: Math.round(score * 1000) / 1000 });
      const hash = contentHash(p.embedder.id + p.translator.id, source(r) + r.lang);
      await tx
        .insert(embeddingState)
        .values({ kind: "board", refId: r.id, contentHash: hash, embeddedText: texts[i]! })
        .onConflictDoUpdate({
          target: [embeddingState.kind, embeddingState.refId],
          set: { contentHash: hash, embeddedText: texts[i]!, updatedAt: new Date() },
        });
    }
  });
  return stale.length;
}

/** After a change to some cards: re-index them and every board they sit on. */
export async function reindexAfterChange(db: Db, p: Pipeline, change: { pinIds?: number[]; boardIds?: number[] }) {
  const pinIds = change.pinIds ?? [];
  const boardIds = new Set(change.boardIds ?? []);
  if (pinIds.length) {
    for (const r of await db.select({ b: boardPins.boardId }).from(boardPins).where(inArray(boardPins.pinId, pinIds))) boardIds.add(r.b);
  }
  // Boards first: a card's context is the titles of its boards.
  if (boardIds.size) {
    const onBoards = (
      await db
        .select({ p: boardPins.pinId })
        .from(boardPins)
        .where(inArray(boardPins.boardId, [...boardIds]))
    ).map((r) => r.p);
    await indexPins(db, p, [...new Set([...pinIds, ...onBoards])]);
    await indexBoards(db, p, [...boardIds]);
  } else if (pinIds.length) {
    await indexPins(db, p, pinIds);
  }
}

/** What routes call after a change: keeps search in step with boards and cards. */
export async function reindex(db: Db, change: { pinIds?: number[]; boardIds?: number[] }): Promise<void> {
  // The person's change is saved already; a failure here must not turn it into an error page.
  // Whatever is left unindexed is picked up by the next full pass (every `npm start`, every import).
  try {
    await reindexAfterChange(db, await getPipeline(), change);
  } catch (e) {
    console.error("reindex failed; the next full pass will catch up", e);
  }
}
