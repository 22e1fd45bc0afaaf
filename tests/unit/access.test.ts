// Security regressions for issue 12, findings 5 (unlisted is not secret; saving publishes), 6 (stories on
// other people's boards) and the profile part of 11 — against the real services on a real SQLite file.
import { beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { exec, first } from "../../app/services/data/raw.server";
import type { Db } from "../../db/client";
import { boards, stories, type Board, type Pin, type User } from "../../db/tables";
import { createBoard, getBoardForViewer, regenerateShareLink, updateBoard } from "../../app/services/boards.server";
import { createCard, getCardForViewer, saveCardToBoard } from "../../app/services/cards.server";
import { boardChoices, createStory, detachStory, readStorySubmission, storiesAbout } from "../../app/services/stories.server";
import { hasPublicProfile, shareKeyParam } from "../../app/services/access/visibility.server";
import { boardPdf } from "../../app/services/print.server";
import { practiceView } from "../../app/services/practice.server";
import { attachBoard, createAssignment, memberAgenda, sessionPlan } from "../../app/services/workshop-sessions.server";
import { createInvite, createWorkshop, joinWithInvite } from "../../app/services/workshops.server";
import { users } from "../../db/tables";
import { testDb } from "./helpers";

// Accounts made straight in the table: sign-in is not under test, and scrypt costs seconds per account.
let seq = 0;
async function makeUser(db: Db, name: string): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email: `a${++seq}-${Date.now()}@example.com`, passwordHash: "x", displayName: name, locale: "en" })
    .returning();
  return user!;
}

const image = { key: "0".repeat(64) + ".webp", width: 10, height: 10 };
const card = (title: string) => ({ title, alt: `A ${title}`, cue: "", note: "", lang: "en" as const });

async function statusOf(f: () => unknown): Promise<number> {
  try {
    await f();
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

let db: Db;
let owner: User;
let stranger: User;
let unlisted: Board;
let secret: Pin;
let key: string;

beforeEach(async () => {
  db = await testDb();
  owner = await makeUser(db, "Owner");
  stranger = await makeUser(db, "Stranger");
  unlisted = await createBoard(db, owner.id, { title: "Family photos", description: "", lang: "en", visibility: "unlisted" });
  secret = await createCard(db, owner, unlisted.id, card("grandma"), image);
  key = (await getBoardForViewer(db, unlisted.id, owner)).shareKey!;
});

describe("finding 5: an unlisted board opens only with its link", () => {
  it("gives every board its own random 128-bit key, also boards made before the migration", async () => {
    const other = await createBoard(db, owner.id, { title: "Other", description: "", lang: "en", visibility: "unlisted" });
    const keys = (await db.select({ k: boards.shareToken }).from(boards)).map((r) => r.k);
    expect(keys.every((k) => /^[0-9a-f]{32}$/.test(k ?? ""))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(other.shareToken).not.toBe(unlisted.shareToken);
    // Rows inserted without drizzle (an older script, a restore) get one from the migration's trigger.
    await exec(db, sql`INSERT INTO board (owner_id, title, lang, visibility) VALUES (${owner.id}, 'raw', 'en', 'unlisted')`);
    expect(await first(db, sql`SELECT share_token AS k FROM board WHERE title = 'raw'`)).toEqual({
      k: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("is a 404 by id for strangers and visitors (the sequential-id loop finds nothing)", async () => {
    for (const viewer of [null, stranger]) {
      expect(await statusOf(() => getBoardForViewer(db, unlisted.id, viewer))).toBe(404);
      expect(await statusOf(() => getBoardForViewer(db, unlisted.id, viewer, "f".repeat(32)))).toBe(404);
      expect(await statusOf(() => getCardForViewer(db, secret.id, viewer))).toBe(404);
    }
  });

  it("opens the board and its cards with the key, which the owner sees and non-owners are never sent", async () => {
    const viaLink = await getBoardForViewer(db, unlisted.id, null, key);
    expect(viaLink.cards.map((c) => c.title)).toEqual(["grandma"]);
    expect(viaLink).not.toHaveProperty("shareToken");
    expect(viaLink.shareKey).toBe(key); // the key holder's own links keep working
    expect((await getCardForViewer(db, secret.id, stranger, key)).title).toBe("grandma");
    // The card page names the board it was reached through, with the key for its link.
    expect((await getCardForViewer(db, secret.id, null, key)).boards).toEqual([
      expect.objectContaining({ id: unlisted.id, shareKey: key }),
    ]);
    // A public board's page never carries its token (it would open the board if made unlisted later).
    const open = await createBoard(db, owner.id, { title: "Open", description: "", lang: "en", visibility: "public" });
    expect((await getBoardForViewer(db, open.id, stranger)).shareKey).toBeNull();
    expect(await getBoardForViewer(db, open.id, stranger)).not.toHaveProperty("shareToken");
  });

  it("stops the old link when the owner makes a new one, and when the board becomes private", async () => {
    const fresh = await regenerateShareLink(db, unlisted.id, owner);
    expect(fresh).not.toBe(key);
    expect(await statusOf(() => getBoardForViewer(db, unlisted.id, null, key))).toBe(404);
    expect(await statusOf(() => getCardForViewer(db, secret.id, null, key))).toBe(404);
    expect(await statusOf(() => getBoardForViewer(db, unlisted.id, null, fresh))).toBe(200);
    expect(await statusOf(() => regenerateShareLink(db, unlisted.id, stranger))).toBe(404);
    await updateBoard(db, unlisted.id, owner, { title: "Family photos", description: "", lang: "en", visibility: "private" });
    expect(await statusOf(() => getBoardForViewer(db, unlisted.id, null, fresh))).toBe(404);
    // …for good: unlisted again, the board has a new key and the old link stays dead.
    await updateBoard(db, unlisted.id, owner, { title: "Family photos", description: "", lang: "en", visibility: "unlisted" });
    expect(await statusOf(() => getBoardForViewer(db, unlisted.id, null, fresh))).toBe(404);
    expect((await getBoardForViewer(db, unlisted.id, owner)).shareKey).not.toBe(fresh);
  });

  it("reads the key only from a well-formed ?key= parameter", () => {
    expect(shareKeyParam(`http://x/boards/1?key=${key}`)).toBe(key);
    expect(shareKeyParam("http://x/boards/1?key=%27%20OR%201%3D1")).toBeNull();
    expect(shareKeyParam("http://x/boards/1")).toBeNull();
  });

  it("lets key holders practise and print, and nobody else", async () => {
    await expect(
      practiceView(db, { boardId: unlisted.id, viewer: stranger, learnerId: stranger.id, now: new Date() }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(
      (await practiceView(db, { boardId: unlisted.id, viewer: stranger, learnerId: stranger.id, now: new Date(), key })).board.shareKey,
    ).toBe(key);
    const options = { per: 4, paper: "a4", second: null } as const;
    await expect(boardPdf(db, unlisted.id, null, options)).rejects.toMatchObject({ status: 404 });
  });
});

describe("finding 5: only public cards can be saved by others", () => {
  it("refuses to save an unlisted card onto the stranger's public board, with a reason, and stores nothing", async () => {
    const theirs = await createBoard(db, stranger.id, { title: "Everyone sees this", description: "", lang: "en", visibility: "public" });
    expect(await saveCardToBoard(db, secret.id, theirs.id, stranger, undefined, key)).toBe("notPublic");
    expect((await getBoardForViewer(db, theirs.id, null)).cards).toEqual([]);
    expect(await statusOf(() => getCardForViewer(db, secret.id, null))).toBe(404); // still not published
    // Without the key the card does not exist for them at all.
    expect(await statusOf(() => saveCardToBoard(db, secret.id, theirs.id, stranger))).toBe(404);
    // Onto a private board of theirs too: "only public cards", whatever the target.
    const hidden = await createBoard(db, stranger.id, { title: "Mine", description: "", lang: "en", visibility: "private" });
    expect(await saveCardToBoard(db, secret.id, hidden.id, stranger, undefined, key)).toBe("notPublic");
  });

  it("still saves public cards, and lets the creator place their own card anywhere", async () => {
    const open = await createBoard(db, owner.id, { title: "Open", description: "", lang: "en", visibility: "public" });
    const shared = await createCard(db, owner, open.id, card("apple"), image);
    const theirs = await createBoard(db, stranger.id, { title: "Fruit", description: "", lang: "en", visibility: "public" });
    expect(await saveCardToBoard(db, shared.id, theirs.id, stranger)).toBe("saved");
    expect(await saveCardToBoard(db, secret.id, open.id, owner)).toBe("saved"); // the creator publishes their own card
  });
});

describe("finding 6: Story Pins only on your own boards", () => {
  const pages = [{ image, alt: "A page", text: "Once" }];

  it("refuses a story about someone else's board, in the form and in the service", async () => {
    const victim = await createBoard(db, stranger.id, { title: "Victim", description: "", lang: "en", visibility: "public" });
    const mine = await createBoard(db, owner.id, { title: "Mine", description: "", lang: "en", visibility: "public" });
    expect(await statusOf(() => createStory(db, owner, mine.id, { title: "Spam", lang: "en", about: victim.id, pages }))).toBe(403);
    expect((await boardChoices(db, owner, victim.id)).about.map((b) => b.id)).not.toContain(victim.id);
    const form = new FormData();
    for (const [k, v] of Object.entries({
      title: "Spam",
      lang: "en",
      about: String(victim.id),
      board: String(mine.id),
      page: "p1",
      "alt-p1": "a",
      "key-p1": "",
    }))
      form.set(k, v);
    const r = await readStorySubmission(db, owner, form, true);
    expect(r.ok === false && r.errors.about).toBe("stories:errors.aboutBoard");
    expect(await storiesAbout(db, victim.id, stranger)).toEqual([]);
  });

  it("lets the board's owner take off any story about it (one attached before the fix), and nobody else", async () => {
    const victim = await createBoard(db, stranger.id, { title: "Victim", description: "", lang: "en", visibility: "public" });
    const mine = await createBoard(db, owner.id, { title: "Mine", description: "", lang: "en", visibility: "public" });
    const story = await createStory(db, owner, mine.id, { title: "Old story", lang: "en", about: mine.id, pages });
    await db.update(stories).set({ boardId: victim.id }).where(eq(stories.pinId, story.id)); // attached under the old rule
    expect((await storiesAbout(db, victim.id, null)).map((s) => s.id)).toEqual([story.id]);
    expect(await statusOf(() => detachStory(db, victim.id, story.id, owner))).toBe(403); // the author is not the board's owner
    expect(await detachStory(db, victim.id, story.id, stranger)).toBe(true);
    expect(await storiesAbout(db, victim.id, null)).toEqual([]);
    expect((await getCardForViewer(db, story.id, null)).title).toBe("Old story"); // the story itself stays, on its author's board
  });
});

describe("finding 11 (profiles): /u/:id only for people with public content", () => {
  it("has a profile for someone with a public board, not for someone with only unlisted or private ones", async () => {
    expect(await hasPublicProfile(db, owner.id)).toBe(false); // only an unlisted board so far
    expect(await hasPublicProfile(db, stranger.id)).toBe(false);
    await createBoard(db, owner.id, { title: "Open", description: "", lang: "en", visibility: "public" });
    expect(await hasPublicProfile(db, owner.id)).toBe(true);
  });
});

describe("workshops give members the links of the therapist's unlisted boards, and nobody else", () => {
  it("puts the key in members' homework and meeting links; a stranger still gets a 404", async () => {
    const therapist = owner; // owns `unlisted`
    const member = await makeUser(db, "Member");
    const w = await createWorkshop(db, therapist, {
      title: "Group",
      description: "",
      lang: "en",
      weekday: 1,
      startTime: "10:00",
      durationMinutes: 60,
      timeZone: "Europe/Madrid",
      startsOn: "2026-01-05",
      endsOn: "",
      place: "Room",
      videoUrl: "",
      capacity: 5,
    });
    if (!w.ok) throw new Error("workshop");
    const jan = new Date("2026-01-02T12:00:00Z");
    const { token } = await createInvite(db, w.workshop.id, therapist, "participant", jan);
    expect((await joinWithInvite(db, token, member, jan)).ok).toBe(true);

    expect(
      (
        await createAssignment(
          db,
          w.workshop.id,
          therapist,
          { boardId: unlisted.id, dueOn: "2026-01-09", audience: "all", memberIds: [] },
          jan,
        )
      ).ok,
    ).toBe(true);
    const [hw] = (await memberAgenda(db, member.id, jan)).homework;
    expect(hw).toMatchObject({ boardId: unlisted.id, shareKey: key });
    expect(await statusOf(() => getBoardForViewer(db, unlisted.id, member, hw!.shareKey))).toBe(200);
    expect((await memberAgenda(db, stranger.id, jan)).homework).toEqual([]);

    await attachBoard(db, w.workshop.id, "2026-01-05", therapist, unlisted.id);
    expect((await sessionPlan(db, w.workshop.id, "2026-01-05", member)).boards).toEqual([
      expect.objectContaining({ id: unlisted.id, shareKey: key }),
    ]);
    expect((await sessionPlan(db, w.workshop.id, "2026-01-05", member)).boards[0]).not.toHaveProperty("shareToken");
    await expect(sessionPlan(db, w.workshop.id, "2026-01-05", stranger)).rejects.toMatchObject({ status: 404 });
    // Someone else's board that was public when attached and is unlisted now: no key is handed out for it.
    const theirs = await createBoard(db, stranger.id, { title: "Was public", description: "", lang: "en", visibility: "public" });
    await attachBoard(db, w.workshop.id, "2026-01-05", therapist, theirs.id);
    await updateBoard(db, theirs.id, stranger, { title: "Was public", description: "", lang: "en", visibility: "unlisted" });
    expect((await sessionPlan(db, w.workshop.id, "2026-01-05", member)).boards.map((b) => b.id)).toEqual([unlisted.id]);
  });
});
