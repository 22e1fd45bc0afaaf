import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { boards, type User } from "../../db/tables";
import { createBoard, updateBoard } from "../../app/services/boards.server";
import { createCard, updateCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { answerInvitation, grantsGiven, invitationsSent, inviteToPractise } from "../../app/services/practice.server";
import { HASH_CONCURRENCY, HASH_QUEUE_MAX, hashQueue, verifyPassword } from "../../app/services/password.server";
import { NOT_SAVED } from "../../app/services/save-failure.server";
import { writtenRow, writtenRowOrNone } from "../../app/services/verified-write.server";
import { createSession } from "../../app/services/session.server";
import { signUp } from "../../app/services/users.server";
import { createWorkshop, updateWorkshop } from "../../app/services/workshops.server";
import type { WorkshopInput } from "../../app/lib/workshop-forms";
import { armCommitFailure } from "../support/commit-trap";
import { makeUser, pngBytes, tempDb } from "./helpers";

const count = (db: Db, table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
const COMMIT_FAILED = /FOREIGN KEY constraint failed/;

const workshop: WorkshopInput = {
  title: "Naming group",
  description: "",
  lang: "en",
  weekday: 1,
  startTime: "10:00",
  durationMinutes: 60,
  timeZone: "Europe/Madrid",
  startsOn: "2026-01-05",
  endsOn: "",
  place: "Room 2",
  videoUrl: "",
  capacity: 3,
};

describe("the commit trap (why writes never use .get())", () => {
  it("better-sqlite3's .get() on INSERT … RETURNING returns a row that the failed commit never stored", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    armCommitFailure(db.$client, "board");
    const stmt = db.$client.prepare(
      "INSERT INTO board (owner_id, title, lang, visibility) VALUES (?, 'Lost', 'en', 'public') RETURNING id",
    );
    expect(stmt.get(owner.id)).toMatchObject({ id: expect.any(Number) }); // looks saved…
    expect(count(db, "board")).toBe(0); // …but is not there
    expect(() => stmt.all(owner.id)).toThrow(COMMIT_FAILED); // .all() tells the truth
  });
});

describe("writtenRow on the asynchronous data layer (0022)", () => {
  const insertBoard = (db: Db, ownerId: number) =>
    db.insert(boards).values({ ownerId, title: "Lost", lang: "en", visibility: "public" }).returning();

  it("an awaited insert … returning() throws what the failed commit threw, so writtenRow never sees a row", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    armCommitFailure(db.$client, "board");
    await expect((async () => writtenRow(await insertBoard(db, owner.id)))()).rejects.toThrow(COMMIT_FAILED);
    await expect(writtenRow(Promise.resolve(insertBoard(db, owner.id)))).rejects.toThrow(COMMIT_FAILED);
    expect(count(db, "board")).toBe(0);
  });

  it("takes the awaited rows, or a promise of them; none is an error for writtenRow, undefined for writtenRowOrNone", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    expect(writtenRow(await insertBoard(db, owner.id))).toMatchObject({ ownerId: owner.id, title: "Lost" });
    await expect(writtenRow(Promise.resolve(insertBoard(db, owner.id)))).resolves.toMatchObject({ title: "Lost" });
    expect(() => writtenRow([])).toThrow("The write returned no row");
    await expect(writtenRow(Promise.resolve([]))).rejects.toThrow("The write returned no row");
    expect(writtenRowOrNone([])).toBeUndefined();
    await expect(writtenRowOrNone(Promise.resolve([]))).resolves.toBeUndefined();
    expect(count(db, "board")).toBe(2);
  });
});

describe("every write is verified: a failed commit throws and leaves nothing", () => {
  it("create board", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    armCommitFailure(db.$client, "board");
    await expect(createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" })).rejects.toThrow(
      COMMIT_FAILED,
    );
    expect(count(db, "board")).toBe(0);
  });

  it("edit board", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    armCommitFailure(db.$client, "board", "UPDATE");
    await expect(updateBoard(db, board.id, owner, { title: "Drinks", description: "", lang: "en", visibility: "private" })).rejects.toThrow(
      COMMIT_FAILED,
    );
    expect(db.$client.prepare("SELECT title, visibility FROM board").get()).toEqual({ title: "Food", visibility: "public" });
  });

  it("create card (card and its place on the board together)", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    const image = await storeImage(db, await pngBytes());
    armCommitFailure(db.$client, "pin");
    await expect(
      createCard(db, owner, board.id, { title: "apple", alt: "an apple", cue: "", note: "", lang: "en" }, image),
    ).rejects.toThrow(COMMIT_FAILED);
    expect([count(db, "pin"), count(db, "board_pin")]).toEqual([0, 0]);
  });

  it("edit card", async () => {
    const db = tempDb();
    const owner = await makeUser(db);
    const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    const image = await storeImage(db, await pngBytes());
    const card = await createCard(db, owner, board.id, { title: "apple", alt: "an apple", cue: "", note: "", lang: "en" }, image);
    armCommitFailure(db.$client, "pin", "UPDATE");
    await expect(updateCard(db, card.id, owner, { title: "pear", alt: "a pear", cue: "", note: "", lang: "en" })).rejects.toThrow(
      COMMIT_FAILED,
    );
    expect(db.$client.prepare("SELECT title FROM pin").get()).toEqual({ title: "apple" });
  });

  it("create and edit workshop", async () => {
    const db = tempDb();
    const therapist = await makeUser(db);
    const saved = await createWorkshop(db, therapist, workshop);
    if (!saved.ok) throw new Error("setup");
    const disarm = armCommitFailure(db.$client, "workshop");
    await expect(createWorkshop(db, therapist, { ...workshop, title: "Second" })).rejects.toThrow(COMMIT_FAILED);
    expect(count(db, "workshop")).toBe(1);
    disarm();
    armCommitFailure(db.$client, "workshop", "UPDATE");
    await expect(updateWorkshop(db, saved.workshop.id, therapist, { ...workshop, title: "Renamed" })).rejects.toThrow(COMMIT_FAILED);
    expect(db.$client.prepare("SELECT title FROM workshop").get()).toEqual({ title: "Naming group" });
  });

  it("sign-up", async () => {
    const db = tempDb();
    armCommitFailure(db.$client, "user");
    await expect(
      signUp(db, { email: "new@example.com", password: "correct horse battery", displayName: "New", locale: "en" }),
    ).rejects.toThrow(COMMIT_FAILED);
    expect(count(db, "user")).toBe(0);
  });

  it("practice grants", async () => {
    const db = tempDb();
    const learner = await makeUser(db, "Learner");
    const helper = await makeUser(db, "Helper");
    armCommitFailure(db.$client, "practice_invite");
    await expect(inviteToPractise(db, learner, helper.email)).rejects.toThrow(COMMIT_FAILED);
    expect(await invitationsSent(db, learner.id)).toEqual([]);
    // Accepting: the invitation's removal and the grant commit together or not at all.
    const fresh = tempDb();
    const l2 = await makeUser(fresh, "Learner");
    const h2 = await makeUser(fresh, "Helper");
    await inviteToPractise(fresh, l2, h2.email);
    armCommitFailure(fresh.$client, "practice_grant");
    await expect(answerInvitation(fresh, h2, l2.id, true)).rejects.toThrow(COMMIT_FAILED);
    expect(await grantsGiven(fresh, l2.id)).toEqual([]);
    expect(await invitationsSent(fresh, l2.id)).toHaveLength(1);
  });

  it("no write anywhere reads its rows back with .get() (app, db, scripts)", () => {
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") && files.push(join(d, e.name)),
      );
    ["app", "db", "scripts"].forEach(walk);
    const offenders = files.filter((f) => {
      const src = readFileSync(f, "utf8");
      // drizzle: .returning(...) followed (across lines) by .get(); raw SQL: RETURNING in a statement run with .get(
      return /\.returning\([^)]*\)\s*\.get\(/.test(src) || /RETURNING[^`"]*["`]\)\s*\.get\(/i.test(src);
    });
    expect(offenders).toEqual([]);
  });
});

// ---- The routes: a failed commit re-shows the form with a translated "not saved" and what was typed ----

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type DataResult = { type: string; data: { errors: Record<string, string>; values: Record<string, unknown> }; init: { status: number } };

function useAppDb(db: Db) {
  (globalThis as unknown as { __tableroDb?: Db }).__tableroDb = db;
}
afterEach(() => {
  delete (globalThis as unknown as { __tableroDb?: Db }).__tableroDb;
});

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new URLSearchParams(fields);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (cookie) headers.Cookie = cookie;
  return new Request(`http://localhost${path}`, { method: "POST", body, headers });
}

async function signedInCookie(db: Db, user: User): Promise<string> {
  return (await createSession(db, new Request("http://localhost/"), user.id)).split(";")[0]!;
}

async function expectNotSaved(result: unknown, typed: Record<string, string>) {
  expect(result).not.toBeInstanceOf(Response); // no redirect to a page that does not exist
  const r = result as DataResult;
  expect(r.init.status).toBe(503);
  expect(r.data.errors).toEqual({ form: NOT_SAVED });
  expect(r.data.values).toMatchObject(typed);
}

describe("routes say 'could not save' and keep the input when the commit fails", () => {
  it("new board", async () => {
    const db = tempDb();
    useAppDb(db);
    const owner = await makeUser(db);
    armCommitFailure(db.$client, "board");
    const { action } = (await import("../../app/routes/boards.new")) as { action: Action };
    const typed = { title: "Kitchen words", description: "For Dad", lang: "en", visibility: "private" };
    await expectNotSaved(
      await action({ request: post("/boards/new", typed, await signedInCookie(db, owner)), params: {}, context: {} }),
      typed,
    );
    expect(count(db, "board")).toBe(0);
  });

  it("edit board", async () => {
    const db = tempDb();
    useAppDb(db);
    const owner = await makeUser(db);
    const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    armCommitFailure(db.$client, "board", "UPDATE");
    const { action } = (await import("../../app/routes/boards.$boardId.edit")) as { action: Action };
    const typed = { intent: "save", title: "Kitchen words", description: "", lang: "en", visibility: "public" };
    await expectNotSaved(
      await action({
        request: post(`/boards/${board.id}/edit`, typed, await signedInCookie(db, owner)),
        params: { boardId: String(board.id) },
        context: {},
      }),
      typed,
    );
  });

  it("new workshop", async () => {
    const db = tempDb();
    useAppDb(db);
    const therapist = await makeUser(db);
    armCommitFailure(db.$client, "workshop");
    const { action } = (await import("../../app/routes/workshops.new")) as { action: Action };
    const typed = Object.fromEntries(Object.entries({ ...workshop, intent: "save" }).map(([k, v]) => [k, String(v)]));
    await expectNotSaved(
      await action({ request: post("/workshops/new", typed, await signedInCookie(db, therapist)), params: {}, context: {} }),
      {
        title: "Naming group",
        place: "Room 2",
      },
    );
    expect(count(db, "workshop")).toBe(0);
  });

  it("sign-up (and the password is not echoed back)", async () => {
    const db = tempDb();
    useAppDb(db);
    // Sign-up stores a request and emails its link (the account is made from the link).
    armCommitFailure(db.$client, "signup_request");
    const { action } = (await import("../../app/routes/signup")) as { action: Action };
    const typed = { email: "new@example.com", displayName: "Nuevo", locale: "es" };
    const result = await action({ request: post("/signup", { ...typed, password: "correct horse battery" }), params: {}, context: {} });
    await expectNotSaved(result, typed);
    expect((result as DataResult).data.values.password).toBeUndefined();
    expect(count(db, "signup_request")).toBe(0);
  });

  it("practice grant", async () => {
    const db = tempDb();
    useAppDb(db);
    const learner = await makeUser(db, "Learner");
    const helper = await makeUser(db, "Helper");
    armCommitFailure(db.$client, "practice_invite");
    const { action } = (await import("../../app/routes/practice._index")) as { action: Action };
    const typed = { intent: "grant", email: helper.email };
    await expectNotSaved(
      await action({ request: post("/practice", typed, await signedInCookie(db, learner)), params: {}, context: {} }),
      typed,
    );
  });

  it("change password: a failed commit or a full hashing queue changes nothing and says so", async () => {
    const db = tempDb();
    useAppDb(db);
    const me = await makeUser(db, "Me");
    const { action } = (await import("../../app/routes/settings_.password")) as { action: Action };
    const typed = { currentPassword: "correct horse battery", newPassword: "a brand new long password" };
    const disarm = armCommitFailure(db.$client, "user", "UPDATE");
    const failed = (await action({
      request: post("/settings/password", typed, await signedInCookie(db, me)),
      params: {},
      context: {},
    })) as DataResult;
    disarm();
    expect(failed.init.status).toBe(503);
    expect(failed.data.errors).toEqual({ form: NOT_SAVED });
    // The hashing queue full (password.server.ts): "busy", not a 500.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const blockers = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE_MAX }, () => hashQueue.add(() => gate));
    await new Promise((r) => setTimeout(r, 10));
    const busy = (await action({
      request: post("/settings/password", typed, await signedInCookie(db, me)),
      params: {},
      context: {},
    })) as DataResult;
    release();
    await Promise.all(blockers);
    expect(busy.init.status).toBe(503);
    expect(busy.data.errors).toEqual({ form: "http:busy.form" });
    const stored = db.$client.prepare("SELECT password_hash AS h FROM user WHERE id = ?").get(me.id) as { h: string };
    expect(await verifyPassword("correct horse battery", stored.h)).toBe(true);
  });

  it("actions without a form (delete board) throw a 503 that the error page words as 'nothing was changed'", async () => {
    const db = tempDb();
    useAppDb(db);
    const owner = await makeUser(db);
    const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    armCommitFailure(db.$client, "board", "DELETE");
    const { action } = (await import("../../app/routes/boards.$boardId.edit")) as { action: Action };
    const thrown = await action({
      request: post(`/boards/${board.id}/edit`, { intent: "delete" }, await signedInCookie(db, owner)),
      params: { boardId: String(board.id) },
      context: {},
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toMatchObject({ init: { status: 503 }, data: { notSaved: true } });
    expect(count(db, "board")).toBe(1);
  });
});
