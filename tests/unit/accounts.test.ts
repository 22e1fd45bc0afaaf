import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import yauzl from "yauzl";
import {
  audioClips,
  boardPins,
  boards,
  engagements,
  images,
  passwordResetTokens,
  pins,
  practiceGrants,
  searchLog,
  sessions,
  signupRequests,
  users,
} from "../../db/tables";
import { changePassword, deleteAccount, deletionSummary } from "~/services/accounts.server";
import { createBoard } from "~/services/boards.server";
import { createCard, saveCardToBoard } from "~/services/cards.server";
import { exportZip } from "~/services/export.server";
import { imagePath, storeImage } from "~/services/images.server";
import { mailIdle } from "~/services/mailer.server";
import { requestPasswordReset, resetPassword, resetTokenValid, RESET_TTL_MS } from "~/services/password-reset.server";
import { createSession, endAllSessions, getUser } from "~/services/session.server";
import { confirmSignUp, requestSignUp } from "~/services/signup.server";
import { signIn } from "~/services/users.server";
import { linkIn, startMailbox, type Mailbox } from "../mailbox";
import { audioPath, CARD_PAGE, saveClip } from "~/services/audio/clips.server";
import { makeUser, pngBytes, testDb, wavBytes } from "./helpers";

// Account services against a real SQLite file and a real local SMTP server.
let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await mailbox.close();
});

const PW = "correct horse battery";
const origin = "http://tablero.test";

/** A request carrying the session cookie that createSession set. */
function requestWith(setCookie: string): Request {
  return new Request(`${origin}/settings`, { headers: { Cookie: setCookie.split(";")[0]! } });
}

describe("sessions: change password, sign out everywhere", () => {
  it("changing the password asks the current one and ends every other session, keeping this one", async () => {
    const db = await testDb();
    const me = await makeUser(db);
    const here = requestWith(await createSession(db, new Request(origin), me.id));
    const there = requestWith(await createSession(db, new Request(origin), me.id));
    expect(await changePassword(db, here, me, "wrong password!", "a brand new password")).toEqual({
      ok: false,
      errors: { currentPassword: "accounts:errors.wrongPassword" },
    });
    expect((await getUser(db, there))?.id).toBe(me.id); // a wrong current password changes nothing
    expect(await changePassword(db, here, me, PW, "a brand new password")).toEqual({ ok: true, endedSessions: 1 });
    expect((await getUser(db, here))?.id).toBe(me.id);
    expect(await getUser(db, there)).toBeNull();
    expect((await signIn(db, me.email, PW, null)).ok).toBe(false);
    expect((await signIn(db, me.email, "a brand new password", null)).ok).toBe(true);
  });

  it("signing out everywhere ends all sessions, this one included, and no one else's", async () => {
    const db = await testDb();
    const me = await makeUser(db);
    const other = await makeUser(db);
    const a = requestWith(await createSession(db, new Request(origin), me.id));
    const b = requestWith(await createSession(db, new Request(origin), me.id));
    const theirs = requestWith(await createSession(db, new Request(origin), other.id));
    expect(await endAllSessions(db, me.id)).toBe(2);
    expect(await getUser(db, a)).toBeNull();
    expect(await getUser(db, b)).toBeNull();
    expect((await getUser(db, theirs))?.id).toBe(other.id);
  });
});

describe("password reset by email", () => {
  it("mails a single-use link, stored hashed, that ends every session; unknown emails get the same answer", async () => {
    const db = await testDb();
    const me = await makeUser(db);
    const session = requestWith(await createSession(db, new Request(origin), me.id));
    expect(await requestPasswordReset(db, { email: `nobody-${Date.now()}@example.com`, locale: "en", origin, client: null })).toBe("sent");
    expect(await requestPasswordReset(db, { email: me.email.toUpperCase(), locale: "en", origin, client: null })).toBe("sent");
    await mailIdle();
    const link = linkIn(await mailbox.waitFor(me.email, /reset-password/), "/reset-password/");
    const token = link.split("/").pop()!;
    expect(link.startsWith(`${origin}/reset-password/`)).toBe(true);
    // Only the hash is stored.
    const stored = await db.select().from(passwordResetTokens);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).not.toBe(token);
    expect(await resetTokenValid(db, token)).toBe(true);
    expect(await resetTokenValid(db, token, new Date(Date.now() + RESET_TTL_MS + 1000))).toBe(false);
    expect(await resetPassword(db, token, "my new password!", new Date(Date.now() + RESET_TTL_MS + 1000))).toEqual({
      ok: false,
      error: "accounts:errors.linkInvalid",
    });
    expect(await resetPassword(db, token, "my new password!")).toEqual({ ok: true, userId: me.id });
    expect(await getUser(db, session)).toBeNull();
    expect(await resetPassword(db, token, "another password!")).toEqual({ ok: false, error: "accounts:errors.linkInvalid" });
    expect((await signIn(db, me.email, "my new password!", null)).ok).toBe(true);
    expect(await resetPassword(db, "not-a-token", "whatever password")).toEqual({ ok: false, error: "accounts:errors.linkInvalid" });
  });

  it("limits requests per email (known or not) and per client", async () => {
    const db = await testDb();
    const me = await makeUser(db);
    const ask = (email: string, client: string | null = null) => requestPasswordReset(db, { email, locale: "en", origin, client });
    expect([await ask(me.email), await ask(me.email), await ask(me.email), await ask(me.email)]).toEqual([
      "sent",
      "sent",
      "sent",
      "limited",
    ]);
    const unknown = `ghost-${Date.now()}@example.com`;
    expect([await ask(unknown), await ask(unknown), await ask(unknown), await ask(unknown)]).toEqual(["sent", "sent", "sent", "limited"]);
    const results = [];
    for (let i = 0; i < 21; i++) results.push(await ask(`n${i}-${Date.now()}@example.com`, "203.0.113.9"));
    expect(results.filter((r) => r === "limited")).toHaveLength(1);
    expect(await db.select().from(passwordResetTokens)).toHaveLength(3);
  });
});

describe("sign-up that never tells whether an email is taken", () => {
  it("answers the same for a new and a taken email; the new one confirms by link, the owner is told", async () => {
    const db = await testDb();
    const owner = await makeUser(db, "Owner");
    const fresh = `fresh-${Date.now()}@example.com`;
    const input = {
      password: "a long password",
      displayName: "Newcomer",
      locale: "es" as const,
      origin,
      client: null,
      redirectTo: "/practice",
    };
    expect(await requestSignUp(db, { ...input, email: owner.email })).toBe("sent");
    expect(await requestSignUp(db, { ...input, email: fresh })).toBe("sent");
    await mailIdle();
    const note = await mailbox.waitFor(owner.email);
    expect(note.text).toContain(`${origin}/forgot-password`);
    expect((await db.select().from(users).where(eq(users.email, fresh)))[0]).toBeUndefined(); // not yet
    const link = linkIn(await mailbox.waitFor(fresh, /signup\/confirm/), "/signup/confirm/");
    expect((await mailbox.waitFor(fresh)).text).toContain("Hola, Newcomer");
    const token = link.split("/").pop()!;
    const made = await confirmSignUp(db, token);
    expect(made).toMatchObject({ ok: true, redirectTo: "/practice", user: { email: fresh, displayName: "Newcomer", locale: "es" } });
    expect((await signIn(db, fresh, "a long password", null)).ok).toBe(true);
    expect(await confirmSignUp(db, token)).toEqual({ ok: false, error: "accounts:errors.linkInvalid" });
    expect(await db.select().from(signupRequests)).toHaveLength(0);
    // The owner's account is untouched.
    expect((await signIn(db, owner.email, PW, null)).ok).toBe(true);
  });
});

describe("export and delete", () => {
  async function world() {
    const db = await testDb();
    const me = await makeUser(db, "Leaving");
    const other = await makeUser(db, "Staying");
    const mine = await storeImage(db, await pngBytes(40, 30, "#aa0000"));
    const shared = await storeImage(db, await pngBytes(40, 30, "#00aa00"));
    const board = await createBoard(db, me.id, { title: "Mine", description: "", lang: "en", visibility: "public" });
    const card = await createCard(db, me, board.id, { title: "apple", alt: "an apple", cue: "", note: "", lang: "en" }, mine);
    const card2 = await createCard(db, me, board.id, { title: "pear", alt: "a pear", cue: "", note: "", lang: "en" }, shared);
    const theirBoard = await createBoard(db, other.id, { title: "Theirs", description: "", lang: "en", visibility: "public" });
    const theirCard = await createCard(db, other, theirBoard.id, { title: "grape", alt: "grapes", cue: "", note: "", lang: "en" }, shared);
    await saveCardToBoard(db, card.id, theirBoard.id, other);
    await saveCardToBoard(db, theirCard.id, board.id, me);
    await db.insert(engagements).values({ userId: me.id, sessionKey: `u:${me.id}`, pinId: theirCard.id, action: "click", surface: "home" });
    await db.insert(searchLog).values({ query: "apple", normalized: "apple", lang: "en", resultCount: 1, sessionKey: `u:${me.id}` });
    await db.insert(practiceGrants).values({ learnerId: me.id, granteeId: other.id });
    // Their own voice, saying the word of someone else's card; and someone else's recording, not theirs to take.
    const voice = await saveClip(db, { ownerId: me.id, pinId: theirCard.id, page: CARD_PAGE, kind: "word" }, wavBytes(5));
    const notMine = await saveClip(db, { ownerId: other.id, pinId: theirCard.id, page: CARD_PAGE, kind: "word" }, wavBytes(6));
    if (!voice.ok || !notMine.ok) throw new Error("not saved");
    return { db, me, other, mine, shared, board, card, card2, theirBoard, theirCard, voice: voice.key };
  }

  it("exports a zip of JSON and pictures", async () => {
    const { db, me, mine, shared, voice, theirCard } = await world();
    const zip = await exportZip(db, me.id);
    const chunks: Buffer[] = [];
    for await (const c of zip) chunks.push(c as Buffer);
    const entries = await unzip(Buffer.concat(chunks));
    expect(Object.keys(entries).sort()).toEqual(
      [
        "account.json",
        "boards.json",
        "cards.json",
        "engagement.json",
        "practice.json",
        "stories.json",
        "workshops.json",
        `pictures/${mine.key}`,
        `pictures/${shared.key}`,
        "recordings.json",
        `recordings/${voice}`,
      ].sort(),
    );
    // The recording is listed (which card, which slot, which file) and is the very file that was saved.
    expect(JSON.parse(entries["recordings.json"]!.toString())).toEqual([
      expect.objectContaining({ pin_id: theirCard.id, page: CARD_PAGE, kind: "word", mime: "audio/wav", file: `recordings/${voice}` }),
    ]);
    expect(entries[`recordings/${voice}`]).toEqual(wavBytes(5));
    const account = JSON.parse(entries["account.json"]!.toString());
    expect(account).toMatchObject({ id: me.id, email: me.email, display_name: "Leaving" });
    expect(JSON.stringify(account)).not.toContain("scrypt");
    // The same shapes on both engines (PostgreSQL's booleans and jsonb read back as SQLite writes them).
    expect(account).toMatchObject({ high_contrast: 0, reduced_motion: 0, roles: expect.any(String) });
    expect(Array.isArray(JSON.parse(account.roles as string))).toBe(true);
    const boardsJson = JSON.parse(entries["boards.json"]!.toString());
    expect(boardsJson[0].title).toBe("Mine");
    expect(boardsJson[0].cards).toHaveLength(3);
    expect(JSON.parse(entries["cards.json"]!.toString()).map((c: { title: string }) => c.title)).toEqual(["apple", "pear"]);
    expect(JSON.parse(entries["engagement.json"]!.toString()).searches[0].query).toBe("apple");
    expect(JSON.parse(entries["practice.json"]!.toString()).accessGiven).toHaveLength(1);
    expect(entries[`pictures/${mine.key}`]!.subarray(0, 4).toString()).toBe("RIFF");
  });

  it("deletes everything of theirs, including their cards on other boards, and keeps pictures still in use", async () => {
    const { db, me, other, mine, shared, board, card, theirBoard, theirCard, voice } = await world();
    expect(existsSync(audioPath(voice)!)).toBe(true);
    const session = requestWith(await createSession(db, new Request(origin), me.id));
    expect(await deletionSummary(db, me.id)).toEqual({ boards: 1, cards: 2, savedByOthers: 1 });
    expect(await deleteAccount(db, me, "wrong password")).toEqual({ ok: false, errors: { password: "accounts:errors.wrongPassword" } });
    expect((await db.select().from(users).where(eq(users.id, me.id)))[0]).toBeDefined();
    expect(await deleteAccount(db, me, PW)).toEqual({ ok: true, boardIds: [theirBoard.id, board.id] });
    expect(await getUser(db, session)).toBeNull();
    expect((await db.select().from(users).where(eq(users.id, me.id)))[0]).toBeUndefined();
    expect(await db.select().from(sessions).where(eq(sessions.userId, me.id))).toEqual([]);
    expect((await db.select().from(boards).where(eq(boards.id, board.id)))[0]).toBeUndefined();
    expect(await db.select().from(pins).where(eq(pins.creatorId, me.id))).toEqual([]);
    // Their card left the other person's board; the other person's own card and board stay.
    expect((await db.select().from(boardPins).where(eq(boardPins.boardId, theirBoard.id))).map((r) => r.pinId)).toEqual([theirCard.id]);
    expect((await db.select().from(pins).where(eq(pins.id, card.id)))[0]).toBeUndefined();
    expect(await db.select().from(engagements).where(eq(engagements.userId, me.id))).toEqual([]);
    expect(
      await db
        .select()
        .from(searchLog)
        .where(eq(searchLog.sessionKey, `u:${me.id}`)),
    ).toEqual([]);
    expect(await db.select().from(practiceGrants)).toEqual([]);
    // The picture only they used is gone (row and file); the one another card shows stays.
    expect((await db.select().from(images).where(eq(images.key, mine.key)))[0]).toBeUndefined();
    expect(existsSync(imagePath(mine.key)!)).toBe(false);
    expect((await db.select().from(images).where(eq(images.key, shared.key)))[0]).toBeDefined();
    expect(existsSync(imagePath(shared.key)!)).toBe(true);
    // Their own voice leaves the disk with the account; the other person's recording stays.
    expect(existsSync(audioPath(voice)!)).toBe(false);
    expect(await db.select().from(audioClips).where(eq(audioClips.ownerId, other.id))).toHaveLength(1);
    expect((await db.select().from(users).where(eq(users.id, other.id)))[0]).toBeDefined();
  });
});

function unzip(buf: Buffer): Promise<Record<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: Record<string, Buffer> = {};
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out[entry.fileName] = Buffer.concat(chunks);
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
