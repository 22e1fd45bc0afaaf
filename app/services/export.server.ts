import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { ZipArchive } from "archiver";
import type { Db } from "./db.server";
import { imagePath } from "./images.server";

/**
 * "Export my data": one zip, streamed as it is made, with a JSON file per area and the picture files of
 * the person's cards and stories. Rows are read in one read transaction, so the files agree with each
 * other; columns keep their database names (the export is for the person, and for moving elsewhere).
 */
type Row = Record<string, unknown>;

export function collectExport(db: Db, userId: number): Record<string, unknown> & { pictures: string[] } {
  const all = (sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as Row[];
  return db.$client.transaction(() => {
    const [account] = all(
      "SELECT id, email, display_name, locale, roles, text_size, high_contrast, reduced_motion, speech_rate, created_at FROM user WHERE id = ?",
      userId,
    );
    const boards = all("SELECT * FROM board WHERE owner_id = ? ORDER BY id", userId).map((b) => ({
      ...b,
      cards: all("SELECT pin_id, position, saved_at FROM board_pin WHERE board_id = ? ORDER BY position", b.id),
    }));
    const cards = all("SELECT * FROM pin WHERE creator_id = ? AND kind != 'story' ORDER BY id", userId);
    const stories = all(
      "SELECT p.*, s.board_id AS about_board_id FROM pin p JOIN story s ON s.pin_id = p.id WHERE p.creator_id = ? ORDER BY p.id",
      userId,
    ).map((s): Row & { pages: Row[] } => ({
      ...s,
      pages: all(
        "SELECT position, image_key, image_width, image_height, alt, text FROM story_page WHERE pin_id = ? ORDER BY position",
        s.id,
      ),
    }));
    const practice = {
      reviews: all("SELECT * FROM review WHERE learner_id = ?", userId),
      ratings: all("SELECT * FROM review_log WHERE learner_id = ? ORDER BY reviewed_at", userId),
      sittings: all("SELECT * FROM practice_session WHERE learner_id = ? OR started_by = ? ORDER BY id", userId, userId),
      // Other people appear by account id only: their names are theirs.
      accessGiven: all("SELECT grantee_id, created_at FROM practice_grant WHERE learner_id = ?", userId),
      accessReceived: all("SELECT learner_id, created_at FROM practice_grant WHERE grantee_id = ?", userId),
      invitationsSent: all("SELECT email, created_at FROM practice_invite WHERE learner_id = ?", userId),
    };
    const run = all("SELECT * FROM workshop WHERE therapist_id = ? ORDER BY id", userId).map((w) => ({
      ...w,
      members: all("SELECT user_id, role, created_at FROM workshop_member WHERE workshop_id = ?", w.id),
      sessions: all("SELECT * FROM workshop_session WHERE workshop_id = ? ORDER BY date", w.id).map((s) => ({
        ...s,
        boards: all("SELECT board_id, position FROM session_board WHERE session_id = ? ORDER BY position", s.id),
        attendance: all("SELECT user_id, present FROM attendance WHERE session_id = ?", s.id),
      })),
      homework: all("SELECT * FROM assignment WHERE workshop_id = ?", w.id),
    }));
    const workshops = {
      run,
      memberOf: all("SELECT workshop_id, role, created_at FROM workshop_member WHERE user_id = ?", userId),
      attended: all("SELECT session_id, present FROM attendance WHERE user_id = ?", userId),
    };
    const engagement = {
      events: all("SELECT pin_id, action, surface, query, position, created_at FROM engagement WHERE user_id = ? ORDER BY id", userId),
      searches: all("SELECT query, lang, result_count, created_at FROM search_log WHERE session_key = ? ORDER BY id", `u:${userId}`),
      interests: all("SELECT i.slug, ui.* FROM user_interest ui JOIN interest i ON i.id = ui.interest_id WHERE ui.user_id = ?", userId),
    };
    const pictures = [
      ...new Set([
        ...cards.map((c) => String(c.image_key)),
        ...stories.flatMap((s) => [String(s.image_key), ...s.pages.map((p) => String(p.image_key))]),
      ]),
    ];
    return { account, boards, cards, stories, practice, workshops, engagement, pictures };
  })();
}

/** The zip as a Node stream; pictures are read from disk as the archive is written. */
export function exportZip(db: Db, userId: number): Readable {
  const data = collectExport(db, userId);
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
  void zip.finalize();
  return zip;
}
