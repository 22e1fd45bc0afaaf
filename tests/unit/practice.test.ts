import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { practiceSessions, reviewLogs, reviews, type User } from "../../db/tables";
import type { Db } from "../../db/client";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import {
  boardsInProgress,
  deletePracticeHistory,
  answerInvitation,
  cancelInvitation,
  invitationsReceived,
  invitationsSent,
  inviteToPractise,
  grantsGiven,
  grantsReceived,
  practiceLearner,
  practiceProgress,
  practiceView,
  ratePin,
  revokeAccess,
  RESUME_WINDOW_MS,
} from "../../app/services/practice.server";
import { attemptSave } from "../../app/services/save-failure.server";
import { armCommitFailureOn } from "../support/commit-trap-engine";
import { reconnect } from "../support/reconnect";
import { waitingOf } from "../../models/practice/queue";
import { makeUser, pngBytes, testDb, testEngine } from "./helpers";

const statusOf = async (fn: () => unknown) => {
  try {
    await fn();
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
};

const t0 = new Date("2026-03-02T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;
const DAY = 86_400_000;

async function setup() {
  const db = await testDb();
  const learner = await makeUser(db, "Dad");
  const relative = await makeUser(db, "Ana");
  const stranger = await makeUser(db, "Stranger");
  const image = await storeImage(db, await pngBytes());
  const board = await createBoard(db, relative.id, { title: "Kitchen", description: "", lang: "en", visibility: "public" });
  const words = ["cup", "pot", "spoon", "fork"];
  const cards = [];
  for (const w of words)
    cards.push(await createCard(db, relative, board.id, { title: w, alt: `a ${w}`, cue: "", note: "", lang: "en" }, image));
  return { db, learner, relative, stranger, board, cards };
}

/** The learner invites the relative, who accepts: a grant. */
async function grant(db: Db, learner: User, relative: User) {
  await inviteToPractise(db, learner, relative.email);
  await answerInvitation(db, relative, learner.id, true);
}

describe("practice: grants and who may practise with whom", () => {
  it("invites by email with the same answer for any email, names nobody until the invited person accepts; revokes", async () => {
    const { db, learner, relative, stranger } = await setup();
    expect(await inviteToPractise(db, learner, "nobody@example.com")).toEqual({ ok: true });
    expect(await inviteToPractise(db, learner, `  ${relative.email.toUpperCase()} `)).toEqual({ ok: true });
    expect(await inviteToPractise(db, learner, relative.email)).toEqual({ ok: true });
    expect(await inviteToPractise(db, learner, learner.email)).toEqual({ ok: false, error: "practice:errors.self" });
    // The learner sees emails only, and no grant yet.
    expect(await invitationsSent(db, learner.id)).toEqual([{ email: "nobody@example.com" }, { email: relative.email }]);
    expect(await grantsGiven(db, learner.id)).toEqual([]);
    expect(await invitationsReceived(db, relative)).toEqual([{ id: learner.id, displayName: "Dad" }]);
    expect(await invitationsReceived(db, stranger)).toEqual([]);
    // Only the invited email can answer.
    expect(await answerInvitation(db, stranger, learner.id, true)).toBe(false);
    expect(await answerInvitation(db, relative, learner.id, true)).toBe(true);
    expect((await grantsGiven(db, learner.id)).map((g) => g.displayName)).toEqual(["Ana"]);
    expect(await grantsReceived(db, relative.id)).toEqual([{ id: learner.id, displayName: "Dad" }]);
    expect(await grantsReceived(db, learner.id)).toEqual([]);
    // Someone already granted is not invited again.
    await inviteToPractise(db, learner, relative.email);
    expect(await invitationsSent(db, learner.id)).toEqual([{ email: "nobody@example.com" }]);
    await cancelInvitation(db, learner, "NOBODY@example.com");
    expect(await invitationsSent(db, learner.id)).toEqual([]);
    await revokeAccess(db, learner, relative.id);
    expect(await grantsGiven(db, learner.id)).toEqual([]);
    // Declining removes the offer without a grant.
    await inviteToPractise(db, learner, stranger.email);
    expect(await answerInvitation(db, stranger, learner.id, false)).toBe(true);
    expect(await grantsGiven(db, learner.id)).toEqual([]);
    expect(await invitationsReceived(db, stranger)).toEqual([]);
  });

  it("lets only the learner and people they granted act for them; everyone else gets a 404", async () => {
    const { db, learner, relative, stranger, board, cards } = await setup();
    expect(await practiceLearner(db, learner, null)).toMatchObject({ id: learner.id, self: true });
    expect(await practiceLearner(db, learner, String(learner.id))).toMatchObject({ id: learner.id, self: true });
    expect(await statusOf(() => practiceLearner(db, relative, String(learner.id)))).toBe(404);
    expect(await statusOf(() => practiceLearner(db, relative, "abc"))).toBe(404);
    await grant(db, learner, relative);
    expect(await practiceLearner(db, relative, String(learner.id))).toEqual({ id: learner.id, displayName: "Dad", self: false });
    expect(await statusOf(() => practiceLearner(db, stranger, String(learner.id)))).toBe(404);
    // The grant is one way: the learner cannot act for the relative.
    expect(await statusOf(() => practiceLearner(db, learner, String(relative.id)))).toBe(404);
    // Revoking ends it at once.
    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: relative, learnerId: learner.id, now: t0 });
    await revokeAccess(db, learner, relative.id);
    expect(await statusOf(() => practiceLearner(db, relative, String(learner.id)))).toBe(404);
  });

  it("refuses a private board to someone who is neither its owner nor the learner", async () => {
    const { db, learner, stranger, relative, cards } = await setup();
    const priv = await createBoard(db, relative.id, { title: "Private", description: "", lang: "en", visibility: "private" });
    expect(await statusOf(() => practiceView(db, { boardId: priv.id, viewer: stranger, learnerId: stranger.id, now: t0 }))).toBe(404);
    // The owner may practise it with a learner who granted them access.
    expect((await practiceView(db, { boardId: priv.id, viewer: relative, learnerId: learner.id, now: t0 })).board.title).toBe("Private");
    // A card that is not on the board cannot be rated through it.
    expect(
      await statusOf(() =>
        ratePin(db, { boardId: priv.id, pinId: cards[0]!.id, rating: 3, viewer: relative, learnerId: learner.id, now: t0 }),
      ),
    ).toBe(404);
  });
});

describe("practice: a sitting", () => {
  it("shows new cards in board order, stores each rating at once, and brings Again back later", async () => {
    const { db, learner, board, cards } = await setup();
    let view = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now: t0 });
    expect(view.card?.title).toBe("cup");
    expect(view.counts).toEqual({ due: 0, new: 4, unseen: 4 });
    expect(view.sitting).toEqual({ id: null, rated: 0 });

    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 1, viewer: learner, learnerId: learner.id, now: t0 });
    // Persisted before anything else happens: the review and its log are in the file.
    expect(await db.select().from(reviews).where(eq(reviews.learnerId, learner.id))).toHaveLength(1);
    expect(await db.select().from(reviewLogs)).toMatchObject([{ pinId: cards[0]!.id, rating: 1, stateBefore: 0, ratedBy: learner.id }]);

    view = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now: at(5_000) });
    expect(view.card?.title).toBe("pot"); // not the card just rated
    expect(view.sitting.rated).toBe(1);
    await ratePin(db, { boardId: board.id, pinId: cards[1]!.id, rating: 4, viewer: learner, learnerId: learner.id, now: at(10_000) });
    view = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now: at(2 * MIN) });
    expect(view.card).toMatchObject({ title: "cup", reason: "due" }); // rated Again, due a minute later
  });

  it("resumes after the browser closed: a new connection sees every rating and the same sitting", async () => {
    const { db, learner, board, cards } = await setup();
    const r1 = await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: learner, learnerId: learner.id, now: t0 });
    const r2 = await ratePin(db, {
      boardId: board.id,
      pinId: cards[1]!.id,
      rating: 3,
      viewer: learner,
      learnerId: learner.id,
      now: at(MIN),
    });
    expect(r2.sessionId).toBe(r1.sessionId);
    // "Close the browser": another connection to the same database, as a restarted server would open.
    const { again, close } = await reconnect(db);
    const view = await practiceView(again, { boardId: board.id, viewer: learner, learnerId: learner.id, now: at(30 * MIN) });
    expect(view.sitting).toEqual({ id: r1.sessionId, rated: 2 });
    expect(await again.select().from(reviewLogs)).toHaveLength(2);
    const r3 = await ratePin(again, {
      boardId: board.id,
      pinId: view.card!.id,
      rating: 3,
      viewer: learner,
      learnerId: learner.id,
      now: at(31 * MIN),
    });
    expect(r3.sessionId).toBe(r1.sessionId);
    // After the resume window, a new sitting starts.
    const later = at(31 * MIN + RESUME_WINDOW_MS + 1);
    expect((await practiceView(again, { boardId: board.id, viewer: learner, learnerId: learner.id, now: later })).sitting).toEqual({
      id: null,
      rated: 0,
    });
    const r4 = await ratePin(again, {
      boardId: board.id,
      pinId: cards[3]!.id,
      rating: 3,
      viewer: learner,
      learnerId: learner.id,
      now: later,
    });
    expect(r4.sessionId).not.toBe(r1.sessionId);
    await close();
  });

  it("says nothing is due when all are done, and practising ahead still offers cards", async () => {
    const { db, learner, board, cards } = await setup();
    for (const [i, c] of cards.entries())
      await ratePin(db, { boardId: board.id, pinId: c.id, rating: 4, viewer: learner, learnerId: learner.id, now: at(i * 1000) });
    const view = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now: at(MIN) });
    expect(view.card).toBeNull();
    expect(view.counts).toEqual({ due: 0, new: 0, unseen: 0 });
    const ahead = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now: at(MIN), ahead: true });
    expect(ahead.card).toMatchObject({ title: "cup", reason: "ahead" });
    expect(await boardsInProgress(db, learner.id, learner, at(MIN))).toMatchObject([
      { id: board.id, cardCount: 4, practised: 4, waiting: 0 },
    ]);
    // max() over the timestamp columns, read back as the Date of the last rating on both engines.
    expect((await boardsInProgress(db, learner.id, learner, at(MIN)))[0]!.lastPractised).toEqual(at(3 * 1000));
    expect(await boardsInProgress(db, learner.id, learner, at(30 * DAY))).toMatchObject([{ id: board.id, waiting: 4 }]);
  });

  it("/practice and the practice page count what is waiting with one function (walk-through: '0 of 4' beside 'Waiting: 3')", async () => {
    const { db, learner, board, cards } = await setup();
    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: learner, learnerId: learner.id, now: at(0) });
    for (const now of [at(MIN), at(30 * DAY)]) {
      const view = await practiceView(db, { boardId: board.id, viewer: learner, learnerId: learner.id, now });
      const [listed] = await boardsInProgress(db, learner.id, learner, now);
      expect(listed!.waiting).toBe(waitingOf(view.counts));
    }
    // Three new cards still wait in this sitting, though none is "due" yet.
    const [soon] = await boardsInProgress(db, learner.id, learner, at(MIN));
    expect(soon!.waiting).toBe(3);
  });

  it("a relative's ratings count for the learner, and progress shows them", async () => {
    const { db, learner, relative, board, cards } = await setup();
    await grant(db, learner, relative);
    const who = await practiceLearner(db, relative, String(learner.id));
    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 4, viewer: relative, learnerId: who.id, now: t0 });
    await ratePin(db, { boardId: board.id, pinId: cards[1]!.id, rating: 3, viewer: relative, learnerId: who.id, now: at(MIN) });
    await ratePin(db, { boardId: board.id, pinId: cards[2]!.id, rating: 4, viewer: learner, learnerId: learner.id, now: at(DAY) });
    const log = await db.select().from(reviewLogs);
    expect(log.map((l) => [l.learnerId, l.ratedBy])).toEqual([
      [learner.id, relative.id],
      [learner.id, relative.id],
      [learner.id, learner.id],
    ]);
    expect((await db.select().from(practiceSessions))[0]).toMatchObject({ learnerId: learner.id, startedBy: relative.id });
    expect((await practiceView(db, { boardId: board.id, viewer: relative, learnerId: relative.id, now: t0 })).sitting.rated).toBe(0); // not the relative's own
    const p = await practiceProgress(db, learner.id, at(DAY + MIN), "day");
    expect(p.totals).toEqual({ learned: 2, practised: 3, ratings: 3, sessions: 2, dueNow: 1 }); // "pot" (Good once) is still learning, due again
    expect(p.series).toEqual([
      { period: "2026-03-02", learned: 1, sessions: 1, ratings: 2 },
      { period: "2026-03-03", learned: 2, sessions: 1, ratings: 1 },
    ]);
  });
});

describe("practice: a rating that did not commit", () => {
  it("is reported as not saved (the route's translated message), and nothing of it stays", async () => {
    const { db, learner, board, cards } = await setup();
    // The log line is the last write of the transaction: its COMMIT fails, so the review and sitting go too.
    await armCommitFailureOn(db, "review_log");
    const attempt = await attemptSave(() =>
      ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: learner, learnerId: learner.id, now: t0 }),
    );
    expect(attempt).toEqual({ ok: false });
    expect(await db.select().from(reviews)).toEqual([]);
    expect(await db.select().from(reviewLogs)).toEqual([]);
    expect(await db.select().from(practiceSessions)).toEqual([]);
    if (testEngine === "sqlite") expect(db.$client.inTransaction).toBe(false);
  });
});

describe("practice: deleting the history", () => {
  it("deletes the learner's reviews, log and sittings, and only the learner may", async () => {
    const { db, learner, relative, board, cards } = await setup();
    await grant(db, learner, relative);
    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: learner, learnerId: learner.id, now: t0 });
    await ratePin(db, { boardId: board.id, pinId: cards[0]!.id, rating: 3, viewer: relative, learnerId: relative.id, now: t0 });
    expect(await statusOf(() => deletePracticeHistory(db, relative, learner.id))).toBe(403);
    expect(await db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, learner.id))).toHaveLength(1);
    expect(await deletePracticeHistory(db, learner, learner.id)).toEqual({ deleted: 1 });
    expect(await db.select().from(reviews).where(eq(reviews.learnerId, learner.id))).toEqual([]);
    expect(await db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, learner.id))).toEqual([]);
    expect(await db.select().from(practiceSessions).where(eq(practiceSessions.learnerId, learner.id))).toEqual([]);
    // The relative's own practice is untouched, and so is the grant.
    expect(await db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, relative.id))).toHaveLength(1);
    expect(await grantsGiven(db, learner.id)).toHaveLength(1);
    expect(await practiceProgress(db, learner.id, t0, "week")).toEqual({
      series: [],
      totals: { learned: 0, practised: 0, ratings: 0, sessions: 0, dueNow: 0 },
    });
  });
});
