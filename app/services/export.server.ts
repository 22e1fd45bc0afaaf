import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { ZipArchive } from "archiver";
import { sql, type SQL } from "drizzle-orm";
import { dialectOf } from "./data/dialect.server";
import { rows } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import type { Db } from "./db.server";
import { imagePath } from "./images.server";
import { audioPath } from "./audio/clips.server";

/**
 * "Export my data": one zip, streamed as it is made, with a JSON file per area, the picture files of
 * the person's cards and stories, and the recordings of their own voice (recordings.json lists each:
 * which card, page and slot, and its file under recordings/). Rows are read in one transaction, so the files agree with each
 * other; columns keep their database names (the export is for the person, and for moving elsewhere).
 */
type Row = Record<string, unknown>;

/**
 * A PostgreSQL row in the shapes SQLite gives, which the export has always had: booleans as 0/1, jsonb
 * (roles, synonyms) as its JSON text. Timestamps need nothing: epoch-ms integers on both engines.
 */
function sqliteShaped(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row))
    out[k] = typeof v === "boolean" ? Number(v) : v !== null && typeof v === "object" && !Buffer.isBuffer(v) ? JSON.stringify(v) : v;
  return out;
}

export async function collectExport(db: Db, userId: number): Promise<Record<string, unknown> & { pictures: string[]; recordings: Row[] }> {
  const pg = dialectOf(db) === "pg";
  return transaction(db, async (tx) => {
    const all = async (q: SQL) => (pg ? (await rows<Row>(tx, q)).map(sqliteShaped) : rows<Row>(tx, q));
    // One query per parent row, in order: `each` keeps the loops sequential inside the transaction.
    const each = async <T extends Row, R>(list: T[], f: (row: T) => Promise<R>): Promise<R[]> => {
      const out: R[] = [];
      for (const row of list) out.push(await f(row));
      return out;
    };
    // "user" is quoted: a reserved word on PostgreSQL, an ordinary name on SQLite.
    const [account] = await all(
      sql`SELECT id, email, display_name, locale, roles, text_size, high_contrast, reduced_motion, speech_rate, created_at FROM "user" WHERE id = ${userId}`,
    );
    const boards = await each(await all(sql`SELECT * FROM board WHERE owner_id = ${userId} ORDER BY id`), async (b) => ({
      ...b,
      cards: await all(sql`SELECT pin_id, position, saved_at FROM board_pin WHERE board_id = ${b.id} ORDER BY position`),
    }));
    const cards = await all(sql`SELECT * FROM pin WHERE creator_id = ${userId} AND kind != 'story' ORDER BY id`);
    const stories = await each(
      await all(
        sql`SELECT p.*, s.board_id AS about_board_id FROM pin p JOIN story s ON s.pin_id = p.id WHERE p.creator_id = ${userId} ORDER BY p.id`,
      ),
      async (s): Promise<Row & { pages: Row[] }> => ({
        ...s,
        pages: await all(
          sql`SELECT position, image_key, image_width, image_height, alt, text FROM story_page WHERE pin_id = ${s.id} ORDER BY position`,
        ),
      }),
    );
    const practice = {
      reviews: await all(sql`SELECT * FROM review WHERE learner_id = ${userId}`),
      ratings: await all(sql`SELECT * FROM review_log WHERE learner_id = ${userId} ORDER BY reviewed_at`),
      sittings: await all(sql`SELECT * FROM practice_session WHERE learner_id = ${userId} OR started_by = ${userId} ORDER BY id`),
      // Other people appear by account id only: their names are theirs.
      accessGiven: await all(sql`SELECT grantee_id, created_at FROM practice_grant WHERE learner_id = ${userId}`),
      accessReceived: await all(sql`SELECT learner_id, created_at FROM practice_grant WHERE grantee_id = ${userId}`),
      invitationsSent: await all(sql`SELECT email, created_at FROM practice_invite WHERE learner_id = ${userId}`),
    };
    const run = await each(await all(sql`SELECT * FROM workshop WHERE therapist_id = ${userId} ORDER BY id`), async (w) => ({
      ...w,
      members: await all(sql`SELECT user_id, role, created_at FROM workshop_member WHERE workshop_id = ${w.id}`),
      sessions: await each(await all(sql`SELECT * FROM workshop_session WHERE workshop_id = ${w.id} ORDER BY date`), async (s) => ({
        ...s,
        boards: await all(sql`SELECT board_id, position FROM session_board WHERE session_id = ${s.id} ORDER BY position`),
        attendance: await all(sql`SELECT user_id, present FROM attendance WHERE session_id = ${s.id}`),
      })),
      homework: await all(sql`SELECT * FROM assignment WHERE workshop_id = ${w.id}`),
    }));
    const workshops = {
      run,
      memberOf: await all(sql`SELECT workshop_id, role, created_at FROM workshop_member WHERE user_id = ${userId}`),
      attended: await all(sql`SELECT session_id, present FROM attendance WHERE user_id = ${userId}`),
    };
    const engagement = {
      events: await all(
        sql`SELECT pin_id, action, surface, query, position, created_at FROM engagement WHERE user_id = ${userId} ORDER BY id`,
      ),
      searches: await all(
        sql`SELECT query, lang, result_count, created_at FROM search_log WHERE session_key = ${`u:${userId}`} ORDER BY id`,
      ),
      interests: await all(
        sql`SELECT i.slug, ui.* FROM user_interest ui JOIN interest i ON i.id = ui.interest_id WHERE ui.user_id = ${userId}`,
      ),
    };
    const pictures = [
      ...new Set([
        ...cards.map((c) => String(c.image_key)),
        ...stories.flatMap((s) => [String(s.image_key), ...s.pages.map((p) => String(p.image_key))]),
      ]),
    ];
    // The person's own voice (issue 14): every clip they recorded, on anyone's card; the file rides along.
    const recordings = (
      await all(
        sql`SELECT pin_id, page, kind, key, mime, duration_ms, bytes, created_at FROM audio_clip WHERE owner_id = ${userId} ORDER BY id`,
      )
    ).map((r) => ({ ...r, file: `recordings/${String(r.key)}` }));
    return { account, boards, cards, stories, practice, workshops, engagement, pictures, recordings };
  });
}

/** The zip as a Node stream; pictures are read from disk as the archive is written. */
export async function exportZip(db: Db, userId: number): Promise<Readable> {
  const data = await collectExport(db, userId);
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + "\n", "utf8");
  for (const [name, value] of Object.entries(data)) {
    if (name === "pictures") continue;
    zip.append(json(value), { name: `${name}.json` });
  }
  for (const key of data.pictures) {
    const path = imagePath(key);
    if (path && existsSync(path)) zip.file(path, { name: `pictures/${key}` });
  }
  for (const key of new Set(data.recordings.map((r) => String(r.key)))) {
    const path = audioPath(key);
    if (path && existsSync(path)) zip.file(path, { name: `recordings/${key}` });
  }
  void zip.finalize();
  return zip;
}
